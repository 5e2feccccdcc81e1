"""Text normalisation for matching: one canonical form that scammers' tricks cannot dodge.

Scam texts hide keywords and links behind look-alike letters (Cyrillic ``а`` for Latin
``a``), invisible characters, full-width forms and "defanged" links (``hxxp``, ``[.]``).
Everything downstream matches on :attr:`Normalised.match`; people are shown
:attr:`Normalised.display`, the original text (capped).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["MAX_CHARS", "Normalised", "clean_text", "fold_homoglyphs", "normalise"]

MAX_CHARS = 20_000

# Hangul fillers render as nothing and are used to split words in spam.
_INVISIBLE_EXTRA = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u180e", "\u17b4", "\u17b5"}
_HAS_INVISIBLE_EXTRA = re.compile("[" + "".join(sorted(_INVISIBLE_EXTRA)) + "]")
_KHMER_DIGITS = str.maketrans(
    "០១២៣៤៥៦៧៨៩\u2018\u2019\u201a\u201b\u2032\u00b4\u201c\u201d\u201e\u2033",
    "0123456789''''''\"\"\"\"",
)

# Top-level domains for repairing "example . com" style links: only ones that are not
# ordinary words, so "home. Today" is never glued into a domain.
_TLDS = (
    "com|net|org|info|xyz|top|vip|kh|kr|io|cc|ly|gl|ru|cn|th|vn|la|asia|icu|buzz|cyou|sbs|cfd|tk|ml|ga|cf|gq|pw|ws|biz"
)
_TLD_ALT = _TLDS + "|" + _TLDS.upper()
_DEFANG_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bh(?:xx|\*\*|XX|tt)p(s?)\b", re.IGNORECASE), r"http\1"),
    (re.compile(r"\[\s*(?:\.|dot)\s*\]|\(\s*(?:\.|dot)\s*\)|\{\s*(?:\.|dot)\s*\}", re.I), "."),
    (re.compile(r"\[\s*:\s*\]|\(\s*:\s*\)"), ":"),
    (re.compile(r"\[\s*/\s*\]"), "/"),
    (re.compile(r"(?<=[A-Za-z0-9])\s+(?:dot|DOT)\s+(?=(?:" + _TLD_ALT + r")\b)"), "."),
    (re.compile(r"(?<=[A-Za-z0-9-])\s*\.\s+(?=(?:" + _TLD_ALT + r")\b)"), "."),
    (re.compile(r"(?<=[A-Za-z0-9-])\s+\.\s*(?=(?:" + _TLD_ALT + r")\b)"), "."),
    (re.compile(r"\b(https?):\s*/\s*/\s*", re.IGNORECASE), r"\1://"),
)
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_LATIN_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Normalised:
    """A message in the forms the classifier needs.

    Attributes:
        display: The original text, capped at ``max_chars``; show this to people.
        match: Canonical text for matching: NFKC, invisibles removed, look-alike letters
            folded to ASCII in Latin words, lower-cased, defanged links restored.
        clean: Like ``match`` but with case and look-alike letters kept; entity
            extraction uses it (wallet addresses are case-sensitive, punycode must show).
        truncated: True when the input was longer than ``max_chars`` and was cut.
    """

    display: str
    match: str
    clean: str
    truncated: bool


def _is_invisible(ch: str) -> bool:
    if ch in _INVISIBLE_EXTRA:
        return True
    cat = unicodedata.category(ch)
    if cat == "Cf":
        return True
    return cat == "Cc" and ch not in "\n\t"


def _drop_invisible(text: str) -> str:
    """Remove invisible characters; most texts have none, which is checked at C speed first."""
    # isprintable() is False for every format (Cf) and control (Cc) character.
    if text.isprintable() and not _HAS_INVISIBLE_EXTRA.search(text):
        return text
    return "".join(ch for ch in text if not _is_invisible(ch))


def clean_text(text: str) -> str:
    """Apply NFKC, drop invisible characters, map Khmer digits, undo defanged links.

    Case and letters are kept, so the result can be used to extract entities.

    Args:
        text: Any string.

    Returns:
        The cleaned string (whitespace runs collapsed to one space, newlines kept).
    """
    text = _drop_invisible(unicodedata.normalize("NFKC", text))
    text = text.translate(_KHMER_DIGITS)
    text = _SPACES.sub(" ", text)
    for pattern, repl in _DEFANG_RULES:
        text = pattern.sub(repl, text)
    return text.strip()


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Map every non-ASCII letter that looks like an ASCII letter or digit to it."""
    from confusable_homoglyphs import categories, confusables

    table: dict[int, str] = {}
    for ch, glyphs in confusables.confusables_data.items():
        if len(ch) != 1 or ch.isascii():
            continue
        alias = categories.alias(ch)
        if alias in {"HANGUL", "KHMER", "CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "MYANMAR"}:
            continue
        for glyph in glyphs:
            target = glyph["c"]
            if len(target) == 1 and target.isascii() and target.isalnum():
                table[ord(ch)] = target.lower()
                break
    # Accented Latin letters fold to their base letter too (é -> e).
    return table


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    base = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", base)


def _latinish(ch: str, table: dict[int, str]) -> bool:
    return ch.isascii() or ord(ch) in table


def fold_homoglyphs(text: str) -> str:
    """Fold look-alike letters to ASCII inside words that are (otherwise) Latin.

    A word is folded when all its letters are ASCII or ASCII look-alikes and the text
    is mostly Latin, or when it mixes ASCII letters with look-alikes. Khmer, Hangul and
    genuinely Cyrillic/Greek text are left alone.

    Args:
        text: Text after :func:`clean_text`.

    Returns:
        The text with look-alike letters replaced.
    """
    table = _fold_table()
    words = _LATIN_WORD.findall(text)
    ascii_letters = sum(1 for w in words for c in w if c.isascii())
    total_letters = sum(len(w) for w in words) or 1
    mostly_latin = ascii_letters / total_letters >= 0.5

    def fold(m: re.Match[str]) -> str:
        word = m.group(0)
        if word.isascii():
            return word
        has_ascii = any(c.isascii() for c in word)
        if not all(_latinish(c, table) or _is_accented_latin(c) for c in word):
            return word
        if not (has_ascii or mostly_latin):
            return word
        return _strip_accents(word).translate(table)

    return _LATIN_WORD.sub(fold, text)


def _is_accented_latin(ch: str) -> bool:
    return "LATIN" in unicodedata.name(ch, "")


def normalise(text: str, *, max_chars: int = MAX_CHARS) -> Normalised:
    """Normalise a message for matching while keeping the original for display.

    Args:
        text: The message as received (any Unicode; ``None``-like values are not allowed).
        max_chars: Longer input is cut to this many characters and flagged.

    Returns:
        A :class:`Normalised` with display, match and clean forms.

    Raises:
        ValueError: If ``max_chars`` is not positive.
    """
    if max_chars <= 0:
        raise ValueError(f"max_chars must be positive, got {max_chars!r}")
    truncated = len(text) > max_chars
    display = text[:max_chars]
    # Surrogates cannot be encoded; replace them so nothing downstream trips on them.
    safe = display.encode("utf-8", "replace").decode("utf-8")
    clean = clean_text(safe)
    match = fold_homoglyphs(clean).lower()
    return Normalised(display=display, match=match, clean=clean, truncated=truncated)
