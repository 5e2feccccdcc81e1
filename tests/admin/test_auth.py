"""Logging in, sessions, roles, CSRF and throttling, through the real console over HTTP."""

from __future__ import annotations

import httpx
import pytest

from admin.app import AdminServices, create_app
from tests.admin.conftest import SECRET
from tests.admin.support import PASSWORD, add_staff, csrf_from, log_in
from tests.storage.support import FakeClock


async def test_a_logged_out_visitor_sees_only_the_login_page(client: httpx.AsyncClient) -> None:
    for path in ("/", "/audit", "/content", "/no-such-page"):
        response = await client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login"), path

    login = await client.get("/login")
    assert login.status_code == 200
    assert "Log in" in login.text
    assert "Audit log" not in login.text


async def test_a_logged_out_post_changes_nothing_and_goes_to_login(client: httpx.AsyncClient) -> None:
    page = await client.get("/login")
    response = await client.post("/logout", data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


async def test_staff_log_in_and_see_their_role(client: httpx.AsyncClient, services: AdminServices) -> None:
    await add_staff(services.staff, "sokha", "editor")

    response = await log_in(client, "sokha")

    assert response.status_code == 303
    home = await client.get("/")
    assert home.status_code == 200
    assert "sokha" in home.text and "editor" in home.text


async def test_a_wrong_password_or_unknown_name_says_so_without_saying_which(
    client: httpx.AsyncClient, services: AdminServices
) -> None:
    await add_staff(services.staff, "sokha", "editor")

    wrong = await log_in(client, "sokha", "not the password")
    unknown = await log_in(client, "nobody")

    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong username or password" in wrong.text
    assert "Wrong username or password" in unknown.text
    assert (await client.get("/")).status_code == 303


async def test_the_session_cookie_is_httponly_and_strict(services: AdminServices) -> None:
    await add_staff(services.staff, "sokha", "editor")
    for secure in (False, True):
        app = create_app(services, secret_key=SECRET, secure_cookies=secure)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://console.example") as browser:
            cookie = (await browser.get("/login")).headers["set-cookie"].lower()
        assert "httponly" in cookie
        assert "samesite=strict" in cookie
        assert ("secure" in cookie.split(";")[-1] or "; secure" in cookie) is secure


async def test_a_login_form_without_the_csrf_token_is_refused(
    client: httpx.AsyncClient, services: AdminServices
) -> None:
    await add_staff(services.staff, "sokha", "editor")
    await client.get("/login")

    response = await client.post("/login", data={"username": "sokha", "password": PASSWORD})

    assert response.status_code == 403
    assert (await client.get("/")).status_code == 303


async def test_a_post_without_the_csrf_token_is_refused_when_logged_in(
    client: httpx.AsyncClient, services: AdminServices
) -> None:
    await add_staff(services.staff, "sokha", "editor")
    await log_in(client, "sokha")

    forged = await client.post("/logout", data={"csrf_token": "forged"})

    assert forged.status_code == 403
    assert (await client.get("/")).status_code == 200  # still logged in: the forged logout did nothing


async def test_five_failures_lock_the_username_for_fifteen_minutes(
    client: httpx.AsyncClient, services: AdminServices, clock: FakeClock
) -> None:
    await add_staff(services.staff, "sokha", "editor")
    for _ in range(5):
        assert (await log_in(client, "sokha", "guess")).status_code == 401

    locked = await log_in(client, "sokha")  # even the right password
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.text

    clock.advance(minutes=16)
    assert (await log_in(client, "sokha")).status_code == 303


async def test_failures_from_one_address_lock_that_address_for_every_name(services: AdminServices) -> None:
    await add_staff(services.staff, "sokha", "editor")
    app = create_app(services, secret_key=SECRET, secure_cookies=False)

    async def browser(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1")

    async with await browser("10.0.0.1") as attacker, await browser("10.0.0.2") as colleague:
        for name in ("a1", "a2", "a3", "a4", "a5"):
            await log_in(attacker, name, "guess")
        assert (await log_in(attacker, "sokha")).status_code == 429
        assert (await log_in(colleague, "sokha")).status_code == 303


async def test_an_analyst_cannot_open_an_admin_page(client: httpx.AsyncClient, services: AdminServices) -> None:
    await add_staff(services.staff, "dara", "analyst")
    await log_in(client, "dara")

    response = await client.get("/audit")

    assert response.status_code == 403
    assert "cannot open this page" in response.text


async def test_an_admin_sees_the_audit_log_of_staff_changes(client: httpx.AsyncClient, services: AdminServices) -> None:
    await add_staff(services.staff, "boss", "admin")
    await add_staff(services.staff, "dara", "analyst")
    await services.staff.disable("dara", actor="boss")
    await log_in(client, "boss")

    page = await client.get("/audit")

    assert page.status_code == 200
    assert "staff.add" in page.text and "staff:dara" in page.text and "staff.disable" in page.text


async def test_disabling_an_account_ends_its_open_session(client: httpx.AsyncClient, services: AdminServices) -> None:
    await add_staff(services.staff, "sokha", "editor")
    await log_in(client, "sokha")
    assert (await client.get("/")).status_code == 200

    await services.staff.disable("sokha", actor="boss")

    assert (await client.get("/")).status_code == 303
    assert (await log_in(client, "sokha")).status_code == 401


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
async def test_after_login_the_console_never_redirects_to_another_site(
    client: httpx.AsyncClient, services: AdminServices, target: str
) -> None:
    await add_staff(services.staff, "sokha", "editor")
    page = await client.get("/login")

    response = await client.post(
        "/login",
        data={"username": "sokha", "password": PASSWORD, "csrf_token": csrf_from(page.text), "next": target},
    )

    assert response.headers["location"] == "/"
