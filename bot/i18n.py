"""UI strings in Khmer, Korean and English, keyed by id with named placeholders.

Catalogues live in `bot/locales/<lang>.yml`, plus one `bot/locales/<journey>.<lang>.yml` per
journey that keeps its strings apart, as nested mappings; a key is the dotted path ("menu.learn").
A key defined in two files is an error. A test checks that every language has the same keys and
placeholders.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from pathlib import Path

import yaml

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("km", "ko", "en")
DEFAULT_LANGUAGE = "en"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"


def flatten(tree: Mapping[str, object], prefix: str = "") -> dict[str, str]:
    """Turns nested mappings into {"a.b": "text"}."""
    flat: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{path}."))
        else:
            flat[path] = str(value)
    return flat


def placeholders(template: str) -> set[str]:
    """Names used as {name} in a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def load_catalogue(lang: str, directory: Path = LOCALES_DIR) -> dict[str, str]:
    """Merges `<lang>.yml` with every `<journey>.<lang>.yml`; a key may be defined only once."""
    merged: dict[str, str] = {}
    for path in [directory / f"{lang}.yml", *sorted(directory.glob(f"*.{lang}.yml"))]:
        strings = flatten(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        if twice := sorted(merged.keys() & strings.keys()):
            raise ValueError(f"{path.name} defines keys already defined elsewhere: {', '.join(twice)}")
        merged.update(strings)
    return merged


def load_catalogues(directory: Path = LOCALES_DIR) -> dict[str, dict[str, str]]:
    """Reads every language's catalogue."""
    return {lang: load_catalogue(lang, directory) for lang in LANGUAGES}


class Translator:
    """Looks up UI strings; a missing key falls back to English, then to the key itself."""

    def __init__(self, catalogues: Mapping[str, Mapping[str, str]]) -> None:
        self._catalogues = catalogues

    @classmethod
    def from_directory(cls, directory: Path = LOCALES_DIR) -> Translator:
        """Loads the catalogues shipped with the bot."""
        return cls(load_catalogues(directory))

    def __call__(self, lang: str, key: str, /, **params: object) -> str:
        """Returns the text for `key` in `lang` with placeholders filled."""
        template = self._catalogues.get(lang, {}).get(key)
        if template is None:
            log.warning("missing UI string %s for %s", key, lang)
            template = self._catalogues[DEFAULT_LANGUAGE].get(key, key)
        try:
            return template.format_map(params) if params else template
        except (KeyError, IndexError, ValueError):
            log.error("bad placeholders in UI string %s for %s", key, lang)
            return template
