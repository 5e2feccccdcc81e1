"""Builds Telegram updates for the console and the tests, as Telegram would deliver them."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from telegram import Bot, Update

from bot.offline import BOT_USER


class UpdateFactory:
    """Makes updates from one user in one chat, with increasing ids.

    Args:
        bot: the bot the updates are bound to (so `reply_text` works).
        user_id: the Telegram user id.
        language_code: the user's Telegram language setting.
        chat_type: "private", "group" or "supergroup".
    """

    def __init__(
        self,
        bot: Bot,
        *,
        user_id: int = 4242,
        language_code: str | None = "en",
        chat_type: str = "private",
        chat_id: int | None = None,
        first_name: str = "Dara",
    ) -> None:
        self.bot = bot
        self.user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            self.user["language_code"] = language_code
        self.chat = {"id": chat_id if chat_id is not None else user_id, "type": chat_type}
        if chat_type != "private":
            self.chat["title"] = "Family group"
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)

    def _update(self, **payload: Any) -> Update:
        update = Update.de_json({"update_id": next(self._update_ids), **payload}, self.bot)
        assert update is not None
        return update

    def _message(self, **fields: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(datetime.now(UTC).timestamp()),
            "chat": self.chat,
            "from": self.user,
            **fields,
        }

    def text(self, text: str, **extra: Any) -> Update:
        """A text message; commands get their `bot_command` entity like in Telegram."""
        fields: dict[str, Any] = {"text": text, **extra}
        if text.startswith("/"):
            command = text.split()[0]
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._update(message=self._message(**fields))

    def edited_text(self, text: str) -> Update:
        """An edited message (an edited command keeps its `bot_command` entity, as in Telegram)."""
        message = self._message(text=text)
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        message["edit_date"] = message["date"]
        return self._update(edited_message=message)

    def callback(self, data: str, *, message_text: str = "") -> Update:
        """A tap on an inline button under one of the bot's messages."""
        message = {
            "message_id": next(self._message_ids),
            "date": int(datetime.now(UTC).timestamp()),
            "chat": self.chat,
            "from": BOT_USER,
            "text": message_text or "…",
        }
        return self._update(
            callback_query={
                "id": str(next(self._update_ids)),
                "from": self.user,
                "chat_instance": "ci",
                "data": data,
                "message": message,
            }
        )

    def sticker(self) -> Update:
        """A sticker."""
        sticker = {
            "file_id": "stk",
            "file_unique_id": "stku",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self._update(message=self._message(sticker=sticker))

    def voice(self) -> Update:
        """A voice note."""
        return self._update(message=self._message(voice={"file_id": "v", "file_unique_id": "vu", "duration": 3}))

    def photo(self, caption: str | None = None) -> Update:
        """A photo, with an optional caption."""
        photo = [{"file_id": "p", "file_unique_id": "pu", "width": 90, "height": 90}]
        fields: dict[str, Any] = {"photo": photo}
        if caption:
            fields["caption"] = caption
        return self._update(message=self._message(**fields))

    def location(self, latitude: float = 11.55, longitude: float = 104.92) -> Update:
        """A shared location."""
        return self._update(message=self._message(location={"latitude": latitude, "longitude": longitude}))
