"""Alerts for editors: compose in each language, choose the audience, preview, send now or schedule,
then follow progress and the final delivery counts. Sending itself is the bot's broadcast sender."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin.pages import NavItem, PageError, Role, Staff, audit, page, render, services
from storage.broadcasts import ALERT_LANGUAGES, MAX_TEXT_LENGTH, BroadcastRepository, validate_alert
from storage.subscriptions import ALL_TOPICS, SubscriptionRepository

NAV = (NavItem("Alerts", "/alerts", (Role.EDITOR,)),)

LANGUAGE_NAMES = {"km": "ខ្មែរ (Khmer)", "ko": "한국어 (Korean)", "en": "English"}
#: How far ahead an alert may be scheduled.
MAX_SCHEDULE_AHEAD = timedelta(days=60)
#: Seconds between two reloads of an alert's page while it is being sent.
REFRESH_SECONDS = 3
CANCELLED_NOTICE = "Cancelled: nothing more will be sent."


@dataclass
class Draft:
    """What the compose form holds, and what is wrong with it."""

    texts: dict[str, str] = field(default_factory=lambda: dict.fromkeys(ALERT_LANGUAGES, ""))
    languages: list[str] = field(default_factory=lambda: list(ALERT_LANGUAGES))
    topic: str = ALL_TOPICS
    when: str = "now"
    send_at: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def audience_languages(self) -> list[str] | None:
        """None for every language (the broadcast API's way of saying so)."""
        return None if set(self.languages) == set(ALERT_LANGUAGES) else self.languages

    @property
    def topic_or_general(self) -> str | None:
        return None if self.topic == ALL_TOPICS else self.topic


def _local_zone(request: Request) -> timezone:
    return timezone(getattr(services(request), "trends_offset", timedelta(hours=7)))


def _topics(request: Request) -> list[tuple[str, str]]:
    """``(topic, label)``: every alert, or one scam type's followers."""
    catalogue = services(request).catalogue
    types = [(key, scam.title) for key, scam in catalogue.scam_types("en")] if catalogue is not None else []
    return [(ALL_TOPICS, "Everyone who subscribed (a general alert)"), *types]


def read_draft(form: FormData, topics: list[str], zone: timezone, now: datetime) -> tuple[Draft, datetime | None]:
    """The form as a draft, checked; returns the send time (None: now) when there are no errors."""
    draft = Draft(
        texts={lang: str(form.get(f"text_{lang}", ""))[: MAX_TEXT_LENGTH * 2] for lang in ALERT_LANGUAGES},
        languages=[lang for lang in ALERT_LANGUAGES if lang in form.getlist("lang")],
        topic=str(form.get("topic", ALL_TOPICS)),
        when="later" if form.get("when") == "later" else "now",
        send_at=str(form.get("send_at", ""))[:32],
    )
    if draft.topic not in topics:
        draft.errors["topic"] = "Choose a topic from the list."
    if not draft.languages:
        draft.errors["lang"] = "Choose at least one language of subscribers to send to."
    for lang in draft.languages:
        if not draft.texts[lang].strip():
            draft.errors[f"text_{lang}"] = "Write this text too: its subscribers read this language."
        elif len(draft.texts[lang]) > MAX_TEXT_LENGTH:
            draft.errors[f"text_{lang}"] = (
                f"Too long: {len(draft.texts[lang])} characters; at most {MAX_TEXT_LENGTH} fit in one message."
            )
    send_at = None
    if draft.when == "later":
        try:
            send_at = datetime.fromisoformat(draft.send_at).replace(tzinfo=zone).astimezone(UTC)
        except ValueError:
            draft.errors["send_at"] = "Give the date and time to send it."
        else:
            if send_at <= now:
                draft.errors["send_at"] = "This time has passed: choose a later one, or send it now."
            elif send_at > now + MAX_SCHEDULE_AHEAD:
                draft.errors["send_at"] = f"At most {MAX_SCHEDULE_AHEAD.days} days ahead."
    if not draft.errors:
        try:
            validate_alert(
                {lang: draft.texts[lang] for lang in draft.languages}, draft.audience_languages, draft.topic_or_general
            )
        except ValueError as exc:
            draft.errors["form"] = str(exc).capitalize() + "."
    return draft, send_at


def preview_text(request: Request, lang: str, text: str) -> str:
    """The message as a subscriber reading ``lang`` gets it: the bot's header, the text, the footer."""
    t = services(request).t
    return f"{t(lang, 'subscribe.alert_header')}\n\n{text.strip()}\n\n{t(lang, 'subscribe.alert_footer')}"


async def _compose_page(request: Request, draft: Draft, *, preview: bool = False, status_code: int = 200) -> Response:
    console = services(request)
    zone = _local_zone(request)
    context: dict[str, object] = {
        "draft": draft,
        "languages": ALERT_LANGUAGES,
        "language_names": LANGUAGE_NAMES,
        "topics": _topics(request),
        "max_length": MAX_TEXT_LENGTH,
        "alerts": await BroadcastRepository(console.db, clock=console.clock).list_alerts(limit=20),
        "zone": zone,
        "now_local": console.clock().astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
    }
    if preview and not draft.errors:
        context["previews"] = [(lang, preview_text(request, lang, draft.texts[lang])) for lang in draft.languages]
        context["audience"] = await SubscriptionRepository(console.db).count(
            languages=draft.audience_languages, topic=draft.topic_or_general
        )
    return render(request, "alerts.html", context, status_code=status_code)


@page(Role.EDITOR)
async def alerts_page(request: Request, staff: Staff) -> Response:
    """The compose form and the latest alerts with their progress."""
    return await _compose_page(request, Draft())


@page(Role.EDITOR)
async def compose(request: Request, staff: Staff) -> Response:
    """Preview (nothing is stored) or send/schedule the alert in the form."""
    console = services(request)
    form = await request.form()
    now = console.clock()
    draft, send_at = read_draft(form, [key for key, _ in _topics(request)], _local_zone(request), now)
    if draft.errors:
        return await _compose_page(request, draft, status_code=400)
    if form.get("action") != "send":
        return await _compose_page(request, draft, preview=True)
    alert_id = await BroadcastRepository(console.db, clock=console.clock).create_alert(
        texts={lang: draft.texts[lang] for lang in draft.languages},
        audience_languages=draft.audience_languages,
        topic=draft.topic_or_general,
        send_at=send_at,
        created_by=staff.username,
    )
    await audit(
        request,
        "alert.create",
        f"alert:{alert_id}",
        {"languages": draft.languages, "topic": draft.topic, "send_at": (send_at or now).isoformat()},
    )
    return RedirectResponse(f"/alerts/{alert_id}", status_code=303)


async def _alert(request: Request) -> tuple[BroadcastRepository, int]:
    console = services(request)
    raw = request.path_params["alert_id"]
    if not raw.isdigit() or len(raw) > 12:
        raise PageError(404, "There is no such alert.")
    return BroadcastRepository(console.db, clock=console.clock), int(raw)


@page(Role.EDITOR)
async def alert_page(request: Request, staff: Staff) -> Response:
    """One alert: its texts, audience, and delivery progress (reloads itself while sending)."""
    alerts, alert_id = await _alert(request)
    record = await alerts.get_alert(alert_id)
    if record is None:
        raise PageError(404, "There is no such alert.")
    progress = record.progress
    done = progress.sent + progress.failed + progress.blocked + progress.unknown + progress.cancelled
    response = render(
        request,
        "alert.html",
        {
            "alert": record,
            "progress": progress,
            "share_done": done / progress.recipients if progress.recipients else 0.0,
            "language_names": LANGUAGE_NAMES,
            "zone": _local_zone(request),
            "notice": CANCELLED_NOTICE if request.query_params.get("done") == "cancelled" else None,
        },
    )
    if not progress.finished:  # the browser reloads the page until the last message is out
        response.headers["Refresh"] = str(REFRESH_SECONDS)
    return response


@page(Role.EDITOR)
async def cancel(request: Request, staff: Staff) -> Response:
    """Stops an alert that is scheduled or being sent."""
    alerts, alert_id = await _alert(request)
    if await alerts.get_alert(alert_id) is None:
        raise PageError(404, "There is no such alert.")
    if await alerts.cancel_alert(alert_id, cancelled_by=staff.username):
        await audit(request, "alert.cancel", f"alert:{alert_id}")
    return RedirectResponse(f"/alerts/{alert_id}?done=cancelled", status_code=303)


def routes() -> list[Route]:
    """The alert pages."""
    return [
        Route("/alerts", alerts_page),
        Route("/alerts", compose, methods=["POST"]),
        Route("/alerts/{alert_id}", alert_page),
        Route("/alerts/{alert_id}/cancel", cancel, methods=["POST"]),
    ]
