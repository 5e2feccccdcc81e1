"""Quizzes: the shipped ones are complete in every language, and staff mistakes are caught with file and key."""

from __future__ import annotations

import copy
import logging
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from content.catalogue import DEFAULT_ROOT, ContentCatalogue
from content.check import check_content
from content.loader import Problem
from content.quiz import MAX_QUESTIONS, MIN_QUESTIONS, QuizRun
from content.schema import LANGUAGES, SCAM_TYPE_KEYS
from tests.content.conftest import Edit

_SCRIPT = {"km": re.compile("[\u1780-\u17ff]"), "ko": re.compile("[\uac00-\ud7a3]")}


def quiz_problems(root: Path) -> list[Problem]:
    return [p for p in check_content(root) if p.file.endswith("quizzes.yml")]


def where(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.file, p.key) for p in problems]


# ---------------------------------------------------------------- the shipped quizzes


def test_shipped_quizzes_have_no_errors_or_warnings() -> None:
    problems = quiz_problems(DEFAULT_ROOT)

    assert problems == [], "\n".join(str(p) for p in problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_scam_type_has_a_quiz_of_three_to_five_questions(lang: str) -> None:
    catalogue = ContentCatalogue(DEFAULT_ROOT)

    for scam_type in SCAM_TYPE_KEYS:
        key = catalogue.quiz_for_scam_type(scam_type)
        assert key is not None, scam_type
        quiz = catalogue.quiz(lang, key)
        assert quiz.scam_type == scam_type
        assert MIN_QUESTIONS <= len(quiz.questions) <= MAX_QUESTIONS
        for question in quiz.questions:
            assert sum(option.correct for option in question.options) == 1
            assert question.explanation


@pytest.mark.parametrize("lang", ["km", "ko"])
def test_shipped_quizzes_are_written_in_the_users_script(lang: str) -> None:
    """Every question, option and explanation in km or ko has letters of that script (none left in English)."""
    catalogue = ContentCatalogue(DEFAULT_ROOT)
    english = dict(ContentCatalogue(DEFAULT_ROOT).quizzes("en"))

    for key, quiz in catalogue.quizzes(lang):
        assert quiz != english[key], f"{lang} shows the English {key!r} quiz"
        texts = [quiz.title] + [
            text for q in quiz.questions for text in (q.question, q.explanation, *(option.text for option in q.options))
        ]
        for text in texts:
            assert _SCRIPT[lang].search(text), f"{lang} {key}: {text!r}"


def test_a_shipped_quiz_follows_an_alert() -> None:
    catalogue = ContentCatalogue(DEFAULT_ROOT)

    key = catalogue.alert_quiz(date(2025, 10, 20))

    assert key is not None
    assert catalogue.quiz("ko", key).alert is not None


# ---------------------------------------------------------------- the staff check


def test_a_complete_tree_has_no_quiz_problems(content_root: Path) -> None:
    assert quiz_problems(content_root) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda q: q["questions"][1]["options"][1].update(correct=True), "exactly one option"),
        (lambda q: q["questions"][1]["options"][0].pop("correct"), "exactly one option"),
        (lambda q: q["questions"].pop(), "at least 3"),
        (lambda q: q["questions"].extend([q["questions"][0]] * 3), "at most 5"),
        (lambda q: q["questions"][0]["options"].pop(), None),  # two options are still enough
        (lambda q: q["questions"][0]["options"].append({"text": "Option 0 (ko)"}), "same option twice"),
        (lambda q: q.update(scam_type="bitcoin"), "not a scam type"),
        (lambda q: q.update(alert={"topic": "job_offer", "date": "yesterday"}), "date"),
        (lambda q: q["questions"][2].pop("explanation"), "missing field"),
    ],
)
def test_quiz_mistakes_are_reported_with_the_quiz_key(
    content_root: Path, edit: Edit, change: Any, message: str | None
) -> None:
    """Every language gets the same change, so only the mistake itself is reported."""
    for lang in LANGUAGES:
        edit(content_root, f"{lang}/quizzes.yml", lambda d: change(d["romance"]))

    errors = [p for p in quiz_problems(content_root) if p.level == "error"]

    if message is None:
        assert errors == []
        return
    assert errors, "the mistake was not reported"
    assert all(p.key.startswith("romance") for p in errors), errors
    assert any(message in p.message for p in errors), errors


def test_a_quiz_missing_in_one_language_says_where_it_exists(content_root: Path, edit: Edit) -> None:
    edit(content_root, "km/quizzes.yml", lambda d: d.pop("loan"))

    problems = quiz_problems(content_root)

    assert where(problems) == [("km/quizzes.yml", "loan")]
    assert "ko, en" in problems[0].message


def test_a_missing_question_or_an_extra_option_is_reported_by_its_position(content_root: Path, edit: Edit) -> None:
    def add_question(d: dict[str, Any]) -> None:
        d["parcel"]["questions"].append(copy.deepcopy(d["parcel"]["questions"][0]))

    edit(content_root, "en/quizzes.yml", add_question)
    edit(content_root, "ko/quizzes.yml", add_question)
    edit(content_root, "ko/quizzes.yml", lambda d: d["parcel"]["questions"][0]["options"].append({"text": "More"}))

    problems = quiz_problems(content_root)

    assert where(problems) == [
        ("km/quizzes.yml", "parcel.questions.3"),
        ("ko/quizzes.yml", "parcel.questions.0.options.3"),
    ]
    assert "missing" in problems[0].message and "extra" in problems[1].message


def test_the_correct_option_must_be_in_the_same_place_in_every_language(content_root: Path, edit: Edit) -> None:
    def move_answer(d: dict[str, Any]) -> None:
        options = d["phishing"]["questions"][1]["options"]
        options[0].pop("correct")
        options[2]["correct"] = True

    edit(content_root, "ko/quizzes.yml", move_answer)

    problems = quiz_problems(content_root)

    assert where(problems) == [("ko/quizzes.yml", "phishing")]
    assert "question 2" in problems[0].message and "number 3 here but number 1 in en" in problems[0].message


def test_every_scam_type_needs_a_quiz_in_english(content_root: Path, edit: Edit) -> None:
    for lang in LANGUAGES:
        edit(content_root, f"{lang}/quizzes.yml", lambda d: d.pop("lottery"))

    problems = quiz_problems(content_root)

    assert where(problems) == [("en/quizzes.yml", "")]
    assert "lottery" in problems[0].message


def test_a_quiz_id_must_fit_in_a_button(content_root: Path, edit: Edit) -> None:
    long_id = "a_very_long_quiz_id_that_does_not_fit_in_button_data"
    for lang in LANGUAGES:
        edit(content_root, f"{lang}/quizzes.yml", lambda d: d.update({long_id: d["loan"]}))

    problems = quiz_problems(content_root)

    assert {(p.file, p.key) for p in problems} == {(f"{lang}/quizzes.yml", long_id) for lang in LANGUAGES}
    assert ContentCatalogue(content_root).quiz_for_scam_type("loan") == "loan"  # never offered
    with pytest.raises(KeyError):
        ContentCatalogue(content_root).quiz("en", long_id)


def test_a_phone_number_in_a_quiz_must_be_a_confirmed_contact(content_root: Path, edit: Edit) -> None:
    edit(
        content_root,
        "en/quizzes.yml",
        lambda d: d["loan"]["questions"][0].update(explanation="Call +855-12-345-678 for help."),
    )

    problems = quiz_problems(content_root)

    assert where(problems) == [("en/quizzes.yml", "loan.questions.0.explanation")]
    assert problems[0].level == "error"


def test_a_quiz_title_too_wide_for_a_button_gets_a_warning(content_root: Path, edit: Edit) -> None:
    long_title = "아주 긴 퀴즈 제목은 휴대전화 버튼에서 잘려 보여요"
    edit(content_root, "ko/quizzes.yml", lambda d: d["romance"].update(title=long_title))

    problems = quiz_problems(content_root)

    assert [(p.key, p.level) for p in problems] == [("romance.title", "warning")]


# ---------------------------------------------------------------- the catalogue


def test_quizzes_come_in_the_order_of_the_english_file(content_root: Path) -> None:
    catalogue = ContentCatalogue(content_root)

    quizzes = catalogue.quizzes("ko")

    assert [key for key, _ in quizzes] == list(SCAM_TYPE_KEYS)
    assert quizzes[0][1].title == "job_offer quiz ko"
    assert [q.answer for q in quizzes[0][1].questions] == [1, 0, 2]


def test_a_missing_or_misshapen_quiz_is_shown_in_english(
    content_root: Path, edit: Edit, caplog: pytest.LogCaptureFixture
) -> None:
    edit(content_root, "km/quizzes.yml", lambda d: d.pop("loan"))
    edit(content_root, "ko/quizzes.yml", lambda d: d["romance"]["questions"].append(d["romance"]["questions"][0]))
    catalogue = ContentCatalogue(content_root)

    with caplog.at_level(logging.WARNING, logger="content.catalogue"):
        assert catalogue.quiz("km", "loan").title == "loan quiz en"
        assert catalogue.quiz("ko", "romance").title == "romance quiz en"  # 4 questions here, 3 in English
        assert catalogue.quiz("ko", "parcel").title == "parcel quiz ko"

    assert any("ko/quizzes.yml" in r.getMessage() and "romance" in r.getMessage() for r in caplog.records)


def test_a_broken_quiz_file_is_refused_and_the_last_good_one_stays(content_root: Path) -> None:
    catalogue = ContentCatalogue(content_root, refresh_interval=0)
    path = content_root / "en" / "quizzes.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("correct: true", "correct: maybe", 1), encoding="utf-8")

    assert catalogue.refresh(force=True) is False
    assert "en/quizzes.yml" in (catalogue.last_error or "")
    assert catalogue.quiz("en", "job_offer").questions[0].answer == 1


def _alert(d: dict[str, Any], key: str, topic: str, when: str) -> None:
    d[key] = {**d["job_offer"], "alert": {"topic": topic, "date": when}}


def test_the_newest_recent_alert_quiz_is_offered(content_root: Path, edit: Edit) -> None:
    for lang in LANGUAGES:

        def add(d: dict[str, Any]) -> None:
            _alert(d, "border_jobs", "job_offer", "2026-11-01")
            _alert(d, "fake_eps", "job_offer", "2026-11-20")
            _alert(d, "bank_sms", "phishing", "2026-11-10")

        edit(content_root, f"{lang}/quizzes.yml", add)
    catalogue = ContentCatalogue(content_root)

    assert catalogue.alert_quiz(date(2026, 11, 25)) == "fake_eps"
    assert catalogue.alert_quiz(date(2026, 11, 25), topic="phishing") == "bank_sms"
    assert catalogue.alert_quiz(date(2026, 11, 15)) == "bank_sms"  # fake_eps is not out yet
    assert catalogue.alert_quiz(date(2027, 1, 31)) is None  # all older than 30 days
    assert catalogue.alert_quiz(date(2026, 11, 25), topic="romance") is None
    assert catalogue.quiz_for_scam_type("job_offer") == "job_offer"  # the alert quizzes are extras


# ---------------------------------------------------------------- a run


def test_a_run_counts_answers_and_survives_a_json_round_trip() -> None:
    run = QuizRun("a1b2c3d4", "phishing").answered(True).answered(False)

    assert (run.question, run.score) == (2, 1)
    assert QuizRun.from_data(run.to_data()) == run


@pytest.mark.parametrize(
    "data",
    [
        None,
        "a1b2c3d4",
        {"run": "a1b2c3d4", "quiz": "phishing", "question": 1},
        {"run": "a1b2c3d4", "quiz": "phishing", "question": 1, "score": 2},  # more right than asked
        {"run": "a1b2c3d4", "quiz": "phishing", "question": True, "score": 0},
        {"run": "a1b2c3d4", "quiz": "../etc", "question": 0, "score": 0},
        {"run": 7, "quiz": "phishing", "question": 0, "score": 0},
    ],
)
def test_a_malformed_stored_run_is_ignored(data: object) -> None:
    assert QuizRun.from_data(data) is None
