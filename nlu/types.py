"""What the NLU layer returns, whichever model answered."""

from __future__ import annotations

from dataclasses import dataclass, field

INTENTS: tuple[str, ...] = (
    "greet",
    "goodbye",
    "thanks",
    "menu",
    "what_is_scam",
    "scam_job_offer",
    "scam_investment",
    "scam_romance",
    "scam_phishing",
    "scam_impersonation",
    "scam_parcel",
    "scam_loan",
    "scam_lottery",
    "scam_sextortion",
    "how_to_protect",
    "how_to_report",
    "scammed_what_now",
    "check_message",
    "vet_job_offer",
    "urgent_help",
    "change_language",
    "out_of_scope",
)

#: Rasa's FallbackClassifier answers with this intent when it is unsure.
NLU_FALLBACK = "nlu_fallback"


@dataclass(frozen=True)
class IntentScore:
    """One candidate intent and its confidence (0..1)."""

    name: str
    confidence: float


@dataclass(frozen=True)
class NluResult:
    """The intent of one message.

    Attributes:
        intent: the best intent, or `nlu_fallback` when the model is unsure.
        confidence: confidence of `intent` (0..1).
        ranking: candidate intents, best first (never includes `nlu_fallback`).
        source: "rasa" when the Rasa server answered, "local" for the fallback matcher.
    """

    intent: str
    confidence: float
    ranking: tuple[IntentScore, ...] = field(default=())
    source: str = "rasa"

    @property
    def unsure(self) -> bool:
        """True when the bot should offer choices instead of answering one intent."""
        return self.intent == NLU_FALLBACK
