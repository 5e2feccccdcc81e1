"""Risk of an overseas job offer from the answers of the guided check (and the offer's text).

Pure computation: answers in, flags and a risk level out. The question and option ids are the
ones in `content/<lang>/job_check.yml`; the explanations shown to people live there too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: Question id -> allowed option ids, in the order the bot asks them.
QUESTIONS: dict[str, tuple[str, ...]] = {
    "destination": ("cambodia", "thailand", "myanmar", "laos", "korea", "other"),
    "travel": ("employer_pays", "i_pay_fee", "i_pay_ticket", "not_sure"),
    "passport": ("i_keep", "they_keep", "not_discussed"),
    "visa": ("work_visa", "tourist_visa", "not_told"),
    "salary": ("usual", "much_higher", "not_stated"),
    "contact": ("office", "chat_only", "friend"),
    "agency": ("licensed", "unlicensed", "not_sure"),
}
#: Where scam compounds recruit people to (UN OHCHR 2023; Amnesty 2025).
COMPOUND_DESTINATIONS = frozenset({"cambodia", "thailand", "myanmar", "laos"})
_WEIGHT = {"low": 1, "medium": 2, "high": 3}


@dataclass(frozen=True, slots=True)
class JobFlag:
    """One reason the offer is risky: an id from job_check.yml's `flags`, and its severity."""

    id: str
    severity: str


@dataclass(frozen=True, slots=True)
class JobAssessment:
    """The result of the guided check.

    Attributes:
        level: "low", "medium" or "high".
        flags: the reasons, most severe first.
        text_signals: ids of red-flag signals found in the pasted offer text, if any.
    """

    level: str
    flags: tuple[JobFlag, ...]
    text_signals: tuple[str, ...] = ()


def validate_answers(answers: Mapping[str, str]) -> dict[str, str]:
    """Keeps only known questions with allowed options (answers come from callback data: untrusted)."""
    return {q: a for q, a in answers.items() if q in QUESTIONS and a in QUESTIONS[q]}


def answer_flags(answers: Mapping[str, str]) -> list[JobFlag]:
    """Red flags implied by the answers alone."""
    a = validate_answers(answers)
    flags: list[JobFlag] = []

    def flag(flag_id: str, severity: str) -> None:
        flags.append(JobFlag(flag_id, severity))

    compound_area = a.get("destination") in COMPOUND_DESTINATIONS
    if a.get("travel") == "employer_pays":
        flag("free_travel", "high" if compound_area else "medium")
    if a.get("travel") == "i_pay_fee":
        flag("fee_upfront", "medium")
    if a.get("passport") == "they_keep":
        flag("passport_held", "high")
    if a.get("visa") == "tourist_visa":
        flag("tourist_visa", "high")
    elif a.get("visa") == "not_told":
        flag("no_visa_info", "medium")
    if a.get("salary") == "much_higher":
        flag("salary_too_high", "high" if compound_area else "medium")
    if a.get("contact") == "chat_only":
        flag("chat_only", "medium")
    if a.get("agency") == "unlicensed":
        flag("unlicensed_agency", "high")
    if a.get("destination") == "korea" and (
        a.get("agency") != "licensed" or a.get("contact") == "chat_only" or a.get("visa") == "tourist_visa"
    ):
        flag("not_eps_korea", "high")
    if compound_area and flags:
        flag("risky_destination", "medium")
    return flags


def assess_job_offer(
    answers: Mapping[str, str], *, text_verdict: str | None = None, text_signals: tuple[str, ...] = ()
) -> JobAssessment:
    """Combines the answers with the classifier's verdict on the offer text into one risk level.

    High: any high flag, a "scam" verdict on the text, or enough medium flags together.
    """
    flags = sorted(answer_flags(answers), key=lambda f: -_WEIGHT[f.severity])
    score = sum(_WEIGHT[f.severity] for f in flags)
    job_signals = tuple(s for s in text_signals if s.startswith("job_"))
    score += 2 * len(job_signals)
    if any(f.severity == "high" for f in flags) or text_verdict == "scam" or score >= 5:
        level = "high"
    elif score >= 2 or text_verdict == "suspicious":
        level = "medium"
    else:
        level = "low"
    return JobAssessment(level, tuple(flags), tuple(text_signals))
