"""Builds the console application: services, session cookies, and every page module's routes."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from ipaddress import ip_address
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from admin.pages import NavItem, error_page, load_staff, login_redirect
from content.catalogue import ContentCatalogue
from intake import IntakeService
from storage import Database
from storage.models import utcnow
from storage.staff import AuditLog, ContentVersions, LoginThrottle, StaffRepository

STATIC_DIR = Path(__file__).resolve().parent / "static"
SESSION_COOKIE = "scambot_admin"
SESSION_MAX_AGE = 8 * 3600
"""Seconds a login lasts (one working day)."""

#: Modules whose ``routes()`` make up the console, and whose ``NAV`` fills the top bar, in order.
#: To add a page module, add its name here (see admin/README.md).
PAGE_MODULES: tuple[str, ...] = (
    "admin.auth",
    "admin.triage",
    "admin.trends",
    "admin.alerts",
    "admin.content_editor",
)


@dataclass
class AdminServices:
    """What the pages use; built once by `create_app` (or by tests with fakes of the clock)."""

    db: Database
    content_dir: Path
    t: Callable[..., str]
    """The bot's UI strings, so previews show the buttons and headings the bot shows."""
    staff: StaffRepository
    throttle: LoginThrottle
    audit: AuditLog
    versions: ContentVersions
    clock: Callable[[], datetime] = utcnow
    nav: list[NavItem] = field(default_factory=list)
    catalogue: ContentCatalogue | None = None
    """The content as the bot sees it, reloaded after each publish (previews, status)."""
    intake: IntakeService | None = None
    """The intake as the bot configured it (sinks, threshold), for triage; None: the defaults."""
    trends_offset: timedelta = timedelta(hours=7)
    """UTC offset of TRENDS_TIMEZONE: where the trends' days and alert schedules' local times begin."""


def build_services(
    db: Database,
    *,
    content_dir: Path,
    t: Callable[..., str],
    clock: Callable[[], datetime] = utcnow,
    max_login_failures: int = 5,
    login_window: timedelta = timedelta(minutes=15),
) -> AdminServices:
    """The console's services over one database and content folder."""
    return AdminServices(
        db=db,
        content_dir=content_dir,
        t=t,
        staff=StaffRepository(db, clock=clock),
        throttle=LoginThrottle(db, max_failures=max_login_failures, window=login_window, clock=clock),
        audit=AuditLog(db, clock=clock),
        versions=ContentVersions(db, clock=clock),
        clock=clock,
    )


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses: plain http is acceptable only there."""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def create_app(
    services: AdminServices,
    *,
    secret_key: str,
    secure_cookies: bool,
    page_modules: Sequence[str] = PAGE_MODULES,
) -> Starlette:
    """The console as an ASGI application.

    Args:
        services: Database, repositories and content folder.
        secret_key: Signs the session cookie (ADMIN_SECRET); at least 32 characters.
        secure_cookies: Send the cookie only over https (true unless served on loopback).
        page_modules: Modules providing ``routes()`` and ``NAV``.

    Raises:
        ValueError: if ``secret_key`` is too short.
    """
    if len(secret_key) < 32:
        raise ValueError("the session secret must have at least 32 characters")
    routes: list[BaseRoute] = []
    for name in page_modules:
        module = importlib.import_module(name)
        routes.extend(module.routes())
        services.nav.extend(getattr(module, "NAV", ()))
    routes.append(Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"))
    if services.catalogue is None:
        services.catalogue = ContentCatalogue(services.content_dir, refresh_interval=0)
    middleware = [
        Middleware(
            SessionMiddleware,
            secret_key=secret_key,
            session_cookie=SESSION_COOKIE,
            max_age=SESSION_MAX_AGE,
            same_site="strict",
            https_only=secure_cookies,
        )
    ]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers={HTTPException: _http_error})
    app.state.services = services
    return app


async def _http_error(request: Request, exc: Exception) -> Response:
    """Unknown pages: logged-out visitors get the login page, staff a plain error page."""
    assert isinstance(exc, HTTPException)
    staff = await load_staff(request)
    if staff is None:
        return login_redirect(request)
    request.state.staff = staff
    message = "There is no such page." if exc.status_code == 404 else str(exc.detail)
    return error_page(request, exc.status_code, message)
