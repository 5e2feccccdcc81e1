"""The Rasa client: parses real-shaped responses, and turns every failure into `RasaUnavailable`."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from nlu.client import RasaClient, RasaUnavailable, result_from_rasa
from nlu.types import NLU_FALLBACK

#: A `/model/parse` response shaped like Rasa 3.6's, trimmed.
RASA_RESPONSE = {
    "text": "is this job in cambodia with free flight a scam",
    "intent": {"name": "scam_job_offer", "confidence": 0.9132},
    "entities": [],
    "text_tokens": [[0, 2], [3, 7]],
    "intent_ranking": [
        {"name": "scam_job_offer", "confidence": 0.9132},
        {"name": "vet_job_offer", "confidence": 0.0611},
        {"name": "nlu_fallback", "confidence": 0.3},
        {"name": "what_is_scam", "confidence": 0.0102},
    ],
}
FALLBACK_RESPONSE = {
    "text": "asdf",
    "intent": {"name": "nlu_fallback", "confidence": 0.3},
    "entities": [],
    "intent_ranking": [
        {"name": "nlu_fallback", "confidence": 0.3},
        {"name": "greet", "confidence": 0.21},
        {"name": "out_of_scope", "confidence": 0.2},
    ],
}


def test_parses_a_real_shaped_response() -> None:
    result = result_from_rasa(RASA_RESPONSE)

    assert result.intent == "scam_job_offer"
    assert result.confidence == pytest.approx(0.9132)
    assert [s.name for s in result.ranking] == ["scam_job_offer", "vet_job_offer", "what_is_scam"]
    assert result.source == "rasa"
    assert not result.unsure


def test_fallback_is_unsure_and_ranking_keeps_the_real_candidates() -> None:
    result = result_from_rasa(FALLBACK_RESPONSE)

    assert result.intent == NLU_FALLBACK
    assert result.unsure
    assert [s.name for s in result.ranking] == ["greet", "out_of_scope"]


def test_missing_ranking_and_confidence_are_tolerated() -> None:
    result = result_from_rasa({"intent": {"name": "greet", "confidence": None}})

    assert result.intent == "greet"
    assert result.confidence == 0.0
    assert result.ranking == ()


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        "scam_job_offer",
        {},
        {"intent": None},
        {"intent": "greet"},
        {"intent": {}},
        {"intent": {"name": None, "confidence": 0.9}},
        {"intent": {"name": 42}},
    ],
)
def test_rejects_malformed_responses(payload: object) -> None:
    with pytest.raises(RasaUnavailable):
        result_from_rasa(payload)


def test_odd_ranking_entries_are_skipped() -> None:
    payload = {"intent": {"name": "greet", "confidence": 0.8}, "intent_ranking": [None, {}, {"name": "greet"}, "x"]}

    assert [s.name for s in result_from_rasa(payload).ranking] == ["greet"]


def rasa_transport(
    status: int = 200, body: object = RASA_RESPONSE, seen: list[dict] | None = None
) -> httpx.MockTransport:
    """A fake Rasa server: answers `/model/parse` and `/status` like Rasa does."""

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/status":
            return httpx.Response(200, json={"model_file": "nlu-abc.tar.gz"})
        assert request.url.path == "/model/parse"
        assert request.method == "POST"
        if seen is not None:
            seen.append(json.loads(request.content))
        if isinstance(body, bytes):
            return httpx.Response(status, content=body)
        return httpx.Response(status, json=body)

    return httpx.MockTransport(handle)


async def test_parse_posts_the_text_to_model_parse() -> None:
    seen: list[dict] = []
    client = RasaClient("http://rasa.test/", transport=rasa_transport(seen=seen))
    try:
        result = await client.parse("ការងារ 일자리 job")
    finally:
        await client.aclose()

    assert seen == [{"text": "ការងារ 일자리 job"}]
    assert result.intent == "scam_job_offer"


async def test_ready_when_a_model_is_loaded() -> None:
    client = RasaClient("http://rasa.test", transport=rasa_transport())
    try:
        assert await client.ready()
    finally:
        await client.aclose()


@pytest.mark.parametrize(
    "transport",
    [
        pytest.param(rasa_transport(status=500, body={"error": "boom"}), id="500"),
        pytest.param(rasa_transport(status=503, body=b"Service Unavailable"), id="503"),
        pytest.param(rasa_transport(body=b"<html>not json</html>"), id="not-json"),
        pytest.param(rasa_transport(body={"intent": None}), id="malformed"),
        pytest.param(httpx.MockTransport(lambda r: (_ for _ in ()).throw(httpx.ConnectError("refused"))), id="down"),
        pytest.param(httpx.MockTransport(lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("slow"))), id="timeout"),
    ],
)
async def test_every_failure_is_rasa_unavailable(transport: httpx.MockTransport) -> None:
    client = RasaClient("http://rasa.test", transport=transport)
    try:
        with pytest.raises(RasaUnavailable):
            await client.parse("hello")
    finally:
        await client.aclose()


@pytest.mark.parametrize(
    "status", [httpx.Response(200, json={"model_file": None}), httpx.Response(500), httpx.Response(200, text="up")]
)
async def test_not_ready_without_a_loaded_model(status: httpx.Response) -> None:
    client = RasaClient("http://rasa.test", transport=httpx.MockTransport(lambda r: status))
    try:
        assert not await client.ready()
    finally:
        await client.aclose()


@pytest.fixture
async def silent_server() -> AsyncIterator[str]:
    """A real TCP server that accepts connections and never answers, like a hung Rasa."""

    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


async def test_a_hung_server_costs_only_the_short_timeout(silent_server: str) -> None:
    client = RasaClient(silent_server, timeout=0.3)
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        with pytest.raises(RasaUnavailable):
            await client.parse("hello")
    finally:
        await client.aclose()

    assert loop.time() - started < 2


async def test_nothing_listening_is_unavailable_at_once() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = RasaClient(f"http://127.0.0.1:{port}", timeout=1)
    try:
        with pytest.raises(RasaUnavailable):
            await client.parse("hello")
        assert not await client.ready()
    finally:
        await client.aclose()
