"""Async client for Rasa's HTTP API (`POST /model/parse`)."""

from __future__ import annotations

import httpx

from nlu.types import NLU_FALLBACK, IntentScore, NluResult


class RasaUnavailable(RuntimeError):
    """Rasa did not answer in time, or answered with something unusable."""


class RasaClient:
    """Talks to one Rasa server; raises `RasaUnavailable` on any failure so callers can fall back.

    Args:
        base_url: e.g. "http://127.0.0.1:5005".
        timeout: seconds for the whole request; keep it short, the user is waiting.
        transport: optional httpx transport (tests pass `httpx.MockTransport`).
    """

    def __init__(
        self, base_url: str, *, timeout: float = 1.5, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout),
            transport=transport,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
        )

    async def parse(self, text: str) -> NluResult:
        """Returns Rasa's intent for `text`."""
        # Lone surrogates (broken input, e.g. binary piped into the console) cannot be encoded as
        # UTF-8 JSON; replacing them keeps one odd message from marking Rasa down for everyone.
        text = text.encode("utf-8", "replace").decode("utf-8")
        try:
            response = await self._http.post("/model/parse", json={"text": text})
            response.raise_for_status()
            payload = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(type(exc).__name__) from exc
        return result_from_rasa(payload)

    async def ready(self) -> bool:
        """True when the server is up with a model loaded."""
        try:
            response = await self._http.get("/status")
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False

    async def aclose(self) -> None:
        """Closes the connection pool."""
        await self._http.aclose()


def result_from_rasa(payload: object) -> NluResult:
    """Turns a `/model/parse` response into an `NluResult`; raises `RasaUnavailable` if malformed."""
    if not isinstance(payload, dict) or not isinstance(payload.get("intent"), dict):
        raise RasaUnavailable("malformed response")
    intent = payload["intent"]
    name = intent.get("name")
    if not isinstance(name, str):
        raise RasaUnavailable("malformed response")
    ranking = tuple(
        IntentScore(str(item["name"]), float(item.get("confidence") or 0.0))
        for item in payload.get("intent_ranking") or []
        if isinstance(item, dict) and item.get("name") and item["name"] != NLU_FALLBACK
    )
    return NluResult(name, float(intent.get("confidence") or 0.0), ranking, source="rasa")
