"""The main menu: six choices, reachable from every answer so no conversation dead-ends."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from handlers.context import BotContext, Translate
from handlers.keyboards import reused_keyboard

MENU_ITEMS: tuple[tuple[str, str], ...] = (
    ("menu.learn", "learn:menu"),
    ("menu.check", "check:start"),
    ("menu.job", "job:start"),
    ("menu.report", "report:start"),
    ("menu.help", "help:now"),
    ("menu.language", "menu:language"),
)


@reused_keyboard
def main_menu(t: Translate, lang: str) -> InlineKeyboardMarkup:
    """The six menu buttons, two per row; "Get help now" gets a row of its own."""
    buttons = {data: InlineKeyboardButton(t(lang, key), callback_data=data) for key, data in MENU_ITEMS}
    return InlineKeyboardMarkup(
        [
            [buttons["learn:menu"], buttons["check:start"]],
            [buttons["job:start"], buttons["report:start"]],
            [buttons["help:now"]],
            [buttons["menu:language"]],
        ]
    )


def menu_button(t: Translate, lang: str) -> InlineKeyboardButton:
    """A single "Menu" button to put under any answer."""
    return InlineKeyboardButton(t(lang, "common.menu"), callback_data="menu:main")


@reused_keyboard
def menu_only(t: Translate, lang: str) -> InlineKeyboardMarkup:
    """Just the "Menu" button, under an answer that ends a journey."""
    return InlineKeyboardMarkup([[menu_button(t, lang)]])


async def send_menu(update: Update, context: BotContext, text: str | None = None) -> None:
    """Sends `text` (default: the menu title) with the main menu."""
    if (message := update.effective_message) is None:
        return
    t = context.services.t
    await message.reply_text(text or t(context.lang, "menu.title"), reply_markup=main_menu(t, context.lang))
