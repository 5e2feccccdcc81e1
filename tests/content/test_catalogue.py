"""What the bot gets from the catalogue: right language, only confirmed contacts, live edits."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from content.catalogue import ContentCatalogue, ContentError
from content.schema import ARTICLE_KEYS, SCAM_TYPE_KEYS
from tests.content.conftest import Edit, FakeClock


def test_scam_types_come_in_the_schema_order_and_language(content_root: Path) -> None:
    catalogue = ContentCatalogue(content_root)

    listed = catalogue.scam_types("ko")

    assert [key for key, _ in listed] == list(SCAM_TYPE_KEYS)
    assert listed[0][1].title == "job_offer title ko"
    assert [key for key, _ in catalogue.articles("km")] == list(ARTICLE_KEYS)
    assert catalogue.article("km", "how_to_report").title == "how_to_report title km"


def test_unknown_language_or_key_is_refused(content_root: Path) -> None:
    catalogue = ContentCatalogue(content_root)

    with pytest.raises(ValueError, match="fr"):
        catalogue.scam_type("fr", "romance")
    with pytest.raises(KeyError):
        catalogue.scam_type("en", "no_such_scam")


def test_to_verify_contacts_are_never_public(content_root: Path) -> None:
    catalogue = ContentCatalogue(content_root)

    for lang in ("km", "ko", "en"):
        for korean in (True, False):
            shown = catalogue.public_contacts(lang, korean_national=korean)
            assert "kh_hotline_unchecked" not in {c.id for c in shown}
    assert catalogue.public_contacts("en", topics={"bank"})[0].id == "kr_fss"
    # Staff still see it.
    assert catalogue.all_contacts()["kh_hotline_unchecked"].status == "to_verify"


def test_public_contacts_in_language_with_source_date(content_root: Path) -> None:
    catalogue = ContentCatalogue(content_root)

    (police,) = catalogue.public_contacts("km", topics={"police"})

    assert (police.name, police.phone, police.hours) == ("kh_police km", "117", "24/7")
    assert police.source_date.isoformat() == "2025-10-28"


def test_korean_nationals_see_their_contacts_first(content_root: Path) -> None:
    catalogue = ContentCatalogue(content_root)

    korean = [c.id for c in catalogue.public_contacts("ko", topics={"urgent"}, korean_national=True)]
    other = [c.id for c in catalogue.public_contacts("km", topics={"urgent"})]

    assert korean == ["kr_consular", "kh_police", "kh_telegram"]
    assert other == ["kh_police", "kh_telegram", "kr_consular"]


def test_missing_key_falls_back_to_english_with_a_warning(
    content_root: Path, edit: Edit, caplog: pytest.LogCaptureFixture
) -> None:
    edit(content_root, "km/scam_types.yml", lambda d: d.pop("loan"))
    edit(content_root, "ko/contacts.yml", lambda d: d.pop("kr_fss"))
    (content_root / "km" / "articles.yml").unlink()
    catalogue = ContentCatalogue(content_root)

    with caplog.at_level(logging.WARNING, logger="content.catalogue"):
        assert catalogue.scam_type("km", "loan").title == "loan title en"
        assert catalogue.scam_type("km", "romance").title == "romance title km"
        assert catalogue.article("km", "what_is_scam").title == "what_is_scam title en"
        fss = [c for c in catalogue.public_contacts("ko") if c.id == "kr_fss"]
        assert fss[0].name == "kr_fss en"

    assert any("km/scam_types" in r.getMessage() and "loan" in r.getMessage() for r in caplog.records)


def test_broken_content_at_start_is_refused(content_root: Path, edit: Edit) -> None:
    edit(content_root, "contacts.yml", lambda d: d["kh_police"].update(url="http://x.kh"))

    with pytest.raises(ContentError, match="kh_police"):
        ContentCatalogue(content_root)


def test_english_must_be_complete(content_root: Path, edit: Edit) -> None:
    edit(content_root, "en/articles.yml", lambda d: d.pop("urgent_safety"))

    with pytest.raises(ContentError, match="urgent_safety"):
        ContentCatalogue(content_root)


def test_hot_reload_picks_up_an_edit_after_the_interval(content_root: Path, edit: Edit, clock: FakeClock) -> None:
    catalogue = ContentCatalogue(content_root, refresh_interval=2.0, clock=clock)
    edit(content_root, "ko/scam_types.yml", lambda d: d["romance"].update(title="새 제목입니다"))

    clock.now += 1.0
    assert catalogue.refresh() is False  # too soon: not even looked at
    assert catalogue.scam_type("ko", "romance").title == "romance title ko"

    clock.now += 1.5
    assert catalogue.refresh() is True
    assert catalogue.scam_type("ko", "romance").title == "새 제목입니다"
    assert catalogue.last_error is None

    clock.now += 5
    assert catalogue.refresh() is False  # nothing changed since


def test_broken_edit_keeps_last_good_content_until_fixed(content_root: Path, edit: Edit, clock: FakeClock) -> None:
    catalogue = ContentCatalogue(content_root, clock=clock)
    path = content_root / "en" / "scam_types.yml"
    good = path.read_text(encoding="utf-8")

    path.write_text(good + "romance: [half-saved\n", encoding="utf-8")
    clock.now += 3
    assert catalogue.refresh() is False
    assert catalogue.last_error is not None and "en/scam_types.yml" in catalogue.last_error
    assert catalogue.scam_type("en", "romance").title == "romance title en"

    edit(content_root, "contacts.yml", lambda d: d["kh_police"].update(phone="not a number"))
    path.write_text(good, encoding="utf-8")
    clock.now += 3
    assert catalogue.refresh() is False  # contacts.yml is still broken
    assert "kh_police" in (catalogue.last_error or "")
    assert [c.phone for c in catalogue.public_contacts("en", topics={"police"})] == ["117"]

    edit(content_root, "contacts.yml", lambda d: d["kh_police"].update(phone="117", hours="08:00-17:00"))
    assert catalogue.refresh(force=True) is True
    assert catalogue.last_error is None
    assert catalogue.public_contacts("en", topics={"police"})[0].hours == "08:00-17:00"


def test_promoting_a_contact_to_confirmed_makes_it_public(content_root: Path, edit: Edit, clock: FakeClock) -> None:
    catalogue = ContentCatalogue(content_root, clock=clock)

    edit(
        content_root,
        "contacts.yml",
        lambda d: d["kh_hotline_unchecked"].update(
            status="confirmed", source_date="2025-07-07", verified_on="2025-11-01", verified_by="staff"
        ),
    )
    assert catalogue.refresh(force=True) is True

    assert "kh_hotline_unchecked" in {c.id for c in catalogue.public_contacts("en")}
