"""Start-up objects leave the garbage collector's sight once the models load, and come back at stop."""

from __future__ import annotations

import asyncio
import gc

from bot.settings import Settings
from tests.bot.support import running_bot


async def test_start_up_objects_are_frozen_once_models_load_and_released_at_stop(
    settings: Settings, trained_models: None
) -> None:
    async with running_bot(settings) as bot:
        for _ in range(300):  # the local matcher trains and the classifier loads on worker threads
            if gc.get_freeze_count():
                break
            await asyncio.sleep(0.05)
        frozen = gc.get_freeze_count()
        replies = await bot.chat().say("what is a job scam?")

    assert frozen > 10_000
    assert replies.messages  # the bot still answers after the freeze
    assert gc.get_freeze_count() == 0
