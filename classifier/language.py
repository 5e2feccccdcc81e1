"""Language of a message, guessed from its script: the bot answers in that language."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["LANGUAGES", "detect_language"]

LANGUAGES = ("km", "ko", "en", "other")

_LINKISH = re.compile(r"\S*(?:://|www\.|@)\S*|\S+\.(?:com|net|org|kh|kr|me|ly|io|co|xyz|top)\b\S*", re.I)
_WORD = re.compile(r"[a-z']+")
# Frequent English words (and SMS spellings): Latin text without them is another language.
_ENGLISH = frozenset(
    re.findall(
        r"\S+",
        "the a an to of and in on at for is are was be been it this that you your u ur i me my we our "
        "he she they them his her not no yes do does did have has had will can could would should "
        "please call now get got just so what when where how if or but with from by as up out all "
        "there here about know like go going come thanks thank ok im dont pls txt text reply free "
        "win won send account bank click verify new today tomorrow time day week love see more than then "
        "good night morning take care fine lol haha cool happy",
    )
)


def _script(ch: str) -> str | None:
    cp = ord(ch)
    if 0x1780 <= cp <= 0x17FF or 0x19E0 <= cp <= 0x19FF:
        return "km"
    if 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F:
        return "ko"
    if ch.isascii():
        return "en" if ch.isalpha() else None
    if ch.isalpha():
        return "other"
    return None


def detect_language(text: str) -> str:
    """Return ``"km"``, ``"ko"``, ``"en"`` or ``"other"`` from the letters used.

    Khmer or Hangul win when they make up at least a fifth of the letters, because
    scam texts in those languages are full of Latin links, brand names and codes.
    Latin text is English when it uses common English words; other scripts (Thai, Chinese, Cyrillic...) are
    ``"other"``. Text without letters is ``"other"``.

    Args:
        text: Any text.

    Returns:
        One of :data:`LANGUAGES`.
    """
    text = _LINKISH.sub(" ", text[:5000])
    counts = {"km": 0, "ko": 0, "en": 0, "other": 0}
    accented = 0
    for ch in text:
        script = _script(ch)
        if script is not None:
            counts[script] += 1
            if script == "other" and "LATIN" in unicodedata.name(ch, ""):
                accented += 1
    total = sum(counts.values())
    if total == 0:
        return "other"
    for lang in ("km", "ko"):
        if counts[lang] / total >= 0.2:
            return lang
    # Latin text with many accented letters (Vietnamese, ...) is not English.
    latin = counts["en"] + accented
    if latin >= counts["other"] - accented and accented / max(latin, 1) < 0.15:
        words = _WORD.findall(text.lower())
        if len(words) >= 6 and sum(w in _ENGLISH for w in words) / len(words) < 0.05:
            return "other"  # Latin script, but not English (Indonesian, Spanish, ...)
        return "en"
    return "other"
