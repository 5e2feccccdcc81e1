"""Credibility of a report: a transparent sum of points, each with its reason.

An analyst (or the reporter's advocate) must be able to see why a case was forwarded or
held back, so the score is additive and every term is stored as a :class:`Reason`.
Reasons carry counts, kinds and signal ids, never the reported values themselves.
Pure functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from intake.model import Reason, SignalRef


@dataclass(frozen=True, slots=True)
class ScoringWeights:
    """Points of each kind of evidence; the defaults need ~2 independent supports to pass 0.5.

    Attributes:
        base: Every report starts here (someone took the time to report).
        classifier: Multiplied by the classifier's probability.
        signal: Points per red flag, by severity.
        signals_cap: At most this much from red flags.
        crowd_indicator: An indicator other people reported before.
        per_other_reporter: Plus this per other reporter ...
        crowd_cap: ... up to this much from crowd reports in total.
        confirmed_indicator: An indicator an analyst confirmed.
        evidence: Any text, link or file.
        files: Screenshots or documents.
        money_details: Amount and payment method given.
        good_history: Earlier reports of this person were forwarded or closed.
        bad_history: Most earlier reports of this person were rejected.
        bad_history_min: Rejections needed before ``bad_history`` applies.
        disputed: An indicator whose removal was requested counts less.
    """

    base: float = 0.1
    classifier: float = 0.4
    signal: dict[str, float] = field(default_factory=lambda: {"high": 0.08, "medium": 0.04, "low": 0.02})
    signals_cap: float = 0.2
    crowd_indicator: float = 0.1
    per_other_reporter: float = 0.02
    crowd_cap: float = 0.2
    confirmed_indicator: float = 0.3
    evidence: float = 0.1
    files: float = 0.05
    money_details: float = 0.05
    good_history: float = 0.05
    bad_history: float = -0.2
    bad_history_min: int = 2
    disputed: float = 0.5


@dataclass(frozen=True, slots=True)
class PriorIndicator:
    """An indicator of this report that existed before it.

    Attributes:
        kind: Indicator kind (reasons name the kind, never the value).
        provenance: ``crowd`` or ``confirmed``.
        other_reporters: Distinct other people who reported it.
        removal_requested: Its removal was requested.
    """

    kind: str
    provenance: str
    other_reporters: int
    removal_requested: bool = False


@dataclass(frozen=True, slots=True)
class ScoringInputs:
    """Everything the score looks at.

    Attributes:
        classifier_score: The classifier's probability, or None.
        signals: Red flags found.
        prior: This report's indicators that others reported before.
        texts: Number of non-empty evidence texts.
        links: Number of links.
        files: Number of files.
        money_details: True when amount and payment method were given.
        history: The reporter's earlier cases by status.
    """

    classifier_score: float | None = None
    signals: tuple[SignalRef, ...] = ()
    prior: tuple[PriorIndicator, ...] = ()
    texts: int = 0
    links: int = 0
    files: int = 0
    money_details: bool = False
    history: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Credibility:
    """A score in 0..1 and the reasons that add up to it (before clamping)."""

    score: float
    reasons: tuple[Reason, ...]


def _kinds(items: Sequence[PriorIndicator]) -> str:
    return ", ".join(sorted({i.kind for i in items}))


def score_report(inputs: ScoringInputs, weights: ScoringWeights | None = None) -> Credibility:
    """Score a report's credibility and explain it.

    Args:
        inputs: What the report contains and what is known about it.
        weights: Points per kind of evidence (defaults: :class:`ScoringWeights`).

    Returns:
        The clamped score and one :class:`Reason` per contributing term.
    """
    w = weights or ScoringWeights()
    reasons = [Reason("base", w.base, "a person took the time to report")]
    if inputs.classifier_score is not None:
        reasons.append(
            Reason(
                "classifier", w.classifier * inputs.classifier_score, f"scam probability {inputs.classifier_score:.2f}"
            )
        )
    if inputs.signals:
        raw = sum(w.signal.get(s.severity, 0.0) for s in inputs.signals)
        ids = ", ".join(s.id for s in inputs.signals[:8])
        reasons.append(Reason("red_flags", min(raw, w.signals_cap), f"{len(inputs.signals)} red flags: {ids}"))
    confirmed = [p for p in inputs.prior if p.provenance == "confirmed"]
    crowd = [p for p in inputs.prior if p.provenance != "confirmed" and p.other_reporters > 0]
    if confirmed:
        disputed = all(p.removal_requested for p in confirmed)
        points = w.confirmed_indicator * (w.disputed if disputed else 1.0)
        reasons.append(Reason("confirmed_indicator", points, f"analyst-confirmed {_kinds(confirmed)}"))
    if crowd:
        others = max(p.other_reporters for p in crowd)
        points = min(w.crowd_indicator + w.per_other_reporter * (others - 1), w.crowd_cap)
        if all(p.removal_requested for p in crowd):
            points *= w.disputed
        reasons.append(
            Reason(
                "known_indicator",
                points,
                f"{_kinds(crowd)} reported by {others} other {'person' if others == 1 else 'people'}",
            )
        )
    if inputs.texts or inputs.links or inputs.files:
        parts = [
            f"{n} {name}" for n, name in ((inputs.texts, "texts"), (inputs.links, "links"), (inputs.files, "files"))
        ]
        reasons.append(Reason("evidence", w.evidence, ", ".join(p for p in parts if not p.startswith("0 "))))
    if inputs.files:
        reasons.append(Reason("files", w.files, f"{inputs.files} screenshots or documents"))
    if inputs.money_details:
        reasons.append(Reason("money_details", w.money_details, "amount and payment method given"))
    rejected = inputs.history.get("rejected", 0)
    accepted = inputs.history.get("forwarded", 0) + inputs.history.get("closed", 0)
    if rejected >= w.bad_history_min and rejected > accepted:
        reasons.append(
            Reason("reporter_history", w.bad_history, f"{rejected} of the reporter's earlier reports rejected")
        )
    elif accepted and not rejected:
        reasons.append(Reason("reporter_history", w.good_history, f"{accepted} earlier reports accepted"))
    total = sum(r.points for r in reasons)
    return Credibility(score=round(min(1.0, max(0.0, total)), 4), reasons=tuple(reasons))
