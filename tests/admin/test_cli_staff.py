"""`scambot staff add|list|disable` and the settings of `scambot admin`."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from admin.security import verify_password
from bot.cli import app as cli
from bot.settings import SettingsError, load_settings
from storage import Database, default_sqlite_url
from storage.staff import AuditLog, StaffRepository


@pytest.fixture
def runner(clean_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    return CliRunner()


async def stored(tmp_path: Path, username: str):  # type: ignore[no-untyped-def]
    db = Database(default_sqlite_url(tmp_path))
    try:
        return await StaffRepository(db).credentials(username), await AuditLog(db).recent(10)
    finally:
        await db.dispose()


def test_staff_add_reads_the_password_from_a_pipe_and_stores_only_its_hash(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["staff", "add", "sokha", "--role", "editor", "--telegram-id", "555"], input="a long enough secret\n"
    )

    assert result.exit_code == 0, result.output
    assert "Created sokha (editor)" in result.output
    (record, password_hash), audit = asyncio.run(stored(tmp_path, "sokha"))
    assert record.role == "editor" and record.telegram_id == 555
    assert "a long enough secret" not in password_hash
    assert asyncio.run(verify_password(password_hash, "a long enough secret"))[0]
    assert [(a.actor, a.action, a.target) for a in audit] == [("cli", "staff.add", "staff:sokha")]


def test_staff_add_refuses_a_short_password_a_bad_role_and_a_taken_name(runner: CliRunner) -> None:
    short = runner.invoke(cli, ["staff", "add", "sokha", "--role", "editor"], input="short\n")
    bad_role = runner.invoke(cli, ["staff", "add", "sokha", "--role", "boss"], input="a long enough secret\n")
    bad_name = runner.invoke(cli, ["staff", "add", "so kha", "--role", "editor"], input="a long enough secret\n")
    first = runner.invoke(cli, ["staff", "add", "sokha", "--role", "editor"], input="a long enough secret\n")
    again = runner.invoke(cli, ["staff", "add", "sokha", "--role", "admin"], input="a long enough secret\n")

    assert short.exit_code == 1 and "at least 10 characters" in short.output
    assert bad_role.exit_code == 2 and "admin, editor, analyst" in bad_role.output
    assert bad_name.exit_code == 2
    assert first.exit_code == 0
    assert again.exit_code == 1 and "already exists" in again.output


def test_staff_list_and_disable(runner: CliRunner) -> None:
    assert "No staff accounts yet" in runner.invoke(cli, ["staff", "list"]).output
    runner.invoke(cli, ["staff", "add", "dara", "--role", "analyst"], input="a long enough secret\n")

    listed = runner.invoke(cli, ["staff", "list"])
    disabled = runner.invoke(cli, ["staff", "disable", "dara"])
    unknown = runner.invoke(cli, ["staff", "disable", "nobody"])
    after = runner.invoke(cli, ["staff", "list"])

    assert "dara\tanalyst\t-\tactive" in listed.output
    assert disabled.exit_code == 0
    assert unknown.exit_code == 1 and "no staff account named 'nobody'" in unknown.output
    assert "dara\tanalyst\t-\tdisabled" in after.output


def test_admin_settings_have_safe_defaults_and_refuse_a_short_secret(clean_env: None) -> None:
    settings = load_settings()
    assert (settings.admin_host, settings.admin_port, settings.admin_secret) == ("127.0.0.1", 8080, None)
    assert load_settings(admin_secret="").admin_secret is None

    with pytest.raises(SettingsError) as caught:
        load_settings(admin_secret="too-short-secret")

    assert "ADMIN_SECRET" in str(caught.value)
    assert "too-short-secret" not in str(caught.value)


def test_the_bot_starts_the_console_as_a_child_process_and_stops_it(
    clean_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket
    import time

    import httpx

    from bot.cli_staff import admin_process, stop_process

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ADMIN_PORT", str(port))
    settings = load_settings()

    process = admin_process(settings)
    assert process is not None
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, (tmp_path / "admin.log").read_text()
                assert time.monotonic() < deadline, "the console did not answer within 60 s"
                time.sleep(0.5)
        assert response.status_code == 303 and response.headers["location"] == "/login"
    finally:
        stop_process(process)
    assert process.poll() is not None
