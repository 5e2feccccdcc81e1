"""Report drafts for tests, with realistic scam evidence."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from intake import Assessment, Contact, Evidence, EvidenceFile, MoneyLost, ReportDraft, SignalRef

PRIZE_TEXT = (
    "Congratulations! Your ABA account won $500 in our lucky draw. Click https://aba-prize.xyz/claim "
    "and enter your PIN to receive it within 24 hours."
)
PARCEL_TEXT = (
    "Dear customer, your parcel is held at customs. Pay the 3 USD fee at http://kh-post-fee.top today "
    "or it will be returned to the sender."
)
JOB_TEXT_KO = "캄보디아 고수익 알바! 월 500만원 보장, 항공권 무료 제공. 여권만 챙겨오세요. 텔레그램 @easyjob_kh 로 연락"


def credible_draft(reporter_id: int = 100, **overrides: Any) -> ReportDraft:
    """A report the classifier is sure about, with evidence and consent to share."""
    values: dict[str, Any] = {
        "reporter_id": reporter_id,
        "language": "en",
        "scam_type": "phishing",
        "evidence": Evidence(
            texts=(PRIZE_TEXT,),
            links=("https://aba-prize.xyz/claim",),
            files=(EvidenceFile("AgACAgUAAxkBAAIB", "photo", "screenshot"),),
        ),
        "assessment": Assessment(
            score=0.93,
            signals=(SignalRef("prize_claim", "high"), SignalRef("asks_for_code", "high")),
            entities={"url": ["https://aba-prize.xyz/claim"], "phone": ["+85512345678"]},
            scam_type="lottery",
        ),
        "money_lost": MoneyLost(Decimal("500"), "usd", "bank_transfer", "ABA"),
        "contact_channel": "sms",
        "share_with_authorities": True,
    }
    values.update(overrides)
    return ReportDraft(**values)


def weak_draft(reporter_id: int = 200, **overrides: Any) -> ReportDraft:
    """A report with nothing to back it: no evidence, no classifier score."""
    values: dict[str, Any] = {
        "reporter_id": reporter_id,
        "language": "km",
        "scam_type": "other",
        "share_with_authorities": True,
    }
    values.update(overrides)
    return ReportDraft(**values)


def contact(value: str = "+85599111222") -> Contact:
    return Contact("phone", value, safe_time="after 6 pm", name="Dara")
