"""Schema of the campaign content, as strict pydantic models.

Staff edit the YAML by hand, so every mistake must surface as a clear message before
the public sees anything: unknown fields are rejected, strings must not be blank, links
must be https and phone numbers must really be phone numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Annotated, Literal
from urllib.parse import urlsplit

import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    field_validator,
    model_validator,
)

LANGUAGES: tuple[str, ...] = ("km", "ko", "en")
"""Languages the campaign publishes in; English is the fallback."""

FALLBACK_LANGUAGE = "en"

SCAM_TYPE_KEYS: tuple[str, ...] = (
    "job_offer",
    "trafficking",
    "investment",
    "romance",
    "phishing",
    "impersonation",
    "parcel",
    "loan",
    "lottery",
    "sextortion",
)
"""The ten scam types, in the order the public sees them."""

ARTICLE_KEYS: tuple[str, ...] = (
    "what_is_scam",
    "how_to_protect",
    "how_to_report",
    "scammed_what_now",
    "legal_work_routes",
    "urgent_safety",
)
"""The six articles, in the order the public sees them."""

SIGNAL_IDS: tuple[str, ...] = (
    "urgency_threat",
    "asks_for_code",
    "upfront_fee",
    "guaranteed_returns",
    "lookalike_domain",
    "punycode_domain",
    "known_phishing_domain",
    "url_shortener",
    "ip_host",
    "apk_link",
    "job_free_travel",
    "job_passport_held",
    "job_tourist_visa",
    "job_high_salary",
    "job_vague_employer",
    "job_chat_only_contact",
    "job_compound_area",
    "impersonation_authority",
    "remote_access_app",
    "gift_card_or_crypto_payment",
    "secrecy_request",
    "blackmail_threat",
    "prize_claim",
    "parcel_problem",
    "loan_offer",
    "premium_rate",
    "call_forwarding_code",
)
"""The classifier's red-flag signal ids (``classifier.signals.SIGNAL_IDS``; a test keeps
them equal). Kept here too because content must not import the classifier."""

VERDICT_KEYS: tuple[str, ...] = ("scam", "suspicious", "no_signs")
"""The three verdicts of a message check."""

JOB_QUESTIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "destination": ("cambodia", "thailand", "myanmar", "laos", "korea", "other"),
        "travel": ("employer_pays", "i_pay_fee", "i_pay_ticket", "not_sure"),
        "passport": ("i_keep", "they_keep", "not_discussed"),
        "visa": ("work_visa", "tourist_visa", "not_told"),
        "salary": ("usual", "much_higher", "not_stated"),
        "contact": ("office", "chat_only", "friend"),
        "agency": ("licensed", "unlicensed", "not_sure"),
    }
)
"""The job-offer check: question id -> option ids, both in the order the user sees them.
The job-offer journey's code depends on these ids."""

JOB_FLAG_IDS: tuple[str, ...] = (
    "free_travel",
    "passport_held",
    "tourist_visa",
    "no_visa_info",
    "salary_too_high",
    "chat_only",
    "unlicensed_agency",
    "risky_destination",
    "not_eps_korea",
    "fee_upfront",
)
"""Red flags the job-offer check can raise; each has a one-sentence explanation."""

RISK_LEVELS: tuple[str, ...] = ("low", "medium", "high")
"""Risk levels of the job-offer check, lowest first."""


def job_check_paths(data: object) -> tuple[str, ...]:
    """The ids a job-check mapping holds, as dotted paths, in file order.

    Lenient on purpose: it reads whatever shape is there, so the check can compare
    languages even when a file fails validation.

    Args:
        data: The parsed ``job_check.yml`` (or a `JobCheck` dumped to a dict).

    Returns:
        Paths like ``"questions.visa"``, ``"questions.visa.options.work_visa"``,
        ``"flags.chat_only"`` and ``"risk.high"``.
    """
    if not isinstance(data, Mapping):
        return ()
    paths: list[str] = []
    questions = data.get("questions")
    if isinstance(questions, Mapping):
        for question, entry in questions.items():
            paths.append(f"questions.{question}")
            options = entry.get("options") if isinstance(entry, Mapping) else None
            if isinstance(options, Mapping):
                paths.extend(f"questions.{question}.options.{option}" for option in options)
    for section in ("flags", "risk"):
        part = data.get(section)
        if isinstance(part, Mapping):
            paths.extend(f"{section}.{key}" for key in part)
    return tuple(paths)


JOB_CHECK_KEYS: tuple[str, ...] = job_check_paths(
    {
        "questions": {q: {"options": dict.fromkeys(opts)} for q, opts in JOB_QUESTIONS.items()},
        "flags": dict.fromkeys(JOB_FLAG_IDS),
        "risk": dict.fromkeys(RISK_LEVELS),
    }
)
"""Every id ``job_check.yml`` must hold, as dotted paths (see `job_check_paths`)."""

TOPICS: tuple[str, ...] = ("urgent", "police", "consular", "fraud_report", "bank", "cyber", "job")

Topic = Literal["urgent", "police", "consular", "fraud_report", "bank", "cyber", "job"]
Country = Literal["KR", "KH"]
Status = Literal["confirmed", "to_verify"]
Confidence = Literal["official", "news", "unconfirmed"]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A non-blank string (surrounding whitespace is dropped)."""

_PHONE_CHARS = re.compile(r"^\+?[0-9][0-9 \-()]*[0-9]$")
_SHORT_CODE = re.compile(r"^[0-9]{3,4}$")
_TELEGRAM_HANDLE = re.compile(r"^@[A-Za-z][A-Za-z0-9_]{4,31}$")


def parse_phone(value: str, region: str | None = None) -> phonenumbers.PhoneNumber | None:
    """Parse a full phone number, or return None for a 3–4 digit short code.

    Args:
        value: "+855-979-117-117", "02-3210-0404" (needs ``region``) or "117".
        region: ISO country code used when ``value`` has no leading "+".

    Returns:
        The parsed number, or None when ``value`` is a short code such as "112".

    Raises:
        ValueError: if ``value`` is neither a short code nor a valid phone number.
    """
    text = value.strip()
    if not _PHONE_CHARS.match(text):
        raise ValueError(f"{value!r} is not a phone number: use digits, spaces, '-' and a leading '+'")
    digits = re.sub(r"\D", "", text)
    if not text.startswith("+") and _SHORT_CODE.match(digits):
        return None
    if not text.startswith("+") and region is None:
        raise ValueError(f"{value!r}: write the full number with its country code, e.g. +855-...")
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{value!r} is not a phone number ({exc})") from None
    if not phonenumbers.is_valid_number(number):
        where = f" in {region}" if region and not text.startswith("+") else ""
        raise ValueError(f"{value!r} is not a valid phone number{where}")
    return number


def check_url(value: str) -> str:
    """Return ``value`` unchanged if it is a plain https link, else raise ValueError."""
    if any(ch.isspace() for ch in value):
        raise ValueError(f"{value!r}: a link must not contain spaces")
    parts = urlsplit(value)
    if parts.scheme != "https":
        raise ValueError(f"{value!r}: links must start with https://")
    host = parts.hostname or ""
    if "." not in host or host.startswith(".") or host.endswith("."):
        raise ValueError(f"{value!r}: the link has no valid host name")
    if parts.username or parts.password:
        raise ValueError(f"{value!r}: a link must not contain a user name or password")
    return value


def _phone_text(value: object) -> object:
    # YAML reads `phone: 112` as an int; accept it so staff need not remember quotes.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


HttpsUrl = Annotated[Text, AfterValidator(check_url)]
PhoneText = Annotated[Text, BeforeValidator(_phone_text)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScamType(_Strict):
    """One scam type, as taught to the public."""

    title: Text
    summary: Text
    how_it_works: Text
    warning_signs: list[Text] = Field(min_length=4, max_length=7)
    example: Text
    what_to_do: list[Text] = Field(min_length=3, max_length=6)


class Article(_Strict):
    """A short article; ``steps`` is empty or has 3–7 bullets."""

    title: Text
    body: Text
    steps: list[Text]

    @field_validator("steps")
    @classmethod
    def _steps_count(cls, steps: list[str]) -> list[str]:
        if steps and not 3 <= len(steps) <= 7:
            raise ValueError(f"steps must be empty or have 3 to 7 items, not {len(steps)}")
        return steps


class ContactText(_Strict):
    """The name and one-line description of a contact in one language."""

    name: Text
    description: Text


class Contact(_Strict):
    """Language-neutral facts about an official contact (content/contacts.yml)."""

    phone: PhoneText | None
    url: HttpsUrl | None
    telegram: PhoneText | None
    country: Country
    for_korean_nationals: StrictBool
    topics: list[Topic] = Field(min_length=1)
    hours: Text | None
    status: Status
    source: Text
    source_date: date | None
    confidence: Confidence
    verified_on: date | None
    verified_by: Text | None
    note: Text | None = None
    """Staff-only remark; never shown to the public."""

    @field_validator("topics")
    @classmethod
    def _unique_topics(cls, topics: list[str]) -> list[str]:
        if len(set(topics)) != len(topics):
            raise ValueError("topics are listed more than once")
        return topics

    @model_validator(mode="after")
    def _consistent(self) -> Contact:
        if self.phone is not None:
            parse_phone(self.phone, self.country)
        is_handle = self.telegram is not None and _TELEGRAM_HANDLE.match(self.telegram)
        if self.telegram is not None and not is_handle and parse_phone(self.telegram, self.country) is None:
            raise ValueError("telegram must be a full phone number or an @handle, not a short code")
        if self.status == "confirmed":
            if self.source_date is None:
                raise ValueError("a confirmed contact needs a source_date: the public always sees it")
            if self.confidence == "unconfirmed":
                raise ValueError("a contact with confidence 'unconfirmed' cannot be status 'confirmed'")
        if (self.verified_on is None) != (self.verified_by is None):
            raise ValueError("set verified_on and verified_by together")
        return self


class SignalText(_Strict):
    """How a red-flag signal is explained on the check card."""

    title: Text
    """A few words, e.g. "Pressure to act now"."""
    explanation: Text
    """One short sentence saying why it is a warning sign."""


class VerdictText(_Strict):
    """The heading and "what to do now" of one verdict on the check card."""

    title: Text
    advice: list[Text] = Field(min_length=2, max_length=4)


class JobQuestion(_Strict):
    """One question of the job-offer check, answered with one tap."""

    question: Text
    options: dict[str, Text] = Field(min_length=1)
    """Option id -> button label."""


class RiskText(_Strict):
    """The result of the job-offer check at one risk level."""

    title: Text
    advice: list[Text] = Field(min_length=2, max_length=5)


class JobCheck(_Strict):
    """Texts of the guided job-offer check (``job_check.yml``).

    From `content.catalogue.ContentCatalogue.job_check` it is complete: every id of
    `JOB_QUESTIONS`, `JOB_FLAG_IDS` and `RISK_LEVELS` is present, in that order.
    """

    intro: Text
    """Shown before the first question."""
    paste_offer: Text
    """Invites the user to paste the offer's text, or skip."""
    skip: Text
    """Label of the Skip button."""
    questions: dict[str, JobQuestion] = Field(min_length=1)
    flags: dict[str, Text] = Field(min_length=1)
    """Flag id -> one-sentence explanation."""
    risk: dict[str, RiskText] = Field(min_length=1)
    """Risk level (low, medium, high) -> title and advice."""
