"""Read the content YAML files into validated models, collecting every problem.

Shared by the runtime catalogue (which rejects a tree with any problem) and the staff
check (which reports them all), so both judge the files the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from content.quiz import QUIZZES_FILE, Quiz, quiz_paths
from content.schema import (
    Article,
    Contact,
    ContactText,
    JobCheck,
    ScamType,
    SignalText,
    VerdictText,
    job_check_paths,
)

CONTACTS_FILE = "contacts.yml"
SCAM_TYPES_FILE = "scam_types.yml"
ARTICLES_FILE = "articles.yml"
SIGNALS_FILE = "signals.yml"
VERDICTS_FILE = "verdicts.yml"
JOB_CHECK_FILE = "job_check.yml"
LANGUAGE_FILES: tuple[str, ...] = (
    SCAM_TYPES_FILE,
    ARTICLES_FILE,
    CONTACTS_FILE,
    SIGNALS_FILE,
    VERDICTS_FILE,
    JOB_CHECK_FILE,
    QUIZZES_FILE,
)

Level = Literal["error", "warning"]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content.

    Attributes:
        file: Path relative to the content root, e.g. ``"km/scam_types.yml"``.
        key: Where in the file, e.g. ``"romance.warning_signs.2"``; empty for the whole file.
        message: What is wrong, in plain words for staff.
        level: ``"error"`` blocks publishing; ``"warning"`` should be looked at.
    """

    file: str
    key: str
    message: str
    level: Level = "error"

    def __str__(self) -> str:
        where = f"{self.file} [{self.key}]" if self.key else self.file
        return f"{self.level.upper()}: {where}: {self.message}"


@dataclass(frozen=True)
class LanguageContent:
    """Valid entries of one language; an entry that failed validation is absent."""

    scam_types: dict[str, ScamType] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    contacts: dict[str, ContactText] = field(default_factory=dict)
    signals: dict[str, SignalText] = field(default_factory=dict)
    verdicts: dict[str, VerdictText] = field(default_factory=dict)
    job_check: JobCheck | None = None
    """None when ``job_check.yml`` is missing or invalid."""
    quizzes: dict[str, Quiz] = field(default_factory=dict)


@dataclass(frozen=True)
class ContentTree:
    """Everything read from a content root.

    Attributes:
        contacts: Valid contact facts in file order.
        languages: Valid entries per language.
        keys: For each file that exists (relative path), the keys it holds, valid or not;
            for ``job_check.yml`` the dotted id paths of `content.schema.job_check_paths`, for
            ``quizzes.yml`` those of `content.quiz.quiz_paths`.
    """

    contacts: dict[str, Contact]
    languages: dict[str, LanguageContent]
    keys: dict[str, tuple[str, ...]]


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (plain PyYAML keeps the last one silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_mapping(path: Path, rel: str, problems: list[Problem]) -> dict[str, Any] | None:
    """Parse a YAML file whose top level must be a mapping with string keys."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(rel, "", "the file is not UTF-8 text"))
        return None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(rel, "", f"YAML error{where}: {what}"))
        return None
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(rel, "", "the file must be a mapping of key: entry"))
        return None
    bad = [k for k in data if not isinstance(k, str)]
    for key in bad:
        problems.append(Problem(rel, str(key), "keys must be text (letters, digits, _)"))
    return {k: v for k, v in data.items() if isinstance(k, str)}


def _describe(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown field (check the spelling)"
    if kind == "missing":
        return "missing field"
    if kind == "string_type" and isinstance(error.get("input"), bool):
        # YAML reads yes/no/on/off/true/false as a yes-or-no value, not as text.
        return "put this text in quotes: YAML reads yes, no, on and off as true/false"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _report(exc: ValidationError, rel: str, prefix: str, problems: list[Problem]) -> None:
    for error in exc.errors():
        where = ".".join(str(part) for part in (prefix, *error["loc"]) if part != "")
        problems.append(Problem(rel, where, _describe(error)))


def _validate_entries(data: dict[str, Any], model: type[M], rel: str, problems: list[Problem]) -> dict[str, M]:
    entries: dict[str, M] = {}
    for key, value in data.items():
        try:
            entries[key] = model.model_validate(value)
        except ValidationError as exc:
            _report(exc, rel, key, problems)
    return entries


def load_tree(root: Path, languages: tuple[str, ...]) -> tuple[ContentTree, list[Problem]]:
    """Read and validate every content file under ``root``.

    Missing files are not reported here (the catalogue falls back to English, the check
    reports them); everything else wrong is returned as a Problem.

    Args:
        root: The content folder holding ``contacts.yml`` and one folder per language.
        languages: Language folders to read.

    Returns:
        The valid content, and the problems found.
    """
    problems: list[Problem] = []
    keys: dict[str, tuple[str, ...]] = {}

    def read(rel: str, model: type[M], paths: Callable[[dict[str, Any]], tuple[str, ...]] = tuple) -> dict[str, M]:
        path = root / rel
        if not path.is_file():
            return {}
        data = _read_mapping(path, rel, problems)
        if data is None:
            return {}
        keys[rel] = paths(data)
        return _validate_entries(data, model, rel, problems)

    def read_job_check(rel: str) -> JobCheck | None:
        # One model for the whole file: its top level holds different kinds of fields.
        path = root / rel
        if not path.is_file():
            return None
        data = _read_mapping(path, rel, problems)
        if data is None:
            return None
        keys[rel] = job_check_paths(data)
        try:
            return JobCheck.model_validate(data)
        except ValidationError as exc:
            _report(exc, rel, "", problems)
            return None

    contacts = read(CONTACTS_FILE, Contact)
    per_language = {
        lang: LanguageContent(
            scam_types=read(f"{lang}/{SCAM_TYPES_FILE}", ScamType),
            articles=read(f"{lang}/{ARTICLES_FILE}", Article),
            contacts=read(f"{lang}/{CONTACTS_FILE}", ContactText),
            signals=read(f"{lang}/{SIGNALS_FILE}", SignalText),
            verdicts=read(f"{lang}/{VERDICTS_FILE}", VerdictText),
            job_check=read_job_check(f"{lang}/{JOB_CHECK_FILE}"),
            quizzes=read(f"{lang}/{QUIZZES_FILE}", Quiz, quiz_paths),
        )
        for lang in languages
    }
    return ContentTree(contacts=contacts, languages=per_language, keys=keys), problems


def watched_files(root: Path, languages: tuple[str, ...]) -> list[Path]:
    """The files whose changes trigger a reload."""
    return [root / CONTACTS_FILE] + [root / lang / name for lang in languages for name in LANGUAGE_FILES]
