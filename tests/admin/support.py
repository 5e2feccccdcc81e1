"""Helpers for console tests: a logged-in HTTP client over the real application."""

from __future__ import annotations

import re

import httpx

from admin.security import hash_password
from storage.staff import StaffRepository

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

# argon2 is deliberately slow; hash the shared test password once.
_HASH = hash_password(PASSWORD)


def csrf_from(html: str) -> str:
    """The CSRF token in a page's form."""
    match = _CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


async def add_staff(staff: StaffRepository, username: str, role: str, *, telegram_id: int | None = None) -> None:
    """An account with the shared test password."""
    await staff.add(username, _HASH, role, telegram_id=telegram_id, actor="test")


async def log_in(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> httpx.Response:
    """Logs in through the login form, as a browser would."""
    page = await client.get("/login")
    return await client.post(
        "/login", data={"username": username, "password": password, "csrf_token": csrf_from(page.text), "next": "/"}
    )


async def post_form(client: httpx.AsyncClient, path: str, data: dict[str, str], *, form_page: str) -> httpx.Response:
    """Submits a form found on ``form_page`` (its CSRF token included), like a browser."""
    page = await client.get(form_page)
    return await client.post(path, data={**data, "csrf_token": csrf_from(page.text)})
