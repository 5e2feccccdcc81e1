"""Settings for every `scambot` command: a bad variable ends the command naming it (exit 2)."""

from __future__ import annotations

import typer

from bot.logs import configure_logging
from bot.settings import Settings, SettingsError, load_settings


def settings_or_exit() -> Settings:
    """Loads and checks the settings, then sets up logging; prints the error and exits 2 if one is bad."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    configure_logging(settings.log_level)
    return settings
