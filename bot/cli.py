"""The `scambot` command line: run the bot, chat in a console, train and check the NLU and content."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from bot.cli_settings import settings_or_exit
from bot.settings import Settings

app = typer.Typer(help="Scam-awareness and reporting bot (Khmer, Korean, English).", no_args_is_help=True)
nlu_app = typer.Typer(help="Train and evaluate the Rasa NLU model.", no_args_is_help=True)
content_app = typer.Typer(help="Check the educational content.", no_args_is_help=True)
app.add_typer(nlu_app, name="nlu")
app.add_typer(content_app, name="content")


NO_RASA_HELP = "Don't start Rasa; answer with the local matcher."


@app.command()
def run(
    no_rasa: Annotated[bool, typer.Option("--no-rasa", help=NO_RASA_HELP)] = False,
    no_admin: Annotated[bool, typer.Option("--no-admin", help="Don't start the staff web console.")] = False,
) -> None:
    """Run the bot: Telegram when TELEGRAM_BOT_TOKEN is set, otherwise the console; and the staff web console."""
    from bot.cli_staff import admin_process, stop_process

    settings = settings_or_exit()
    # A console fed from a pipe is a script: it gets no web console.
    with_admin = not no_admin and (settings.telegram_bot_token is not None or sys.stdin.isatty())
    console_process = admin_process(settings) if with_admin else None
    try:
        if settings.telegram_bot_token is None:
            typer.echo("No TELEGRAM_BOT_TOKEN set: opening the console instead (see README).", err=True)
            asyncio.run(_console(settings, lang=None, user_id=1, start_rasa=not no_rasa))
            return
        from bot.telegram_runner import run_telegram

        run_telegram(settings, start_rasa=not no_rasa)
    finally:
        stop_process(console_process)


async def _console(settings: Settings, *, lang: str | None, user_id: int, start_rasa: bool) -> None:
    from bot.console import run_console

    await run_console(settings, lang=lang, user_id=user_id, start_rasa=start_rasa)


@app.command()
def console(
    lang: Annotated[str | None, typer.Option(help="Telegram language of the console user: km, ko or en.")] = None,
    user_id: Annotated[int, typer.Option(help="Telegram user id of the console user.")] = 1,
    no_rasa: Annotated[bool, typer.Option("--no-rasa", help=NO_RASA_HELP)] = False,
) -> None:
    """Chat with the bot in this terminal (no token needed). Reads one message per line from a pipe."""
    if lang is not None and lang not in ("km", "ko", "en"):
        typer.echo(f"--lang must be km, ko or en, not {lang!r}", err=True)
        raise typer.Exit(2)
    settings = settings_or_exit()
    asyncio.run(_console(settings, lang=lang, user_id=user_id, start_rasa=not no_rasa))


@app.command()
def health() -> None:
    """Print whether Rasa and the database answer, as JSON; exit 1 if anything is down."""
    settings = settings_or_exit()
    from bot.health import check_health

    report = asyncio.run(check_health(settings))
    typer.echo(json.dumps(report, indent=2))
    raise typer.Exit(0 if report["ok"] else 1)


@nlu_app.command("train")
def nlu_train() -> None:
    """Train the Rasa NLU model if nlu/data or config.yml changed (hash-based)."""
    settings = settings_or_exit()
    from nlu.server import RasaSetupError, ensure_model

    try:
        typer.echo(ensure_model(settings.data_dir / "rasa"))
    except RasaSetupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


@nlu_app.command("eval")
def nlu_eval(
    out: Annotated[Path | None, typer.Option(help="Write the per-language report as JSON here.")] = None,
) -> None:
    """Evaluate the trained model on the held-out sets (nlu/heldout/<lang>.yml), per language."""
    settings = settings_or_exit()
    from nlu.evaluate import format_report

    report = asyncio.run(_evaluate_rasa(settings))
    typer.echo(format_report(report))
    if out:
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")


async def _evaluate_rasa(settings: Settings) -> dict:
    """Starts Rasa the way the bot does (or uses NLU_URL) and scores it on the held-out sets."""
    from bot.launcher import nlu_endpoint
    from nlu.client import RasaClient
    from nlu.evaluate import evaluate_parser

    async with nlu_endpoint(settings) as url:
        if url is None:
            typer.echo("Rasa is not available; nothing to evaluate.", err=True)
            raise typer.Exit(1)
        client = RasaClient(url, timeout=30)
        try:
            return await evaluate_parser(client)
        finally:
            await client.aclose()


@content_app.command("check")
def content_check(
    root: Annotated[Path | None, typer.Option(help="Content folder (default: the bot's).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too, not only on errors.")] = False,
) -> None:
    """Validate the content: schema, identical keys across km/ko/en, links and numbers."""
    settings = settings_or_exit()
    from content.check import check_content

    problems = check_content(root or settings.content_dir)
    for problem in problems:
        typer.echo(str(problem))
    errors = sum(problem.level == "error" for problem in problems)
    warnings = len(problems) - errors
    typer.echo(f"{errors} error(s), {warnings} warning(s)" if problems else "Content OK")
    raise typer.Exit(1 if errors or (strict and warnings) else 0)


def _mount_intake() -> None:
    """`scambot intake ...`: the analysts' commands (list, show, set-status, export, dispatch, ...)."""
    from bot import cli_intake

    app.add_typer(cli_intake.app, name="intake")


def _mount_staff() -> None:
    """`scambot admin` (the staff web console) and `scambot staff ...` (its accounts)."""
    from bot import cli_staff

    app.add_typer(cli_staff.staff_app, name="staff")
    app.command("admin")(cli_staff.admin_command)


def _mount_optional() -> None:
    """Sub-commands from other journeys, mounted when their module exists."""
    try:
        from bot import cli_classifier
    except ImportError as exc:  # pragma: no cover - only while the classifier is being built
        logging.getLogger(__name__).debug("classifier commands unavailable: %s", exc)
        return
    app.add_typer(cli_classifier.app, name="classifier")
    app.command("check")(cli_classifier.check_command)


_mount_intake()
_mount_staff()
_mount_optional()

if __name__ == "__main__":
    sys.exit(app())
