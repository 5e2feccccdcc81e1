"""Quizzes: the schema of ``<lang>/quizzes.yml``, and the state of one attempt.

A quiz is three to five questions about one scam type, each with two to four options
(exactly one correct) and a short explanation shown after the answer. A quiz may follow
an alert: ``alert`` names the alert's topic and date, so the bot can offer the newest
one. Questions are identified by their position, so keep the order when editing: the
results kept for the trends page are counted per question number.

Every language has the same quizzes with the same shape (`Quiz.shape`), which
`content.quiz_check` enforces with English as the reference. `QuizRun` is the state of
one person's attempt, as pure data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints, field_validator, model_validator

from content.schema import SCAM_TYPE_KEYS, Text

QUIZZES_FILE = "quizzes.yml"
MIN_QUESTIONS, MAX_QUESTIONS = 3, 5
MIN_OPTIONS, MAX_OPTIONS = 2, 4
QUIZ_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
"""Quiz ids: short, because they travel in Telegram button data (64 bytes at most)."""

TopicId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuizOption(_Strict):
    """One answer to tap; exactly one option of a question has ``correct: true``."""

    text: Text
    correct: StrictBool = False


class QuizQuestion(_Strict):
    """One question, its options in the order shown, and why the right one is right."""

    question: Text
    options: list[QuizOption] = Field(min_length=MIN_OPTIONS, max_length=MAX_OPTIONS)
    explanation: Text

    @field_validator("options")
    @classmethod
    def _one_correct(cls, options: list[QuizOption]) -> list[QuizOption]:
        marked = sum(option.correct for option in options)
        if marked != 1:
            raise ValueError(f"exactly one option must have 'correct: true', not {marked}")
        return options

    @property
    def answer(self) -> int:
        """Position of the correct option (0 for the first)."""
        return next(i for i, option in enumerate(self.options) if option.correct)


class QuizAlert(_Strict):
    """The alert a quiz follows: its topic (e.g. a scam type) and the day it was published."""

    topic: TopicId
    date: dt.date


class Quiz(_Strict):
    """A short quiz about one scam type, optionally tied to an alert."""

    title: Text
    scam_type: str
    alert: QuizAlert | None = None
    questions: list[QuizQuestion] = Field(min_length=MIN_QUESTIONS, max_length=MAX_QUESTIONS)

    @field_validator("scam_type")
    @classmethod
    def _known_scam_type(cls, value: str) -> str:
        if value not in SCAM_TYPE_KEYS:
            raise ValueError(f"{value!r} is not a scam type; use one of {', '.join(SCAM_TYPE_KEYS)}")
        return value

    @model_validator(mode="after")
    def _distinct_options(self) -> Quiz:
        for number, question in enumerate(self.questions, start=1):
            texts = [option.text.casefold() for option in question.options]
            if len(set(texts)) != len(texts):
                raise ValueError(f"question {number} has the same option twice")
        return self

    def shape(self) -> tuple[object, ...]:
        """What must be equal in every language: scam type, alert, and each question's
        number of options and correct position."""
        return (self.scam_type, self.alert, tuple((len(q.options), q.answer) for q in self.questions))


def quiz_paths(data: object) -> tuple[str, ...]:
    """The ids a quizzes mapping holds as dotted paths, in file order.

    Lenient like `content.schema.job_check_paths`, so languages can be compared even
    when a file fails validation: ``"romance"``, ``"romance.questions.2"`` and
    ``"romance.questions.2.options.1"`` (positions count from 0).
    """
    if not isinstance(data, Mapping):
        return ()
    paths: list[str] = []
    for key, quiz in data.items():
        paths.append(str(key))
        questions = quiz.get("questions") if isinstance(quiz, Mapping) else None
        if not isinstance(questions, list):
            continue
        for number, question in enumerate(questions):
            paths.append(f"{key}.questions.{number}")
            options = question.get("options") if isinstance(question, Mapping) else None
            if isinstance(options, list):
                paths.extend(f"{key}.questions.{number}.options.{i}" for i in range(len(options)))
    return tuple(paths)


@dataclass(frozen=True)
class QuizRun:
    """One person's attempt at a quiz, kept in their persisted chat state between taps.

    Attributes:
        run: Random id of this attempt; it is in the buttons, so taps on an older
            attempt's buttons are recognised as stale.
        quiz: The quiz id.
        question: Position of the question waiting for an answer.
        score: Correct answers so far.
    """

    run: str
    quiz: str
    question: int = 0
    score: int = 0

    @classmethod
    def from_data(cls, data: object) -> QuizRun | None:
        """The run kept in persisted data, or None if there is none or it is malformed."""
        if not isinstance(data, Mapping):
            return None
        run, quiz, question, score = (data.get(k) for k in ("run", "quiz", "question", "score"))
        if not (isinstance(run, str) and isinstance(quiz, str) and QUIZ_KEY.match(quiz)):
            return None
        if not (type(question) is int and type(score) is int and 0 <= score <= question <= MAX_QUESTIONS):
            return None
        return cls(run, quiz, question, score)

    def to_data(self) -> dict[str, object]:
        """Plain JSON data for the persisted chat state."""
        return asdict(self)

    def answered(self, correct: bool) -> QuizRun:
        """The run after answering the current question."""
        return replace(self, question=self.question + 1, score=self.score + int(correct))
