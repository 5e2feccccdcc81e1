"""The console's preview uses the bot's own text builders and button layout."""

from __future__ import annotations

import pytest

from bot.i18n import LANGUAGES, Translator
from content.render import AFTER_ARTICLE_BUTTONS, button_labels
from handlers.learn import after_article_keyboard


@pytest.mark.parametrize("lang", LANGUAGES)
def test_preview_buttons_are_the_buttons_under_an_article(lang: str) -> None:
    t = Translator.from_directory()

    keyboard = after_article_keyboard(t, lang)

    bot_rows = [[(b.text, b.callback_data) for b in row] for row in keyboard.inline_keyboard]
    assert button_labels(t, lang, AFTER_ARTICLE_BUTTONS) == bot_rows


def test_handlers_render_with_the_shared_builders() -> None:
    import content.render
    import handlers.render

    assert handlers.render.article_text is content.render.article_text
    assert handlers.render.scam_type_text is content.render.scam_type_text
