"""The content editor through the real console over HTTP: status, editing, preview, publishing,
history and rollback, and the role boundaries around them."""

from __future__ import annotations

from pathlib import Path

import httpx
import yaml

from admin.app import AdminServices
from bot.i18n import Translator
from content.catalogue import ContentCatalogue
from tests.admin.support import add_staff, csrf_from, log_in

KM_ARTICLE = "/content/articles/what_is_scam/km"


def km_article_form(title: str, steps: list[str] | None = None) -> dict[str, str]:
    """A whole Khmer article as the form sends it."""
    return {
        "title": title,
        "body": "ការបោកប្រាស់ គឺជាល្បិចយកលុយ ឬព័ត៌មានផ្ទាល់ខ្លួនរបស់អ្នក។",
        "steps": "\n".join(steps or ["យឺតៗ ហើយពិនិត្យមើល។", "កុំផ្ញើលុយ ឬលេខកូដ។", "សួរមនុស្សដែលអ្នកទុកចិត្ត។"]),
    }


async def submit(client: httpx.AsyncClient, url: str, data: dict[str, str], action: str) -> httpx.Response:
    page = await client.get(url)
    return await client.post(url, data={**data, "action": action, "csrf_token": csrf_from(page.text)})


def km_articles(content_dir: Path) -> dict:
    return yaml.safe_load((content_dir / "km" / "articles.yml").read_text(encoding="utf-8"))


async def editor(client: httpx.AsyncClient, services: AdminServices, name: str = "sokha") -> None:
    await add_staff(services.staff, name, "editor")
    await log_in(client, name)


async def test_the_overview_lists_every_kind_with_its_status_in_each_language(
    client: httpx.AsyncClient, services: AdminServices, content_dir: Path
) -> None:
    data = km_articles(content_dir)
    del data["how_to_report"]
    (content_dir / "km" / "articles.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    await editor(client, services)

    page = await client.get("/content")

    assert page.status_code == 200
    for heading in ("Scam types", "Articles", "Signals", "Verdicts", "Job check", "Contact facts"):
        assert heading in page.text
    assert 'href="/content/articles/how_to_report/km" data-lang="km" data-status="missing"' in page.text
    assert 'href="/content/articles/how_to_report/ko" data-lang="ko" data-status="ok"' in page.text


async def test_the_editor_previews_an_entry_as_the_bot_renders_it_with_its_buttons(
    client: httpx.AsyncClient, services: AdminServices, translator: Translator
) -> None:
    await editor(client, services)

    page = await client.get("/content/scam_types/romance/ko")

    catalogue = ContentCatalogue(services.content_dir)
    assert page.status_code == 200
    assert f"<b>{catalogue.scam_type('ko', 'romance').title}</b>" in page.text
    assert translator("ko", "learn.warning_signs") in page.text
    for label in ("menu.check", "menu.report", "learn.more_topics", "common.menu"):
        assert translator("ko", label) in page.text
    assert "English, for reference" in page.text


async def test_an_editor_publishes_a_khmer_article_and_the_catalogue_serves_it(
    client: httpx.AsyncClient, services: AdminServices, content_dir: Path
) -> None:
    await editor(client, services)
    bot_content = ContentCatalogue(content_dir, refresh_interval=0)
    comment = (content_dir / "km" / "articles.yml").read_text(encoding="utf-8").splitlines()[0]

    response = await submit(client, KM_ARTICLE, km_article_form("តើការបោកប្រាស់ជាអ្វី? (ថ្មី)"), "publish")

    assert response.status_code == 303
    assert response.headers["location"] == KM_ARTICLE + "?published=1"
    assert km_articles(content_dir)["what_is_scam"]["title"] == "តើការបោកប្រាស់ជាអ្វី? (ថ្មី)"
    assert bot_content.refresh(force=True)
    assert bot_content.article("km", "what_is_scam").title == "តើការបោកប្រាស់ជាអ្វី? (ថ្មី)"
    assert (content_dir / "km" / "articles.yml").read_text(encoding="utf-8").startswith(comment + "\n")
    page = await client.get(KM_ARTICLE + "?published=1")
    assert "Published" in page.text


async def test_publishing_records_the_version_and_an_audit_row(
    client: httpx.AsyncClient, services: AdminServices
) -> None:
    await editor(client, services)

    await submit(client, KM_ARTICLE, km_article_form("ចំណងជើងថ្មី"), "publish")

    history = await services.versions.history("km/articles.yml", "what_is_scam")
    assert [v.action for v in history] == ["publish", "import"]
    assert history[0].published_by == "sokha"
    assert history[0].data["title"] == "ចំណងជើងថ្មី"
    audit = await services.audit.recent(5)
    assert (audit[0].actor, audit[0].action, audit[0].target) == (
        "sokha",
        "content.publish",
        "content:km/articles.yml#what_is_scam",
    )


async def test_an_invalid_edit_shows_the_error_next_to_its_field_and_changes_nothing(
    client: httpx.AsyncClient, services: AdminServices, content_dir: Path
) -> None:
    await editor(client, services)
    before = (content_dir / "km" / "articles.yml").read_text(encoding="utf-8")

    response = await submit(client, KM_ARTICLE, km_article_form("", steps=["មួយ", "ពីរ"]), "publish")

    assert response.status_code == 422
    assert 'data-field="steps"' in response.text and "3 to 7 items" in response.text
    assert 'data-field="title"' in response.text
    assert (content_dir / "km" / "articles.yml").read_text(encoding="utf-8") == before


async def test_a_phone_number_that_is_not_a_confirmed_contact_is_refused(
    client: httpx.AsyncClient, services: AdminServices, content_dir: Path
) -> None:
    await editor(client, services)
    before = (content_dir / "km" / "articles.yml").read_text(encoding="utf-8")
    form = km_article_form("ចំណងជើង")
    form["body"] = "ទូរស័ព្ទមកលេខ +855 12 345 678 ដើម្បីទទួលជំនួយ។"

    response = await submit(client, KM_ARTICLE, form, "publish")

    assert response.status_code == 422
    assert "+855 12 345 678" in response.text and "confirmed" in response.text
    assert (content_dir / "km" / "articles.yml").read_text(encoding="utf-8") == before


async def test_preview_shows_the_draft_without_publishing_it(
    client: httpx.AsyncClient, services: AdminServices, content_dir: Path
) -> None:
    await editor(client, services)
    before = (content_dir / "km" / "articles.yml").read_text(encoding="utf-8")

    response = await submit(client, KM_ARTICLE, km_article_form("សេចក្តីព្រាង <ថ្មី>"), "preview")

    assert response.status_code == 200
    assert "Preview of your draft" in response.text
    assert "<b>សេចក្តីព្រាង &lt;ថ្មី&gt;</b>" in response.text  # escaped exactly as the bot escapes it
    assert (content_dir / "km" / "articles.yml").read_text(encoding="utf-8") == before


async def test_an_analyst_can_read_content_but_not_publish(
    client: httpx.AsyncClient, services: AdminServices, content_dir: Path
) -> None:
    await add_staff(services.staff, "dara", "analyst")
    await log_in(client, "dara")
    before = (content_dir / "km" / "articles.yml").read_text(encoding="utf-8")

    page = await client.get(KM_ARTICLE)
    response = await client.post(
        KM_ARTICLE, data={**km_article_form("x"), "action": "publish", "csrf_token": csrf_from(page.text)}
    )

    assert page.status_code == 200 and "not change it" in page.text
    assert response.status_code == 403
    assert (content_dir / "km" / "articles.yml").read_text(encoding="utf-8") == before


async def test_publishing_without_the_csrf_token_is_refused(
    client: httpx.AsyncClient, services: AdminServices, content_dir: Path
) -> None:
    await editor(client, services)
    before = (content_dir / "km" / "articles.yml").read_text(encoding="utf-8")

    response = await client.post(KM_ARTICLE, data={**km_article_form("x"), "action": "publish"})

    assert response.status_code == 403
    assert (content_dir / "km" / "articles.yml").read_text(encoding="utf-8") == before


async def test_english_changed_after_a_translation_marks_the_translation_outdated(
    client: httpx.AsyncClient, services: AdminServices, clock
) -> None:
    await editor(client, services)
    english = (await client.get("/content/articles/what_is_scam/en")).text
    assert "What is a scam?" in english
    await submit(client, KM_ARTICLE, km_article_form("ចំណងជើង"), "publish")
    clock.advance(minutes=5)

    await submit(
        client,
        "/content/articles/what_is_scam/en",
        {"title": "What is a scam, really?", "body": "A trick to take your money.", "steps": ""},
        "publish",
    )

    overview = (await client.get("/content")).text
    assert 'href="/content/articles/what_is_scam/km" data-lang="km" data-status="outdated"' in overview
    assert 'href="/content/articles/what_is_scam/ko" data-lang="ko" data-status="outdated"' in overview
    assert 'href="/content/articles/what_is_scam/en" data-lang="en" data-status="ok"' in overview


async def test_history_shows_the_diff_and_rollback_restores_an_earlier_version(
    client: httpx.AsyncClient, services: AdminServices, content_dir: Path
) -> None:
    await editor(client, services)
    original = km_articles(content_dir)["what_is_scam"]["title"]
    await submit(client, KM_ARTICLE, km_article_form("ជំនាន់ទីពីរ"), "publish")

    page = await client.get(KM_ARTICLE + "/history")

    assert page.status_code == 200
    assert "+title: ជំនាន់ទីពីរ" in page.text and f"-title: {original}" in page.text
    imported = (await services.versions.history("km/articles.yml", "what_is_scam"))[-1]
    response = await client.post(f"{KM_ARTICLE}/rollback/{imported.id}", data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 303
    assert km_articles(content_dir)["what_is_scam"]["title"] == original
    assert (await services.audit.recent(1))[0].action == "content.rollback"


async def test_a_contact_is_confirmed_only_with_a_verification(
    client: httpx.AsyncClient, services: AdminServices, content_dir: Path
) -> None:
    await editor(client, services)
    url = "/content/contact_facts/kh_police_foreigners/all"
    facts = yaml.safe_load((content_dir / "contacts.yml").read_text(encoding="utf-8"))["kh_police_foreigners"]
    form = {k: ("" if v is None else str(v).lower() if isinstance(v, bool) else str(v)) for k, v in facts.items()}
    form.update(topics="\n".join(facts["topics"]), status="confirmed", source_date="2025-11-01", confidence="official")

    refused = await submit(client, url, form, "publish")
    accepted = await submit(client, url, {**form, "verified_now": "1"}, "publish")

    assert refused.status_code == 422 and "must be verified" in refused.text
    assert accepted.status_code == 303
    saved = yaml.safe_load((content_dir / "contacts.yml").read_text(encoding="utf-8"))["kh_police_foreigners"]
    assert saved["status"] == "confirmed"
    assert saved["verified_by"] == "sokha" and saved["verified_on"] == "2025-03-01"


async def test_an_unverified_contact_preview_says_the_public_does_not_see_it(
    client: httpx.AsyncClient, services: AdminServices
) -> None:
    await editor(client, services)

    page = await client.get("/content/contact_facts/kh_police_foreigners/all")

    assert "Not shown to the public" in page.text


async def test_unknown_entries_kinds_and_languages_get_a_plain_404(
    client: httpx.AsyncClient, services: AdminServices
) -> None:
    await editor(client, services)
    for path in (
        "/content/articles/no_such_article/km",
        "/content/no_such_kind/x/km",
        "/content/articles/what_is_scam/fr",
        "/content/contact_facts/kh_police_117/km",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path


async def test_a_verification_cannot_be_typed_in_and_a_new_number_voids_it(
    client: httpx.AsyncClient, services: AdminServices, content_dir: Path
) -> None:
    await editor(client, services)
    url = "/content/contact_facts/kh_police_117/all"
    facts = yaml.safe_load((content_dir / "contacts.yml").read_text(encoding="utf-8"))["kh_police_117"]
    form = {k: ("" if v is None else str(v).lower() if isinstance(v, bool) else str(v)) for k, v in facts.items()}
    form["topics"] = "\n".join(facts["topics"])

    typed = await submit(client, url, {**form, "verified_on": "2025-01-01", "verified_by": "someone"}, "publish")
    verified = await submit(client, url, {**form, "verified_now": "1"}, "publish")
    renumbered = await submit(client, url, {**form, "phone": "119"}, "publish")

    assert typed.status_code == 422 and "must be verified" in typed.text
    assert verified.status_code == 303
    assert renumbered.status_code == 422 and "must be verified" in renumbered.text
    saved = yaml.safe_load((content_dir / "contacts.yml").read_text(encoding="utf-8"))["kh_police_117"]
    assert (saved["phone"], saved["verified_by"]) == ("117", "sokha")
