"""The batcher: callers arriving together share one call, each gets its own value, errors reach everyone."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from storage.batching import Batcher


class Squares:
    """Counts its calls; answers each key with its square."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    async def __call__(self, keys: Sequence[int]) -> list[int]:
        self.calls.append(list(keys))
        await asyncio.sleep(0)
        return [key * key for key in keys]


async def test_callers_arriving_together_share_few_calls_and_get_their_own_values() -> None:
    squares = Squares()
    batcher = Batcher(squares, max_batch=100)

    values = await asyncio.gather(*(batcher.get(n) for n in range(250)))

    assert values == [n * n for n in range(250)]
    assert len(squares.calls) <= 4
    assert max(len(call) for call in squares.calls) <= 100


async def test_the_same_key_asked_twice_at_once_is_fetched_once() -> None:
    squares = Squares()
    batcher = Batcher(squares)

    assert await asyncio.gather(batcher.get(3), batcher.get(3), batcher.get(4)) == [9, 9, 16]
    assert sorted(key for call in squares.calls for key in call) == [3, 4]


async def test_a_lone_call_is_not_delayed_and_later_calls_run_again() -> None:
    squares = Squares()
    batcher = Batcher(squares)

    assert await batcher.get(2) == 4
    assert await batcher.get(2) == 4  # nothing is cached: a later call asks again
    assert squares.calls == [[2], [2]]


async def test_a_failing_batch_fails_each_waiting_caller_and_the_next_batch_still_runs() -> None:
    fail = True

    async def flaky(keys: Sequence[int]) -> list[int]:
        if fail:
            raise RuntimeError("store down")
        return list(keys)

    batcher = Batcher(flaky)
    results = await asyncio.gather(batcher.get(1), batcher.get(2), return_exceptions=True)
    assert [type(r) for r in results] == [RuntimeError, RuntimeError]

    fail = False
    assert await batcher.get(5) == 5


async def test_a_batch_that_returns_the_wrong_number_of_values_is_an_error_not_a_mix_up() -> None:
    async def short(keys: Sequence[int]) -> list[int]:
        return [0]

    batcher = Batcher(short)
    with pytest.raises(ValueError, match="2 keys"):
        await asyncio.gather(batcher.get(1), batcher.get(2))
