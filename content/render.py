"""Turns content into the Telegram HTML the bot sends, and the buttons under it.

Pure functions, content in and text out, shared by the bot's handlers and the staff
console's preview, so staff see exactly what the public will.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from content.catalogue import PublicContact
    from content.schema import Article, ScamType


class Translate(Protocol):
    """Looks up a UI string: `t(lang, "menu.learn", name="Sok")`."""

    def __call__(self, lang: str, key: str, /, **params: object) -> str: ...


Buttons = tuple[tuple[tuple[str, str], ...], ...]
"""Rows of (UI string key, callback data): an inline keyboard as data."""

AFTER_ARTICLE_BUTTONS: Buttons = (
    (("menu.check", "check:start"), ("menu.report", "report:start")),
    (("learn.more_topics", "learn:menu"), ("common.menu", "menu:main")),
)
"""Under a scam type or an article: check something, report, more topics, menu."""


def escape(text: str) -> str:
    """Escapes text for Telegram HTML: only <, > and & need it (quotes stay readable)."""
    return html.escape(text, quote=False)


def bullets(items: Iterable[str]) -> str:
    """One "• item" line per item, escaped."""
    return "\n".join(f"• {escape(item)}" for item in items)


def scam_type_text(t: Translate, lang: str, scam: ScamType) -> str:
    """A whole scam-type article: how it works, signs, an example, what to do."""
    return "\n\n".join(
        [
            f"<b>{escape(scam.title)}</b>\n{escape(scam.summary)}",
            f"<b>{escape(t(lang, 'learn.how_it_works'))}</b>\n{escape(scam.how_it_works)}",
            f"<b>{escape(t(lang, 'learn.warning_signs'))}</b>\n{bullets(scam.warning_signs)}",
            f"<b>{escape(t(lang, 'learn.example'))}</b>\n<i>{escape(scam.example)}</i>",
            f"<b>{escape(t(lang, 'learn.what_to_do'))}</b>\n{bullets(scam.what_to_do)}",
        ]
    )


def article_text(article: Article) -> str:
    """A general article: title, body, steps."""
    parts = [f"<b>{escape(article.title)}</b>\n{escape(article.body)}"]
    if article.steps:
        parts.append(bullets(article.steps))
    return "\n\n".join(parts)


def contact_line(t: Translate, lang: str, contact: PublicContact) -> str:
    """One contact: name, how to reach it, hours, and the date of its source."""
    ways = [escape(w) for w in (contact.phone, contact.telegram and f"Telegram {contact.telegram}", contact.url) if w]
    line = f"• <b>{escape(contact.name)}</b>" + (f": {' · '.join(ways)}" if ways else "")  # an app has no number
    if contact.hours:
        line += f" ({escape(contact.hours)})"
    line += f"\n  {escape(contact.description)}"
    if contact.source_date:
        line += f" <i>{escape(t(lang, 'contacts.source_date', date=str(contact.source_date)))}</i>"
    return line


def contacts_text(t: Translate, lang: str, contacts: Iterable[PublicContact]) -> str:
    """Contacts block with a title; says so plainly when there is none to show."""
    lines = [contact_line(t, lang, c) for c in contacts]
    if not lines:
        return escape(t(lang, "contacts.none"))
    return f"<b>{escape(t(lang, 'contacts.title'))}</b>\n" + "\n".join(lines)


def button_labels(t: Translate, lang: str, buttons: Buttons) -> list[list[tuple[str, str]]]:
    """The rows of (label, callback data) as the user sees them in ``lang``."""
    return [[(t(lang, key), data) for key, data in row] for row in buttons]
