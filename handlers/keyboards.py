"""Inline keyboards that are built and serialised once, then reused.

The same few keyboards (the menu, the buttons under every article) go out with most replies.
Building one with python-telegram-bot and turning it into Bot API JSON cost about 70 µs
each time (measured: four buttons); a reused keyboard costs a dictionary look-up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache, wraps
from typing import Any, ParamSpec

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

P = ParamSpec("P")


class ReusedKeyboard(InlineKeyboardMarkup):
    """An inline keyboard that computes its Bot API form once (keyboards are immutable)."""

    __slots__ = ("_api_form",)

    def __init__(self, inline_keyboard: Sequence[Sequence[InlineKeyboardButton]]) -> None:
        super().__init__(inline_keyboard)
        with self._unfrozen():
            self._api_form = super().to_dict()

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        """The Bot API form, computed when the keyboard was built (treat it as read-only)."""
        return self._api_form if recursive else super().to_dict(recursive=False)


def reused_keyboard(build: Callable[P, InlineKeyboardMarkup]) -> Callable[P, InlineKeyboardMarkup]:
    """Remembers the keyboards ``build`` makes, by its arguments (which must be hashable).

    Only for keyboards that depend on nothing but the arguments: the UI strings of a
    language are fixed for the life of the process, content titles are not.
    """

    @lru_cache(maxsize=512)
    def remembered(*args: Any) -> InlineKeyboardMarkup:
        return ReusedKeyboard(build(*args).inline_keyboard)  # type: ignore[call-arg]

    @wraps(build)
    def cached(*args: P.args, **kwargs: P.kwargs) -> InlineKeyboardMarkup:
        if kwargs:
            raise TypeError(f"{build.__name__} takes positional arguments only when reused")
        return remembered(*args)

    return cached
