"""The content shipped with the project passes the check and serves the public safely.

These fail until the km and ko content is complete: that is intended.
"""

from __future__ import annotations

import re

from classifier.signals import SIGNAL_IDS as CLASSIFIER_SIGNAL_IDS
from content.catalogue import DEFAULT_ROOT, ContentCatalogue
from content.check import _texts, check_content
from content.schema import LANGUAGES, SIGNAL_IDS, VERDICT_KEYS


def test_shipped_content_has_no_errors() -> None:
    problems = [p for p in check_content(DEFAULT_ROOT) if p.level == "error"]

    assert problems == [], "\n".join(str(p) for p in problems)


def test_english_content_has_no_warnings() -> None:
    problems = [p for p in check_content(DEFAULT_ROOT) if p.file.startswith("en/") or p.file == "contacts.yml"]

    assert problems == [], "\n".join(str(p) for p in problems)


def test_public_sees_exactly_the_confirmed_contacts_in_every_language() -> None:
    catalogue = ContentCatalogue(DEFAULT_ROOT)
    facts = catalogue.all_contacts()

    for lang in LANGUAGES:
        shown = catalogue.public_contacts(lang, korean_national=(lang == "ko"))
        assert {c.id for c in shown} == {cid for cid, f in facts.items() if f.status == "confirmed"}
        assert all(c.source_date is not None and c.name and c.description for c in shown)
    urgent = [c.id for c in catalogue.public_contacts("km", topics={"urgent"})]
    assert urgent[0] == "kh_police_117"
    assert "kh_anti_trafficking_1288" not in urgent  # unconfirmed hotline stays hidden


def test_every_signal_the_classifier_can_raise_has_text() -> None:
    assert SIGNAL_IDS == CLASSIFIER_SIGNAL_IDS


def test_check_card_and_job_check_have_no_warnings_in_any_language() -> None:
    new_files = ("signals.yml", "verdicts.yml", "job_check.yml")
    problems = [p for p in check_content(DEFAULT_ROOT) if p.file.endswith(new_files)]

    assert problems == [], "\n".join(str(p) for p in problems)


_SCRIPT = {"km": re.compile("[\u1780-\u17ff]"), "ko": re.compile("[\uac00-\ud7a3]")}


def test_check_card_and_job_check_are_written_in_the_users_script() -> None:
    """A line pasted in English (or left untranslated) into km or ko is caught here."""
    catalogue = ContentCatalogue(DEFAULT_ROOT)

    for lang, script in _SCRIPT.items():
        entries = [catalogue.signal(lang, key) for key in SIGNAL_IDS]
        entries += [catalogue.verdict(lang, key) for key in VERDICT_KEYS]
        entries.append(catalogue.job_check(lang))
        untranslated = [text for entry in entries for _, text in _texts(entry) if not script.search(text)]
        assert untranslated == [], f"{lang}: {untranslated}"
