"""The message the intake publishes to its sinks (format version 1).

The format is documented as a JSON Schema in ``intake/schema/case-v1.json``; a test
validates produced messages against it. Each message is a full snapshot of the case at
one event, so a consumer needs no earlier message to act on it:

* ``case.forwarded``: the case was sent to the authorities (at submit, or by an analyst);
* ``case.status_changed``: an analyst changed the status of a forwarded case.

Every message carries an ``idempotency_key`` (``"<case number>:<sequence>"``) that is
the same on every retry and every sink, and a per-case ``sequence`` that orders them.
Only what the intake needs is included: the reporter's Telegram id never is, and their
contact only when they agreed to be contacted.

Pure functions.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storage.reports import CaseRecord, IndicatorRecord

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "case-v1.json"
EVENTS = ("case.forwarded", "case.status_changed")


def timestamp(value: datetime | None) -> str | None:
    """RFC 3339 UTC text (``2026-01-05T08:30:00Z``), or None."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def idempotency_key(case_number: str, sequence: int) -> str:
    """The key of a case's ``sequence``-th message: identical across retries and sinks."""
    return f"{case_number}:{sequence}"


def _money(case: CaseRecord) -> dict[str, Any] | None:
    if case.money_amount is None:
        return None
    return {
        "amount": case.money_amount,
        "currency": case.money_currency,
        "method": case.money_method,
        "bank": case.money_bank,
    }


def build_message(
    case: CaseRecord,
    *,
    indicators: Sequence[IndicatorRecord],
    campaign_reports: int,
    event: str,
    sequence: int,
    event_at: datetime,
) -> dict[str, Any]:
    """Build the version-1 message for one event of a case.

    Args:
        case: The case as stored (after the event).
        indicators: Its indicators with their counts.
        campaign_reports: Reports in the case's campaign.
        event: One of :data:`EVENTS`.
        sequence: The case's message number (1, 2, ...).
        event_at: When the event happened.

    Returns:
        A JSON-ready dict matching ``case-v1.json``.
    """
    if event not in EVENTS:
        raise ValueError(f"event {event!r} is not one of {EVENTS}")
    contact = dict(case.contact) if case.contact_ok and case.contact is not None else None
    return {
        "schema_version": SCHEMA_VERSION,
        "event": event,
        "idempotency_key": idempotency_key(case.case_number, sequence),
        "sequence": sequence,
        "event_at": timestamp(event_at),
        "case": {
            "case_number": case.case_number,
            "created_at": timestamp(case.created_at),
            "status": case.status,
            "priority": case.priority,
            "routing": case.routing,
            "routing_reasons": list(case.routing_reasons),
            "scam_type": case.scam_type,
            "language": case.language,
            "occurred_at": timestamp(case.occurred_at),
            "contact_channel": case.contact_channel,
            "money_lost": _money(case),
            "evidence": {
                "texts": list(case.evidence.get("texts", [])),
                "links": list(case.evidence.get("links", [])),
                "files": [dict(f) for f in case.evidence.get("files", [])],
            },
            "indicators": [
                {
                    "kind": i.kind,
                    "value": i.value,
                    "provenance": i.provenance,
                    "report_count": i.report_count,
                    "reporter_count": i.reporter_count,
                }
                for i in indicators
            ],
            "classifier": {"score": case.classifier_score, "signals": list(case.signals)},
            "credibility": {
                "score": case.credibility,
                "reasons": [dict(r) for r in case.credibility_reasons],
            },
            "campaign": None
            if case.campaign_id is None
            else {"id": case.campaign_id, "report_count": campaign_reports},
            "situation": None if case.situation is None else dict(case.situation),
            "reporter": {
                "relation": case.relation,
                "korean_national": case.korean_national,
                "contact_ok": case.contact_ok,
                "contact": contact,
            },
        },
    }


def scrub_contact(payload: Any) -> Any:
    """Return the payload without the reporter's contact (for the retention purge)."""
    if not isinstance(payload, Mapping):
        return payload
    reporter = payload.get("case", {}).get("reporter") if isinstance(payload.get("case"), Mapping) else None
    if not isinstance(reporter, Mapping) or reporter.get("contact") is None:
        return payload
    scrubbed = copy.deepcopy(dict(payload))
    scrubbed["case"]["reporter"]["contact"] = None
    return scrubbed


def encode(payload: Mapping[str, Any]) -> bytes:
    """Canonical UTF-8 JSON bytes of a message (sorted keys, no spaces)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def load_schema() -> dict[str, Any]:
    """The published JSON Schema of version 1."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
