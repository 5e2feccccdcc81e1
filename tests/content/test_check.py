"""The staff content check finds each kind of mistake, with file and key."""

from __future__ import annotations

import io
from pathlib import Path

from content.check import check_content, main
from content.loader import Problem
from tests.content.conftest import Edit


def errors(root: Path) -> list[Problem]:
    return [p for p in check_content(root) if p.level == "error"]


def find(problems: list[Problem], file: str, key: str) -> list[Problem]:
    return [p for p in problems if p.file == file and p.key.startswith(key)]


def test_a_complete_valid_tree_has_no_problems(content_root: Path) -> None:
    assert check_content(content_root) == []


def test_missing_key_in_one_language_says_where_it_exists(content_root: Path, edit: Edit) -> None:
    edit(content_root, "km/scam_types.yml", lambda d: d.pop("romance"))

    problems = errors(content_root)

    assert len(problems) == 1
    assert problems[0].file == "km/scam_types.yml"
    assert problems[0].key == "romance"
    assert "missing" in problems[0].message and "ko, en" in problems[0].message


def test_extra_key_is_reported_in_the_language_that_has_it(content_root: Path, edit: Edit) -> None:
    edit(content_root, "ko/articles.yml", lambda d: d.update(faq={"title": "t", "body": "b", "steps": []}))

    problems = errors(content_root)

    assert [(p.file, p.key) for p in problems] == [("ko/articles.yml", "faq")]
    assert "extra" in problems[0].message


def test_all_ten_scam_types_and_six_articles_are_required(content_root: Path, edit: Edit) -> None:
    for lang in ("km", "ko", "en"):
        edit(content_root, f"{lang}/scam_types.yml", lambda d: d.pop("sextortion"))
        edit(content_root, f"{lang}/articles.yml", lambda d: d.pop("urgent_safety"))

    problems = errors(content_root)

    assert {(p.file, p.key) for p in problems} == {
        (f"{lang}/{name}", key)
        for lang in ("km", "ko", "en")
        for name, key in (("scam_types.yml", "sextortion"), ("articles.yml", "urgent_safety"))
    }


def test_missing_language_file_is_reported(content_root: Path) -> None:
    (content_root / "km" / "articles.yml").unlink()

    assert [(p.file, p.message) for p in errors(content_root)] == [("km/articles.yml", "the file is missing")]


def test_http_link_is_rejected(content_root: Path, edit: Edit) -> None:
    edit(content_root, "contacts.yml", lambda d: d["kr_fss"].update(url="http://fss.or.kr"))

    problems = find(errors(content_root), "contacts.yml", "kr_fss.url")

    assert len(problems) == 1 and "https" in problems[0].message


def test_bad_phone_numbers_are_rejected(content_root: Path, edit: Edit) -> None:
    edit(content_root, "contacts.yml", lambda d: d["kh_police"].update(phone="+855-12"))
    edit(content_root, "contacts.yml", lambda d: d["kr_fss"].update(phone="13 32 call us"))

    problems = errors(content_root)

    assert any(p.key.startswith("kh_police") and "+855-12" in p.message for p in problems)
    assert any(p.key.startswith("kr_fss") and "13 32 call us" in p.message for p in problems)


def test_short_codes_and_dashed_international_numbers_are_valid(content_root: Path, edit: Edit) -> None:
    def change(d: dict) -> None:
        d["kh_police"]["phone"] = 117  # unquoted in YAML
        d["kr_fss"]["phone"] = "+855-979-117-117"

    edit(content_root, "contacts.yml", change)

    assert errors(content_root) == []


def test_unknown_field_is_named(content_root: Path, edit: Edit) -> None:
    edit(content_root, "en/scam_types.yml", lambda d: d["loan"].update(titel="Loans"))

    problems = errors(content_root)

    assert [(p.file, p.key) for p in problems] == [("en/scam_types.yml", "loan.titel")]
    assert "unknown field" in problems[0].message


def test_blank_text_and_too_few_bullets_are_rejected(content_root: Path, edit: Edit) -> None:
    def change(d: dict) -> None:
        d["parcel"]["summary"] = "   "
        d["parcel"]["what_to_do"] = ["Stop."]

    edit(content_root, "ko/scam_types.yml", change)

    keys = {p.key for p in errors(content_root)}

    assert keys == {"parcel.summary", "parcel.what_to_do"}


def test_contact_without_text_and_text_without_contact(content_root: Path, edit: Edit) -> None:
    edit(content_root, "en/contacts.yml", lambda d: d.pop("kr_fss"))
    edit(content_root, "km/contacts.yml", lambda d: d.update(ghost={"name": "n", "description": "d"}))

    problems = errors(content_root)

    assert ("en/contacts.yml", "kr_fss") in {(p.file, p.key) for p in problems}
    ghost = find(problems, "km/contacts.yml", "ghost")
    assert len(ghost) == 1 and "contacts.yml" in ghost[0].message


def test_confirmed_contact_needs_a_source_date(content_root: Path, edit: Edit) -> None:
    edit(content_root, "contacts.yml", lambda d: d["kr_consular"].update(source_date=None))

    problems = find(errors(content_root), "contacts.yml", "kr_consular")

    assert len(problems) == 1 and "source_date" in problems[0].message


def test_invented_number_in_article_text_is_an_error(content_root: Path, edit: Edit) -> None:
    edit(content_root, "en/articles.yml", lambda d: d["how_to_report"].update(body="Call +855 23 999 888 now."))

    problems = find(errors(content_root), "en/articles.yml", "how_to_report.body")

    assert len(problems) == 1 and "+855 23 999 888" in problems[0].message


def test_unconfirmed_number_in_text_is_an_error(content_root: Path, edit: Edit) -> None:
    edit(content_root, "ko/articles.yml", lambda d: d["how_to_report"].update(body="015 365 222로 전화하세요."))

    problems = find(errors(content_root), "ko/articles.yml", "how_to_report.body")

    assert len(problems) == 1 and "kh_hotline_unchecked" in problems[0].message


def test_confirmed_numbers_in_any_format_and_khmer_digits_pass(content_root: Path, edit: Edit) -> None:
    body = "Telegram 0979-117-117 or +855 979 117 117. Call ១១៧ or 117, +82-2-3210-0404. Since 2023, $1,500, 08:00."
    edit(content_root, "km/articles.yml", lambda d: d["urgent_safety"].update(body=body))

    assert check_content(content_root) == []


def test_unknown_short_number_is_a_warning(content_root: Path, edit: Edit) -> None:
    edit(content_root, "en/articles.yml", lambda d: d["how_to_report"].update(steps=["Dial 1288.", "b", "c"]))

    problems = check_content(content_root)

    assert [(p.key, p.level) for p in problems] == [("how_to_report.steps.0", "warning")]


def test_duplicate_key_and_syntax_error_are_reported_with_line(content_root: Path) -> None:
    path = content_root / "en" / "articles.yml"
    path.write_text(path.read_text() + "what_is_scam:\n  title: again\n", encoding="utf-8")
    broken = content_root / "ko" / "scam_types.yml"
    broken.write_text("romance:\n  title: [unclosed\n", encoding="utf-8")

    problems = errors(content_root)

    dup = find(problems, "en/articles.yml", "")
    assert len(dup) == 1 and "twice" in dup[0].message and "line" in dup[0].message
    syntax = find(problems, "ko/scam_types.yml", "")
    assert len(syntax) == 1 and "line" in syntax[0].message


def test_too_long_scam_type_is_a_warning(content_root: Path, edit: Edit) -> None:
    edit(content_root, "en/scam_types.yml", lambda d: d["loan"].update(how_it_works="Long text. " * 160))

    problems = check_content(content_root)

    assert [(p.file, p.key, p.level) for p in problems] == [("en/scam_types.yml", "loan", "warning")]


def test_main_prints_problems_and_returns_exit_code(content_root: Path, edit: Edit) -> None:
    out = io.StringIO()
    assert main([str(content_root)], out=out) == 0
    assert "0 error(s)" in out.getvalue()

    edit(content_root, "km/scam_types.yml", lambda d: d.pop("loan"))
    out = io.StringIO()
    assert main([str(content_root)], out=out) == 1
    assert "km/scam_types.yml [loan]" in out.getvalue()


def test_main_strict_fails_on_warnings(content_root: Path, edit: Edit) -> None:
    edit(content_root, "en/articles.yml", lambda d: d["how_to_report"].update(body="Dial 1288."))

    assert main([str(content_root)], out=io.StringIO()) == 0
    assert main([str(content_root), "--strict"], out=io.StringIO()) == 1
