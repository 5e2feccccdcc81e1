"""Starts what the bot needs before it can answer: the Rasa server (unless NLU_URL is set)."""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.settings import Settings
from nlu.server import RasaServer, RasaSetupError, ensure_model

log = logging.getLogger(__name__)


async def start_nlu(settings: Settings, *, start_rasa: bool = True) -> tuple[str | None, RasaServer | None]:
    """Returns the Rasa URL to use (NLU_URL, or a server started here) and the server to stop later.

    If Rasa cannot be trained or started, says so and returns no URL: the bot then answers
    with its local matcher instead of not answering at all.
    """
    if settings.nlu_url is not None:
        return str(settings.nlu_url).rstrip("/"), None
    if not start_rasa:
        return None, None
    server: RasaServer | None = None
    try:
        print("Starting the Rasa NLU server (training first if the data changed)…", file=sys.stderr)
        model = ensure_model(settings.data_dir / "rasa")
        server = RasaServer(model, port=settings.rasa_port, log_file=settings.data_dir / "rasa.log")
        server.start()
        await server.wait_ready()
    except RasaSetupError as exc:
        log.warning("Rasa is not available, answering with the local matcher: %s", exc)
        print(f"Rasa is not available ({exc}); using the local matcher.", file=sys.stderr)
        if server:
            server.stop()
        return None, None
    log.info("Rasa NLU server ready at %s", server.url)
    return server.url, server


@asynccontextmanager
async def nlu_endpoint(settings: Settings, *, start_rasa: bool = True) -> AsyncIterator[str | None]:
    """`start_nlu` as a context manager that stops the server it started."""
    url, server = await start_nlu(settings, start_rasa=start_rasa)
    try:
        yield url
    finally:
        if server:
            server.stop()
