"""Flat rows of cases for analysts' CSV and JSON exports (no reporter data).

Pure functions. Exports leave out the reporter's Telegram id, contact and the evidence
texts; ``scambot intake show`` displays those for one case when needed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from intake.message import timestamp
from intake.model import IndicatorInfo
from storage.reports import CaseRecord

CSV_FIELDS = (
    "case_number",
    "created_at",
    "status",
    "priority",
    "routing",
    "scam_type",
    "language",
    "credibility",
    "campaign_id",
    "money_amount",
    "money_currency",
    "money_method",
    "contact_channel",
    "occurred_at",
    "relation",
    "korean_national",
    "evidence_texts",
    "evidence_links",
    "evidence_files",
    "indicators",
    "forwarded_at",
)


def case_row(case: CaseRecord, indicators: Sequence[IndicatorInfo] = ()) -> dict[str, Any]:
    """One case as a flat dict with the :data:`CSV_FIELDS` keys."""
    evidence = case.evidence or {}
    return {
        "case_number": case.case_number,
        "created_at": timestamp(case.created_at),
        "status": case.status,
        "priority": case.priority,
        "routing": case.routing,
        "scam_type": case.scam_type,
        "language": case.language,
        "credibility": case.credibility,
        "campaign_id": case.campaign_id,
        "money_amount": case.money_amount,
        "money_currency": case.money_currency,
        "money_method": case.money_method,
        "contact_channel": case.contact_channel,
        "occurred_at": timestamp(case.occurred_at),
        "relation": case.relation,
        "korean_national": case.korean_national,
        "evidence_texts": len(evidence.get("texts", [])),
        "evidence_links": len(evidence.get("links", [])),
        "evidence_files": len(evidence.get("files", [])),
        "indicators": " ".join(f"{i.kind}:{i.value}" for i in indicators),
        "forwarded_at": timestamp(case.forwarded_at),
    }


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    """CSV text with a header line."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()
