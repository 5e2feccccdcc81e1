"""Runs the bot against Telegram: long polling, or a webhook with a secret token when WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import logging

from bot.app import ALLOWED_UPDATES, build_application
from bot.launcher import start_nlu
from bot.settings import Settings

log = logging.getLogger(__name__)


def run_telegram(settings: Settings, *, start_rasa: bool = True) -> None:
    """Starts Rasa (unless NLU_URL is set), then serves Telegram until interrupted, then stops Rasa."""
    nlu_url, server = asyncio.run(start_nlu(settings, start_rasa=start_rasa))
    try:
        app = build_application(settings, nlu_url=nlu_url)
        if settings.webhook_url is not None:
            url = str(settings.webhook_url)
            secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
            log.info("Serving the Telegram webhook on %s:%s", settings.webhook_listen, settings.webhook_port)
            app.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=url.split("://", 1)[1].partition("/")[2],
                webhook_url=url,
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            log.info("Polling Telegram for updates")
            app.run_polling(allowed_updates=ALLOWED_UPDATES)
    finally:
        if server:
            server.stop()
