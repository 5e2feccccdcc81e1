"""`scambot console`: chat with the real bot in a terminal, through the same Application and handlers.

Replies are printed as text; inline buttons show as numbered choices the user can type.
When stdin is not a terminal, each input line is one message (scriptable).
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
from typing import TextIO

from telegram.ext import Application

from bot.app import build_application, running_application
from bot.launcher import nlu_endpoint
from bot.offline import ApiCall, OfflineRequest
from bot.settings import Settings
from bot.update_factory import UpdateFactory

_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """Telegram HTML to terminal text."""
    return html.unescape(_TAG.sub("", text))


class ConsolePrinter:
    """Prints the bot's messages and remembers the last buttons so a number can pick one."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.buttons: list[tuple[str, str]] = []

    def __call__(self, call: ApiCall) -> None:
        if call.method == "answerCallbackQuery" and call.params.get("text"):
            print(f"bot (notice)> {call.params['text']}", file=self.out)
        if call.method not in ("sendMessage", "editMessageText") or not call.text:
            return
        print(f"bot> {plain(call.text)}", file=self.out)
        if call.buttons:
            self.buttons = call.buttons
            for number, (label, _) in enumerate(call.buttons, start=1):
                print(f"  [{number}] {label}", file=self.out)
        print(file=self.out, flush=True)


async def converse(app: Application, factory: UpdateFactory, printer: ConsolePrinter, lines: TextIO) -> None:
    """Feeds each input line to the bot: a number taps a button, anything else is a message."""
    interactive = lines.isatty()
    while True:
        if interactive:
            print("you> ", end="", file=printer.out, flush=True)
        line = await asyncio.to_thread(lines.readline)
        if not line:
            break
        text = line.rstrip("\n")
        if not interactive:
            print(f"you> {text}", file=printer.out)
        choice = text.strip()
        if choice.isdigit() and 1 <= int(choice) <= len(printer.buttons):
            label, data = printer.buttons[int(choice) - 1]
            update = factory.callback(data, message_text=label)
        else:
            update = factory.text(text)
        await app.process_update(update)


async def run_console(
    settings: Settings, *, lang: str | None, user_id: int, start_rasa: bool = True, out: TextIO | None = None
) -> None:
    """Runs the console until end of input; prints to `out` (default: the current `sys.stdout`)."""
    out = out or sys.stdout  # looked up now, not at import, so a redirected stdout is honoured
    printer = ConsolePrinter(out)
    request = OfflineRequest(on_call=printer)
    async with nlu_endpoint(settings, start_rasa=start_rasa) as nlu_url:
        app = build_application(settings, nlu_url=nlu_url, request=request, rate_limit=False)
        async with running_application(app):
            factory = UpdateFactory(app.bot, user_id=user_id, language_code=lang)
            if sys.stdin.isatty():
                print("Console chat with the bot. Type a message, a number to tap a button, Ctrl-D to quit.", file=out)
                await app.process_update(factory.text("/start"))
            await converse(app, factory, printer, sys.stdin)
