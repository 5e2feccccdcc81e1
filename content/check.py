"""The content check staff run before publishing (``scambot content check``).

It reports everything at once: schema errors, keys that differ between languages or
from the ids the code needs (scam types, articles, signals, verdicts, job-check
questions, options, flags and risk levels, quizzes), contacts without text (and text without a
contact), texts too long for their place on screen, and phone numbers written into the
text that do not come from a confirmed entry of ``contacts.yml``; an invented or
unverified number in public text is the most harmful mistake this content can make.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TextIO

import phonenumbers
from pydantic import BaseModel

from content.catalogue import DEFAULT_ROOT
from content.loader import (
    ARTICLES_FILE,
    CONTACTS_FILE,
    JOB_CHECK_FILE,
    LANGUAGE_FILES,
    QUIZZES_FILE,
    SCAM_TYPES_FILE,
    SIGNALS_FILE,
    VERDICTS_FILE,
    ContentTree,
    Problem,
    load_tree,
)
from content.quiz_check import quiz_problems
from content.schema import (
    ARTICLE_KEYS,
    JOB_CHECK_KEYS,
    LANGUAGES,
    SCAM_TYPE_KEYS,
    SIGNAL_IDS,
    VERDICT_KEYS,
    Contact,
    parse_phone,
)

__all__ = ["MAX_RENDERED_CHARS", "TEXT_LIMITS", "Problem", "check_content", "display_width", "main"]

MAX_RENDERED_CHARS = 1500
"""A scam type or article longer than this, rendered, gets a warning (one Telegram screen)."""

TEXT_LIMITS: dict[str, tuple[tuple[str, int], ...]] = {
    SIGNALS_FILE: (("*.title", 45), ("*.explanation", 150)),
    VERDICTS_FILE: (("*.title", 45), ("*.advice.*", 150)),
    JOB_CHECK_FILE: (
        ("skip", 16),
        ("questions.*.options.*", 40),
        ("questions.*.question", 120),
        ("flags.*", 200),
        ("risk.*.title", 50),
        ("risk.*.advice.*", 150),
        ("*", 250),
    ),
    QUIZZES_FILE: (
        ("*.title", 45),
        ("*.questions.*.options.*.text", 120),
        ("*.questions.*.question", 300),
        ("*.questions.*.explanation", 300),
    ),
}
"""Per file, (field pattern, widest `display_width`) pairs, the first match applying; a
wider text gets a warning. Option labels are buttons, and wider ones get cut off."""

_KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")
# A run of digits with phone separators, 7+ digits; "." is left out so that dates such
# as "2025. 10. 16." are not taken for numbers.
_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z+])\+?[0-9][0-9 \-()]{5,20}[0-9](?![0-9A-Za-z])")
_SHORT_NUMBER = re.compile(r"(?<![0-9A-Za-z.,:/$₩€£+\-])[0-9]{3,4}(?![0-9A-Za-z:/%$\-]|[.,][0-9])")
_NOT_PHONE = (
    re.compile(r"^(19|20)[0-9]{2} ?- ?(19|20)[0-9]{2}$"),  # year range 2023-2025
    re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),  # ISO date
)
# Words after a number that make it an amount or a count, not a phone number.
_UNIT_AFTER = re.compile(
    r"^\s?(dollars?|usd[tc]?|riels?|won|people|persons?|victims?|cases?|km|days?|hours?|years?|"
    r"months?|minutes?|times|compounds?|만|천|억|원|명|개|건|년|월|일|시|분|달러|"
    r"ដុល្លារ|រៀល|នាក់|ឆ្នាំ|ខែ|ថ្ងៃ|ម៉ោង|ករណី)",
    re.IGNORECASE,
)


def check_content(root: Path, languages: Sequence[str] = LANGUAGES) -> list[Problem]:
    """Check a content folder and return every problem found.

    Args:
        root: Folder holding ``contacts.yml`` and one folder per language.
        languages: Languages that must all be present and complete.

    Returns:
        Problems, errors and warnings, in file order; empty when all is well.
    """
    langs = tuple(languages)
    tree, problems = load_tree(root, langs)
    problems.extend(_missing_files(root, langs))
    problems.extend(_key_problems(tree, langs))
    problems.extend(_number_problems(tree, langs))
    problems.extend(_length_problems(tree, langs))
    problems.extend(_width_problems(tree, langs))
    problems.extend(_job_check_problems(tree, langs))
    problems.extend(quiz_problems(tree, langs))
    order = {name: i for i, name in enumerate(_file_order(langs))}
    return sorted(problems, key=lambda p: order.get(p.file, len(order)))


def _file_order(langs: tuple[str, ...]) -> list[str]:
    return [CONTACTS_FILE] + [f"{lang}/{name}" for lang in langs for name in LANGUAGE_FILES]


def _missing_files(root: Path, langs: tuple[str, ...]) -> list[Problem]:
    return [Problem(rel, "", "the file is missing") for rel in _file_order(langs) if not (root / rel).is_file()]


def _key_problems(tree: ContentTree, langs: tuple[str, ...]) -> list[Problem]:
    """Same keys everywhere: the ids fixed by the schema, and the contact ids.

    A key inside a missing or extra one (an option of a missing question) is not
    reported again.
    """
    problems: list[Problem] = []
    contact_ids = tree.keys.get(CONTACTS_FILE, ())
    expected = {
        SCAM_TYPES_FILE: (SCAM_TYPE_KEYS, "the schema"),
        ARTICLES_FILE: (ARTICLE_KEYS, "the schema"),
        CONTACTS_FILE: (contact_ids, CONTACTS_FILE),
        SIGNALS_FILE: (SIGNAL_IDS, "the schema"),
        VERDICTS_FILE: (VERDICT_KEYS, "the schema"),
        JOB_CHECK_FILE: (JOB_CHECK_KEYS, "the schema"),
    }
    for name, (wanted, authority) in expected.items():
        if name == CONTACTS_FILE and CONTACTS_FILE not in tree.keys:
            continue  # without the facts file there is nothing to compare with
        files = {lang: f"{lang}/{name}" for lang in langs}
        present = {lang: tree.keys.get(rel) for lang, rel in files.items()}
        for lang, rel in files.items():
            keys = present[lang]
            if keys is None:
                continue  # missing or unreadable file: reported already
            missing = [key for key in wanted if key not in keys]
            for key in _outermost(missing):
                has = [other for other in langs if key in (present[other] or ())]
                found = f" (present in {', '.join(has)})" if has else ""
                problems.append(Problem(rel, key, f"missing key{found}"))
            extra = [key for key in keys if key not in wanted]
            for key in _outermost(extra):
                problems.append(Problem(rel, key, f"extra key: not in {authority}"))
    return problems


def _outermost(keys: list[str]) -> list[str]:
    """Drop the dotted keys that lie inside another key of the list."""
    listed = set(keys)
    return [key for key in keys if not any(key[:i] in listed for i, ch in enumerate(key) if ch == ".")]


def _texts(value: object, path: str = "") -> Iterable[tuple[str, str]]:
    """(field path, text) for every string in a content entry, however nested."""
    if isinstance(value, str):
        yield path, value
        return
    if isinstance(value, BaseModel):
        items: Iterable[tuple[object, object]] = iter(value)
    elif isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for name, item in items:
        yield from _texts(item, f"{path}.{name}" if path else str(name))


def _entries(tree: ContentTree, lang: str) -> Iterable[tuple[str, str, BaseModel]]:
    """(file, key, entry) for every valid entry of a language; job_check is one entry, key ""."""
    content = tree.languages[lang]
    for name, entries in (
        (SCAM_TYPES_FILE, content.scam_types),
        (ARTICLES_FILE, content.articles),
        (CONTACTS_FILE, content.contacts),
        (SIGNALS_FILE, content.signals),
        (VERDICTS_FILE, content.verdicts),
        (QUIZZES_FILE, content.quizzes),
    ):
        for key, model in entries.items():
            yield f"{lang}/{name}", key, model
    if content.job_check is not None:
        yield f"{lang}/{JOB_CHECK_FILE}", "", content.job_check


def _known_numbers(contacts: dict[str, Contact]) -> tuple[dict[str, str], dict[str, str]]:
    """Numbers of confirmed contacts and of to_verify ones, normalised, mapped to an id."""
    confirmed: dict[str, str] = {}
    unverified: dict[str, str] = {}
    for contact_id, contact in contacts.items():
        target = confirmed if contact.status == "confirmed" else unverified
        for raw in (contact.phone, contact.telegram):
            if raw is None or raw.startswith("@"):
                continue
            key = _normalise(raw, (contact.country,))
            if key is not None:
                target.setdefault(key, contact_id)
    return confirmed, unverified


def _normalise(raw: str, regions: Iterable[str]) -> str | None:
    """E.164 for a full number ("+855979117117"), the digits for a short code."""
    for region in regions:
        try:
            number = parse_phone(raw, region)
        except ValueError:
            continue
        if number is None:
            return re.sub(r"\D", "", raw)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def _number_problems(tree: ContentTree, langs: tuple[str, ...]) -> list[Problem]:
    """Numbers in the text must be numbers of confirmed contacts."""
    confirmed, unverified = _known_numbers(tree.contacts)
    problems: list[Problem] = []
    for lang in langs:
        for rel, key, model in _entries(tree, lang):
            for path, text in _texts(model):
                where = f"{key}.{path}" if key else path
                for message, level in _scan(text, confirmed, unverified):
                    problems.append(Problem(rel, where, message, level))
    return problems


def _scan(text: str, confirmed: dict[str, str], unverified: dict[str, str]) -> Iterable[tuple[str, str]]:
    plain = text.translate(_KHMER_DIGITS)
    spans: list[tuple[int, int]] = []
    for match in _LONG_NUMBER.finditer(plain):
        candidate = match.group().strip()
        digits = re.sub(r"\D", "", candidate)
        if not 7 <= len(digits) <= 15 or any(p.match(candidate) for p in _NOT_PHONE):
            continue
        spans.append(match.span())
        yield from _judge(candidate, ("KH", "KR"), confirmed, unverified, "error")
    for match in _SHORT_NUMBER.finditer(plain):
        if any(start <= match.start() < end for start, end in spans):
            continue
        candidate = match.group()
        if 1900 <= int(candidate) <= 2099 or _UNIT_AFTER.match(plain[match.end() :]):
            continue
        yield from _judge(candidate, ("KH",), confirmed, unverified, "warning")


def _judge(
    candidate: str,
    regions: tuple[str, ...],
    confirmed: dict[str, str],
    unverified: dict[str, str],
    unknown_level: str,
) -> Iterable[tuple[str, str]]:
    keys = {k for r in regions if (k := _normalise(candidate, (r,))) is not None}
    if not keys:
        keys = {re.sub(r"\D", "", candidate)}
    if keys & confirmed.keys():
        return
    if hit := keys & unverified.keys():
        contact_id = unverified[min(hit)]
        yield (
            f"{candidate!r} belongs to {contact_id}, which is not confirmed: it must not appear in public text",
            "error",
        )
        return
    yield (
        f"{candidate!r} looks like a phone number that is not in {CONTACTS_FILE}; "
        "numbers in the text must come from confirmed contacts "
        "(use a fake like +855 XX XXX XXX in examples)",
        unknown_level,
    )


def rendered_length(model: BaseModel) -> int:
    """Approximate length of an entry as one message (text plus bullets and line breaks)."""
    return sum(len(text) + 3 for _, text in _texts(model))


def _length_problems(tree: ContentTree, langs: tuple[str, ...]) -> list[Problem]:
    problems: list[Problem] = []
    for lang in langs:
        content = tree.languages[lang]
        for name, entries in ((SCAM_TYPES_FILE, content.scam_types), (ARTICLES_FILE, content.articles)):
            for key, model in entries.items():
                size = rendered_length(model)
                if size > MAX_RENDERED_CHARS:
                    problems.append(
                        Problem(
                            f"{lang}/{name}",
                            key,
                            f"about {size} characters when shown; keep it under "
                            f"{MAX_RENDERED_CHARS} so it fits one screen",
                            "warning",
                        )
                    )
    return problems


def display_width(text: str) -> int:
    """About how many Latin letters wide ``text`` is on screen.

    Khmer vowel signs above or below a letter and subscript consonants take no width of
    their own; Hangul and other wide characters count twice. A plain ``len`` would make
    Khmer look far longer than it is.
    """
    width = 0
    after_coeng = False
    for ch in text:
        if after_coeng:  # the consonant after KHMER SIGN COENG is written below
            after_coeng = False
            continue
        if ch == "\u17d2":
            after_coeng = True
            continue
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _width_problems(tree: ContentTree, langs: tuple[str, ...]) -> list[Problem]:
    """Texts wider than their place on screen (see `TEXT_LIMITS`)."""
    problems: list[Problem] = []
    for lang in langs:
        for rel, key, model in _entries(tree, lang):
            limits = TEXT_LIMITS.get(rel.split("/", 1)[1], ())
            for path, text in _texts(model):
                where = f"{key}.{path}" if key else path
                limit = next((most for pattern, most in limits if fnmatchcase(where, pattern)), None)
                if limit is not None and (width := display_width(text)) > limit:
                    problems.append(
                        Problem(rel, where, f"about {width} letters wide; keep it under {limit}", "warning")
                    )
    return problems


def _job_check_problems(tree: ContentTree, langs: tuple[str, ...]) -> list[Problem]:
    """Job-check texts that point at other texts must name them as they are now."""
    problems: list[Problem] = []
    for lang in langs:
        content = tree.languages[lang]
        job = content.job_check
        if job is None:
            continue
        rel = f"{lang}/{JOB_CHECK_FILE}"
        if job.skip.casefold() not in job.paste_offer.casefold():
            message = f"does not mention the Skip button as it is labelled: {job.skip!r}"
            problems.append(Problem(rel, "paste_offer", message, "warning"))
        article = content.articles.get("legal_work_routes")
        if article is None:
            continue
        for level, risk in job.risk.items():
            if not any(article.title.casefold() in line.casefold() for line in risk.advice):
                problems.append(
                    Problem(
                        rel,
                        f"risk.{level}.advice",
                        f"does not name the legal routes article by its title {article.title!r}",
                        "warning",
                    )
                )
    return problems


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Print the problems in a content folder; return the process exit code.

    Args:
        argv: Command-line arguments: ``[ROOT] [--strict]``; ROOT defaults to the
            project's content folder. ``--strict`` fails on warnings too.
        out: Where to print (standard output by default).

    Returns:
        0 if there are no errors (and no warnings with ``--strict``), else 1.
    """
    stream = out if out is not None else sys.stdout
    parser = argparse.ArgumentParser(prog="scambot content check", description=__doc__)
    parser.add_argument("root", nargs="?", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"ERROR: {args.root} is not a folder", file=stream)
        return 1
    problems = check_content(args.root)
    for problem in problems:
        print(problem, file=stream)
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    print(f"{errors} error(s), {warnings} warning(s) in {args.root}", file=stream)
    failed = errors > 0 or (args.strict and warnings > 0)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
