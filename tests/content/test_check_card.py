"""Texts of the check card: red-flag signals and verdicts, from the catalogue and the check."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from content.catalogue import ContentCatalogue, ContentError
from content.check import check_content
from content.loader import Problem
from tests.content.conftest import Edit, FakeClock


def errors(root: Path) -> list[Problem]:
    return [p for p in check_content(root) if p.level == "error"]


def test_signal_and_verdict_come_in_the_users_language(content_root: Path) -> None:
    catalogue = ContentCatalogue(content_root)

    assert catalogue.signal("km", "asks_for_code").title == "asks_for_code title km"
    assert catalogue.signal("en", "job_passport_held").explanation == "Why job_passport_held is a warning sign (en)."
    assert catalogue.verdict("ko", "no_signs").title == "no_signs title ko"
    assert catalogue.verdict("ko", "no_signs").advice == ["Stop (ko).", "Check (ko)."]


def test_unknown_signal_verdict_or_language_is_refused(content_root: Path) -> None:
    catalogue = ContentCatalogue(content_root)

    with pytest.raises(KeyError):
        catalogue.signal("en", "no_such_signal")
    with pytest.raises(KeyError):
        catalogue.verdict("km", "safe")
    with pytest.raises(ValueError, match="fr"):
        catalogue.verdict("fr", "scam")


def test_missing_signal_falls_back_to_english_with_a_warning(
    content_root: Path, edit: Edit, caplog: pytest.LogCaptureFixture
) -> None:
    edit(content_root, "km/signals.yml", lambda d: d.pop("loan_offer"))
    (content_root / "ko" / "verdicts.yml").unlink()
    catalogue = ContentCatalogue(content_root)

    with caplog.at_level(logging.WARNING, logger="content.catalogue"):
        assert catalogue.signal("km", "loan_offer").title == "loan_offer title en"
        assert catalogue.signal("km", "prize_claim").title == "prize_claim title km"
        assert catalogue.verdict("ko", "scam").title == "scam title en"

    assert any("km/signals" in r.getMessage() and "loan_offer" in r.getMessage() for r in caplog.records)


def test_english_must_have_every_signal_and_verdict(content_root: Path, edit: Edit) -> None:
    edit(content_root, "en/signals.yml", lambda d: d.pop("apk_link"))
    with pytest.raises(ContentError, match="apk_link"):
        ContentCatalogue(content_root)

    edit(content_root, "en/signals.yml", lambda d: d.update(apk_link={"title": "APK", "explanation": "Bad."}))
    edit(content_root, "en/verdicts.yml", lambda d: d.pop("no_signs"))
    with pytest.raises(ContentError, match="no_signs"):
        ContentCatalogue(content_root)


def test_missing_signal_id_is_reported_where_it_exists(content_root: Path, edit: Edit) -> None:
    edit(content_root, "ko/signals.yml", lambda d: d.pop("ip_host"))

    problems = errors(content_root)

    assert [(p.file, p.key) for p in problems] == [("ko/signals.yml", "ip_host")]
    assert "missing" in problems[0].message and "km, en" in problems[0].message


def test_signal_ids_must_be_exactly_the_classifiers(content_root: Path, edit: Edit) -> None:
    for lang in ("km", "ko", "en"):
        edit(content_root, f"{lang}/signals.yml", lambda d: d.pop("prize_claim"))
    edit(content_root, "km/signals.yml", lambda d: d.update(lottery_win={"title": "t", "explanation": "e"}))

    problems = errors(content_root)

    assert {(p.file, p.key) for p in problems} == {
        ("km/signals.yml", "prize_claim"),
        ("ko/signals.yml", "prize_claim"),
        ("en/signals.yml", "prize_claim"),
        ("km/signals.yml", "lottery_win"),
    }
    assert "extra" in next(p.message for p in problems if p.key == "lottery_win")


def test_verdict_needs_two_to_four_bullets_and_a_title(content_root: Path, edit: Edit) -> None:
    def change(d: dict) -> None:
        d["scam"]["advice"] = ["a", "b", "c", "d", "e"]
        d["suspicious"]["title"] = "  "
        d["no_signs"]["advice"] = ["Only one."]

    edit(content_root, "en/verdicts.yml", change)

    keys = {(p.file, p.key) for p in errors(content_root)}

    assert keys == {
        ("en/verdicts.yml", "scam.advice"),
        ("en/verdicts.yml", "suspicious.title"),
        ("en/verdicts.yml", "no_signs.advice"),
    }


def test_missing_file_and_unknown_field_are_reported(content_root: Path, edit: Edit) -> None:
    (content_root / "km" / "verdicts.yml").unlink()
    edit(content_root, "ko/signals.yml", lambda d: d["url_shortener"].update(explaination="typo"))

    problems = errors(content_root)

    assert [(p.file, p.key, p.message) for p in problems] == [
        ("km/verdicts.yml", "", "the file is missing"),
        ("ko/signals.yml", "url_shortener.explaination", "unknown field (check the spelling)"),
    ]


def test_invented_phone_number_in_advice_is_an_error(content_root: Path, edit: Edit) -> None:
    edit(content_root, "km/verdicts.yml", lambda d: d["scam"]["advice"].append("Call +855 23 999 888."))

    problems = errors(content_root)

    assert [(p.file, p.key) for p in problems] == [("km/verdicts.yml", "scam.advice.2")]


def test_too_wide_signal_title_is_a_warning(content_root: Path, edit: Edit) -> None:
    edit(content_root, "en/signals.yml", lambda d: d["ip_host"].update(title="A link that goes to a bare IP address"))
    wide = "숫자로만 된 주소로 연결되는 아주 수상한 링크예요"  # 27 characters, 48 letters wide
    edit(content_root, "ko/signals.yml", lambda d: d["ip_host"].update(title=wide))

    problems = check_content(content_root)

    assert [(p.file, p.key, p.level) for p in problems] == [("ko/signals.yml", "ip_host.title", "warning")]


def test_hot_reload_of_signals_and_verdicts(content_root: Path, edit: Edit, clock: FakeClock) -> None:
    catalogue = ContentCatalogue(content_root, clock=clock)
    edit(content_root, "ko/verdicts.yml", lambda d: d["scam"].update(title="🚨 사기예요"))

    clock.now += 3
    assert catalogue.refresh() is True
    assert catalogue.verdict("ko", "scam").title == "🚨 사기예요"

    edit(content_root, "km/signals.yml", lambda d: d["apk_link"].update(explanation=""))
    clock.now += 3
    assert catalogue.refresh() is False
    assert "km/signals.yml" in (catalogue.last_error or "")
    assert catalogue.signal("km", "apk_link").explanation == "Why apk_link is a warning sign (km)."
