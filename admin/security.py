"""Passwords (argon2id) and CSRF tokens: the two secrets the console handles.

Passwords are hashed with argon2-cffi's defaults (argon2id, RFC 9106 low-memory profile);
a hash made with older parameters is upgraded at the next successful login. CSRF tokens
are synchronizer tokens: one random token per session, kept in the signed session cookie
and sent back in a hidden field of every form; Starlette has no CSRF support of its own,
and with SameSite=Strict cookies this small check is all that is needed.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
from collections.abc import MutableMapping
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 10
CSRF_FIELD = "csrf_token"
_CSRF_SESSION_KEY = "csrf"

_hasher = PasswordHasher()
# Checked when a username does not exist, so that the answer takes as long as for a real one.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def check_new_password(password: str) -> str | None:
    """Why a new password is not acceptable, or None when it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    if password.strip() != password:
        return "the password must not start or end with spaces"
    return None


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (PHC string, salt included)."""
    return _hasher.hash(password)


async def verify_password(password_hash: str | None, password: str) -> tuple[bool, str | None]:
    """Checks a password off the event loop (argon2 costs tens of milliseconds of CPU).

    Args:
        password_hash: The stored hash, or None for an unknown username (a dummy is checked).
        password: What the person typed.

    Returns:
        (matches, new_hash): ``new_hash`` is set when the stored hash should be upgraded.
    """

    def check() -> tuple[bool, str | None]:
        try:
            _hasher.verify(password_hash or _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return False, None
        if password_hash is None:
            return False, None
        return True, _hasher.hash(password) if _hasher.check_needs_rehash(password_hash) else None

    return await asyncio.to_thread(check)


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """This session's CSRF token, made on first use."""
    token = session.get(_CSRF_SESSION_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[_CSRF_SESSION_KEY] = token
    return token


def csrf_valid(session: MutableMapping[str, Any], sent: object) -> bool:
    """True when ``sent`` (the form field) is this session's token; compared in constant time."""
    expected = session.get(_CSRF_SESSION_KEY)
    return isinstance(expected, str) and isinstance(sent, str) and hmac.compare_digest(expected, sent)


def new_session(session: MutableMapping[str, Any]) -> None:
    """Empties the session and gives it a fresh CSRF token (at login and logout)."""
    session.clear()
    csrf_token(session)
