"""Coalesces calls that arrive together into one batched call.

Why: some work costs mostly per call, not per item: a database round trip (a transaction,
a hop to the driver's thread) or a scikit-learn `transform`. In a burst, many updates wait
for the same kind of work at once; one call for all of them costs little more than one.
A lone call runs at once, as it would unbatched; calls that arrive while a batch runs
form the next batch. Batches run one at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Batcher(Generic[K, V]):
    """Calls `run_batch(keys)` for the keys waiting; each caller gets the value for its key.

    Args:
        run_batch: Takes distinct keys and returns one value per key, in the same order.
        max_batch: The most keys in one call.
    """

    def __init__(self, run_batch: Callable[[Sequence[K]], Awaitable[Sequence[V]]], *, max_batch: int = 256) -> None:
        self._run_batch = run_batch
        self._max_batch = max_batch
        self._waiting: dict[K, list[asyncio.Future[V]]] = {}
        self._runner: asyncio.Task[None] | None = None

    async def get(self, key: K) -> V:
        """The value for `key`; callers asking for the same key together share one."""
        answer: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(key, []).append(answer)
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run_batches(), name="batcher")
        return await answer

    async def _run_batches(self) -> None:
        while self._waiting:
            keys = list(self._waiting)[: self._max_batch]
            batch = {key: self._waiting.pop(key) for key in keys}
            try:
                values = await self._run_batch(keys)
                if len(values) != len(keys):
                    raise ValueError(f"batch returned {len(values)} values for {len(keys)} keys")
            except Exception as exc:  # noqa: BLE001 - handed to each waiting caller, not swallowed
                for answers in batch.values():
                    for answer in answers:
                        if not answer.done():
                            answer.set_exception(exc)
                continue
            for answers, value in zip(batch.values(), values, strict=True):
                for answer in answers:
                    if not answer.done():  # the caller may have given up (cancelled)
                        answer.set_result(value)
