"""Check a message: signals and model combined into one verdict a person can act on.

``check_text`` is a pure function of the text and the model: no I/O, no globals. It works
without a model (signals only), so the bot can answer even before a model is trained.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from classifier.entities import Entities
from classifier.features import Analysis, analyse, signal_score
from classifier.model import ModelOutput, ScamModel
from classifier.signals import Signal

__all__ = ["VERDICTS", "CheckResult", "check_many", "check_text", "decide"]

VERDICTS = ("scam", "suspicious", "no_signs")

# With a model, "scam" starts at the model's own threshold: chosen in training from
# out-of-fold calibrated scores (see classifier.train) (0.5 for a bare link, which
# the URL model judges); "suspicious" starts at SUSPICIOUS_FRACTION of it.
SUSPICIOUS_FRACTION = 0.6
# Signals-only mode (no model): noisy-or of severities; two high flags make a scam.
RULES_SCAM_AT = 0.6
RULES_SUSPICIOUS_AT = 0.2
# Signals that are near-proof on their own.
_DECISIVE = {"known_phishing_domain"}
# Strong technical red flags: never answer "no signs" when one is present.
# A forwarding code has no honest reason to arrive in a message from a stranger, and the
# training data has none, so the model cannot weigh it: the rule keeps it visible.
_STRONG = {"lookalike_domain", "punycode_domain", "ip_host", "apk_link", "remote_access_app", "call_forwarding_code"}
_SIGNAL_TYPE_HINTS = {
    "job_passport_held": "trafficking",
    "job_tourist_visa": "trafficking",
    "job_compound_area": "trafficking",
    "job_free_travel": "trafficking",
    "guaranteed_returns": "investment",
    "impersonation_authority": "impersonation",
    "parcel_problem": "parcel",
    "prize_claim": "lottery",
    "blackmail_threat": "sextortion",
    "loan_offer": "loan",
    "lookalike_domain": "phishing",
    "known_phishing_domain": "phishing",
    "asks_for_code": "phishing",
}


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The answer for one message.

    Attributes:
        verdict: ``"scam"``, ``"suspicious"`` or ``"no_signs"``.
        score: 0..1, the estimated probability that the message is a scam.
        scam_type: One of :data:`classifier.model.SCAM_TYPES`, or None.
        language: ``"km"``, ``"ko"``, ``"en"`` or ``"other"``.
        signals: Red flags found, most severe first.
        entities: Links, numbers, accounts, wallets, handles and amounts found.
        similar_reports: How many earlier reports match (supplied by the caller).
        truncated: True when the text was cut to the length limit before checking.
        used_model: True when a trained model contributed to the score.
    """

    verdict: str
    score: float
    scam_type: str | None
    language: str
    signals: tuple[Signal, ...]
    entities: Entities
    similar_reports: int = 0
    truncated: bool = False
    used_model: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the documented, stable JSON form (see README, "check JSON")."""
        return {
            "verdict": self.verdict,
            "score": round(self.score, 4),
            "scam_type": self.scam_type,
            "language": self.language,
            "signals": [{"id": s.id, "severity": s.severity, "evidence": s.evidence} for s in self.signals],
            "entities": self.entities.by_kind(),
            "similar_reports": self.similar_reports,
        }


_SEV_ORDER = {"high": 0, "medium": 1, "low": 2}


def decide(an: Analysis, out: ModelOutput | None, similar_reports: int = 0) -> CheckResult:
    """Combine an analysis and (optionally) the model's output into a verdict.

    Args:
        an: The message analysis.
        out: The model's output, or None for signals-only mode.
        similar_reports: Count of earlier matching reports, passed through.

    Returns:
        The :class:`CheckResult`.
    """
    ids = {s.id for s in an.signals}
    if out is not None:
        score = out.score
        scam_at = out.scam_at
        suspicious_at = SUSPICIOUS_FRACTION * scam_at
    else:
        score = signal_score(an.signals)
        scam_at, suspicious_at = RULES_SCAM_AT, RULES_SUSPICIOUS_AT
    if ids & _DECISIVE:
        score = max(score, 0.97)
    if score >= scam_at:
        verdict = "scam"
    elif score >= suspicious_at or ids & _STRONG:
        verdict = "suspicious"
    else:
        verdict = "no_signs"
    scam_type: str | None = None
    if verdict != "no_signs":
        if out is not None and out.scam_type is not None:
            scam_type = out.scam_type
        else:
            scam_type = next((_SIGNAL_TYPE_HINTS[s.id] for s in an.signals if s.id in _SIGNAL_TYPE_HINTS), None)
    signals = tuple(sorted(an.signals, key=lambda s: _SEV_ORDER.get(s.severity, 3)))
    return CheckResult(
        verdict=verdict,
        score=float(min(max(score, 0.0), 1.0)),
        scam_type=scam_type,
        language=an.language,
        signals=signals,
        entities=an.entities,
        similar_reports=max(int(similar_reports), 0),
        truncated=an.norm.truncated,
        used_model=out is not None,
    )


def check_text(text: str, model: ScamModel | None, *, similar_reports: int = 0) -> CheckResult:
    """Check one message.

    Args:
        text: The message (any Unicode; longer than 20,000 characters is cut and flagged).
        model: A loaded :class:`ScamModel`, or None to use the red-flag signals only.
        similar_reports: Number of earlier reports that match this message (from the
            reports store); reported back unchanged.

    Returns:
        A :class:`CheckResult`.
    """
    an = analyse(text)
    out = model.predict([an])[0] if model is not None else None
    return decide(an, out, similar_reports)


def check_many(texts: Sequence[str], model: ScamModel | None) -> list[CheckResult]:
    """Check many messages at once (embeddings are computed in one batch).

    Args:
        texts: The messages.
        model: A loaded model, or None for signals only.

    Returns:
        One :class:`CheckResult` per message, in order.
    """
    analyses = [analyse(t) for t in texts]
    outs: Sequence[ModelOutput | None] = model.predict(analyses) if model is not None else [None] * len(analyses)
    return [decide(an, out) for an, out in zip(analyses, outs, strict=True)]
