"""Tests of the bot: journeys through the real Application, settings, i18n, logs, CLI."""
