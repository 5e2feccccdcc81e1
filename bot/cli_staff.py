"""`scambot admin` (the staff web console) and `scambot staff add|list|disable` (its accounts).

`scambot run` starts the console as a child process (`admin_process`) rather than inside the
bot's event loop: PTB's `run_polling` owns its loop, a crash or a slow page in the console
cannot stall the bot's answers, and the bot already runs Rasa the same way.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
import secrets
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from bot.cli_settings import settings_or_exit
from bot.settings import Settings

log = logging.getLogger(__name__)

staff_app = typer.Typer(help="Staff accounts of the web console (admin, editor, analyst).", no_args_is_help=True)

ROLES = ("admin", "editor", "analyst")


def _read_password(username: str) -> str:
    """Asks twice on a terminal; reads one line from a pipe (scripts, CI)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"Password for {username}: ")
    if getpass.getpass("Again: ") != first:
        typer.echo("The two passwords differ; nothing was changed.", err=True)
        raise typer.Exit(1)
    return first


async def _with_db(settings: Settings, work):  # type: ignore[no-untyped-def]
    from storage import Database

    db = Database(settings.effective_database_url)
    try:
        await db.migrate()
        return await work(db)
    finally:
        await db.dispose()


@staff_app.command("add")
def staff_add(
    username: Annotated[str, typer.Argument(help="Login name (letters, digits, . _ -).")],
    role: Annotated[str, typer.Option(help="admin, editor or analyst.")],
    telegram_id: Annotated[
        int | None, typer.Option(help="Telegram user id: staff commands in the bot use the same role.")
    ] = None,
) -> None:
    """Create an account; the password is asked for (or read from standard input when piped)."""
    from admin.security import check_new_password, hash_password
    from storage.staff import StaffError, StaffRepository

    if role not in ROLES:
        typer.echo(f"--role must be one of {', '.join(ROLES)}, not {role!r}", err=True)
        raise typer.Exit(2)
    if not username or len(username) > 64 or not all(c.isalnum() or c in "._-" for c in username):
        typer.echo(f"{username!r}: use 1-64 letters, digits, '.', '_' or '-'", err=True)
        raise typer.Exit(2)
    settings = settings_or_exit()
    password = _read_password(username)
    if problem := check_new_password(password):
        typer.echo(f"Not created: {problem}.", err=True)
        raise typer.Exit(1)

    async def add(db):  # type: ignore[no-untyped-def]
        return await StaffRepository(db).add(
            username, hash_password(password), role, telegram_id=telegram_id, actor="cli"
        )

    try:
        record = asyncio.run(_with_db(settings, add))
    except StaffError as exc:
        typer.echo(f"Not created: {exc}.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Created {record.username} ({record.role}).")


@staff_app.command("list")
def staff_list() -> None:
    """List accounts: name, role, linked Telegram id, active or disabled."""
    from storage.staff import StaffRepository

    settings = settings_or_exit()
    records = asyncio.run(_with_db(settings, lambda db: StaffRepository(db).list()))
    if not records:
        typer.echo("No staff accounts yet: create one with `scambot staff add NAME --role admin`.")
    for r in records:
        state = "active" if r.active else f"disabled {r.disabled_at:%Y-%m-%d}" if r.disabled_at else "disabled"
        typer.echo(f"{r.username}\t{r.role}\t{r.telegram_id or '-'}\t{state}")


@staff_app.command("disable")
def staff_disable(username: Annotated[str, typer.Argument(help="The account to disable.")]) -> None:
    """Disable an account: it can no longer log in, and its open sessions end."""
    from storage.staff import StaffError, StaffRepository

    settings = settings_or_exit()
    try:
        asyncio.run(_with_db(settings, lambda db: StaffRepository(db).disable(username, actor="cli")))
    except StaffError as exc:
        typer.echo(f"{exc}.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Disabled {username}.")


def admin_command(
    host: Annotated[str | None, typer.Option(help="Bind address (default ADMIN_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default ADMIN_PORT).")] = None,
) -> None:
    """Serve the staff web console (on 127.0.0.1:8080 by default)."""
    settings = settings_or_exit()
    asyncio.run(serve_admin(settings, host=host or settings.admin_host, port=port or settings.admin_port))


def admin_secret(settings: Settings) -> str:
    """ADMIN_SECRET, or a random secret for this start (logins then end when the console restarts)."""
    if settings.admin_secret is not None:
        return settings.admin_secret.get_secret_value()
    log.warning("ADMIN_SECRET is not set: using a random one, so logins end when the console restarts")
    return secrets.token_urlsafe(48)


async def serve_admin(settings: Settings, *, host: str, port: int) -> None:
    """Migrates the database, then serves the console until interrupted."""
    import uvicorn

    from admin.app import build_services, create_app, is_loopback
    from bot.cli_intake import build_intake, intake_settings_from_env
    from bot.i18n import Translator
    from storage import Database

    db = Database(settings.effective_database_url)
    try:
        await db.migrate()
        services = build_services(db, content_dir=settings.content_dir, t=Translator.from_directory())
        # Triage changes statuses like `scambot intake set-status`: with the bot's sinks and threshold.
        services.intake, _ = build_intake(db, intake_settings_from_env(os.environ, data_dir=settings.data_dir))
        services.trends_offset = ZoneInfo(settings.trends_timezone).utcoffset(datetime.now()) or timedelta(0)
        app = create_app(services, secret_key=admin_secret(settings), secure_cookies=not is_loopback(host))
        print(f"Staff console on http://{host}:{port}/", file=sys.stderr)
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", proxy_headers=False)
        await uvicorn.Server(config).serve()
    finally:
        await db.dispose()


def admin_process(settings: Settings) -> subprocess.Popen[bytes] | None:
    """Starts `scambot admin` beside the bot, logging to DATA_DIR/admin.log; None if it cannot start."""
    log_path = Path(settings.data_dir) / "admin.log"
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("ab") as log_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "admin"],
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env=os.environ.copy(),
            )
    except OSError as exc:
        log.warning("could not start the staff console: %s", exc)
        return None
    print(
        f"Staff console on http://{settings.admin_host}:{settings.admin_port}/ (log: {log_path})",
        file=sys.stderr,
    )
    return process


def stop_process(process: subprocess.Popen[bytes] | None) -> None:
    """Stops the child console: politely first, then for good."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
