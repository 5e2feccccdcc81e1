"""Published messages match the documented JSON Schema (intake/schema/case-v1.json)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from intake import Dispatcher, Evidence, IntakeService, JsonlSink, Situation, load_schema, read_messages
from intake.model import EvidenceFile
from storage import Database
from tests.intake.factories import contact, credible_draft, weak_draft
from tests.intake.schema_check import errors
from tests.storage.support import FakeClock


@pytest.fixture
async def messages(service: IntakeService, db: Database, clock: FakeClock, tmp_path: Path) -> list[dict]:
    """Messages of varied cases, as a consumer reads them from the JSONL sink."""
    a = await service.submit(credible_draft(contact_ok=True, contact=contact()))
    await service.submit(credible_draft(reporter_id=2, language="ko", korean_national=True, relation="family"))
    urgent = weak_draft(
        reporter_id=3,
        urgent=True,
        evidence=Evidence(files=(EvidenceFile("BQACAgUAAx", "document", "passport"),)),
        situation=Situation(place="Building 4, Sihanoukville", latitude=10.6, longitude=103.5, people=2),
    )
    await service.submit(urgent)
    await service.set_status(a.case_number, "closed", by="analyst")
    sink = JsonlSink(tmp_path / "cases.jsonl")
    await Dispatcher(db, [sink], clock=clock).drain()
    return list(read_messages(sink.path))


async def test_every_produced_message_matches_the_schema(messages: list[dict]) -> None:
    schema = load_schema()
    assert len(messages) == 4
    for message in messages:
        assert errors(message, schema) == [], message["idempotency_key"]
    assert {m["event"] for m in messages} == {"case.forwarded", "case.status_changed"}
    assert {m["schema_version"] for m in messages} == {1}


async def test_messages_carry_a_contact_only_with_consent_and_never_the_telegram_id(messages: list[dict]) -> None:
    for message in messages:
        reporter = message["case"]["reporter"]
        assert (reporter["contact"] is not None) == reporter["contact_ok"]
        text = json.dumps(message)
        assert "reporter_id" not in text and '"100"' not in text


async def test_the_checker_rejects_what_the_schema_forbids(messages: list[dict]) -> None:
    schema = load_schema()
    leaked = copy.deepcopy(next(m for m in messages if not m["case"]["reporter"]["contact_ok"]))
    leaked["case"]["reporter"]["contact"] = {"method": "phone", "value": "+85511", "safe_time": None, "name": None}
    assert any("contact" in e for e in errors(leaked, schema))

    unknown = copy.deepcopy(messages[0])
    unknown["case"]["reporter_id"] = 100
    assert errors(unknown, schema) == ["$.case: unexpected property 'reporter_id'"]

    wrong = copy.deepcopy(messages[0])
    wrong["schema_version"] = 2
    del wrong["case"]["routing"]
    assert len(errors(wrong, schema)) == 2


def test_the_schema_file_documents_each_top_level_field() -> None:
    schema = load_schema()
    for name, prop in schema["properties"].items():
        assert "description" in prop or "$ref" in prop, name
    assert schema["properties"]["schema_version"] == {
        "const": 1,
        "description": schema["properties"]["schema_version"]["description"],
    }
