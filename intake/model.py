"""The intake's public data: what a caller hands in, and what it gets back.

All are frozen dataclasses. Fields that hold reporters' words or contact details are
left out of ``repr`` so that an accidental log line cannot leak them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

CASE_STATUSES = ("received", "forwarded", "under_review", "closed", "rejected")
"""``received``: kept for an analyst; ``forwarded``: sent to the authorities' intake."""
PRIORITIES = ("urgent", "normal")
ROUTINGS = ("kh", "kr", "both")
"""``kh``: Cambodian authorities; ``kr``: the Korean consular side; ``both``."""
RELATIONS = ("self", "family", "friend", "other")
"""Who the reporter is to the victim (``family``/``friend``: reporting for someone else)."""
SEVERITIES = ("low", "medium", "high")
FILE_TYPES = ("photo", "document", "video", "audio", "voice", "animation", "video_note", "sticker")
MAX_TEXTS = 20
MAX_TEXT_CHARS = 8000
MAX_FILES = 30


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if not isinstance(value, tuple) else value


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """A photo or document the reporter sent, kept by Telegram and referenced by id.

    Attributes:
        file_id: Telegram ``file_id`` (the bot can download it again later).
        type: One of :data:`FILE_TYPES`.
        purpose: What it shows, e.g. ``"screenshot"``, ``"building"``, ``"passport"``,
            ``"person"`` (free text, for rescuers and analysts).
    """

    file_id: str
    type: str = "photo"
    purpose: str | None = None

    def __post_init__(self) -> None:
        if not self.file_id or len(self.file_id) > 256:
            raise ValueError("file_id must be 1-256 characters")
        if self.type not in FILE_TYPES:
            raise ValueError(f"file type {self.type!r} is not one of {FILE_TYPES}")


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the reporter showed: message texts, links and files."""

    texts: tuple[str, ...] = field(default=(), repr=False)
    links: tuple[str, ...] = field(default=(), repr=False)
    files: tuple[EvidenceFile, ...] = ()

    def __post_init__(self) -> None:
        for name in ("texts", "links", "files"):
            object.__setattr__(self, name, _tuple(getattr(self, name)))
        if len(self.texts) > MAX_TEXTS or any(len(t) > MAX_TEXT_CHARS for t in self.texts):
            raise ValueError(f"at most {MAX_TEXTS} texts of {MAX_TEXT_CHARS} characters each")
        if len(self.files) > MAX_FILES:
            raise ValueError(f"at most {MAX_FILES} files")

    @property
    def empty(self) -> bool:
        """True when nothing at all was shown."""
        return not (any(t.strip() for t in self.texts) or self.links or self.files)

    def to_json(self) -> dict[str, Any]:
        """The stored and published form."""
        return {
            "texts": list(self.texts),
            "links": list(self.links),
            "files": [{"file_id": f.file_id, "type": f.type, "purpose": f.purpose} for f in self.files],
        }


@dataclass(frozen=True, slots=True)
class MoneyLost:
    """Money the victim paid.

    Attributes:
        amount: Positive amount.
        currency: ISO 4217 code such as ``"USD"``, ``"KHR"``, ``"KRW"``, or ``"USDT"``.
        method: How it was paid, e.g. ``"bank_transfer"``, ``"wallet"``, ``"crypto"``, ``"cash"``.
        bank: The bank or wallet app used, when known (e.g. ``"ABA"``, ``"KB"``); routing reads it.
    """

    amount: Decimal
    currency: str
    method: str | None = None
    bank: str | None = None

    def __post_init__(self) -> None:
        try:
            amount = Decimal(str(self.amount))
        except InvalidOperation:
            raise ValueError(f"amount {self.amount!r} is not a number") from None
        if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e15"):
            raise ValueError(f"amount {self.amount!r} must be positive and below 10^15")
        object.__setattr__(self, "amount", amount)
        currency = self.currency.strip().upper()
        if not (2 <= len(currency) <= 8 and currency.isalnum()):
            raise ValueError(f"currency {self.currency!r} must be a code like USD, KHR or KRW")
        object.__setattr__(self, "currency", currency)
        if self.method is not None and len(self.method) > 32:
            raise ValueError("payment method must be at most 32 characters")
        if self.bank is not None and len(self.bank) > 64:
            raise ValueError("bank must be at most 64 characters")


CONTACT_METHODS = ("telegram", "phone", "email", "kakao", "line", "whatsapp", "signal", "other")


@dataclass(frozen=True, slots=True)
class Contact:
    """How the reporter agreed to be contacted (kept only with ``contact_ok``).

    Attributes:
        method: One of :data:`CONTACT_METHODS`.
        value: The number, handle or address (never in ``repr``).
        safe_time: When it is safe to call or write, in the reporter's words.
        name: How to address them, if they gave a name.
    """

    method: str
    value: str = field(repr=False)
    safe_time: str | None = field(default=None, repr=False)
    name: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.method not in CONTACT_METHODS:
            raise ValueError(f"contact method {self.method!r} is not one of {CONTACT_METHODS}")
        if not self.value.strip() or len(self.value) > 256:
            raise ValueError("contact value must be 1-256 characters")

    def to_json(self) -> dict[str, Any]:
        """The stored and published form."""
        return {"method": self.method, "value": self.value, "safe_time": self.safe_time, "name": self.name}


@dataclass(frozen=True, slots=True)
class Situation:
    """Where a person in danger is and what rescuers should know (urgent cases).

    Attributes:
        place: Typed address or compound name.
        latitude: Shared location, if any.
        longitude: Shared location, if any.
        people: How many people are held or in danger.
        passports_held: True when passports were taken.
    """

    place: str | None = field(default=None, repr=False)
    latitude: float | None = field(default=None, repr=False)
    longitude: float | None = field(default=None, repr=False)
    people: int | None = None
    passports_held: bool | None = None

    def __post_init__(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give both latitude and longitude, or neither")
        if self.latitude is not None and not (-90 <= self.latitude <= 90 and -180 <= self.longitude <= 180):  # type: ignore[operator]
            raise ValueError("latitude/longitude out of range")
        if self.people is not None and not 0 < self.people < 100_000:
            raise ValueError(f"people must be a positive count, not {self.people!r}")
        if self.place is not None and len(self.place) > 1000:
            raise ValueError("place must be at most 1000 characters")

    def to_json(self) -> dict[str, Any]:
        """The stored and published form."""
        location = None if self.latitude is None else {"latitude": self.latitude, "longitude": self.longitude}
        return {
            "place": self.place,
            "location": location,
            "people": self.people,
            "passports_held": self.passports_held,
        }


@dataclass(frozen=True, slots=True)
class SignalRef:
    """A red flag the classifier found: its id and severity (``low``/``medium``/``high``)."""

    id: str
    severity: str = "medium"

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} is not one of {SEVERITIES}")


@dataclass(frozen=True, slots=True)
class Assessment:
    """The classifier's output for the evidence, computed by the caller.

    Attributes:
        score: Probability that the evidence is a scam (0..1), or None when not checked.
        signals: Red flags found.
        entities: Extracted values by kind, e.g. ``{"phone": ["+85512345678"], "url": [...]}``
            (the classifier's ``Entities.by_kind()``). A ``bank`` kind with bank names
            (``["ABA"]``, ``["KB"]``) is used for routing, not stored as an indicator.
        scam_type: The classifier's guess of the scam type, used when the reporter chose none.
    """

    score: float | None = None
    signals: tuple[SignalRef, ...] = ()
    entities: Mapping[str, Sequence[str]] = field(default_factory=dict, repr=False)
    scam_type: str | None = None

    def __post_init__(self) -> None:
        if self.score is not None and not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score!r} must be between 0 and 1")
        object.__setattr__(self, "signals", _tuple(self.signals))
        object.__setattr__(self, "entities", {str(k): tuple(v) for k, v in dict(self.entities).items()})


@dataclass(frozen=True, slots=True)
class ReportDraft:
    """A report the reporter confirmed, ready to become a case.

    Attributes:
        reporter_id: Telegram user id of the reporter.
        language: Language of the conversation (``km``, ``ko``, ``en``).
        evidence: Texts, links and files.
        assessment: The classifier's score, signals and entities for the evidence.
        scam_type: What happened, as chosen by the reporter (falls back to the classifier's).
        money_lost: Money paid, if any.
        occurred_at: When it happened (aware datetime), if known.
        contact_channel: How the scammer made contact (``telegram``, ``facebook``, ``sms``, ...).
        contact_ok: The reporter agrees to be contacted.
        share_with_authorities: The reporter agrees that the case goes to the authorities.
            Without it, the case is kept for analysts and statistics only.
        contact: How to contact the reporter; requires ``contact_ok``.
        korean_national: The victim is a Korean national (routes to the Korean side).
        relation: Who the reporter is to the victim, one of :data:`RELATIONS`.
        urgent: Someone is in danger now: skips the credibility threshold, top priority.
        situation: Location and details for rescuers (urgent cases).
        submission_key: Caller-chosen id of this report (e.g. made when the conversation
            started); submitting the same key again returns the first case.
    """

    reporter_id: int
    language: str
    evidence: Evidence = field(default_factory=Evidence)
    assessment: Assessment = field(default_factory=Assessment)
    scam_type: str | None = None
    money_lost: MoneyLost | None = None
    occurred_at: datetime | None = None
    contact_channel: str | None = None
    contact_ok: bool = False
    share_with_authorities: bool = False
    contact: Contact | None = None
    korean_national: bool | None = None
    relation: str = "self"
    urgent: bool = False
    situation: Situation | None = None
    submission_key: str | None = None

    def __post_init__(self) -> None:
        if not self.language or len(self.language) > 16:
            raise ValueError(f"language {self.language!r} must be a short code like km, ko or en")
        if self.contact is not None and not self.contact_ok:
            raise ValueError("a contact was given without contact_ok consent")
        if self.relation not in RELATIONS:
            raise ValueError(f"relation {self.relation!r} is not one of {RELATIONS}")
        if self.occurred_at is not None and self.occurred_at.utcoffset() is None:
            raise ValueError("occurred_at must be timezone-aware")
        if self.submission_key is not None and not 1 <= len(self.submission_key) <= 64:
            raise ValueError("submission_key must be 1-64 characters")
        for name, limit in (("scam_type", 64), ("contact_channel", 32)):
            value = getattr(self, name)
            if value is not None and len(value) > limit:
                raise ValueError(f"{name} must be at most {limit} characters")


@dataclass(frozen=True, slots=True)
class Reason:
    """One line of a credibility score's explanation.

    Attributes:
        code: Stable id, e.g. ``"classifier"``, ``"red_flags"``, ``"known_indicator"``.
        points: What it added to (or took from) the score.
        detail: Short explanation without personal data (counts, kinds, signal ids).
    """

    code: str
    points: float
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        """The stored and published form."""
        return {"code": self.code, "points": round(self.points, 4), "detail": self.detail}


@dataclass(frozen=True, slots=True)
class CaseReceipt:
    """What the reporter is told after submitting.

    Attributes:
        case_number: Public number such as ``"KH-2026-000123"``.
        status: ``forwarded`` or ``received`` (kept for an analyst).
        priority: ``urgent`` or ``normal``.
        routing: ``kh``, ``kr`` or ``both``.
        credibility: Score 0..1.
        reasons: Why the score is what it is.
        forwarded: True when the case was queued for the authorities' intake.
        campaign_id: The campaign the case joined.
        campaign_reports: Reports in that campaign, this one included.
        duplicate: True when this submission key was already stored: nothing new was written.
    """

    case_number: str
    status: str
    priority: str
    routing: str
    credibility: float
    reasons: tuple[Reason, ...]
    forwarded: bool
    campaign_id: int | None
    campaign_reports: int
    duplicate: bool = False


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One line of ``/mycases``."""

    case_number: str
    created_at: datetime
    status: str
    priority: str
    scam_type: str | None


@dataclass(frozen=True, slots=True)
class IndicatorInfo:
    """What the bot may say about a number, account, wallet, domain or handle.

    Attributes:
        kind: Indicator kind.
        value: Normalised value.
        provenance: ``crowd`` (reported by users, not verified) or ``confirmed`` (by an analyst).
        report_count: Reports that mention it (rejected ones excluded).
        reporter_count: Distinct people who reported it: "N people reported this".
        first_seen: First report.
        last_seen: Latest report.
        removal_requested: Someone disputes it; an analyst is reviewing.
    """

    kind: str
    value: str
    provenance: str
    report_count: int
    reporter_count: int
    first_seen: datetime
    last_seen: datetime
    removal_requested: bool


@dataclass(frozen=True, slots=True)
class SimilarReports:
    """Earlier reports that match a message (shared indicators or near-identical text).

    Attributes:
        report_count: Reports in the matching campaigns.
        reporter_count: Distinct people behind them: "N people reported this".
        campaign_ids: The matching campaigns.
        indicators: The message's indicators that were reported before.
    """

    report_count: int
    reporter_count: int
    campaign_ids: tuple[int, ...]
    indicators: tuple[IndicatorInfo, ...]


@dataclass(frozen=True, slots=True)
class StatusChange:
    """The result of an analyst's status change: whom to tell, in which language.

    Attributes:
        case_number: The case.
        from_status: Status before.
        to_status: Status now.
        reporter_id: Telegram user id to notify.
        language: The reporter's language.
        history_id: Id of the history row (pass it to ``mark_notified`` once told).
        forwarded: True when this change queued the case for the authorities.
    """

    case_number: str
    from_status: str
    to_status: str
    reporter_id: int
    language: str
    history_id: int
    forwarded: bool


@dataclass(frozen=True, slots=True)
class Notice:
    """A status change the reporter has not been told about yet."""

    history_id: int
    case_number: str
    reporter_id: int
    language: str
    status: str
    changed_at: datetime


@dataclass(frozen=True, slots=True)
class IntakeStats:
    """Counts for campaign staff and analysts (week = ISO week ``2026-W03``)."""

    total: int
    by_type: Mapping[str, int]
    by_language: Mapping[str, int]
    by_week: Mapping[str, int]
    by_status: Mapping[str, int]
    by_routing: Mapping[str, int]
    urgent: int

    def to_json(self) -> dict[str, Any]:
        """Plain JSON form."""
        return {
            "total": self.total,
            "urgent": self.urgent,
            "by_type": dict(self.by_type),
            "by_language": dict(self.by_language),
            "by_week": dict(self.by_week),
            "by_status": dict(self.by_status),
            "by_routing": dict(self.by_routing),
        }
