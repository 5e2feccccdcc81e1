"""Language of a message, guessed from its script: the bot answers in that language."""

from __future__ import annotations

__all__ = ["LANGUAGES", "detect_language"]

LANGUAGES = ("km", "ko", "en", "other")


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
    Latin text is taken as English; other scripts (Thai, Chinese, Cyrillic...) are
    ``"other"``. Text without letters is ``"other"``.

    Args:
        text: Any text.

    Returns:
        One of :data:`LANGUAGES`.
    """
    counts = {"km": 0, "ko": 0, "en": 0, "other": 0}
    for ch in text[:5000]:
        script = _script(ch)
        if script is not None:
            counts[script] += 1
    total = sum(counts.values())
    if total == 0:
        return "other"
    for lang in ("km", "ko"):
        if counts[lang] / total >= 0.2:
            return lang
    return "en" if counts["en"] >= counts["other"] else "other"
