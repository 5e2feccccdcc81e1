"""UI catalogues: identical keys and placeholders in km, ko and en; every key the code uses exists."""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import pytest

from bot.app import COMMANDS
from bot.i18n import LANGUAGES, Translator, flatten, load_catalogues, placeholders
from bot.settings import PROJECT_ROOT
from handlers.language import choose_language, script_language, telegram_language
from handlers.menu import MENU_ITEMS
from tests.bot.support import letters

CATALOGUES = load_catalogues()
SOURCES = sorted([*(PROJECT_ROOT / "handlers").glob("*.py"), *(PROJECT_ROOT / "bot").glob("*.py")])
#: `t(lang, "menu.learn"` and `services.t(context.lang, "error.generic"`, also with f-strings.
T_CALL = re.compile(r"""\bt\(\s*[\w.]+\s*,\s*(f?)(["'])([^"']+)\2""")


def keys_used_in_code() -> tuple[set[str], set[str]]:
    """Literal keys and f-string key patterns passed to a translator anywhere in handlers/ and bot/."""
    literal: set[str] = set()
    patterns: set[str] = set()
    for path in SOURCES:
        for is_f, _, key in T_CALL.findall(path.read_text(encoding="utf-8")):
            (patterns if is_f else literal).add(key)
    return literal, patterns


def dotted_literals(path: Path, sections: set[str]) -> set[str]:
    """String constants shaped like a catalogue key ("section.name") in one source file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        value = node.value if isinstance(node, ast.Constant) else None
        if isinstance(value, str) and re.fullmatch(r"[a-z_]+\.[a-z_]+", value) and value.split(".")[0] in sections:
            found.add(value)
    return found


def test_every_language_has_the_same_keys() -> None:
    english = set(CATALOGUES["en"])

    for lang in LANGUAGES:
        assert set(CATALOGUES[lang]) == english, lang


@pytest.mark.parametrize("lang", ["km", "ko"])
def test_placeholders_match_english(lang: str) -> None:
    for key, english in CATALOGUES["en"].items():
        assert placeholders(CATALOGUES[lang][key]) == placeholders(english), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_string_is_empty_and_each_is_in_its_own_script(lang: str) -> None:
    for key, text in CATALOGUES[lang].items():
        assert text.strip(), key
        counts = letters(re.sub(r"\{[^}]*\}", "", text))  # placeholder names are not prose
        if sum(counts.values()):
            assert max(counts, key=counts.__getitem__) == lang, f"{lang}:{key} reads like another language: {text}"


def test_the_grep_finds_the_keys_in_the_code() -> None:
    literal, patterns = keys_used_in_code()

    assert {"error.generic", "start.welcome", "learn.unsure", "language.set"} <= literal
    assert "chat.{intent}" in patterns


def test_every_key_used_in_the_code_exists() -> None:
    literal, patterns = keys_used_in_code()
    keys = set(CATALOGUES["en"])

    assert literal - keys == set()
    for pattern in patterns:
        regex = re.compile(re.sub(r"\\\{[^}]*\\\}", "[a-z_]+", re.escape(pattern)))
        assert any(regex.fullmatch(k) for k in keys), pattern


def test_every_key_shaped_constant_in_the_code_exists() -> None:
    """Keys passed indirectly (menus, command descriptions, button maps) must exist too."""
    keys = set(CATALOGUES["en"])
    sections = {k.split(".")[0] for k in keys}

    used = set().union(*(dotted_literals(path, sections) for path in SOURCES))

    assert {key for key, _ in MENU_ITEMS} <= used | keys
    assert {key for _, key in COMMANDS} <= keys
    assert used - keys == set()


def test_journey_files_merge_into_the_catalogue_and_may_not_redefine_keys(tmp_path: Path) -> None:
    for lang in LANGUAGES:
        (tmp_path / f"{lang}.yml").write_text("menu:\n  learn: Learn\n", encoding="utf-8")
        (tmp_path / f"quiz.{lang}.yml").write_text("quiz:\n  start: Start\n", encoding="utf-8")

    assert load_catalogues(tmp_path)["ko"] == {"menu.learn": "Learn", "quiz.start": "Start"}

    (tmp_path / "alerts.ko.yml").write_text("quiz:\n  start: Again\n", encoding="utf-8")
    with pytest.raises(ValueError, match="quiz.start"):
        load_catalogues(tmp_path)


def test_flatten_makes_dotted_keys() -> None:
    assert flatten({"a": {"b": "x", "c": {"d": 1}}, "e": "y"}) == {"a.b": "x", "a.c.d": "1", "e": "y"}


def test_placeholders_finds_names() -> None:
    assert placeholders("Hello {name}, {count} new") == {"name", "count"}
    assert placeholders("no placeholders {{literal}}") == set()


def test_translator_fills_placeholders_and_falls_back_to_english(caplog: pytest.LogCaptureFixture) -> None:
    t = Translator({"en": {"hi": "Hello {name}", "only_en": "English"}, "ko": {"hi": "{name}님 안녕하세요"}})

    assert t("ko", "hi", name="Dara") == "Dara님 안녕하세요"
    assert t("ko", "only_en") == "English"
    assert t("km", "hi", name="Sok") == "Hello Sok"
    assert t("en", "missing.key") == "missing.key"
    with caplog.at_level(logging.ERROR):
        assert t("en", "hi") == "Hello {name}"  # no params: the template as is
        assert t("en", "hi", other=1) == "Hello {name}"  # a missing name never raises
    assert any("bad placeholders" in r.getMessage() for r in caplog.records)


def test_real_translator_speaks_each_language() -> None:
    t = Translator.from_directory()

    assert t("en", "start.welcome", name="Dara").startswith("Hello Dara")
    assert "Dara" in t("km", "start.welcome", name="Dara")
    assert "Dara" in t("ko", "start.welcome", name="Dara")


# ---------------------------------------------------------------- choosing the language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("សួស្តី តើនេះជាការបោកប្រាស់ទេ", "km"),
        ("ការងារនៅកម្ពុជា", "km"),  # Khmer without spaces
        ("안녕하세요 이거 사기예요?", "ko"),
        ("ㅋㅋㅋ", "ko"),  # Hangul jamo
        ("hello is this a scam", None),
        ("job នៅភ្នំពេញ ប្រាក់ខែ $2000 ចេញថ្លៃសំបុត្រយន្តហោះ free", "km"),  # mixed, mostly Khmer
        ("텔레그램 job offer", "ko"),
        ("a 가", None),  # one Hangul letter is not enough
        ("12345 !!! 🙂", None),
        ("", None),
    ],
)
def test_script_language(text: str, expected: str | None) -> None:
    assert script_language(text) == expected


@pytest.mark.parametrize(
    ("code", "expected"), [("ko", "ko"), ("km-KH", "km"), ("EN-us", "en"), ("fr", None), ("", None), (None, None)]
)
def test_telegram_language(code: str | None, expected: str | None) -> None:
    assert telegram_language(code) == expected


def test_explicit_choice_wins_over_everything() -> None:
    assert choose_language(chosen="km", stored="ko", text="안녕하세요", telegram_code="en") == "km"


def test_script_wins_over_stored_and_telegram() -> None:
    assert choose_language(chosen=None, stored="en", text="សួស្តី", telegram_code="en") == "km"
    assert choose_language(chosen=None, stored="km", text="안녕하세요", telegram_code="km") == "ko"


def test_latin_text_keeps_the_stored_language() -> None:
    assert choose_language(chosen=None, stored="ko", text="hello", telegram_code="en") == "ko"


def test_telegram_setting_for_a_new_user() -> None:
    assert choose_language(chosen=None, stored=None, text="hello", telegram_code="km") == "km"
    assert choose_language(chosen=None, stored=None, text=None, telegram_code="ko-KR") == "ko"


def test_english_when_nothing_is_known() -> None:
    assert choose_language(chosen=None, stored=None, text=None, telegram_code=None) == "en"
    assert choose_language(chosen=None, stored=None, text="bonjour", telegram_code="fr") == "en"


def test_unsupported_values_are_ignored() -> None:
    assert choose_language(chosen="fr", stored="de", text=None, telegram_code="ko") == "ko"
