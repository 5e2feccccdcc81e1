"""Anonymous trend events from checks and questions, written in batches off the reply path.

Handlers call :meth:`TrendRecorder.check_answered` and :meth:`TrendRecorder.question_answered`;
both only append to a list in memory and never raise, so recording can neither slow nor
break a reply. A background task (:meth:`TrendRecorder.flush`, run every few seconds by the
composition root and once more at shutdown) strips personal data from unsure questions and
stores the batch. A batch the database refuses is dropped and logged by count: these are
statistics, not reports.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.logs import redact
from classifier import CheckResult, extract_entities
from classifier.normalise import clean_text
from nlu.types import NLU_FALLBACK, NluResult
from storage.events import EventStore, NewCheckEvent, NewQuestionEvent
from storage.models import QUESTION_TEXT_MAX_LENGTH

log = logging.getLogger(__name__)

#: Events waiting beyond this are dropped (the database is down or far behind).
MAX_PENDING = 10_000

#: What replaces each kind of personal data in a stored question.
PLACEHOLDERS = {
    "url": "[link]",
    "phone": "[phone]",
    "bank_account": "[account]",
    "crypto_wallet": "[wallet]",
    "telegram": "[handle]",
    "whatsapp": "[handle]",
    "line": "[handle]",
    "kakao": "[handle]",
}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_AT_HANDLE = re.compile(r"(?<![\w@])@\w{3,}")
_LONG_NUMBER = re.compile(r"\d[\d \-.]{4,}\d")
# Names come after a cue ("my name is", "Mr", "제 이름은", "ឈ្មោះ") or before a Korean
# honorific (씨, 님). Best effort: names without a cue stay, so staff read questions as
# possibly personal (the console shows them only to staff, and forgets them after N days).
_NAME = "[name]"
_EN_NAME = re.compile(
    r"(?i:\b(my name is|i am|i'm|this is|called|named|mr\.?|mrs\.?|ms\.?|miss|dr\.?|brother|sister|uncle|aunt)\s+)"
    r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}"
)
_KO_NAME_CUE = re.compile(
    r"(제\s?이름은|저는|나는|이름은|이름이)\s*[가-힣]{2,4}"
    r"(?=\s*(?:입니다|이에요|예요|이고|인데|이라고|라고|$|[\s,.!?]))"
)
_KO_HONORIFIC = re.compile(r"(?<![가-힣])([가-힣]{2,4})(\s?)(씨|님)")
#: Words before 씨/님 that are roles, not names ("고객님": dear customer).
_KO_NOT_NAMES = frozenset(
    {"고객", "선생", "사장", "회원", "부장", "과장", "팀장", "기사", "상담사", "관리자", "사모", "형", "언니"}
)
_KM_NAME = re.compile(r"(ឈ្មោះ|លោកស្រី|អ្នកស្រី|កញ្ញា)(\s*)[\u1780-\u17FF]+(?:\s[\u1780-\u17FF]{1,12})?")


def strip_personal_data(text: str, *, limit: int = QUESTION_TEXT_MAX_LENGTH) -> str:
    """A question as staff may read it: links, numbers, accounts, handles, e-mails and cued names replaced.

    Args:
        text: The question as the user typed it.
        limit: Longest result; longer questions are cut with an ellipsis.

    Returns:
        The cleaned question, e.g. ``"my name is [name], is [phone] a scam?"``.
    """
    text = clean_text(text[:2000])
    for entity in sorted(extract_entities(text).items, key=lambda e: len(e.raw), reverse=True):
        placeholder = PLACEHOLDERS.get(entity.kind)
        if placeholder and entity.raw:
            text = text.replace(entity.raw, placeholder)
    text = _EMAIL.sub("[email]", text)
    text = _AT_HANDLE.sub("[handle]", text)
    text = _EN_NAME.sub(lambda m: f"{m.group(1)} {_NAME}", text)
    text = _KO_NAME_CUE.sub(lambda m: f"{m.group(1)} {_NAME}", text)
    text = _KO_HONORIFIC.sub(
        lambda m: m.group(0) if m.group(1) in _KO_NOT_NAMES else f"{_NAME}{m.group(2)}{m.group(3)}", text
    )
    text = _KM_NAME.sub(lambda m: f"{m.group(1)}{m.group(2)}{_NAME}", text)
    text = redact(text)
    text = _LONG_NUMBER.sub("[number]", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class _Question:
    day: date
    language: str
    intent: str
    source: str
    unsure: bool
    text: str | None


class TrendRecorder:
    """Collects trend events in memory and writes them in batches.

    Args:
        store: Where events go.
        today: The local date now (the trends' time zone).
        question_retention: How long unsure questions' texts are kept.
    """

    def __init__(self, store: EventStore, *, today: Callable[[], date], question_retention: timedelta) -> None:
        self._store = store
        self._today = today
        self._retention = question_retention
        self._checks: list[NewCheckEvent] = []
        self._questions: list[_Question] = []
        self._dropped = 0
        self._forgot_on: date | None = None
        self._lock = asyncio.Lock()

    def _room(self) -> bool:
        if len(self._checks) + len(self._questions) < MAX_PENDING:
            return True
        self._dropped += 1
        return False

    def check_answered(self, lang: str, result: CheckResult) -> None:
        """Notes a verdict sent to a user (day, language, verdict, scam type). Never raises."""
        try:
            if self._room():
                self._checks.append(NewCheckEvent(self._today(), lang, result.verdict, result.scam_type))
        except Exception:  # noqa: BLE001 - statistics must never cost a user their answer
            log.exception("could not note a check event")

    def question_answered(self, lang: str, text: str, result: NluResult) -> None:
        """Notes an answered question; the text is kept (after stripping) only when the bot was unsure."""
        try:
            if not self._room():
                return
            intent = result.intent
            if result.unsure:
                intent = result.ranking[0].name if result.ranking else NLU_FALLBACK
            self._questions.append(
                _Question(self._today(), lang, intent, result.source, result.unsure, text if result.unsure else None)
            )
        except Exception:  # noqa: BLE001 - statistics must never cost a user their answer
            log.exception("could not note a question event")

    @property
    def pending(self) -> int:
        """Events noted but not written yet."""
        return len(self._checks) + len(self._questions)

    async def flush(self) -> int:
        """Writes what was noted (stripping questions on a worker thread); returns how many were written."""
        async with self._lock:
            checks, questions = self._checks, self._questions
            self._checks, self._questions = [], []
            if self._dropped:
                log.warning("dropped %d trend events: too many waiting to be written", self._dropped)
                self._dropped = 0
            written = 0
            if checks or questions:
                try:
                    stored = await asyncio.to_thread(_strip_all, questions)
                    await self._store.add(checks, stored)
                    written = len(checks) + len(stored)
                except Exception:  # noqa: BLE001 - a lost batch of statistics is not worth a crash
                    log.exception("could not store %d trend events; they are dropped", len(checks) + len(questions))
            await self._forget_old_questions()
            return written

    async def _forget_old_questions(self) -> None:
        today = self._today()
        if self._forgot_on == today:
            return
        try:
            cleared = await self._store.forget_questions(before=today - self._retention)
        except Exception:  # noqa: BLE001 - tried again at the next flush
            log.exception("could not clear old question texts")
            return
        self._forgot_on = today
        if cleared:
            log.info("cleared the text of %d questions older than %s", cleared, self._retention)


def _strip_all(questions: list[_Question]) -> list[NewQuestionEvent]:
    return [
        NewQuestionEvent(
            q.day, q.language, q.intent, q.source, q.unsure, strip_personal_data(q.text) if q.text else None
        )
        for q in questions
    ]
