"""The NLU service: Rasa first; when Rasa fails, the local matcher answers and health says degraded."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest

from nlu.service import MAX_NLU_CHARS, NluService
from nlu.types import NLU_FALLBACK, NluResult
from tests.fake_rasa import FakeRasa

RASA_GREET = {
    "intent": {"name": "greet", "confidence": 0.97},
    "intent_ranking": [{"name": "greet", "confidence": 0.97}],
}


@dataclass
class FakeLocal:
    """A local matcher that always answers the same, and remembers what it was asked."""

    intent: str = "scam_parcel"
    seen: list[str] = field(default_factory=list)

    batches: list[int] = field(default_factory=list)

    def match(self, text: str) -> NluResult:
        self.seen.append(text)
        return NluResult(self.intent, 0.8, source="local")

    def match_many(self, texts: Sequence[str]) -> list[NluResult]:
        self.batches.append(len(texts))
        return [self.match(text) for text in texts]


class EchoLocal(FakeLocal):
    """Answers each text with an intent named after it, so mixed-up answers show."""

    def match(self, text: str) -> NluResult:
        self.seen.append(text)
        return NluResult(f"intent_{text}", 0.8, source="local")


class BrokenLocal(FakeLocal):
    def match_many(self, texts: Sequence[str]) -> list[NluResult]:
        raise RuntimeError("matcher broke")


async def test_rasa_answers_when_up() -> None:
    rasa, local = FakeRasa(RASA_GREET), FakeLocal()
    service = NluService(rasa.client(timeout=0.5), local)

    result = await service.parse("hello")

    assert (result.intent, result.source) == ("greet", "rasa")
    assert local.seen == []
    health = service.health()
    assert not health.degraded
    assert (health.rasa_failures, health.local_answers, health.last_error) == (0, 0, None)


@pytest.mark.parametrize("mode", ["down", "timeout", "500"])
async def test_local_matcher_answers_when_rasa_fails(mode: str, caplog: pytest.LogCaptureFixture) -> None:
    rasa, local = FakeRasa(RASA_GREET, mode=mode), FakeLocal()
    service = NluService(rasa.client(timeout=0.5), local)

    with caplog.at_level(logging.WARNING, logger="nlu.service"):
        result = await service.parse("my parcel is stuck at customs")

    assert (result.intent, result.source) == ("scam_parcel", "local")
    health = service.health()
    assert health.degraded
    assert health.rasa_failures == 1
    assert health.local_answers == 1
    assert health.last_error
    assert any("degraded" in r.getMessage() for r in caplog.records)
    assert "parcel" not in caplog.text  # the user's words are not logged


async def test_a_dead_server_is_skipped_then_retried_and_recovery_is_noticed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rasa, local = FakeRasa(RASA_GREET, mode="down"), FakeLocal()
    service = NluService(rasa.client(timeout=0.5), local, retry_after=0.3)

    await service.parse("one")
    rasa.mode = "up"
    second = await service.parse("two")  # within retry_after: Rasa is not even asked

    assert rasa.calls == 1
    assert second.source == "local"
    assert service.health().degraded

    await asyncio.sleep(0.35)
    with caplog.at_level(logging.INFO, logger="nlu.service"):
        third = await service.parse("three")

    assert third.source == "rasa"
    assert rasa.calls == 2
    assert not service.health().degraded
    assert any("recovered" in r.getMessage() for r in caplog.records)
    assert service.health().rasa_failures == 1  # the history is kept for the health check


async def test_degraded_is_logged_once_not_per_message(caplog: pytest.LogCaptureFixture) -> None:
    service = NluService(FakeRasa(RASA_GREET, mode="down").client(timeout=0.5), FakeLocal(), retry_after=0)

    with caplog.at_level(logging.WARNING, logger="nlu.service"):
        for _ in range(5):
            await service.parse("hello")

    assert service.health().rasa_failures == 5
    assert sum("degraded" in r.getMessage() for r in caplog.records) == 1


async def test_without_rasa_the_service_is_degraded_but_answers() -> None:
    local = FakeLocal(intent="greet")
    service = NluService(None, local)

    result = await service.parse("hi")

    assert result.intent == "greet"
    assert service.health().degraded


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
async def test_empty_text_is_unsure_without_asking_anyone(text: str) -> None:
    rasa, local = FakeRasa(RASA_GREET), FakeLocal()
    service = NluService(rasa.client(timeout=0.5), local)

    result = await service.parse(text)

    assert result.intent == NLU_FALLBACK
    assert rasa.calls == 0 and local.seen == []


async def test_long_text_is_cut_before_the_model() -> None:
    local = FakeLocal()
    service = NluService(None, local)

    await service.parse("  " + "a" * (MAX_NLU_CHARS * 3))

    assert local.seen == ["a" * MAX_NLU_CHARS]


async def test_text_rasa_cannot_encode_does_not_take_rasa_down_for_everyone() -> None:
    """A message with a lone surrogate (broken UTF-16 from a client) must not mark Rasa as down."""
    rasa, local = FakeRasa(RASA_GREET), FakeLocal()
    service = NluService(rasa.client(timeout=0.5), local, retry_after=60)

    first = await service.parse("is this a scam \udcff\udc80")
    after = await service.parse("hello")

    assert first.intent  # answered somehow
    assert after.source == "rasa"
    assert not service.health().degraded


async def test_a_burst_of_local_matches_runs_in_few_batches_and_each_caller_gets_its_own_answer() -> None:
    local = EchoLocal()
    service = NluService(None, local)

    results = await asyncio.gather(*(service.parse(str(n)) for n in range(300)))

    assert [result.intent for result in results] == [f"intent_{n}" for n in range(300)]
    assert sum(local.batches) == 300
    assert len(local.batches) <= 3  # the first text alone, then the rest in batches of at most 256
    assert max(local.batches) <= 256


async def test_a_failing_local_matcher_fails_each_waiting_call_instead_of_leaving_it_hanging() -> None:
    service = NluService(None, BrokenLocal())

    results = await asyncio.gather(service.parse("a"), service.parse("b"), return_exceptions=True)

    assert all(isinstance(result, RuntimeError) for result in results)
