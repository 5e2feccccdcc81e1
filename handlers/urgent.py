"""Urgent journey: after the help message, optional details for a rescue request.

One question at a time, each skippable: who needs help, where (a Telegram location or venue,
or a typed address or compound name), how many people, whether passports were taken, Korean
nationality, a safe way and time to make contact, and the photos rescuers ask for (the
building, a passport copy, a current photo of the person), kept by Telegram file id. Only
with explicit consent at the end does it become an urgent case in the intake, which skips the
credibility threshold and goes out first; without it the answers are deleted and nothing is
kept. Back and cancel work at every step, and the conversation resumes after a restart.
Nothing here waits on the classifier or the NLU.
"""

from __future__ import annotations

import logging
import unicodedata
import uuid
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from handlers import discreet
from handlers import help as help_journey
from handlers.context import BotContext, Translate
from handlers.render import escape
from handlers.report import parse_phone
from intake import CaseReceipt, Contact, Evidence, EvidenceFile, ReportDraft, Situation

log = logging.getLogger(__name__)

# Conversation states (strings, so a persisted state stays readable).
WHO, PLACE, PEOPLE, PASSPORTS, KOREAN = "who", "place", "people", "passports", "korean"
CONTACT, PHONE, SAFE_TIME = "contact", "phone", "safe_time"
PHOTO_BUILDING, PHOTO_PASSPORT, PHOTO_PERSON, CONSENT = "photo_building", "photo_passport", "photo_person", "consent"
#: The numbered steps, in order (the phone number and the safe time belong to the contact step).
STEPS = (WHO, PLACE, PEOPLE, PASSPORTS, KOREAN, CONTACT, PHOTO_BUILDING, PHOTO_PASSPORT, PHOTO_PERSON)
STATES = (*STEPS, PHONE, SAFE_TIME, CONSENT)
#: What each photo step asks for (the intake's evidence purpose).
PHOTO_PURPOSES = {PHOTO_BUILDING: "building", PHOTO_PASSPORT: "passport", PHOTO_PERSON: "person"}
#: Button choices per step: value -> label key.
CHOICES: dict[str, dict[str, str]] = {
    WHO: {"self": "urgent.who_self", "family": "urgent.who_family", "friend": "urgent.who_friend"},
    PEOPLE: {str(n): "" for n in range(1, 6)},
    PASSPORTS: {"yes": "urgent.answer_yes", "no": "urgent.answer_no"},
    KOREAN: {"yes": "urgent.answer_yes", "no": "urgent.answer_no"},
    CONTACT: {"telegram": "urgent.contact_telegram", "phone": "urgent.contact_phone", "none": "urgent.contact_none"},
}
QUESTION_KEYS = {
    WHO: "urgent.ask_who",
    PLACE: "urgent.ask_place",
    PEOPLE: "urgent.ask_people",
    PASSPORTS: "urgent.ask_passports",
    KOREAN: "urgent.ask_korean",
    CONTACT: "urgent.ask_contact",
    PHONE: "urgent.ask_phone",
    SAFE_TIME: "urgent.ask_safe_time",
    PHOTO_BUILDING: "urgent.ask_photo_building",
    PHOTO_PASSPORT: "urgent.ask_photo_passport",
    PHOTO_PERSON: "urgent.ask_photo_person",
}
#: What to say when a message does not answer the step (a sticker where a place was asked).
HINT_KEYS = {
    PLACE: "urgent.place_hint",
    PEOPLE: "urgent.people_hint",
    PHONE: "urgent.bad_phone",
    SAFE_TIME: "urgent.safe_time_hint",
    PHOTO_BUILDING: "urgent.photo_hint",
    PHOTO_PASSPORT: "urgent.photo_hint",
    PHOTO_PERSON: "urgent.photo_hint",
}
#: Where a forwarded case went, by the intake's routing.
WHERE_KEYS = {"kh": "urgent.where_kh", "kr": "urgent.where_kr", "both": "urgent.where_both"}
DRAFT_KEY = help_journey.URGENT_DRAFT_KEY
#: Longest typed place and safe time kept (the intake's place limit is 1000).
MAX_PLACE, MAX_SAFE_TIME = 1000, 200
MAX_PEOPLE = 99_999
#: The scam type urgent cases are filed under.
SCAM_TYPE = "trafficking"


# --- pure helpers ------------------------------------------------------------------------------


def new_draft() -> dict[str, Any]:
    """An empty draft with a fresh submission key (JSON data: it is persisted in user_data)."""
    return {"key": uuid.uuid4().hex, "trail": [WHO], "files": []}


def current_state(draft: dict[str, Any]) -> str:
    """The step the user is on (the last of the trail; the first step if the trail is damaged)."""
    trail = draft.get("trail")
    return trail[-1] if isinstance(trail, list) and trail and trail[-1] in STATES else WHO


def next_state(state: str, draft: dict[str, Any]) -> str:
    """The step after `state`, given the answers so far."""
    if state == CONTACT:
        return {"phone": PHONE, "telegram": SAFE_TIME}.get(draft.get("contact") or "", PHOTO_BUILDING)
    if state == PHONE:
        return SAFE_TIME if draft.get("phone") else PHOTO_BUILDING
    if state == SAFE_TIME:
        return PHOTO_BUILDING
    if state == PHOTO_PERSON:
        return CONSENT
    return STEPS[STEPS.index(state) + 1]


def step_number(state: str) -> int:
    """The 1-based number shown for a step (the phone and safe time count as the contact step)."""
    return STEPS.index(CONTACT if state in (PHONE, SAFE_TIME) else state) + 1


def skip(draft: dict[str, Any], state: str) -> None:
    """Forgets the answer of a skipped step."""
    if state == PLACE:
        for key in ("place", "latitude", "longitude"):
            draft.pop(key, None)
    elif state in PHOTO_PURPOSES:
        draft["files"] = [f for f in draft["files"] if f.get("purpose") != PHOTO_PURPOSES[state]]
    elif state == PHONE:
        draft.pop("phone", None)
        draft["contact"] = None
    else:
        draft.pop({WHO: "relation", PASSPORTS: "passports"}.get(state, state), None)


def apply_choice(draft: dict[str, Any], state: str, kind: str, value: str) -> bool:
    """Stores a tapped answer if it belongs to the current step; False for a stale button."""
    if kind != state or value not in CHOICES.get(state, {}):
        return False
    if state == WHO:
        draft["relation"] = value
    elif state == PEOPLE:
        draft["people"] = int(value)
    elif state in (PASSPORTS, KOREAN):
        draft["passports" if state == PASSPORTS else "korean"] = value == "yes"
    elif state == CONTACT:
        draft["contact"] = value
        if value != "phone":
            draft.pop("phone", None)
        if value == "none":
            draft.pop("safe_time", None)
    return True


def parse_people(text: str) -> int | None:
    """A typed head count ("12", "១២", "12 people"): the first number, if it is a sensible one."""
    digits = ""
    for ch in text.strip():
        if ch.isdecimal():
            digits += str(unicodedata.decimal(ch))
        elif digits:
            break
    if not digits or len(digits) > 5:
        return None
    count = int(digits)
    return count if 0 < count <= MAX_PEOPLE else None


def has_words(text: str) -> bool:
    """Whether a typed answer has at least one letter or digit."""
    return any(ch.isalnum() for ch in text)


def apply_text(draft: dict[str, Any], state: str, text: str, lang: str) -> bool:
    """Stores a typed answer for the step; False when it does not answer it."""
    text = text.strip()
    if not has_words(text):
        return False
    if state == PLACE:
        draft["place"] = text[:MAX_PLACE]
        draft.pop("latitude", None)
        draft.pop("longitude", None)
        return True
    if state == PEOPLE:
        count = parse_people(text)
        if count is None:
            return False
        draft["people"] = count
        return True
    if state == PHONE:
        number = parse_phone(text[:64], lang)
        if number is None:
            return False
        draft["phone"] = number
        return True
    if state == SAFE_TIME:
        draft["safe_time"] = text[:MAX_SAFE_TIME]
        return True
    return False


def apply_message(draft: dict[str, Any], state: str, message: Message, lang: str) -> bool:
    """Stores what a message answers: a location or venue, a photo, or typed text."""
    if state == PLACE and (message.venue or message.location):
        location = message.venue.location if message.venue else message.location
        assert location is not None
        if not (-90 <= location.latitude <= 90 and -180 <= location.longitude <= 180):
            return False
        draft["latitude"], draft["longitude"] = location.latitude, location.longitude
        venue = message.venue
        draft["place"] = f"{venue.title}, {venue.address}"[:MAX_PLACE] if venue else None
        return True
    if state in PHOTO_PURPOSES:
        found = _photo(message)
        if found is None:
            return False
        purpose = PHOTO_PURPOSES[state]
        draft["files"] = [f for f in draft["files"] if f.get("purpose") != purpose]
        draft["files"].append({"file_id": found[0], "type": found[1], "purpose": purpose})
        return True
    if message.text:
        return apply_text(draft, state, message.text, lang)
    return False


def _photo(message: Message) -> tuple[str, str] | None:
    """(file id, type) of a photo, an image or other file, or a video."""
    if message.photo:
        found = (message.photo[-1].file_id, "photo")
    elif message.document:
        found = (message.document.file_id, "document")
    elif message.video:
        found = (message.video.file_id, "video")
    else:
        return None
    return found if 0 < len(found[0]) <= 256 else None


def build_report(draft: dict[str, Any], *, reporter_id: int, language: str, telegram_contact: str) -> ReportDraft:
    """The intake's urgent ReportDraft for a draft the user agreed to send.

    Args:
        draft: The conversation's answers.
        reporter_id: Telegram user id of the person asking for help.
        language: The conversation's language.
        telegram_contact: How to reach them on Telegram ("@name" or a tg:// link), used
            only if they chose to be contacted there.
    """
    contact = None
    safe_time = draft.get("safe_time")
    if draft.get("contact") == "telegram":
        contact = Contact("telegram", telegram_contact, safe_time=safe_time)
    elif draft.get("contact") == "phone" and draft.get("phone"):
        contact = Contact("phone", draft["phone"], safe_time=safe_time)
    latitude, longitude = draft.get("latitude"), draft.get("longitude")
    return ReportDraft(
        reporter_id=reporter_id,
        language=language,
        evidence=Evidence(
            files=tuple(EvidenceFile(f["file_id"], f["type"], purpose=f.get("purpose")) for f in draft["files"])
        ),
        scam_type=SCAM_TYPE,
        contact_ok=contact is not None,
        share_with_authorities=True,
        contact=contact,
        korean_national=draft.get("korean"),
        relation=draft.get("relation") or "self",
        urgent=True,
        situation=Situation(
            place=draft.get("place"),
            latitude=latitude if longitude is not None else None,
            longitude=longitude if latitude is not None else None,
            people=draft.get("people"),
            passports_held=draft.get("passports"),
        ),
        submission_key=draft["key"],
    )


def _yes_no(t: Translate, lang: str, value: bool | None) -> str:
    if value is None:
        return t(lang, "urgent.not_given")
    return t(lang, "urgent.answer_yes" if value else "urgent.answer_no")


def summary_text(t: Translate, lang: str, draft: dict[str, Any]) -> str:
    """What would be sent, line by line, then the consent question (Telegram HTML)."""
    none = t(lang, "urgent.not_given")
    place = draft.get("place") or ""
    if draft.get("latitude") is not None:
        place = f"{t(lang, 'urgent.location_shared')} {place}".strip()
    relation = draft.get("relation")
    contact = {
        "telegram": t(lang, "urgent.contact_telegram"),
        "phone": draft.get("phone") or none,
        "none": t(lang, "urgent.contact_none"),
    }.get(draft.get("contact") or "", none)
    rows = [
        ("urgent.label_who", t(lang, CHOICES[WHO][relation]) if relation in CHOICES[WHO] else none),
        ("urgent.label_place", place or none),
        ("urgent.label_people", str(draft["people"]) if draft.get("people") else none),
        ("urgent.label_passports", _yes_no(t, lang, draft.get("passports"))),
        ("urgent.label_korean", _yes_no(t, lang, draft.get("korean"))),
        ("urgent.label_contact", contact),
        ("urgent.label_safe_time", draft.get("safe_time") or none),
        ("urgent.label_photos", str(len(draft["files"]))),
    ]
    lines = [f"<b>{escape(t(lang, 'urgent.summary_title'))}</b>"]
    lines += [f"{escape(t(lang, key))}: {escape(value)}" for key, value in rows]
    return "\n".join(lines) + "\n\n" + escape(t(lang, "urgent.consent"))


def receipt_text(t: Translate, lang: str, receipt: CaseReceipt) -> str:
    """What happens next, told honestly, once the intake stored the case."""
    if receipt.forwarded:
        where = t(lang, WHERE_KEYS.get(receipt.routing, "urgent.where_kh"))
        first = t(lang, "urgent.sent", case=receipt.case_number, where=where)
    else:
        first = t(lang, "urgent.sent_kept", case=receipt.case_number)
    return f"{first}\n\n{t(lang, 'urgent.sent_next')}"


# --- Telegram ----------------------------------------------------------------------------------


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def nav_row(t: Translate, lang: str, *, back: bool) -> list[InlineKeyboardButton]:
    """Back (when there is a step to go back to) and Cancel."""
    row = [_button(t(lang, "common.cancel"), "urgent:cancel")]
    if back:
        row.insert(0, _button(t(lang, "common.back"), "urgent:back"))
    return row


def step_view(t: Translate, lang: str, state: str, draft: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    """A step's text (a neutral "Step 2 of 9" first, for notification previews) and buttons."""
    back = len(draft["trail"]) > 1
    if state == CONSENT:
        rows = [
            [_button(t(lang, "urgent.send"), "urgent:send")],
            [_button(t(lang, "urgent.dont_send"), "urgent:nosend")],
            nav_row(t, lang, back=back),
        ]
        return summary_text(t, lang, draft), InlineKeyboardMarkup(rows)
    text = f"{t(lang, 'urgent.step', step=step_number(state), total=len(STEPS))}\n{t(lang, QUESTION_KEYS[state])}"
    choices = CHOICES.get(state, {})
    buttons = [_button(t(lang, key) if key else value, f"urgent:{state}:{value}") for value, key in choices.items()]
    rows = [buttons] if state == PEOPLE else [[b] for b in buttons]
    rows += [[_button(t(lang, "urgent.skip"), "urgent:skip")], nav_row(t, lang, back=back)]
    return escape(text), InlineKeyboardMarkup(rows)


def draft_of(context: BotContext) -> dict[str, Any] | None:
    """The draft in persisted user data (None when it is gone or damaged)."""
    draft = context.user_data.get(DRAFT_KEY) if context.user_data is not None else None
    if not isinstance(draft, dict) or not isinstance(draft.get("key"), str) or not isinstance(draft.get("files"), list):
        return None
    if not isinstance(draft.get("trail"), list) or not draft["trail"]:
        draft["trail"] = [WHO]
    return draft


def _drop_draft(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)


def quiet_first(context: BotContext, text: str) -> str:
    """In discreet mode, a first line that alarms nobody in a notification preview."""
    if not discreet.is_on(context.chat_data):
        return text
    return f"{escape(context.services.t(context.lang, 'urgent.discreet_first_line'))}\n{text}"


async def show(update: Update, context: BotContext, state: str, *, prefix: str = "") -> str:
    """Shows a step and records it in the trail; returns it as the conversation state."""
    draft = draft_of(context)
    if draft is None:
        return await _lost(update, context)
    if draft["trail"][-1] != state:
        draft["trail"].append(state)
    text, keyboard = step_view(context.services.t, context.lang, state, draft)
    await discreet.say(update, context, prefix + text, reply_markup=keyboard, html=True)
    return state


async def _lost(update: Update, context: BotContext) -> int:
    """The draft is gone (a damaged store): back to the help message, nothing half-sent."""
    _drop_draft(context)
    await help_journey.send_help(update, context)
    return ConversationHandler.END


async def _answer_query(update: Update, text: str | None = None) -> None:
    if update.callback_query:
        await update.callback_query.answer(text)


async def begin(update: Update, context: BotContext) -> str | int:
    """ "Send details for a rescue request": explains, then asks the first question."""
    await _answer_query(update)
    message, chat = update.effective_message, update.effective_chat
    if message is None:
        return ConversationHandler.END
    t, lang = context.services.t, context.lang
    if chat is not None and chat.type != ChatType.PRIVATE:
        keyboard = [[InlineKeyboardButton(t(lang, "report.open_private"), url=f"https://t.me/{context.bot.username}")]]
        await message.reply_text(t(lang, "urgent.private_only"), reply_markup=InlineKeyboardMarkup(keyboard))
        return ConversationHandler.END
    if context.user_data is None:
        return ConversationHandler.END
    context.user_data[DRAFT_KEY] = new_draft()
    intro = "" if discreet.is_on(context.chat_data) else escape(t(lang, "urgent.intro")) + "\n\n"
    return await show(update, context, WHO, prefix=intro)


async def on_button(update: Update, context: BotContext) -> str | int:
    """A tapped answer, Skip, Back, Send or Don't send; a stale button shows the current step again."""
    data = update.callback_query.data if update.callback_query else None
    draft = draft_of(context)
    if draft is None:
        await _answer_query(update)
        return await _lost(update, context)
    state = current_state(draft)
    action = (data or "").removeprefix("urgent:")
    if action == "send" and state == CONSENT:
        return await _send(update, context, draft)
    await _answer_query(update)
    if action == "nosend" and state == CONSENT:
        return await _finish_without_sending(update, context, "urgent.not_sent")
    if action == "cancel":
        return await _finish_without_sending(update, context, "urgent.cancelled")
    if action == "back":
        if len(draft["trail"]) > 1:
            draft["trail"].pop()
        return await show(update, context, current_state(draft))
    if action == "skip" and state != CONSENT:
        skip(draft, state)
        return await show(update, context, next_state(state, draft))
    kind, _, value = action.partition(":")
    if apply_choice(draft, state, kind, value):
        return await show(update, context, next_state(state, draft))
    return await show(update, context, state)


async def on_message(update: Update, context: BotContext) -> str | int:
    """A typed answer, a location or a photo for the current step; anything else gets a hint."""
    message = update.effective_message
    draft = draft_of(context)
    if draft is None:
        return await _lost(update, context)
    state = current_state(draft)
    if message is None:
        return state
    if state not in (WHO, PASSPORTS, KOREAN, CONTACT, CONSENT) and apply_message(draft, state, message, context.lang):
        return await show(update, context, next_state(state, draft))
    t, lang = context.services.t, context.lang
    hint = t(lang, HINT_KEYS.get(state, "urgent.tap_hint"))
    return await show(update, context, state, prefix=escape(hint) + "\n\n")


async def _send(update: Update, context: BotContext, draft: dict[str, Any]) -> str | int:
    """Send: the intake stores the urgent case; only then is the user told it went."""
    user = update.effective_user
    if user is None:
        return CONSENT
    t, lang = context.services.t, context.lang
    contact = f"@{user.username}" if user.username else f"tg://user?id={user.id}"
    try:
        report = build_report(draft, reporter_id=user.id, language=lang, telegram_contact=contact)
        receipt = await context.services.intake.submit(report)
    except Exception:  # noqa: BLE001 - the answers stay; Send may be pressed again (same key)
        log.exception("urgent request %s could not be stored", draft["key"][:8])
        await _answer_query(update)
        return await show(update, context, CONSENT, prefix=escape(t(lang, "urgent.save_failed")) + "\n\n")
    await _answer_query(update)
    log.info("urgent request %s stored as %s (routing=%s)", draft["key"][:8], receipt.case_number, receipt.routing)
    _drop_draft(context)
    contacts = help_journey.short_contacts(t, lang, help_journey.urgent_contacts(context, lang))
    text = quiet_first(context, f"{escape(receipt_text(t, lang, receipt))}\n\n{contacts}")
    keyboard = InlineKeyboardMarkup([[_button(t(lang, "urgent.clear_button"), "help:clear")]])
    await discreet.say(update, context, text, reply_markup=keyboard, html=True)
    return ConversationHandler.END


async def _finish_without_sending(update: Update, context: BotContext, key: str) -> int:
    """Don't send, or Cancel: the answers are deleted; the contacts are there to use directly."""
    _drop_draft(context)
    t, lang = context.services.t, context.lang
    contacts = help_journey.short_contacts(t, lang, help_journey.urgent_contacts(context, lang))
    text = quiet_first(context, f"{escape(t(lang, key))}\n\n{contacts}")
    keyboard = InlineKeyboardMarkup(
        [[_button(t(lang, "urgent.clear_button"), "help:clear"), _button(t(lang, "common.menu"), "menu:main")]]
    )
    await discreet.say(update, context, text, reply_markup=keyboard, html=True)
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel during the flow: nothing is sent or kept."""
    return await _finish_without_sending(update, context, "urgent.cancelled")


async def stale(update: Update, context: BotContext) -> None:
    """A button of a finished or forgotten request: the help message again."""
    await help_journey.send_help(update, context)


def handlers() -> list[BaseHandler]:
    """The urgent flow (one persistent conversation) and its stale buttons."""
    answers = ~filters.COMMAND & ~filters.UpdateType.EDITED
    step = [MessageHandler(answers, on_message), CallbackQueryHandler(on_button, pattern=r"^urgent:(?!start$)")]
    return [
        ConversationHandler(
            entry_points=[CallbackQueryHandler(begin, pattern=r"^urgent:start$"), CommandHandler("urgent", begin)],
            states={state: step for state in STATES},
            fallbacks=[CommandHandler("cancel", cancel)],
            name="urgent",
            persistent=True,
            allow_reentry=True,
        ),
        CallbackQueryHandler(stale, pattern=r"^urgent:"),
    ]
