"""HTML form fields made from a content model, and form values turned back into entry data.

Generic over pydantic models: text fields become text boxes, lists of text one line per
item, choices a drop-down, dates a date picker; anything nested (job-check questions,
quiz questions) is edited as a small YAML text, still validated by the same model.
"""

from __future__ import annotations

import datetime
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import yaml
from pydantic import BaseModel

from content.editing import as_yaml

Widget = Literal["text", "textarea", "lines", "select", "date", "yaml"]

#: Fields short enough for a one-line box.
SHORT_FIELDS = frozenset(
    {"title", "name", "question", "skip", "hours", "source", "verified_by", "phone", "url", "telegram", "note"}
)


@dataclass(frozen=True)
class FormField:
    """One field of an entry's form."""

    name: str
    widget: Widget
    required: bool
    choices: tuple[str, ...] = ()
    help: str = ""

    @property
    def label(self) -> str:
        """The field name as staff read it ("how_it_works" -> "How it works")."""
        return self.name.replace("_", " ").capitalize()


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the type without None, whether None is allowed)."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return (rest[0] if len(rest) == 1 else annotation), True
    return annotation, False


def form_fields(model: type[BaseModel]) -> list[FormField]:
    """The form of a model, one field per model field, in the model's order."""
    fields: list[FormField] = []
    for name, info in model.model_fields.items():
        base, optional = _unwrap(info.annotation)
        required = info.is_required() and not optional
        origin = typing.get_origin(base)
        if base is str:
            widget: Widget = "text" if name in SHORT_FIELDS else "textarea"
            fields.append(FormField(name, widget, required))
        elif base is bool:
            fields.append(FormField(name, "select", required, ("true", "false")))
        elif base is datetime.date:
            fields.append(FormField(name, "date", required))
        elif origin is Literal:
            fields.append(FormField(name, "select", required, tuple(str(a) for a in typing.get_args(base))))
        elif origin is list and typing.get_args(base)[:1] and _is_text_like(typing.get_args(base)[0]):
            item = typing.get_args(base)[0]
            hint = "One item per line."
            if typing.get_origin(item) is Literal:
                hint += " Choose from: " + ", ".join(str(a) for a in typing.get_args(item)) + "."
            fields.append(FormField(name, "lines", required, help=hint))
        else:
            fields.append(FormField(name, "yaml", required, help="Written as YAML (keep the indentation)."))
    return fields


def _is_text_like(item: Any) -> bool:
    if typing.get_origin(item) is typing.Annotated:
        item = typing.get_args(item)[0]
    return item is str or typing.get_origin(item) is Literal


def form_values(fields: list[FormField], data: Any) -> dict[str, str]:
    """The text each field shows for an entry's data (empty for a new entry)."""
    source = data if isinstance(data, Mapping) else {}
    values: dict[str, str] = {}
    for field in fields:
        value = source.get(field.name)
        if value is None:
            values[field.name] = ""
        elif field.widget == "lines" and isinstance(value, list):
            values[field.name] = "\n".join(str(v) for v in value)
        elif field.widget == "yaml":
            values[field.name] = as_yaml(value)
        elif isinstance(value, bool):
            values[field.name] = "true" if value else "false"
        else:
            values[field.name] = str(value)
    return values


def parse_form(fields: list[FormField], form: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Entry data from submitted form values, and the fields that could not be read (YAML errors).

    Values are not validated here: the model does that, so the console and the content
    check judge an entry the same way.
    """
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        raw = str(form.get(field.name) or "").replace("\r\n", "\n")
        text = raw.strip()
        if field.widget == "lines":
            data[field.name] = [line.strip() for line in text.split("\n") if line.strip()]
        elif field.widget == "yaml":
            try:
                data[field.name] = yaml.safe_load(text) if text else None
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f" at line {mark.line + 1}" if mark else ""
                errors[field.name] = f"not valid YAML{where}: {getattr(exc, 'problem', None) or exc}"
        elif field.choices == ("true", "false"):
            data[field.name] = {"true": True, "false": False}.get(text, text or None)
        elif not text and not field.required:
            data[field.name] = None
        else:
            data[field.name] = text
    return data, errors
