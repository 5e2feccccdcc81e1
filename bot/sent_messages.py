"""Sees every message the bot sends, whichever journey sends it.

Why: in discreet mode the bot must delete the conversation's messages, including answers
from journeys that know nothing of discreet mode (a question answered by Learn, a check
card, an alert). The Bot API request is the one place every sent message passes through.

The same place keeps replies cheap: the Bot API answers each send with the whole message,
keyboard and formatting included, and python-telegram-bot turns all of it back into
objects the bot never reads. Those parts are dropped before parsing (measured: 212 µs to
parse a typical answer with its keyboard, bold text and sender, 55 µs without).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)

#: Called with (chat id, message id) for each message the Bot API says was sent.
OnSent = Callable[[int, int], None]
#: Parts of its own sent or edited message that the Bot API echoes back and the bot never
#: reads: the keyboard and formatting it just sent, and itself as the sender.
ECHOED_PARTS = ("reply_markup", "entities", "caption_entities", "link_preview_options", "from")


def sent_messages(method: str, payload: bytes) -> list[tuple[int, int]]:
    """(chat id, message id) of the messages a successful `send*` answer carries ([] otherwise)."""
    if not method.startswith("send"):
        return []
    try:
        result = json.loads(payload).get("result")
    except (ValueError, AttributeError):
        return []
    found = []
    for message in result if isinstance(result, list) else [result]:  # sendMediaGroup gives a list
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            chat_id, message_id = message["chat"].get("id"), message.get("message_id")
            if isinstance(chat_id, int) and isinstance(message_id, int):
                found.append((chat_id, message_id))
    return found


def without_echoed_parts(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer, minus the :data:`ECHOED_PARTS` of a message the bot sent or edited.

    Only an answer whose result is one message is touched: that is always the bot's own
    (updates arrive as a list, through `getUpdates` or the webhook, and are never changed).
    """
    result = answer.get("result") if isinstance(answer, dict) else None
    if isinstance(result, dict) and "message_id" in result and "chat" in result:
        for part in ECHOED_PARTS:
            result.pop(part, None)
    return answer


class SentMessageTap(BaseRequest):
    """Wraps a Bot API request; reports each sent message to `on_sent` (set it after building).

    The answer is read a second time only for chats `watches` names (all when it is None), so
    the ordinary send path pays nothing. Answers lose their :data:`ECHOED_PARTS` on parsing.

    Args:
        inner: The request that really talks to the Bot API.
    """

    def __init__(self, inner: BaseRequest) -> None:
        self._inner = inner
        self.on_sent: OnSent | None = None
        self.watches: Callable[[int], bool] | None = None

    async def initialize(self) -> None:
        """Opens the wrapped request."""
        await self._inner.initialize()

    async def shutdown(self) -> None:
        """Closes the wrapped request."""
        await self._inner.shutdown()

    @property
    def read_timeout(self) -> float | None:
        """The wrapped request's read timeout."""
        return self._inner.read_timeout

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Sends through the wrapped request, then reports what was sent."""
        code, payload = await self._inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        if code == 200 and self.on_sent is not None and self._watched(request_data):
            for chat_id, message_id in sent_messages(url.rsplit("/", 1)[-1], payload):
                try:
                    self.on_sent(chat_id, message_id)
                except Exception:  # noqa: BLE001 - bookkeeping must never cost the user the message
                    log.exception("could not note a sent message")
        return code, payload

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """Parses the answer like python-telegram-bot does, without the parts the bot never reads."""
        return without_echoed_parts(BaseRequest.parse_json_payload(payload))

    def _watched(self, request_data: RequestData | None) -> bool:
        if self.watches is None:
            return True
        chat_id = request_data.parameters.get("chat_id") if request_data is not None else None
        return isinstance(chat_id, int) and self.watches(chat_id)
