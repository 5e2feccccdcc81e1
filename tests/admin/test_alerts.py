"""Alerts in the console: editors compose, preview, send or schedule, and follow the delivery counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from admin.app import AdminServices
from bot.broadcast import alert_composer
from storage.broadcasts import BroadcastRepository, DeliveryResult, DeliveryStatus
from storage.models import AuditEntry
from storage.subscriptions import SubscriptionRepository
from tests.admin.support import add_staff, csrf_from, log_in
from tests.storage.support import FakeClock

TEXTS = {
    "km": "ប្រយ័ត្ន! សារ SMS ក្លែងជាធនាគារ ABA ស្នើឱ្យចុចតំណ។",
    "ko": "주의! ABA 은행을 사칭한 문자가 링크 클릭을 요구합니다.",
    "en": "Beware! Fake ABA bank texts ask you to tap a link.",
}


def _form(token: str, *, action: str = "preview", langs: tuple[str, ...] = ("km", "ko", "en"), **extra: str):  # type: ignore[no-untyped-def]
    data: list[tuple[str, str]] = [("csrf_token", token), ("action", action), ("topic", extra.pop("topic", "all"))]
    data += [("lang", lang) for lang in langs]
    data += [(f"text_{lang}", extra.pop(f"text_{lang}", TEXTS[lang])) for lang in ("km", "ko", "en")]
    data += list(extra.items())
    return data


async def _post(client: httpx.AsyncClient, data: list[tuple[str, str]]) -> httpx.Response:
    """Posts the compose form; a list of pairs, because a form may repeat a field (lang)."""
    body = str(httpx.QueryParams(data))
    return await client.post("/alerts", content=body, headers={"content-type": "application/x-www-form-urlencoded"})


@pytest.fixture
async def editor(client: httpx.AsyncClient, services: AdminServices) -> httpx.AsyncClient:
    await add_staff(services.staff, "sokha", "editor")
    await log_in(client, "sokha")
    return client


async def _token(client: httpx.AsyncClient) -> str:
    return csrf_from((await client.get("/alerts")).text)


async def _alerts(services: AdminServices) -> list:  # type: ignore[type-arg]
    return await BroadcastRepository(services.db).list_alerts()


async def test_logged_out_visitors_see_nothing(client: httpx.AsyncClient) -> None:
    for path in ("/alerts", "/alerts/1"):
        response = await client.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_analysts_cannot_send_alerts(client: httpx.AsyncClient, services: AdminServices) -> None:
    alert_id = await BroadcastRepository(services.db).create_alert(texts=TEXTS, created_by="boss")
    await add_staff(services.staff, "dara", "analyst")
    await log_in(client, "dara")
    token = csrf_from((await client.get("/")).text)

    assert (await client.get("/alerts")).status_code == 403
    assert (await client.get(f"/alerts/{alert_id}")).status_code == 403
    assert (await _post(client, _form(token, action="send"))).status_code == 403
    cancel = await client.post(f"/alerts/{alert_id}/cancel", data={"csrf_token": token})
    assert cancel.status_code == 403
    assert [(a.id, a.state) for a in await _alerts(services)] == [(alert_id, "scheduled")]
    assert 'href="/alerts"' not in (await client.get("/")).text


async def test_a_preview_shows_each_message_as_the_bot_sends_it_and_the_audience(
    editor: httpx.AsyncClient, services: AdminServices
) -> None:
    subscriptions = SubscriptionRepository(services.db)
    await subscriptions.subscribe(1, language="km", topics=["all"])
    await subscriptions.subscribe(2, language="ko", topics=["romance"])
    await subscriptions.subscribe(3, language="ko", topics=["parcel"])
    await subscriptions.subscribe(4, language="en", topics=["all"])

    page = await _post(editor, _form(await _token(editor), langs=("km", "ko"), topic="romance"))

    assert page.status_code == 200
    compose = alert_composer(services.t)
    for lang in ("km", "ko"):
        shown = page.text.split(f'data-testid="preview-{lang}">')[1].split("</div>")[0]
        assert shown == compose(lang, TEXTS[lang])  # the bot's header, the text, the bot's footer
    assert 'data-testid="preview-en"' not in page.text
    assert 'data-testid="audience">2<' in page.text  # Khmer "all" and the Korean romance follower
    assert "Send now to 2 subscribers" in page.text
    assert await _alerts(services) == []  # a preview stores nothing


async def test_a_missing_text_is_pointed_out_and_nothing_is_sent(
    editor: httpx.AsyncClient, services: AdminServices
) -> None:
    page = await _post(editor, _form(await _token(editor), action="send", text_ko="   "))

    assert page.status_code == 400
    assert 'data-field="text_ko"' in page.text
    assert TEXTS["km"] in page.text  # what was typed is kept
    none_chosen = await _post(editor, _form(await _token(editor), langs=()))
    assert none_chosen.status_code == 400 and 'data-field="lang"' in none_chosen.text
    bad_topic = await _post(editor, _form(await _token(editor), topic="<script>"))
    assert bad_topic.status_code == 400 and 'data-field="topic"' in bad_topic.text
    too_long = await _post(editor, _form(await _token(editor), text_en="x" * 3501))
    assert too_long.status_code == 400 and "at most 3500" in too_long.text
    assert await _alerts(services) == []


async def test_sending_now_stores_the_alert_and_audits_it(editor: httpx.AsyncClient, services: AdminServices) -> None:
    done = await _post(editor, _form(await _token(editor), action="send", langs=("ko",), topic="romance"))

    assert done.status_code == 303
    [alert] = await _alerts(services)
    assert done.headers["location"] == f"/alerts/{alert.id}"
    assert (alert.texts, alert.audience_languages, alert.topic) == ({"ko": TEXTS["ko"]}, frozenset({"ko"}), "romance")
    assert alert.created_by == "sokha" and alert.send_at == services.clock()
    page = await editor.get(done.headers["location"])
    assert page.headers.get("refresh") == "3"  # reloads itself until sent
    async with services.db.session() as session:
        audit = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "alert.create"))).all()
    assert [(a.actor, a.target) for a in audit] == [("sokha", f"alert:{alert.id}")]


async def test_an_alert_can_be_scheduled_in_bot_time_but_not_in_the_past(
    editor: httpx.AsyncClient, services: AdminServices, clock: FakeClock
) -> None:
    local = (clock.now + timedelta(hours=7, days=1)).strftime("%Y-%m-%dT%H:%M")
    past = (clock.now + timedelta(hours=7) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")

    refused = await _post(editor, _form(await _token(editor), action="send", when="later", send_at=past))
    garbled = await _post(editor, _form(await _token(editor), action="send", when="later", send_at="soon"))
    done = await _post(editor, _form(await _token(editor), action="send", when="later", send_at=local))

    assert refused.status_code == 400 and "This time has passed" in refused.text
    assert garbled.status_code == 400 and 'data-field="send_at"' in garbled.text
    assert done.status_code == 303
    [alert] = await _alerts(services)
    expected = datetime.fromisoformat(local).replace(tzinfo=UTC) - timedelta(hours=7)
    assert alert.send_at == expected and alert.state == "scheduled"


async def test_the_alert_page_shows_progress_and_final_counts(
    editor: httpx.AsyncClient, services: AdminServices
) -> None:
    subscriptions = SubscriptionRepository(services.db)
    for user_id in (1, 2, 3, 4):
        await subscriptions.subscribe(user_id, language="en", topics=["all"])
    repo = BroadcastRepository(services.db, clock=services.clock)
    alert_id = await repo.create_alert(texts=TEXTS, created_by="sokha")
    taken = await repo.take_due_alert("sender-1", lease=timedelta(minutes=1))
    assert taken is not None
    batch = await repo.next_batch(alert_id, "sender-1", size=10, lease=timedelta(minutes=1))
    assert batch is not None and len(batch) == 4
    await repo.record(alert_id, [DeliveryResult(batch[0].user_id, DeliveryStatus.SENT)])

    sending = await editor.get(f"/alerts/{alert_id}")
    assert 'data-testid="state">sending<' in sending.text
    assert "<b>4</b>recipients" in sending.text and "<b>1</b>sent" in sending.text
    assert "<b>3</b>still to send" in sending.text

    await repo.record(
        alert_id,
        [
            DeliveryResult(batch[1].user_id, DeliveryStatus.SENT),
            DeliveryResult(batch[2].user_id, DeliveryStatus.SENT),
            DeliveryResult(batch[3].user_id, DeliveryStatus.BLOCKED, "Forbidden: bot was blocked by the user"),
        ],
    )
    assert await repo.finish(alert_id, "sender-1")

    done = await editor.get(f"/alerts/{alert_id}")
    assert 'data-testid="state">done<' in done.text
    assert "<b>3</b>sent" in done.text and "<b>1</b>blocked the bot" in done.text
    assert "refresh" not in done.headers
    listing = await editor.get("/alerts")
    assert "<td>3 / 4</td>" in listing.text


async def test_cancelling_needs_the_form_token_and_is_audited(
    editor: httpx.AsyncClient, services: AdminServices
) -> None:
    alert_id = await BroadcastRepository(services.db).create_alert(
        texts=TEXTS, created_by="sokha", send_at=datetime(2030, 1, 1, tzinfo=UTC)
    )

    forged = await editor.post(f"/alerts/{alert_id}/cancel", data={})
    assert forged.status_code == 403
    token = csrf_from((await editor.get(f"/alerts/{alert_id}")).text)
    done = await editor.post(f"/alerts/{alert_id}/cancel", data={"csrf_token": token})

    assert done.status_code == 303
    page = await editor.get(done.headers["location"])
    assert "Cancelled: nothing more will be sent." in page.text
    assert [a.state for a in await _alerts(services)] == ["cancelled"]
    for path in ("/alerts/999999", "/alerts/abc", "/alerts/99999999999999999999"):
        assert (await editor.get(path)).status_code == 404
