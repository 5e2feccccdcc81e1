"""Health check: does Rasa answer, does the database answer. Used by `scambot health`."""

from __future__ import annotations

from sqlalchemy import text

from bot.settings import Settings
from nlu.client import RasaClient
from storage import Database


async def check_health(settings: Settings) -> dict[str, object]:
    """Returns {"ok": bool, "nlu": ..., "database": ...}; never raises."""
    report: dict[str, object] = {}
    url = str(settings.nlu_url or f"http://127.0.0.1:{settings.rasa_port}").rstrip("/")
    client = RasaClient(url, timeout=2)
    try:
        rasa_ok = await client.ready()
    finally:
        await client.aclose()
    report["nlu"] = {"url": url, "ok": rasa_ok, "mode": "rasa" if rasa_ok else "degraded (local matcher)"}
    db = Database(settings.effective_database_url)
    try:
        async with db.session() as session:
            await session.execute(text("SELECT 1"))
        report["database"] = {"ok": True, "dialect": db.dialect}
    except Exception as exc:  # noqa: BLE001 - a health check reports, it does not crash
        report["database"] = {"ok": False, "error": type(exc).__name__}
    finally:
        await db.dispose()
    report["ok"] = all(part["ok"] for part in report.values() if isinstance(part, dict))
    return report
