"""Who is staff in Telegram, and with which role: the console's accounts linked to a Telegram id,
plus the STAFF_IDS allow-list (admins, for bootstrapping before any account exists)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from storage.staff import StaffRepository

log = logging.getLogger(__name__)

#: Seconds between two reads of the staff accounts; a disabled account loses its powers within this.
REFRESH_INTERVAL = 10.0


class StaffRoles:
    """Roles by Telegram user id, read from memory so that a handler never waits on the database.

    The bot calls `refresh` every `REFRESH_INTERVAL` seconds.
    """

    def __init__(self, staff: StaffRepository, staff_ids: Iterable[int] = ()) -> None:
        self._staff = staff
        self._admins = frozenset(staff_ids)
        self._linked: dict[int, str] = {}

    def role_of(self, user_id: int) -> str | None:
        """ "admin", "editor" or "analyst", or None for everyone else (and for disabled accounts)."""
        if user_id in self._admins:
            return "admin"
        return self._linked.get(user_id)

    async def refresh(self) -> None:
        """Reads the active accounts that have a linked Telegram id."""
        accounts = await self._staff.list()
        self._linked = {a.telegram_id: a.role for a in accounts if a.active and a.telegram_id is not None}
