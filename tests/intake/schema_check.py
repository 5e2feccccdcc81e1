"""A small JSON Schema validator for the keywords ``intake/schema/case-v1.json`` uses.

``jsonschema`` is not a declared dependency; when it is installed, :func:`errors` also
asks it, so both must agree. Supported: ``type`` (incl. lists), ``enum``, ``const``,
``required``, ``properties``, ``additionalProperties: false``, ``items``, ``minimum``,
``maximum``, ``minLength``, ``pattern``, ``anyOf``, ``if``/``then``, local ``$ref``.
An unknown keyword fails loudly so the schema cannot silently outgrow this checker.
"""

from __future__ import annotations

import re
from typing import Any

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
_ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description"}


def _resolve(root: dict[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $ref supported, not {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _check(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str, out: list[str]) -> None:
    for key in schema:
        if key not in _ANNOTATIONS | {
            "$ref",
            "type",
            "enum",
            "const",
            "required",
            "properties",
            "additionalProperties",
            "items",
            "minimum",
            "maximum",
            "minLength",
            "pattern",
            "anyOf",
            "if",
            "then",
        }:
            raise ValueError(f"schema keyword {key!r} at {path} is not supported by this checker")
    if "$ref" in schema:
        _check(value, _resolve(root, schema["$ref"]), root, path, out)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[t](value) for t in types):
            out.append(f"{path}: {value!r} is not of type {types}")
            return
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{path}: {value!r} is not one of {schema['enum']}")
    if "const" in schema and (value != schema["const"] or type(value) is not type(schema["const"])):
        out.append(f"{path}: {value!r} is not {schema['const']!r}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            out.append(f"{path}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            out.append(f"{path}: {value} > {schema['maximum']}")
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            out.append(f"{path}: shorter than {schema['minLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                out.append(f"{path}: missing {name!r}")
        props = schema.get("properties", {})
        for name, item in value.items():
            if name in props:
                _check(item, props[name], root, f"{path}.{name}", out)
            elif schema.get("additionalProperties") is False:
                out.append(f"{path}: unexpected property {name!r}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _check(item, schema["items"], root, f"{path}[{i}]", out)
    if "anyOf" in schema:
        branches = []
        for option in schema["anyOf"]:
            errs: list[str] = []
            _check(value, option, root, path, errs)
            branches.append(errs)
        if all(branches):
            out.append(f"{path}: matches no anyOf option ({'; '.join(b[0] for b in branches)})")
    if "if" in schema:
        probe: list[str] = []
        _check(value, schema["if"], root, path, probe)
        if not probe and "then" in schema:
            _check(value, schema["then"], root, path, out)


def errors(instance: Any, schema: dict[str, Any]) -> list[str]:
    """Every violation of ``schema`` by ``instance`` (empty when valid)."""
    out: list[str] = []
    _check(instance, schema, schema, "$", out)
    try:
        import jsonschema  # type: ignore[import-untyped]
    except ImportError:
        return out
    real = sorted(e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(instance))
    if bool(real) != bool(out):
        out.append(f"jsonschema disagrees: {real}")
    return out
