"""An offline Bot API: records every call the bot makes and answers like Telegram would.

The console and the journey tests use it, so both drive the real Application and handlers
without a network or a token.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 1, "is_bot": True, "first_name": "ScamCheck", "username": "scamcheck_bot"}
#: Methods that answer with the message they sent or edited.
MESSAGE_METHODS = frozenset(
    {"sendMessage", "editMessageText", "sendPhoto", "sendDocument", "sendLocation", "editMessageReplyMarkup"}
)


@dataclass(frozen=True)
class ApiCall:
    """One Bot API call the bot made."""

    method: str
    params: dict[str, Any]

    @property
    def text(self) -> str:
        """The text or caption sent, if any."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """Inline keyboard buttons as (label, callback data or URL), row by row."""
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return [
            (button["text"], button.get("callback_data") or button.get("url") or "")
            for row in markup.get("inline_keyboard", [])
            for button in row
        ]


@dataclass
class OfflineRequest(BaseRequest):
    """A `BaseRequest` that never touches the network.

    Args:
        on_call: called with each recorded call (the console prints replies as they come).
        fail_methods: methods that answer with an error, to test error handling.
    """

    on_call: Callable[[ApiCall], None] | None = None
    fail_methods: frozenset[str] = frozenset()
    calls: list[ApiCall] = field(default_factory=list)
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1000))

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def read_timeout(self) -> float | None:
        """No network, no timeout."""
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """Records the call and returns Telegram-like JSON."""
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        call = ApiCall(api_method, params)
        if api_method not in ("getUpdates", "getMe"):
            self.calls.append(call)
            if self.on_call:
                self.on_call(call)
        if api_method in self.fail_methods:
            return 400, json.dumps({"ok": False, "error_code": 400, "description": "Bad Request: test"}).encode()
        return 200, json.dumps({"ok": True, "result": self._result(api_method, params)}).encode()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            return []
        if method in MESSAGE_METHODS:
            message: dict[str, Any] = {
                "message_id": params.get("message_id") or next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": params.get("chat_id", 0), "type": "private"},
                "from": BOT_USER,
            }
            if "text" in params:
                message["text"] = params["text"]
            if params.get("reply_markup"):
                markup = params["reply_markup"]
                message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
            return message
        return True

    def sent(self, method: str = "sendMessage") -> list[ApiCall]:
        """The calls of one method, in order."""
        return [c for c in self.calls if c.method == method]

    def clear(self) -> None:
        """Forgets recorded calls."""
        self.calls.clear()
