"""Intake: reports become scored, routed, de-duplicated cases, delivered to the authorities.

Public API::

    service = IntakeService(db, IntakeConfig(sinks=(SinkRoute("jsonl"),)))
    receipt = await service.submit(ReportDraft(reporter_id=..., language="km", ...))
    info = await service.lookup("phone", "+85512345678")      # "N people reported this"
    similar = await service.similar_reports(entities, text=message)
    cases = await service.my_cases(reporter_id)
    change = await service.set_status("KH-2026-000123", "closed", by="analyst")

    dispatcher = Dispatcher(db, [JsonlSink(path), AmqpSink(url, queue), WebhookSink(url, secret)])
    await dispatcher.drain()          # or: await dispatcher.run_forever(stop=event)

The message format is ``intake/schema/case-v1.json``. Nothing here imports Telegram or
the classifier: callers pass the classifier's output as an :class:`Assessment`.
"""

from intake.dispatch import Backoff, Dispatcher, DispatchReport
from intake.indicators import INDICATOR_KINDS, indicators_from_entities, normalise_indicator
from intake.message import SCHEMA_PATH, SCHEMA_VERSION, build_message, load_schema
from intake.model import (
    CASE_STATUSES,
    PRIORITIES,
    RELATIONS,
    ROUTINGS,
    Assessment,
    CaseReceipt,
    CaseSummary,
    Contact,
    Evidence,
    EvidenceFile,
    IndicatorInfo,
    IntakeStats,
    MoneyLost,
    Notice,
    Reason,
    ReportDraft,
    SignalRef,
    SimilarReports,
    Situation,
    StatusChange,
)
from intake.routing import Routing, RoutingFacts, RoutingRules, route
from intake.scoring import Credibility, ScoringInputs, ScoringWeights, score_report
from intake.service import CaseDetail, CaseNotFoundError, IntakeConfig, IntakeService, SinkRoute
from intake.sinks import AmqpSink, Delivery, JsonlSink, Sink, WebhookSink, read_messages, sign, verify_signature

__all__ = [
    "CASE_STATUSES",
    "INDICATOR_KINDS",
    "PRIORITIES",
    "RELATIONS",
    "ROUTINGS",
    "SCHEMA_PATH",
    "SCHEMA_VERSION",
    "AmqpSink",
    "Assessment",
    "Backoff",
    "CaseDetail",
    "CaseNotFoundError",
    "CaseReceipt",
    "CaseSummary",
    "Contact",
    "Credibility",
    "Delivery",
    "DispatchReport",
    "Dispatcher",
    "Evidence",
    "EvidenceFile",
    "IndicatorInfo",
    "IntakeConfig",
    "IntakeService",
    "IntakeStats",
    "JsonlSink",
    "MoneyLost",
    "Notice",
    "Reason",
    "ReportDraft",
    "Routing",
    "RoutingFacts",
    "RoutingRules",
    "ScoringInputs",
    "ScoringWeights",
    "SignalRef",
    "SimilarReports",
    "Sink",
    "SinkRoute",
    "Situation",
    "StatusChange",
    "WebhookSink",
    "build_message",
    "indicators_from_entities",
    "load_schema",
    "normalise_indicator",
    "read_messages",
    "route",
    "score_report",
    "sign",
    "verify_signature",
]
