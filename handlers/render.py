"""Turns content into Telegram HTML: the pure text-building lives in `content.render`, shared
with the staff console's preview; re-exported here for the handlers."""

from __future__ import annotations

from content.render import article_text, bullets, contact_line, contacts_text, escape, scam_type_text

__all__ = ["article_text", "bullets", "contact_line", "contacts_text", "escape", "scam_type_text"]
