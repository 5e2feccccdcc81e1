"""Logging set-up: one line per event, and reporters' numbers masked even if a library logs them."""

from __future__ import annotations

import logging
import re

# Digit runs that may be a phone or account number (spaces and dashes allowed).
_DIGITS = re.compile(r"(?<![\w.])\+?\d[\d \-]{5,}\d(?![\w.])")


#: Dates ("2025-10-28") are not personal: keep them.
_DATE = re.compile(r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])")
#: What stands right before a case number's digits ("KH-2026-000123").
_CASE_PREFIX = re.compile(r"(?<![A-Za-z])[A-Z]{2}-$")


def _looks_personal(run: str) -> bool:
    """Phone and account numbers: "+…", a leading 0, separators, or 11+ digits.

    Plain runs of up to 10 digits without those marks are Telegram update and user ids,
    which the logs keep so operators can trace an error.
    """
    if _DATE.fullmatch(run):
        return False
    digits = re.sub(r"\D", "", run)
    return run.startswith(("+", "0")) or len(digits) != len(run) or len(digits) >= 11


def redact(text: str) -> str:
    """Masks phone and account numbers, keeping the last two digits for correlation.

    Case numbers (two capitals and a dash before the digits) and dates stay readable.
    """

    def mask(m: re.Match[str]) -> str:
        run = m.group()
        if _CASE_PREFIX.search(text[max(0, m.start() - 3) : m.start()]) or not _looks_personal(run):
            return run
        return "•••" + re.sub(r"\D", "", run)[-2:]

    return _DIGITS.sub(mask, text)


class RedactingFilter(logging.Filter):
    """Applies `redact` to every log message after formatting its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def configure_logging(level: str = "INFO") -> None:
    """Configures the root logger once; quiets chatty libraries."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "telegram.ext.Application", "aiosqlite", "apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
