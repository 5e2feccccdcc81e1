"""What every console page uses: roles, the `page` decorator, rendering, and the audit helper.

A page is an ``async def endpoint(request, staff) -> Response`` wrapped by `page`, which
lets only logged-in staff with one of the page's roles in (admins everywhere), checks the
CSRF token of every POST, and hands the endpoint the `Staff` member making the request.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from admin.security import CSRF_FIELD, csrf_token, csrf_valid

if TYPE_CHECKING:
    from admin.app import AdminServices

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES_DIR)
"""The console's templates; pages extend ``base.html``."""

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Role(enum.StrEnum):
    """What a staff member may do. Admins may open every page and manage accounts."""

    ADMIN = "admin"
    EDITOR = "editor"
    """Writes and publishes content and alerts."""
    ANALYST = "analyst"
    """Triages reports and reads trends."""


ALL_ROLES: tuple[Role, ...] = (Role.ADMIN, Role.EDITOR, Role.ANALYST)


@dataclass(frozen=True)
class Staff:
    """The logged-in staff member making the request."""

    id: int
    username: str
    role: Role

    def may(self, roles: Sequence[Role]) -> bool:
        """True when this member's role is one of ``roles``; admins may do everything."""
        return self.role == Role.ADMIN or self.role in roles


@dataclass(frozen=True)
class NavItem:
    """A link in the console's top bar, shown only to the roles that may open it."""

    label: str
    path: str
    roles: tuple[Role, ...] = ALL_ROLES


@dataclass
class PageError(Exception):
    """Raise in an endpoint to answer with the error page (e.g. 404 for an unknown entry)."""

    status_code: int
    message: str
    extra: dict[str, Any] = field(default_factory=dict)


Endpoint = Callable[[Request, Staff], Awaitable[Response]]


def services(request: Request) -> AdminServices:
    """The console's services (database, repositories, content), set by `create_app`."""
    return request.app.state.services  # type: ignore[no-any-return]


def current_staff(request: Request) -> Staff | None:
    """The staff member of this request, once `page` has checked the session."""
    return getattr(request.state, "staff", None)


async def load_staff(request: Request) -> Staff | None:
    """The active staff member the session belongs to, or None (logged out, or disabled since)."""
    account_id = request.session.get("staff_id")
    if not isinstance(account_id, int):
        return None
    record = await services(request).staff.get(account_id)
    if record is None or not record.active:
        request.session.clear()
        return None
    return Staff(id=record.id, username=record.username, role=Role(record.role))


def login_redirect(request: Request) -> RedirectResponse:
    """To the login page, coming back here afterwards (for a GET)."""
    target = "/login"
    if request.method == "GET" and request.url.path not in ("/", "/login"):
        target += "?next=" + quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return RedirectResponse(target, status_code=303)


def page(*roles: Role) -> Callable[[Endpoint], Callable[[Request], Awaitable[Response]]]:
    """Makes ``endpoint(request, staff)`` a console page for ``roles`` (admins always included).

    Logged out: redirected to the login page, nothing else is shown. Wrong role: 403.
    POST without this session's CSRF token: 403, and the endpoint does not run.
    """
    allowed = tuple(roles) or ALL_ROLES

    def decorate(endpoint: Endpoint) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(endpoint)
        async def guarded(request: Request) -> Response:
            staff = await load_staff(request)
            if staff is None:
                return login_redirect(request)
            request.state.staff = staff
            if not staff.may(allowed):
                return error_page(request, 403, f"Your role ({staff.role}) cannot open this page.")
            if request.method in UNSAFE_METHODS and not await csrf_ok(request):
                return error_page(request, 403, CSRF_MESSAGE)
            try:
                return await endpoint(request, staff)
            except PageError as exc:
                return error_page(request, exc.status_code, exc.message)

        guarded.roles = allowed  # type: ignore[attr-defined]
        return guarded

    return decorate


CSRF_MESSAGE = "This form has expired or did not come from the console. Go back, reload the page and try again."


async def csrf_ok(request: Request) -> bool:
    """True when the submitted form carries this session's CSRF token."""
    form = await request.form()
    return csrf_valid(request.session, form.get(CSRF_FIELD))


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> Response:
    """Renders a template with what ``base.html`` needs: the staff member, the menu, the CSRF token."""
    staff = current_staff(request)
    nav = [item for item in services(request).nav if staff is not None and staff.may(item.roles)]
    full = {
        "staff": staff,
        "nav": nav,
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request.session),
        **(context or {}),
    }
    return templates.TemplateResponse(request, template, full, status_code=status_code)


def error_page(request: Request, status_code: int, message: str) -> Response:
    """A plain page saying what went wrong, with the menu when logged in."""
    return render(request, "error.html", {"status_code": status_code, "message": message}, status_code=status_code)


async def audit(request: Request, action: str, target: str, detail: Any = None) -> None:
    """Writes an audit row for a change made by the current staff member (in its own transaction).

    Prefer writing the row in the same transaction as the change (``storage.staff.record_audit``)
    when your repository makes the change.
    """
    staff = current_staff(request)
    actor = staff.username if staff else "anonymous"
    await services(request).audit.record(actor, action, target, detail)


def client_address(request: Request) -> str:
    """The client's address, for login throttling ("unknown" when the server does not say)."""
    return request.client.host if request.client else "unknown"
