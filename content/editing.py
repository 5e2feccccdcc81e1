"""Editing content files safely: which kinds of entries exist, reading one entry, checking an
edited entry against the whole content, and writing it atomically.

Generic over the schema: the kinds come from `content.loader.LanguageContent`'s fields (one
file per field, ``<field>.yml``) and from the language-neutral ``contacts.yml``, so a new
content file (e.g. quizzes) becomes editable without changes here. Writes keep the file's
comments and key order (ruamel.yaml round trip) and replace the file in one step, so the
bot's hot reload never reads half a file.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML

from content.check import check_content
from content.loader import CONTACTS_FILE, LanguageContent, Problem
from content.schema import FALLBACK_LANGUAGE, LANGUAGES, Contact

WHOLE_FILE_KEY = ""
"""The key of a kind whose whole file is one entry (job_check.yml)."""


@dataclass(frozen=True)
class ContentKind:
    """One kind of content entry and where it lives.

    Attributes:
        name: e.g. "articles"; also the URL segment.
        file: File name, e.g. "articles.yml" (under each language folder when ``per_language``).
        model: The pydantic model of one entry.
        per_language: False only for the language-neutral contact facts.
        whole_file: The whole file is one entry (key `WHOLE_FILE_KEY`).
    """

    name: str
    file: str
    model: type[BaseModel]
    per_language: bool = True
    whole_file: bool = False

    def rel(self, lang: str | None) -> str:
        """The file's path relative to the content root, for ``lang`` (ignored when language-neutral)."""
        return f"{lang}/{self.file}" if self.per_language else self.file

    @property
    def title(self) -> str:
        """A heading for staff, e.g. "Scam types"."""
        if not self.per_language:
            return "Contact facts (numbers, links, status)"
        return self.name.replace("_", " ").capitalize()


def content_kinds() -> tuple[ContentKind, ...]:
    """Every kind of content the files hold, in the order of `LanguageContent`, then contact facts."""
    hints = typing.get_type_hints(LanguageContent)
    kinds: list[ContentKind] = []
    for item in dataclasses.fields(LanguageContent):
        hint = hints[item.name]
        origin = typing.get_origin(hint)
        if origin is dict:
            model = typing.get_args(hint)[1]
            whole = False
        else:  # `Model | None`: one model for the whole file
            model = next(arg for arg in typing.get_args(hint) or (hint,) if arg is not type(None))
            whole = True
        if isinstance(model, type) and issubclass(model, BaseModel):
            kinds.append(ContentKind(item.name, f"{item.name}.yml", model, whole_file=whole))
    kinds.append(ContentKind("contact_facts", CONTACTS_FILE, Contact, per_language=False))
    return tuple(kinds)


def kind_named(name: str) -> ContentKind | None:
    """The kind called ``name``, or None."""
    return next((k for k in content_kinds() if k.name == name), None)


def read_file(root: Path, rel: str) -> dict[str, Any] | None:
    """A content file as plain data; None when it is missing or not a YAML mapping."""
    try:
        data = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def entry_keys(root: Path, kind: ContentKind) -> list[str]:
    """The entry ids of a kind: English's order first, then any other language's extras."""
    if kind.whole_file:
        return [WHOLE_FILE_KEY]
    langs = (FALLBACK_LANGUAGE, *LANGUAGES) if kind.per_language else (None,)
    keys: dict[str, None] = {}
    for lang in langs:
        keys.update(dict.fromkeys(str(k) for k in (read_file(root, kind.rel(lang)) or {})))
    return list(keys)


def read_entry(root: Path, kind: ContentKind, lang: str | None, key: str) -> Any:
    """One entry's data as the file holds it, or None when missing."""
    data = read_file(root, kind.rel(lang))
    if data is None:
        return None
    return data if kind.whole_file else data.get(key)


def validate_entry(kind: ContentKind, data: Any) -> tuple[BaseModel | None, list[Problem]]:
    """The entry as its model, or the problems, each keyed by its field path ("steps.2")."""
    try:
        return kind.model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "unknown field"
            problems.append(Problem("", where, message))
        return None, problems


def plain(model: BaseModel) -> Any:
    """An entry as plain YAML/JSON data, in the model's field order (dates as ISO text)."""
    return model.model_dump(mode="json")


def check_with_entry(root: Path, kind: ContentKind, lang: str | None, key: str, data: Any) -> list[Problem]:
    """Problems the whole content would have with this entry written, that it does not have now.

    Runs the full content check (keys across languages, numbers only from confirmed
    contacts, lengths) on a copy of the content, so nothing live changes.
    """
    before = {str(p) for p in check_content(root)}
    with tempfile.TemporaryDirectory(prefix="content-check-") as tmp:
        copy = Path(tmp) / "content"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__", "*.md"))
        write_entry(copy, kind, lang, key, data)
        after = check_content(copy)
    return [p for p in after if str(p) not in before]


_yaml = YAML()
_yaml.preserve_quotes = True
_yaml.width = 100
_yaml.indent(mapping=2, sequence=4, offset=2)
_yaml.allow_unicode = True


def render_file(root: Path, kind: ContentKind, lang: str | None, key: str, data: Any) -> str:
    """The file's new text with one entry replaced (or added at the end), comments kept."""
    path = root / kind.rel(lang)
    if kind.whole_file or not path.exists():
        document: Any = {} if not kind.whole_file else None
    else:
        document = _yaml.load(path.read_text(encoding="utf-8"))
    if kind.whole_file:
        header = _leading_comments(path)
        out = StringIO()
        _yaml.dump(data, out)
        return header + out.getvalue()
    if document is None:
        document = {}
    document[key] = data
    out = StringIO()
    _yaml.dump(document, out)
    return out.getvalue()


def _leading_comments(path: Path) -> str:
    """The comment lines a file starts with (kept when the whole file is rewritten)."""
    if not path.exists():
        return ""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if not line.startswith("#") and line.strip():
            break
        lines.append(line)
    return "".join(lines)


def write_entry(root: Path, kind: ContentKind, lang: str | None, key: str, data: Any) -> None:
    """Writes one entry: a temporary file in the same folder, flushed, then renamed over the old one."""
    path = root / kind.rel(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render_file(root, kind, lang, key, data)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def as_yaml(data: Any) -> str:
    """Data as readable YAML, for diffs and the fallback text field."""
    if data is None:
        return ""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def entry_status(
    kind: ContentKind,
    key: str,
    present: Mapping[str, bool],
    valid: Mapping[str, bool],
    last_edit: Mapping[str, Any],
) -> dict[str, str]:
    """Per language: "ok", "missing", "invalid" or "outdated" (English changed after this language's last edit).

    Args:
        kind: The kind of entry.
        key: Its id.
        present: Per language, whether the file holds the entry.
        valid: Per language, whether it passes the schema.
        last_edit: Per language, when the console last published it (absent if never).
    """
    status: dict[str, str] = {}
    english_edit = last_edit.get(FALLBACK_LANGUAGE)
    for lang in LANGUAGES:
        if not present.get(lang):
            status[lang] = "missing"
        elif not valid.get(lang):
            status[lang] = "invalid"
        elif (
            lang != FALLBACK_LANGUAGE
            and english_edit is not None
            and ((mine := last_edit.get(lang)) is None or mine < english_edit)
        ):
            status[lang] = "outdated"
        else:
            status[lang] = "ok"
    return status
