"""Report journey: a scam report, one step at a time, becomes a case in the intake.

Starts from /report, the menu, a verdict card's "Report this" (the checked message becomes
the first evidence) or a question about reporting. Steps: what happened, who the victim is
(with what a family can do when someone has gone silent), evidence, money lost, when, how
the scammer made contact, Korean nationality (only when it matters), consent to share and
to be contacted, then a summary. Only when the intake has stored the case does the user
hear its number. Back and cancel work at every step, and the conversation is persistent,
so it resumes after a restart; the draft's submission key makes a repeated "Send" (a
double tap, a retry after a crash) return the same case instead of a second one.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from classifier import CheckResult, extract_entities
from content.schema import SCAM_TYPE_KEYS
from handlers.context import BotContext, Checker, Services, Translate
from handlers.menu import menu_button, menu_only, send_menu
from handlers.render import article_text, bullets, contacts_text, escape
from intake import Assessment, CaseReceipt, Contact, Evidence, EvidenceFile, MoneyLost, ReportDraft, SignalRef

log = logging.getLogger(__name__)

# Conversation states (strings, so a persisted state stays readable).
TYPE, VICTIM, RELATIVE, EVIDENCE = "type", "victim", "relative", "evidence"
MONEY, AMOUNT, CURRENCY, CURRENCY_CODE, METHOD = "money", "amount", "currency", "currency_code", "method"
WHEN, CHANNEL, KOREAN, SHARE, CONTACT, PHONE, CONFIRM = (
    "when",
    "channel",
    "korean",
    "share",
    "contact",
    "phone",
    "confirm",
)
STATES = (TYPE, VICTIM, RELATIVE, EVIDENCE, MONEY, AMOUNT, CURRENCY, CURRENCY_CODE, METHOD, WHEN, CHANNEL)
STATES += (KOREAN, SHARE, CONTACT, PHONE, CONFIRM)

DRAFT_KEY = "report"
#: Who the victim is (the intake's relation) -> button label.
RELATION_KEYS = {
    "self": "report.victim_self",
    "family": "report.victim_family",
    "friend": "report.victim_friend",
    "other": "report.victim_other",
}
RELATIONS = tuple(RELATION_KEYS)
#: Reporting for them means the victim cannot report in person: explain what the family can do.
SILENT_RELATIONS = frozenset({"family", "friend"})
#: Currency codes offered as buttons, with the label shown (codes and symbols read the same everywhere).
CURRENCIES = {"USD": "USD $", "KHR": "KHR ៛", "KRW": "KRW ₩", "USDT": "USDT"}
METHOD_KEYS = {
    "bank_transfer": "report.method_bank_transfer",
    "wallet": "report.method_wallet",
    "crypto": "report.method_crypto",
    "cash": "report.method_cash",
    "card": "report.method_card",
    "other": "report.method_other",
}
METHODS = tuple(METHOD_KEYS)
WHEN_KEYS = {
    "today": "report.when_today",
    "week": "report.when_week",
    "month": "report.when_month",
    "earlier": "report.when_earlier",
}
WHEN_CHOICES = tuple(WHEN_KEYS)
#: A period is stored as a rough point inside it (days ago); "earlier" stays unknown.
WHEN_DAYS_AGO = {"today": 0, "week": 3, "month": 15}
#: How the scammer made contact; brand names are the same in every language.
CHANNELS = ("telegram", "facebook", "whatsapp", "call", "sms", "kakao", "line", "website", "other")
BRANDS = {"telegram": "Telegram", "facebook": "Facebook", "whatsapp": "WhatsApp", "kakao": "KakaoTalk", "line": "LINE"}
CHANNEL_KEYS = {
    "call": "report.channel_call",
    "sms": "report.channel_sms",
    "website": "report.channel_website",
    "other": "report.channel_other",
}
CONTACT_KEYS = {"none": "report.contact_none", "telegram": "report.contact_telegram", "phone": "report.contact_phone"}
CONTACT_CHOICES = tuple(CONTACT_KEYS)
#: Case statuses in plain words (/mycases and status notices).
STATUS_KEYS = {
    "received": "mycases.status_received",
    "forwarded": "mycases.status_forwarded",
    "under_review": "mycases.status_under_review",
    "closed": "mycases.status_closed",
    "rejected": "mycases.status_rejected",
}
YES_NO = ("yes", "no")

#: A reporter may file this many reports per hour; more are politely slowed down.
REPORTS_PER_HOUR = 5
RATE_WINDOW = timedelta(hours=1)
#: Evidence limits (the intake's own limits).
MAX_TEXTS, MAX_TEXT_CHARS, MAX_FILES, MAX_LINKS = 20, 8000, 30, 50
#: Largest amount accepted (the intake refuses 10^15 and above).
MAX_AMOUNT = Decimal("1e14")
#: Cases listed by /mycases.
MY_CASES_SHOWN = 10

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


# --- pure helpers ------------------------------------------------------------------------------


def new_draft(now: datetime | None = None) -> dict[str, Any]:
    """An empty draft with a fresh submission key (JSON data: it is persisted in user_data)."""
    return {
        "key": uuid.uuid4().hex,
        "started": (now or datetime.now(UTC)).isoformat(),
        "trail": [],
        "texts": [],
        "links": [],
        "files": [],
        "handles": [],
    }


def parse_amount(text: str) -> Decimal | None:
    """Reads an amount such as "1500", "1,500.50", "$ 250", "1.500.000" or Khmer digits; None if not one."""
    digits = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
    cleaned = re.sub(r"[^\d.,]", "", digits)
    if not cleaned or not any(ch.isdigit() for ch in cleaned):
        return None
    if "," in cleaned and "." in cleaned:
        # The later separator is the decimal one: "1,500.50" or "1.500,50".
        thousands = "," if cleaned.rfind(",") < cleaned.rfind(".") else "."
        cleaned = cleaned.replace(thousands, "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(,\d{3})+|\d{1,3}(\.\d{3})+", cleaned):
        cleaned = re.sub(r"[.,]", "", cleaned)  # "1,500" / "1.500.000": thousands separators
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount <= 0 or amount >= MAX_AMOUNT:
        return None
    return amount


def parse_currency(text: str) -> str | None:
    """A typed currency ("thb", "Baht"): 2-8 letters or digits, upper-cased; None otherwise."""
    value = text.strip().upper()
    return value if 2 <= len(value) <= 8 and value.isalnum() else None


def parse_phone(text: str, lang: str) -> str | None:
    """A typed phone number in E.164 form (+85512345678), or None when it is not a valid number.

    Numbers without a country code are read as Cambodian, then Korean (Korean first for
    Korean speakers, whose "010-..." numbers are Korean).
    """
    regions = ("KR", "KH") if lang == "ko" else ("KH", "KR")
    for region in regions:
        try:
            number = phonenumbers.parse(text.strip(), region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def asks_nationality(draft: dict[str, Any], lang: str) -> bool:
    """Whether to ask if the victim is a Korean national: only when it may change the routing."""
    return (
        lang == "ko"
        or draft.get("relation") in SILENT_RELATIONS
        or draft.get("currency") == "KRW"
        or draft.get("channel") == "kakao"
        or any(_HANGUL.search(text) for text in draft.get("texts", []))
    )


def occurred_at(when: str | None, now: datetime) -> datetime | None:
    """The rough moment of a chosen period ("this week" is a few days ago), or None if unknown."""
    days = WHEN_DAYS_AGO.get(when or "")
    return None if days is None else now - timedelta(days=days)


def minutes_to_wait(
    created: Sequence[datetime], now: datetime, *, limit: int = REPORTS_PER_HOUR, window: timedelta = RATE_WINDOW
) -> int:
    """Minutes until the reporter may send another report (0: now).

    Args:
        created: When the reporter's latest cases were created (any order; the newest
            `limit` are enough).
        now: The current time.
        limit: Reports allowed per `window`.
        window: The sliding window.
    """
    recent = sorted(c for c in created if now - c < window)
    if len(recent) < limit:
        return 0
    free_at = recent[-limit] + window
    return max(1, math.ceil((free_at - now).total_seconds() / 60))


def evidence_count(draft: dict[str, Any]) -> int:
    """How many pieces of evidence the draft holds."""
    return len(draft.get("texts", [])) + len(draft.get("links", [])) + len(draft.get("files", []))


def _attachment(message: Message) -> tuple[str, str] | None:
    """(file id, intake file type) of a photo, document, video, audio or voice message."""
    if message.photo:
        return message.photo[-1].file_id, "photo"
    for kind in ("animation", "video", "video_note", "voice", "audio", "document"):
        item = getattr(message, kind, None)
        if item is not None:
            return item.file_id, kind
    return None


def _forwarded_from(message: Message, reporter_id: int | None) -> str | None:
    """The @username a forwarded message came from (a person, group or channel), lower-cased."""
    origin = message.forward_origin
    if origin is None:
        return None
    source = (
        getattr(origin, "sender_user", None) or getattr(origin, "sender_chat", None) or getattr(origin, "chat", None)
    )
    if source is None or getattr(source, "id", None) == reporter_id:
        return None
    username = getattr(source, "username", None)
    return username.lower() if username else None


def links_in(text: str, *, marked: Sequence[str] = ()) -> list[str]:
    """The links Telegram marked in a message, then those it did not (other clients, defanged
    "hxxp://x[.]com"), as the classifier reads them."""
    found = list(marked)
    found += [e.value for e in extract_entities(text[:MAX_TEXT_CHARS]).of("url") if e.raw not in found]
    return found


def add_links(links: list[str], found: Sequence[str]) -> bool:
    """Adds new links (up to the limit) to the draft's list; True if any was added."""
    added = False
    for link in found:
        if link and link not in links and len(links) < MAX_LINKS:
            links.append(link[:1000])
            added = True
    return added


def add_evidence(draft: dict[str, Any], message: Message, reporter_id: int | None) -> bool:
    """Adds what one message shows (text, links, file, sender handle) to the draft; False if full or empty."""
    texts, links, files, handles = draft["texts"], draft["links"], draft["files"], draft["handles"]
    added = False
    text = (message.text or message.caption or "").strip()
    if message.contact is not None:
        text = f"{message.contact.first_name or ''} {message.contact.phone_number}".strip()
    if text and len(texts) < MAX_TEXTS:
        texts.append(text[:MAX_TEXT_CHARS])
        added = True
    kinds = [MessageEntity.URL, MessageEntity.TEXT_LINK]
    marked = message.parse_entities(kinds) if message.text else message.parse_caption_entities(kinds)
    found = [(entity.url or "") if entity.type == MessageEntity.TEXT_LINK else raw for entity, raw in marked.items()]
    added = add_links(links, links_in(text, marked=found)) or added
    attachment = _attachment(message)
    if attachment is not None and len(files) < MAX_FILES and len(attachment[0]) <= 256:
        files.append({"file_id": attachment[0], "type": attachment[1]})
        added = True
    handle = _forwarded_from(message, reporter_id)
    if handle and handle not in handles:
        handles.append(handle)
    return added


def assessment_of(result: CheckResult | None, handles: Sequence[str]) -> Assessment:
    """The classifier's verdict on the evidence, in the intake's terms, plus forwarded-from handles."""
    entities: dict[str, list[str]] = result.entities.by_kind() if result is not None else {}
    known = set(entities.get("telegram", []))
    extra = [h for h in handles if h not in known]
    if extra:
        entities["telegram"] = [*entities.get("telegram", []), *extra]
    if result is None:
        return Assessment(entities=entities)
    return Assessment(
        score=min(max(result.score, 0.0), 1.0),
        signals=tuple(
            SignalRef(s.id, s.severity if s.severity in ("low", "medium", "high") else "medium") for s in result.signals
        ),
        entities=entities,
        scam_type=result.scam_type,
    )


def build_report(
    draft: dict[str, Any],
    *,
    reporter_id: int,
    language: str,
    assessment: Assessment,
    telegram_contact: str,
    now: datetime,
) -> ReportDraft:
    """The intake's ReportDraft for a confirmed draft.

    Args:
        draft: The conversation's answers.
        reporter_id: Telegram user id of the reporter.
        language: The conversation's language.
        assessment: The classifier's output for the evidence.
        telegram_contact: How to reach the reporter on Telegram ("@name" or a tg:// link),
            used only if they chose to be contacted there.
        now: The current time (for "when").
    """
    money = None
    if draft.get("lost") and draft.get("amount") and draft.get("currency"):
        money = MoneyLost(Decimal(draft["amount"]), draft["currency"], method=draft.get("method"))
    contact = None
    if draft.get("contact") == "telegram":
        contact = Contact("telegram", telegram_contact)
    elif draft.get("contact") == "phone" and draft.get("phone"):
        contact = Contact("phone", draft["phone"])
    scam_type = draft.get("scam_type")
    return ReportDraft(
        reporter_id=reporter_id,
        language=language,
        evidence=Evidence(
            texts=tuple(draft.get("texts", [])),
            links=tuple(draft.get("links", [])),
            files=tuple(EvidenceFile(f["file_id"], f["type"]) for f in draft.get("files", [])),
        ),
        assessment=assessment,
        scam_type=scam_type if scam_type in SCAM_TYPE_KEYS else None,
        money_lost=money,
        occurred_at=occurred_at(draft.get("when"), now),
        contact_channel=draft.get("channel"),
        contact_ok=contact is not None,
        share_with_authorities=bool(draft.get("share")),
        contact=contact,
        korean_national=draft.get("korean"),
        relation=draft.get("relation") if draft.get("relation") in RELATIONS else "self",
        submission_key=draft["key"],
    )


# --- what each step shows ----------------------------------------------------------------------

Rows = list[list[InlineKeyboardButton]]


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def _pairs(buttons: list[InlineKeyboardButton]) -> Rows:
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _yes_no(t: Translate, lang: str, kind: str) -> Rows:
    return [[_button(t(lang, "report.yes"), f"report:{kind}:yes"), _button(t(lang, "report.no"), f"report:{kind}:no")]]


def _type_label(context: BotContext, key: str | None) -> str:
    if key in SCAM_TYPE_KEYS:
        return context.services.content.scam_type(context.lang, key).title
    return context.services.t(context.lang, "report.type_other")


def _money_text(t: Translate, lang: str, draft: dict[str, Any]) -> str:
    if not draft.get("lost") or not draft.get("amount"):
        return t(lang, "report.no")
    amount = Decimal(draft["amount"])
    text = f"{amount:,} {draft.get('currency') or ''}".strip()
    if (method := draft.get("method")) in METHOD_KEYS:
        text += f" · {t(lang, METHOD_KEYS[method])}"
    return text


def _channel_label(t: Translate, lang: str, channel: str) -> str:
    return BRANDS.get(channel) or t(lang, CHANNEL_KEYS.get(channel, "report.channel_other"))


def summary_text(context: BotContext, draft: dict[str, Any]) -> str:
    """The summary to confirm: every answer in the user's language."""
    t, lang = context.services.t, context.lang
    evidence = t(
        lang,
        "report.evidence_counts",
        texts=len(draft.get("texts", [])),
        links=len(draft.get("links", [])),
        files=len(draft.get("files", [])),
    )
    contact = {
        "none": t(lang, "report.anonymous"),
        "telegram": t(lang, "report.this_telegram"),
        "phone": draft.get("phone") or "",
    }.get(draft.get("contact") or "none", "")
    relation = RELATION_KEYS.get(draft.get("relation") or "self", "report.victim_self")
    when = WHEN_KEYS.get(draft.get("when") or "earlier", "report.when_earlier")
    rows = [
        ("report.label_type", _type_label(context, draft.get("scam_type"))),
        ("report.label_victim", t(lang, relation)),
        ("report.label_evidence", evidence if evidence_count(draft) else t(lang, "report.nothing")),
        ("report.label_money", _money_text(t, lang, draft)),
        ("report.label_when", t(lang, when)),
        ("report.label_channel", _channel_label(t, lang, draft.get("channel") or "other")),
    ]
    if draft.get("korean") is not None:
        rows.append(("report.label_korean", t(lang, "report.yes" if draft["korean"] else "report.no")))
    rows.append(("report.label_share", t(lang, "report.yes" if draft.get("share") else "report.no")))
    rows.append(("report.label_contact", contact))
    lines = [f"• {escape(t(lang, key))}: {escape(value)}" for key, value in rows]
    return (
        f"<b>{escape(t(lang, 'report.summary_title'))}</b>\n"
        + "\n".join(lines)
        + f"\n\n{escape(t(lang, 'report.summary_note'))}"
    )


def relative_text(context: BotContext) -> str:
    """What a family can do when the victim has gone silent, and what the victim must send the police."""
    t, lang, content = context.services.t, context.lang, context.services.content
    safety = content.article(lang, "urgent_safety")
    steps = [line.lstrip("•").strip() for line in t(lang, "report.relative_steps").splitlines() if line.strip()]
    return (
        f"<b>{escape(t(lang, 'report.relative_title'))}</b>\n{escape(t(lang, 'report.relative_intro'))}\n"
        f"{bullets(steps)}\n\n<b>{escape(t(lang, 'report.relative_send_them'))}</b>\n{bullets(safety.steps)}"
    )


def step_view(context: BotContext, draft: dict[str, Any], state: str) -> tuple[str, Rows]:
    """The question and buttons of one step (navigation buttons are added by the caller)."""
    t, lang = context.services.t, context.lang
    if state == TYPE:
        types = [[_button(s.title, f"report:type:{key}")] for key, s in context.services.content.scam_types(lang)]
        return escape(t(lang, "report.ask_type")), [
            *types,
            [_button(t(lang, "report.type_other"), "report:type:other")],
        ]
    if state == VICTIM:
        return escape(t(lang, "report.ask_victim")), [
            [_button(t(lang, key), f"report:victim:{r}")] for r, key in RELATION_KEYS.items()
        ]
    if state == RELATIVE:
        return relative_text(context), [[_button(t(lang, "report.continue"), "report:continue")]]
    if state == EVIDENCE:
        text = escape(t(lang, "report.ask_evidence"))
        count = evidence_count(draft)
        if count and draft.get("from_check"):
            text += "\n\n" + escape(t(lang, "report.evidence_prefilled"))
        elif count:
            text += "\n\n" + escape(t(lang, "report.evidence_added", count=count))
        done = (
            _button(t(lang, "report.done"), "report:done") if count else _button(t(lang, "report.skip"), "report:done")
        )
        return text, [[done]]
    if state == MONEY:
        return escape(t(lang, "report.ask_money")), _yes_no(t, lang, "money")
    if state == AMOUNT:
        return escape(t(lang, "report.ask_amount")), []
    if state == CURRENCY:
        buttons = [_button(label, f"report:cur:{code}") for code, label in CURRENCIES.items()]
        return escape(t(lang, "report.ask_currency")), [
            *_pairs(buttons),
            [_button(t(lang, "report.other"), "report:cur:other")],
        ]
    if state == CURRENCY_CODE:
        return escape(t(lang, "report.ask_currency_code")), []
    if state == METHOD:
        buttons = [_button(t(lang, key), f"report:method:{m}") for m, key in METHOD_KEYS.items()]
        return escape(t(lang, "report.ask_method")), _pairs(buttons)
    if state == WHEN:
        buttons = [_button(t(lang, key), f"report:when:{w}") for w, key in WHEN_KEYS.items()]
        return escape(t(lang, "report.ask_when")), _pairs(buttons)
    if state == CHANNEL:
        buttons = [_button(_channel_label(t, lang, c), f"report:channel:{c}") for c in CHANNELS]
        return escape(t(lang, "report.ask_channel")), _pairs(buttons)
    if state == KOREAN:
        return escape(t(lang, "report.ask_korean")), _yes_no(t, lang, "korean")
    if state == SHARE:
        return escape(t(lang, "report.ask_share")), [
            [_button(t(lang, "report.share_yes"), "report:share:yes")],
            [_button(t(lang, "report.share_no"), "report:share:no")],
        ]
    if state == CONTACT:
        return escape(t(lang, "report.ask_contact")), [
            [_button(t(lang, key), f"report:contact:{c}")] for c, key in CONTACT_KEYS.items()
        ]
    if state == PHONE:
        return escape(t(lang, "report.ask_phone")), []
    return summary_text(context, draft), [[_button(t(lang, "report.send"), "report:confirm")]]


def nav_row(t: Translate, lang: str, *, back: bool) -> list[InlineKeyboardButton]:
    """Back (except on the first step) and Cancel."""
    row = [_button(t(lang, "common.cancel"), "report:cancel")]
    if back:
        row.insert(0, _button(t(lang, "common.back"), "report:back"))
    return row


# --- conversation plumbing ---------------------------------------------------------------------


def draft_of(context: BotContext) -> dict[str, Any]:
    """The report being written (persisted in user_data); a fresh one if there is none or it is damaged."""
    data = context.user_data if context.user_data is not None else {}
    draft = data.get(DRAFT_KEY)
    if not isinstance(draft, dict) or not isinstance(draft.get("key"), str):
        draft = new_draft()
        data[DRAFT_KEY] = draft
    for name in ("trail", "texts", "links", "files", "handles"):
        if not isinstance(draft.get(name), list):
            draft[name] = []
    draft["trail"] = [s for s in draft["trail"] if s in STATES]
    return draft


def current_state(draft: dict[str, Any]) -> str:
    """The step the user is on."""
    return draft["trail"][-1] if draft["trail"] else TYPE


async def _answer_query(update: Update) -> None:
    if update.callback_query:
        await update.callback_query.answer()


async def show(update: Update, context: BotContext, state: str, *, before: str | None = None) -> str:
    """Sends one step's question with its buttons, Back and Cancel; remembers it for Back."""
    message = update.effective_message
    if message is None:
        return state
    draft = draft_of(context)
    if not draft["trail"] or draft["trail"][-1] != state:
        draft["trail"].append(state)
    text, rows = step_view(context, draft, state)
    if before:
        text = f"{escape(before)}\n\n{text}"
    rows.append(nav_row(context.services.t, context.lang, back=len(draft["trail"]) > 1))
    await message.reply_text(
        text, parse_mode=ParseMode.HTML, disable_web_page_preview=True, reply_markup=InlineKeyboardMarkup(rows)
    )
    return state


async def _wait_minutes(services: Services, user_id: int) -> int:
    """Minutes before this user may report again (0 when the store cannot say: never block on an error)."""
    try:
        cases = await services.intake.my_cases(user_id, limit=REPORTS_PER_HOUR)
    except Exception:  # noqa: BLE001 - a store hiccup must not stop someone from reporting
        log.exception("could not count recent reports; not slowing the reporter down")
        return 0
    return minutes_to_wait([c.created_at for c in cases], datetime.now(UTC))


async def _begin(update: Update, context: BotContext, *, from_check: bool) -> str | int:
    await _answer_query(update)
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or user is None:
        return ConversationHandler.END
    services, lang = context.services, context.lang
    t = services.t
    if chat is not None and chat.type != ChatType.PRIVATE:
        keyboard = [[InlineKeyboardButton(t(lang, "report.open_private"), url=f"https://t.me/{context.bot.username}")]]
        await message.reply_text(t(lang, "report.private_only"), reply_markup=InlineKeyboardMarkup(keyboard))
        return ConversationHandler.END
    wait = await _wait_minutes(services, user.id)
    if wait:
        await message.reply_text(
            t(lang, "report.too_many", limit=REPORTS_PER_HOUR, minutes=wait),
            reply_markup=menu_only(t, lang),
        )
        return ConversationHandler.END
    services.content.refresh()
    draft = new_draft()
    if context.user_data is not None:
        context.user_data[DRAFT_KEY] = draft
    first = TYPE
    last = (context.user_data or {}).get("last_check") if from_check else None
    if isinstance(last, dict) and isinstance(last.get("text"), str) and last["text"].strip():
        draft["texts"].append(last["text"][:MAX_TEXT_CHARS])
        add_links(draft["links"], links_in(last["text"]))
        draft["from_check"] = True
        if last.get("scam_type") in SCAM_TYPE_KEYS:
            draft["scam_type"] = last["scam_type"]
            draft["trail"].append(TYPE)  # Back from the next step can still change the type
            first = VICTIM
    return await show(update, context, first, before=t(lang, "report.intro"))


async def begin(update: Update, context: BotContext) -> str | int:
    """/report or "Report a scam": checks the pace, then asks what happened."""
    return await _begin(update, context, from_check=False)


async def begin_from_check(update: Update, context: BotContext) -> str | int:
    """The verdict card's "Report this": the checked message becomes the first evidence."""
    return await _begin(update, context, from_check=True)


def _after_channel(draft: dict[str, Any], lang: str) -> str:
    if asks_nationality(draft, lang):
        return KOREAN
    draft["korean"] = None
    return SHARE


def _apply(draft: dict[str, Any], kind: str, value: str, lang: str) -> str | None:
    """Stores one tapped answer and says which step comes next (None: not a valid answer)."""
    if kind == "type" and (value in SCAM_TYPE_KEYS or value == "other"):
        draft["scam_type"] = value
        return VICTIM
    if kind == "victim" and value in RELATIONS:
        draft["relation"] = value
        return RELATIVE if value in SILENT_RELATIONS else EVIDENCE
    if kind == "money" and value in YES_NO:
        draft["lost"] = value == "yes"
        if value == "yes":
            return AMOUNT
        draft.update(amount=None, currency=None, method=None)
        return WHEN
    if kind == "cur" and (value in CURRENCIES or value == "other"):
        if value == "other":
            return CURRENCY_CODE
        draft["currency"] = value
        return METHOD
    if kind == "method" and value in METHODS:
        draft["method"] = value
        return WHEN
    if kind == "when" and value in WHEN_CHOICES:
        draft["when"] = value
        return CHANNEL
    if kind == "channel" and value in CHANNELS:
        draft["channel"] = value
        return _after_channel(draft, lang)
    if kind == "korean" and value in YES_NO:
        draft["korean"] = value == "yes"
        return SHARE
    if kind == "share" and value in YES_NO:
        draft["share"] = value == "yes"
        return CONTACT
    if kind == "contact" and value in CONTACT_CHOICES:
        draft["contact"] = value
        if value == "phone":
            return PHONE
        draft["phone"] = None
        return CONFIRM
    return None


async def on_choice(update: Update, context: BotContext) -> str:
    """A tapped answer: stores it and asks the next question (an invalid one asks again)."""
    await _answer_query(update)
    draft = draft_of(context)
    data = update.callback_query.data if update.callback_query else None
    _, kind, value = (data or "report::").split(":", 2)
    after = _apply(draft, kind, value, context.lang)
    return await show(update, context, after or current_state(draft))


async def on_continue(update: Update, context: BotContext) -> str:
    """After the explanation for families: on to the evidence."""
    await _answer_query(update)
    return await show(update, context, EVIDENCE)


async def on_evidence(update: Update, context: BotContext) -> str:
    """A forwarded or pasted message, link, photo or document: kept as evidence."""
    message = update.effective_message
    if message is None:
        return EVIDENCE
    t, lang = context.services.t, context.lang
    draft = draft_of(context)
    user = update.effective_user
    added = add_evidence(draft, message, user.id if user else None)
    count = evidence_count(draft)
    if added:
        text = t(lang, "report.evidence_added", count=count)
    else:  # nothing more fits (or nothing readable came)
        text = t(lang, "report.evidence_full" if count else "report.ask_evidence")
    done = t(lang, "report.done") if count else t(lang, "report.skip")
    await message.reply_text(
        text,
        reply_markup=InlineKeyboardMarkup([[_button(done, "report:done")], nav_row(t, lang, back=True)]),
    )
    return EVIDENCE


async def on_evidence_done(update: Update, context: BotContext) -> str:
    """Done (or Skip) with the evidence: was money lost?"""
    await _answer_query(update)
    return await show(update, context, MONEY)


async def _typed(
    update: Update, context: BotContext, state: str, error_key: str, accept: Callable[[str], str | None]
) -> str:
    """A typed answer: `accept` returns the next step, or None to explain and ask again."""
    message = update.effective_message
    if message is None:
        return state
    after = accept((message.text or "").strip())
    if after is None:
        t, lang = context.services.t, context.lang
        await message.reply_text(t(lang, error_key), reply_markup=InlineKeyboardMarkup([nav_row(t, lang, back=True)]))
        return state
    return await show(update, context, after)


async def on_amount(update: Update, context: BotContext) -> str:
    """The typed amount: then the currency."""
    draft = draft_of(context)

    def accept(text: str) -> str | None:
        amount = parse_amount(text)
        if amount is None:
            return None
        draft["amount"] = format(amount, "f")
        return CURRENCY

    return await _typed(update, context, AMOUNT, "report.bad_amount", accept)


async def on_currency_code(update: Update, context: BotContext) -> str:
    """A typed currency ("Other"): then how it was paid."""
    draft = draft_of(context)

    def accept(text: str) -> str | None:
        code = parse_currency(text)
        if code is None:
            return None
        draft["currency"] = code
        return METHOD

    return await _typed(update, context, CURRENCY_CODE, "report.bad_currency", accept)


async def on_phone(update: Update, context: BotContext) -> str:
    """The typed phone number to be called on: validated, then the summary."""
    draft = draft_of(context)

    def accept(text: str) -> str | None:
        number = parse_phone(text, context.lang)
        if number is None:
            return None
        draft["phone"] = number
        return CONFIRM

    return await _typed(update, context, PHONE, "report.bad_phone", accept)


async def go_back(update: Update, context: BotContext) -> str:
    """Back: the previous step again, its answer kept until changed."""
    await _answer_query(update)
    draft = draft_of(context)
    if len(draft["trail"]) > 1:
        draft["trail"].pop()
    return await show(update, context, current_state(draft))


async def cancel(update: Update, context: BotContext) -> int:
    """Cancel (button or /cancel): forgets the draft and shows the menu."""
    await _answer_query(update)
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    await send_menu(update, context, context.services.t(context.lang, "report.cancelled"))
    return ConversationHandler.END


def _complete(draft: dict[str, Any]) -> bool:
    return draft.get("share") is not None and draft.get("contact") in CONTACT_CHOICES


async def _assess(checker: Checker, draft: dict[str, Any]) -> Assessment:
    """The classifier on the evidence texts; a report is never lost because the classifier failed."""
    text = "\n\n".join(t for t in draft["texts"] if t.strip())
    result = None
    if text:
        try:
            result = await checker.check(text)
        except Exception:  # noqa: BLE001 - store the report without a score rather than not at all
            log.exception("classifier failed on a report's evidence; submitting without its assessment")
    return assessment_of(result, draft["handles"])


def receipt_text(t: Translate, lang: str, receipt: CaseReceipt, draft: dict[str, Any]) -> str:
    """What the reporter is told once the intake stored the case."""
    lines = [t(lang, "report.received", case=receipt.case_number)]
    if receipt.forwarded:
        lines.append(t(lang, "report.received_forwarded"))
    elif draft.get("share"):
        lines.append(t(lang, "report.received_review"))
    else:
        lines.append(t(lang, "report.received_kept"))
    if receipt.campaign_reports > 1:
        lines.append(t(lang, "report.received_similar", count=receipt.campaign_reports - 1))
    if draft.get("lost"):
        lines.append(t(lang, "report.received_money"))
    lines.append(t(lang, "report.received_follow"))
    return "\n\n".join(lines)


async def on_confirm(update: Update, context: BotContext) -> str | int:
    """Send: the intake stores the case; only then is the case number given."""
    await _answer_query(update)
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return CONFIRM
    services, lang = context.services, context.lang
    t = services.t
    draft = draft_of(context)
    if not _complete(draft):  # a damaged or stale draft: start again rather than send half a report
        return await show(update, context, TYPE)
    confirm_rows = [[_button(t(lang, "report.send"), "report:confirm")], nav_row(t, lang, back=True)]
    wait = await _wait_minutes(services, user.id)
    if wait:
        await message.reply_text(
            f"{t(lang, 'report.too_many', limit=REPORTS_PER_HOUR, minutes=wait)}\n\n{t(lang, 'report.too_many_kept')}",
            reply_markup=InlineKeyboardMarkup(confirm_rows),
        )
        return CONFIRM
    contact = f"@{user.username}" if user.username else f"tg://user?id={user.id}"
    try:
        assessment = await _assess(services.checker, draft)
        report = build_report(
            draft,
            reporter_id=user.id,
            language=lang,
            assessment=assessment,
            telegram_contact=contact,
            now=datetime.now(UTC),
        )
        receipt = await services.intake.submit(report)
    except Exception:  # noqa: BLE001 - the user keeps the draft and may press Send again (same key)
        log.exception("report %s could not be stored", draft["key"][:8])
        await message.reply_text(t(lang, "report.save_failed"), reply_markup=InlineKeyboardMarkup(confirm_rows))
        return CONFIRM
    log.info("report %s stored as %s (duplicate=%s)", draft["key"][:8], receipt.case_number, receipt.duplicate)
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    keyboard = InlineKeyboardMarkup(
        [[_button(t(lang, "report.mycases_button"), "report:mycases"), menu_button(t, lang)]]
    )
    await message.reply_text(receipt_text(t, lang, receipt, draft), reply_markup=keyboard)
    return ConversationHandler.END


# --- outside the conversation ------------------------------------------------------------------


async def start_report(update: Update, context: BotContext) -> None:
    """A question about reporting: how and to whom, with one tap to report here."""
    if (message := update.effective_message) is None:
        return
    await _answer_query(update)
    services, lang = context.services, context.lang
    services.content.refresh()
    contacts = services.content.public_contacts(
        lang, topics={"fraud_report", "police", "cyber", "bank"}, korean_national=lang == "ko"
    )
    await message.reply_text(
        f"{article_text(services.content.article(lang, 'how_to_report'))}\n\n"
        f"{contacts_text(services.t, lang, contacts)}",
        parse_mode=ParseMode.HTML,
        disable_web_page_preview=True,
        reply_markup=InlineKeyboardMarkup(
            [[_button(services.t(lang, "report.start_button"), "report:start")], [menu_button(services.t, lang)]]
        ),
    )


def status_label(t: Translate, lang: str, status: str) -> str:
    """A case status in plain words."""
    return t(lang, STATUS_KEYS.get(status, "mycases.status_received"))


async def show_my_cases(update: Update, context: BotContext) -> None:
    """/mycases: the user's reports, newest first, with status and date."""
    await _answer_query(update)
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    services, lang = context.services, context.lang
    t = services.t
    cases = await services.intake.my_cases(user.id, limit=MY_CASES_SHOWN)
    keyboard = menu_only(t, lang)
    if not cases:
        await message.reply_text(t(lang, "mycases.none"), reply_markup=keyboard)
        return
    services.content.refresh()
    lines = [f"<b>{escape(t(lang, 'mycases.title'))}</b>"]
    for case in cases:
        kind = (
            services.content.scam_type(lang, case.scam_type).title
            if case.scam_type in SCAM_TYPE_KEYS
            else t(lang, "mycases.unknown_type")
        )
        lines.append(
            f"\n<b>{escape(case.case_number)}</b> · {case.created_at.date().isoformat()}\n"
            f"{escape(kind)}\n{escape(status_label(t, lang, case.status))}"
        )
    lines.append("\n" + escape(t(lang, "mycases.footer")))
    await message.reply_text("\n".join(lines), parse_mode=ParseMode.HTML, reply_markup=keyboard)


async def push_status_notices(bot: Bot, services: Services, *, limit: int = 50) -> int:
    """Tells reporters about status changes made by analysts, in their language; returns how many.

    A reporter who blocked the bot, or whose chat is gone, is marked as told (retrying
    cannot help); other Telegram errors leave the notice pending for the next pass.
    """
    notices = await services.intake.pending_notices(limit=limit)
    told: list[int] = []
    for notice in notices:
        t, lang = services.t, notice.language
        text = t(lang, "report.notice", case=notice.case_number, status=status_label(t, lang, notice.status))
        keyboard = InlineKeyboardMarkup([[_button(t(lang, "report.mycases_button"), "report:mycases")]])
        try:
            await bot.send_message(notice.reporter_id, text, reply_markup=keyboard)
        except (Forbidden, BadRequest) as exc:
            log.info("status notice %d for %s not deliverable: %s", notice.history_id, notice.case_number, exc)
        except TelegramError as exc:
            log.warning("status notice %d for %s failed, will retry: %s", notice.history_id, notice.case_number, exc)
            continue
        told.append(notice.history_id)
    if told:
        await services.intake.mark_notified(told)
    return len(told)


def _choices(kind: str, handler: Callable[[Update, BotContext], Awaitable[Any]]) -> CallbackQueryHandler:
    return CallbackQueryHandler(handler, pattern=rf"^report:{kind}:")


def handlers() -> list[BaseHandler]:
    """The report journey (one persistent conversation) and /mycases."""
    typed = filters.TEXT & ~filters.COMMAND
    evidence = (
        (filters.TEXT & ~filters.COMMAND)
        | filters.CAPTION
        | filters.PHOTO
        | filters.Document.ALL
        | filters.VIDEO
        | filters.AUDIO
        | filters.VOICE
        | filters.ANIMATION
        | filters.VIDEO_NOTE
        | filters.CONTACT
    )
    return [
        ConversationHandler(
            entry_points=[
                CommandHandler("report", begin),
                CallbackQueryHandler(begin, pattern=r"^report:start$"),
                CallbackQueryHandler(begin_from_check, pattern=r"^report:from_check$"),
            ],
            states={
                TYPE: [_choices("type", on_choice)],
                VICTIM: [_choices("victim", on_choice)],
                RELATIVE: [CallbackQueryHandler(on_continue, pattern=r"^report:continue$")],
                EVIDENCE: [
                    MessageHandler(evidence, on_evidence),
                    CallbackQueryHandler(on_evidence_done, pattern=r"^report:done$"),
                ],
                MONEY: [_choices("money", on_choice)],
                AMOUNT: [MessageHandler(typed, on_amount)],
                CURRENCY: [_choices("cur", on_choice)],
                CURRENCY_CODE: [MessageHandler(typed, on_currency_code)],
                METHOD: [_choices("method", on_choice)],
                WHEN: [_choices("when", on_choice)],
                CHANNEL: [_choices("channel", on_choice)],
                KOREAN: [_choices("korean", on_choice)],
                SHARE: [_choices("share", on_choice)],
                CONTACT: [_choices("contact", on_choice)],
                PHONE: [MessageHandler(typed, on_phone)],
                CONFIRM: [CallbackQueryHandler(on_confirm, pattern=r"^report:confirm$")],
            },
            fallbacks=[
                CallbackQueryHandler(go_back, pattern=r"^report:back$"),
                CallbackQueryHandler(cancel, pattern=r"^report:cancel$"),
                CommandHandler("cancel", cancel),
            ],
            name="report",
            persistent=True,
            allow_reentry=True,
        ),
        CommandHandler("mycases", show_my_cases, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(show_my_cases, pattern=r"^report:mycases$"),
    ]
