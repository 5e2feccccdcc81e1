"""Reused keyboards: sent exactly like freshly built ones, built once per language."""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.offline import OfflineRequest
from handlers.keyboards import ReusedKeyboard, reused_keyboard
from handlers.menu import main_menu


async def test_a_reused_keyboard_reaches_the_bot_api_exactly_like_a_fresh_one() -> None:
    rows = [
        [InlineKeyboardButton("ម៉ឺនុយ", callback_data="menu:main"), InlineKeyboardButton("Web", url="https://x.gov.kh")]
    ]
    request = OfflineRequest()

    async with Bot("1:offline", request=request, get_updates_request=OfflineRequest()) as bot:
        await bot.send_message(42, "fresh", reply_markup=InlineKeyboardMarkup(rows))
        await bot.send_message(42, "reused", reply_markup=ReusedKeyboard(rows))

    fresh, reused = (call.params["reply_markup"] for call in request.sent())
    assert reused == fresh
    assert ReusedKeyboard(rows) == InlineKeyboardMarkup(rows)


def test_each_language_gets_its_own_menu_built_once() -> None:
    t = Translator.from_directory()

    khmer, korean = main_menu(t, "km"), main_menu(t, "ko")

    assert main_menu(t, "km") is khmer
    assert khmer.inline_keyboard[0][0].text == t("km", "menu.learn")
    assert korean.inline_keyboard[0][0].text == t("ko", "menu.learn")


def test_keyword_arguments_are_refused_rather_than_cached_apart() -> None:
    @reused_keyboard
    def one_button(label: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data="x")]])

    assert one_button("a") is one_button("a")
    try:
        one_button(label="a")
    except TypeError:
        pass
    else:
        raise AssertionError("a keyword argument must not be accepted")
