"""Texts of the guided job-offer check: complete and in order for the bot, checked for staff."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from content.catalogue import ContentCatalogue, ContentError
from content.check import check_content, display_width
from content.loader import Problem
from content.schema import JOB_FLAG_IDS, JOB_QUESTIONS, RISK_LEVELS
from tests.content.conftest import Edit, FakeClock


def errors(root: Path) -> list[Problem]:
    return [p for p in check_content(root) if p.level == "error"]


def test_questions_options_flags_and_risk_levels_come_in_schema_order(content_root: Path) -> None:
    job = ContentCatalogue(content_root).job_check("ko")

    assert list(job.questions) == list(JOB_QUESTIONS)
    for question_id, option_ids in JOB_QUESTIONS.items():
        assert list(job.questions[question_id].options) == list(option_ids)
    assert list(job.flags) == list(JOB_FLAG_IDS)
    assert list(job.risk) == list(RISK_LEVELS)
    assert job.questions["destination"].options["korea"] == "korea label ko"
    assert (job.intro, job.skip) == ("Intro ko.", "skip ko")


def test_file_order_and_extra_ids_do_not_change_the_buttons(content_root: Path, edit: Edit) -> None:
    def change(d: dict) -> None:
        options = d["questions"]["destination"]["options"]
        d["questions"]["destination"]["options"] = dict(reversed(list(options.items())))
        d["questions"]["destination"]["options"]["vietnam"] = "Vietnam"

    edit(content_root, "km/job_check.yml", change)

    job = ContentCatalogue(content_root).job_check("km")

    assert list(job.questions["destination"].options) == list(JOB_QUESTIONS["destination"])


def test_missing_pieces_fall_back_to_english_one_by_one(
    content_root: Path, edit: Edit, caplog: pytest.LogCaptureFixture
) -> None:
    def change(d: dict) -> None:
        del d["questions"]["destination"]["options"]["laos"]
        del d["questions"]["salary"]
        del d["flags"]["chat_only"]
        del d["risk"]["high"]

    edit(content_root, "km/job_check.yml", change)
    catalogue = ContentCatalogue(content_root)

    with caplog.at_level(logging.WARNING, logger="content.catalogue"):
        job = catalogue.job_check("km")
        catalogue.job_check("km")

    destination = job.questions["destination"].options
    assert (destination["laos"], destination["korea"]) == ("laos label en", "korea label km")
    assert job.questions["salary"].question == "salary question en?"
    assert (job.flags["chat_only"], job.flags["free_travel"]) == ("chat_only flag en.", "free_travel flag km.")
    assert (job.risk["high"].title, job.risk["low"].title) == ("high risk en", "low risk km")
    assert job.intro == "Intro km."
    warnings = [r.getMessage() for r in caplog.records if "job_check" in r.getMessage()]
    assert len(warnings) == 1 and "questions.destination.options.laos" in warnings[0]


def test_missing_language_file_shows_english(content_root: Path) -> None:
    (content_root / "ko" / "job_check.yml").unlink()

    job = ContentCatalogue(content_root).job_check("ko")

    assert job.intro == "Intro en."
    assert job.questions["visa"].options["tourist_visa"] == "tourist_visa label en"


def test_english_job_check_must_be_complete(content_root: Path, edit: Edit) -> None:
    edit(content_root, "en/job_check.yml", lambda d: d["questions"]["visa"]["options"].pop("not_told"))
    with pytest.raises(ContentError, match="questions.visa.options.not_told"):
        ContentCatalogue(content_root)

    (content_root / "en" / "job_check.yml").unlink()
    with pytest.raises(ContentError, match="en/job_check.yml"):
        ContentCatalogue(content_root)


def test_missing_option_is_reported_with_its_path(content_root: Path, edit: Edit) -> None:
    edit(content_root, "ko/job_check.yml", lambda d: d["questions"]["visa"]["options"].pop("not_told"))

    problems = errors(content_root)

    assert [(p.file, p.key) for p in problems] == [("ko/job_check.yml", "questions.visa.options.not_told")]
    assert "missing" in problems[0].message and "km, en" in problems[0].message


def test_missing_question_is_reported_once_not_per_option(content_root: Path, edit: Edit) -> None:
    edit(content_root, "km/job_check.yml", lambda d: d["questions"].pop("contact"))

    assert [(p.file, p.key) for p in errors(content_root)] == [("km/job_check.yml", "questions.contact")]


def test_misspelt_ids_are_both_missing_and_extra(content_root: Path, edit: Edit) -> None:
    def change(d: dict) -> None:
        d["flags"]["free_travle"] = d["flags"].pop("free_travel")
        d["risk"]["very_high"] = d["risk"]["high"]
        d["questions"]["agency"]["options"]["maybe"] = "Maybe"

    for lang in ("km", "ko", "en"):
        edit(content_root, f"{lang}/job_check.yml", change)

    problems = errors(content_root)

    assert {(p.key, p.message.split(":")[0]) for p in problems} == {
        ("flags.free_travel", "missing key"),
        ("flags.free_travle", "extra key"),
        ("risk.very_high", "extra key"),
        ("questions.agency.options.maybe", "extra key"),
    }
    assert len(problems) == 12  # four in each language


def test_missing_text_field_is_a_schema_error(content_root: Path, edit: Edit) -> None:
    def change(d: dict) -> None:
        del d["skip"]
        d["questions"]["travel"]["question"] = ""

    edit(content_root, "km/job_check.yml", change)

    assert {(p.key, p.message) for p in errors(content_root)} == {
        ("skip", "missing field"),
        ("questions.travel.question", "String should have at least 1 character"),
    }


def test_unquoted_no_as_a_label_is_explained(content_root: Path) -> None:
    path = content_root / "en" / "job_check.yml"
    text = path.read_text(encoding="utf-8").replace("unlicensed: unlicensed label en", "unlicensed: No")
    path.write_text(text, encoding="utf-8")

    (problem,) = errors(content_root)

    assert problem.key == "questions.agency.options.unlicensed"
    assert "quotes" in problem.message


def test_too_wide_button_label_is_a_warning(content_root: Path, edit: Edit) -> None:
    long_label = "Through a friend, a relative or someone from my village"
    edit(content_root, "en/job_check.yml", lambda d: d["questions"]["contact"]["options"].update(friend=long_label))
    # About 35 letters wide on screen, though 54 characters long: not too wide.
    khmer = "តាមរយៈមិត្តភក្តិ ឬសាច់ញាតិ ដែលស្គាល់ក្រុមហ៊ុននេះច្បាស់"
    edit(content_root, "km/job_check.yml", lambda d: d["questions"]["contact"]["options"].update(friend=khmer))

    problems = check_content(content_root)

    assert [(p.file, p.key, p.level) for p in problems] == [
        ("en/job_check.yml", "questions.contact.options.friend", "warning")
    ]


def test_display_width_counts_what_takes_room_on_screen() -> None:
    assert display_width("Skip") == 4
    assert display_width("한국") == 4
    assert display_width("ក្រុមហ៊ុន") == 4  # ក ម ហ ន; the subscript រ and the marks ុ ៊ take no room
    assert display_width("") == 0


def test_paste_offer_must_name_the_skip_button(content_root: Path, edit: Edit) -> None:
    edit(content_root, "ko/job_check.yml", lambda d: d.update(skip="다음"))

    problems = check_content(content_root)

    assert [(p.file, p.key, p.level) for p in problems] == [("ko/job_check.yml", "paste_offer", "warning")]


def test_risk_advice_must_name_the_legal_routes_article(content_root: Path, edit: Edit) -> None:
    edit(content_root, "en/articles.yml", lambda d: d["legal_work_routes"].update(title="Safe work abroad"))

    problems = check_content(content_root)

    assert [(p.key, p.level) for p in problems] == [(f"risk.{level}.advice", "warning") for level in RISK_LEVELS]
    assert all(p.file == "en/job_check.yml" and "Safe work abroad" in p.message for p in problems)


def test_hot_reload_shows_the_new_label_and_keeps_the_last_good_on_a_broken_edit(
    content_root: Path, edit: Edit, clock: FakeClock
) -> None:
    catalogue = ContentCatalogue(content_root, clock=clock)
    assert catalogue.job_check("km").questions["visa"].options["work_visa"] == "work_visa label km"

    new_label = "ទិដ្ឋាការការងារ"
    edit(content_root, "km/job_check.yml", lambda d: d["questions"]["visa"]["options"].update(work_visa=new_label))
    clock.now += 3
    assert catalogue.refresh() is True
    assert catalogue.job_check("km").questions["visa"].options["work_visa"] == new_label

    edit(content_root, "km/job_check.yml", lambda d: d["risk"]["high"].update(advice=[]))
    clock.now += 3
    assert catalogue.refresh() is False
    assert "km/job_check.yml" in (catalogue.last_error or "")
    assert catalogue.job_check("km").questions["visa"].options["work_visa"] == new_label
    assert catalogue.job_check("km").risk["high"].title == "high risk km"
