"""Logging in and out, the home page, and the audit log (admins)."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin.pages import (
    CSRF_MESSAGE,
    NavItem,
    Role,
    Staff,
    client_address,
    csrf_ok,
    load_staff,
    page,
    render,
    services,
)
from admin.security import new_session, verify_password

NAV = (NavItem("Audit log", "/audit", (Role.ADMIN,)),)

MAX_USERNAME = 64
MAX_PASSWORD = 1024
THROTTLED_MESSAGE = "Too many failed logins. Wait 15 minutes, then try again."
BAD_LOGIN_MESSAGE = "Wrong username or password."


def _safe_next(target: object) -> str:
    """Where to go after logging in: only a path inside the console, never another site."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc or "\\" in target else target


async def login_form(request: Request) -> Response:
    """The login page (the only page a logged-out visitor ever sees)."""
    if await load_staff(request) is not None:
        return RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    return render(request, "login.html", {"next": _safe_next(request.query_params.get("next"))})


async def login(request: Request) -> Response:
    """Checks the password; throttled per username and per client address."""
    if not await csrf_ok(request):
        return render(request, "login.html", {"error": CSRF_MESSAGE, "next": "/"}, status_code=403)
    form = await request.form()
    username = str(form.get("username") or "").strip()[:MAX_USERNAME]
    password = str(form.get("password") or "")[:MAX_PASSWORD]
    target = _safe_next(form.get("next"))
    svc = services(request)
    address = client_address(request)
    context = {"username": username, "next": target}
    if await svc.throttle.blocked(username, address):
        return render(request, "login.html", {**context, "error": THROTTLED_MESSAGE}, status_code=429)
    found = await svc.staff.credentials(username) if username else None
    ok, new_hash = await verify_password(found[1] if found else None, password)
    account = found[0] if found else None
    if not ok or account is None or not account.active:
        await svc.throttle.record(username, address, succeeded=False)
        return render(request, "login.html", {**context, "error": BAD_LOGIN_MESSAGE}, status_code=401)
    await svc.throttle.record(username, address, succeeded=True)
    if new_hash:
        await svc.staff.set_password_hash(account.id, new_hash)
    new_session(request.session)  # a fresh session at login: no fixation
    request.session["staff_id"] = account.id
    return RedirectResponse(target, status_code=303)


@page()
async def logout(request: Request, staff: Staff) -> Response:
    """Ends the session."""
    new_session(request.session)
    return RedirectResponse("/login", status_code=303)


@page()
async def home(request: Request, staff: Staff) -> Response:
    """The start page: what this member's role can do."""
    return render(request, "home.html")


@page(Role.ADMIN)
async def audit_log(request: Request, staff: Staff) -> Response:
    """The newest changes: who, when, what, on what."""
    entries = await services(request).audit.recent(200)
    return render(request, "audit.html", {"entries": entries})


def routes() -> list[Route]:
    """Login, logout, home and the audit log."""
    return [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/", home, methods=["GET"]),
        Route("/audit", audit_log, methods=["GET"]),
    ]
