"""Sends alerts to subscribers: paced under Telegram's limit, resumable, never twice to anyone.

A :class:`Broadcaster` runs with the bot (started in `post_init`, like the intake dispatcher).
Each pass takes one due alert from :class:`storage.broadcasts.BroadcastRepository` with a
lease, claims its recipients batch by batch, sends each one its language's text, and
records the outcome:

- alerts go out at ``rate`` messages a second (26 by default: Telegram allows about 30 for
  the whole bot, and replies to users need some of it), never more than ``max_per_second``
  (29) in any second as Telegram counts, with at most ``concurrency`` requests in flight;
- ``RetryAfter``: everything pauses for the time Telegram asks, then the same message is
  tried again;
- ``Forbidden`` (the user blocked the bot): recorded as ``blocked``, and the user is unsubscribed;
- a connection that could not be opened: the message was certainly not sent, so it goes
  back to ``pending`` and sending pauses a little;
- a timeout after the request went out, or any other doubt: ``unknown``, never retried.

"Never twice" wins over "always once": a recipient is claimed in the store *before* the
message goes out. If the process dies between sending and recording, those claims (at most
one batch plus what is in flight) become ``unknown`` when the next sender takes the alert
over, and are not sent again; the staff counts show them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

import httpx
from aiolimiter import AsyncLimiter
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from storage.broadcasts import BroadcastRepository, Delivery, DeliveryResult, DeliveryStatus, TakenAlert

log = logging.getLogger(__name__)

#: Errors of a request that never left this machine: the message was certainly not sent.
_NOT_SENT_CAUSES = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class BroadcastSettings:
    """How fast and in what steps alerts go out.

    Attributes:
        rate: Messages per second for all alerts together (the pace).
        max_per_second: Hard cap: messages in any one second as Telegram would count them
            (Telegram allows about 30 for the whole bot).
        concurrency: Requests in flight at once (Telegram answers in 50-300 ms).
        batch_size: Recipients claimed per store transaction; after a crash at most this many
            (plus those in flight) may be left ``unknown``.
        poll_interval: Seconds between looks for due alerts when idle.
        lease: Seconds another sender waits before taking over an alert whose sender stopped.
        retry_after_tries: ``RetryAfter`` answers one message may get before it is put back.
        network_pause: Seconds to pause after a connection failure (doubles up to 60).
    """

    rate: float = 26.0
    max_per_second: int = 29
    concurrency: int = 16
    batch_size: int = 30
    poll_interval: float = 2.0
    lease: float = 120.0
    retry_after_tries: int = 5
    network_pause: float = 2.0

    def __post_init__(self) -> None:
        if not 0 < self.rate <= 1000:
            raise ValueError(f"rate={self.rate!r}: messages per second must be in (0, 1000]")
        for name in ("concurrency", "batch_size", "retry_after_tries", "max_per_second"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name}={getattr(self, name)!r} must be at least 1")
        for name in ("poll_interval", "lease", "network_pause"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name}={getattr(self, name)!r} must be positive")


class BroadcastSettingsError(ValueError):
    """A BROADCAST_* variable is wrong; the message names it."""


#: Environment variables and the settings they set.
ENV_VARIABLES = {
    "BROADCAST_RATE": ("rate", float),
    "BROADCAST_CONCURRENCY": ("concurrency", int),
    "BROADCAST_BATCH_SIZE": ("batch_size", int),
    "BROADCAST_MAX_PER_SECOND": ("max_per_second", int),
}


def broadcast_settings_from_env(env: Mapping[str, str]) -> BroadcastSettings:
    """Reads ``BROADCAST_RATE`` (messages/s, default 26), ``BROADCAST_CONCURRENCY`` and ``BROADCAST_BATCH_SIZE``.

    Raises:
        BroadcastSettingsError: Naming the variable and the bad value.
    """
    values: dict[str, float | int] = {}
    for variable, (name, kind) in ENV_VARIABLES.items():
        if (raw := env.get(variable)) is None or not raw.strip():
            continue
        try:
            values[name] = kind(raw)
            BroadcastSettings(**{name: values[name]})  # type: ignore[arg-type]
        except ValueError as exc:
            raise BroadcastSettingsError(f"{variable}={raw!r}: {exc}") from None
    return BroadcastSettings(**values)  # type: ignore[arg-type]


def default_owner() -> str:
    """A name for this sender that no other process shares (host, process, random)."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


Compose = Callable[[str, str], str]
"""Given a language and the alert's text in it, returns the message to send."""


def plain(_lang: str, text: str) -> str:
    """Sends the alert's text as it is."""
    return text


def alert_composer(t: Callable[..., str]) -> Compose:
    """Puts the alert between a header and a how-to-stop footer, in the recipient's language."""

    def compose(lang: str, text: str) -> str:
        return f"{t(lang, 'subscribe.alert_header')}\n\n{text}\n\n{t(lang, 'subscribe.alert_footer')}"

    return compose


class Broadcaster:
    """Sends due alerts through a Bot; one per process is enough (several are safe).

    Args:
        bot: The bot to send with (the Application's, so its own rate limiter applies too).
        alerts: The alerts store.
        settings: Pace and step sizes.
        compose: Wraps an alert's text into the message (the bot adds a header and footer).
        owner: This sender's lease name; unique per process by default.
    """

    def __init__(
        self,
        bot: Bot,
        alerts: BroadcastRepository,
        *,
        settings: BroadcastSettings | None = None,
        compose: Compose = plain,
        owner: str | None = None,
    ) -> None:
        self._bot = bot
        self._alerts = alerts
        self.settings = settings or BroadcastSettings()
        self._compose = compose
        self.owner = owner or default_owner()
        # A leaky bucket of two keeps the pace smooth (one message every 1/rate s, and a message
        # woken late does not cost the next one its slot); the window is the hard cap Telegram
        # counts against, whatever stalls happen on either side.
        self._limiter = AsyncLimiter(2, 2 / self.settings.rate)
        self._window = SendWindow(self.settings.max_per_second)
        self._slots = asyncio.Semaphore(self.settings.concurrency)
        self._paused_until = 0.0
        self._network_pause = self.settings.network_pause
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Look for due alerts now instead of at the next poll (staff just sent one)."""
        self._wake.set()

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Sends due alerts until `stop` is set; a failed pass is logged and tried again."""
        while not stop.is_set():
            busy = False
            try:
                busy = await self.run_once(stop)
            except Exception:  # noqa: BLE001 - the store or network may recover; never die
                log.exception("broadcast pass failed; trying again in %.0f s", self.settings.poll_interval)
            if busy:
                continue
            self._wake.clear()
            waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            await asyncio.wait(waits, timeout=self.settings.poll_interval, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waits:
                waiter.cancel()

    async def run_once(self, stop: asyncio.Event | None = None) -> bool:
        """Takes one due alert and sends it until done, stopped or lost; False if none was due."""
        stop = stop or asyncio.Event()
        taken = await self._alerts.take_due_alert(self.owner, lease=timedelta(seconds=self.settings.lease))
        if taken is None:
            return False
        if taken.taken_over:
            log.warning(
                "alert %d: %d message(s) of a stopped sender may or may not have gone out; not resending them",
                taken.alert_id,
                taken.taken_over,
            )
        log.info("alert %d: sending", taken.alert_id)
        await self._send_alert(taken, stop)
        return True

    async def _send_alert(self, taken: TakenAlert, stop: asyncio.Event) -> None:
        lease = timedelta(seconds=self.settings.lease)
        results: list[DeliveryResult] = []
        in_flight: set[asyncio.Task[DeliveryResult]] = set()
        lost = False

        def collect(task: asyncio.Task[DeliveryResult]) -> None:
            in_flight.discard(task)
            if not task.cancelled():
                results.append(task.result())

        keeper = asyncio.create_task(self._keep_lease(taken.alert_id, lease), name=f"alert-{taken.alert_id}-lease")
        try:
            while not stop.is_set() and not keeper.done():
                batch = await self._alerts.next_batch(
                    taken.alert_id, self.owner, size=self.settings.batch_size, lease=lease
                )
                if batch is None:
                    lost = True
                    break
                if not batch:
                    break
                for index, delivery in enumerate(batch):
                    if stop.is_set():
                        # Claimed but not started: certainly not sent, so give them back.
                        results.extend(DeliveryResult(d.user_id, DeliveryStatus.PENDING) for d in batch[index:])
                        break
                    await self._slots.acquire()
                    task = asyncio.create_task(self._deliver(taken, delivery, stop))
                    in_flight.add(task)
                    task.add_done_callback(collect)
                    if len(results) >= self.settings.batch_size:
                        await self._flush(taken.alert_id, results)
            if in_flight:
                await asyncio.wait(in_flight)
            await self._flush(taken.alert_id, results)
        except asyncio.CancelledError:
            # Killed (shutdown grace ran out): send nothing more. Unrecorded claims stay
            # claimed and become "unknown" when the alert is taken again.
            for task in in_flight:
                task.cancel()
            raise
        finally:
            if keeper.done() and not keeper.cancelled():
                # The keeper only ends by itself when the lease was lost or the store failed.
                lost = lost or keeper.exception() is not None or bool(keeper.result())
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
        if lost:
            log.warning("alert %d: another sender took it over or it was cancelled; stopping", taken.alert_id)
            await self._alerts.release(taken.alert_id, self.owner)
        elif await self._alerts.finish(taken.alert_id, self.owner):
            log.info("alert %d: done", taken.alert_id)
        else:
            await self._alerts.release(taken.alert_id, self.owner)

    async def _keep_lease(self, alert_id: int, lease: timedelta) -> bool:
        """Renews the lease while sending (long RetryAfter pauses included); returns True when lost."""
        while True:
            await asyncio.sleep(self.settings.lease / 3)
            if not await self._alerts.renew(alert_id, self.owner, lease=lease):
                return True

    async def _flush(self, alert_id: int, results: list[DeliveryResult]) -> None:
        if not results:
            return
        done = list(results)
        results.clear()
        await self._alerts.record(alert_id, done)

    async def _deliver(self, taken: TakenAlert, delivery: Delivery, stop: asyncio.Event) -> DeliveryResult:
        """Sends one message (paced), retrying after RetryAfter; returns what happened."""
        try:
            text = self._compose(delivery.language, taken.texts[delivery.language])
            for _ in range(self.settings.retry_after_tries):
                if stop.is_set():
                    return DeliveryResult(delivery.user_id, DeliveryStatus.PENDING)
                await self._pace()
                try:
                    try:
                        await self._bot.send_message(chat_id=delivery.user_id, text=text)
                    finally:
                        await self._window.release()
                except RetryAfter as exc:
                    wait = exc.retry_after
                    seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
                    log.warning("alert %d: Telegram asked to wait %.0f s", taken.alert_id, seconds)
                    self._pause(seconds)
                    continue
                except Forbidden as exc:
                    return DeliveryResult(delivery.user_id, DeliveryStatus.BLOCKED, _reason(exc))
                except (TimedOut, NetworkError) as exc:
                    if isinstance(exc.__cause__, _NOT_SENT_CAUSES):
                        self._pause(self._network_pause)
                        self._network_pause = min(self._network_pause * 2, 60.0)
                        return DeliveryResult(delivery.user_id, DeliveryStatus.PENDING, _reason(exc))
                    return DeliveryResult(delivery.user_id, DeliveryStatus.UNKNOWN, _reason(exc))
                except (BadRequest, TelegramError) as exc:
                    return DeliveryResult(delivery.user_id, DeliveryStatus.FAILED, _reason(exc))
                self._network_pause = self.settings.network_pause
                return DeliveryResult(delivery.user_id, DeliveryStatus.SENT)
            return DeliveryResult(delivery.user_id, DeliveryStatus.PENDING, "RetryAfter, tried again later")
        except Exception as exc:  # noqa: BLE001 - whatever it was, the message may have gone out
            log.exception("alert %d: unexpected error while sending", taken.alert_id)
            return DeliveryResult(delivery.user_id, DeliveryStatus.UNKNOWN, type(exc).__name__)
        finally:
            self._slots.release()

    def _pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, time.monotonic() + max(0.0, seconds))

    async def _pace(self) -> None:
        """Waits out any pause Telegram asked for, then for this message's slot (release it after the send)."""
        while True:
            # A loop, not one sleep: a RetryAfter may start or extend the pause while we wait.
            while (wait := self._paused_until - time.monotonic()) > 0:  # noqa: ASYNC110
                await asyncio.sleep(wait)
            await self._limiter.acquire()
            await self._window.acquire()
            if self._paused_until <= time.monotonic():
                return
            await self._window.release()  # paused meanwhile: give the place back and wait


class SendWindow:
    """At most `limit` messages in any `period` seconds, as the server will count them.

    The server stamps a message somewhere between our sending it and its answer, so a message
    counts from the moment it is let through until `period` seconds after its answer. A stalled
    event loop (or server) can then never squeeze more than `limit` into one of the server's
    seconds. (aiolimiter's buckets count from the start only, and allow bursts over a
    window's edge.)
    """

    def __init__(self, limit: int, period: float = 1.0) -> None:
        self._limit = limit
        self._period = period
        self._in_flight = 0
        self._answered: deque[float] = deque()
        self._changed = asyncio.Condition()

    async def acquire(self) -> None:
        """Waits until one more message fits, and counts it as in flight."""
        async with self._changed:
            while True:
                now = time.monotonic()
                while self._answered and self._answered[0] <= now - self._period:
                    self._answered.popleft()
                if self._in_flight + len(self._answered) < self._limit:
                    self._in_flight += 1
                    return
                wait = self._answered[0] + self._period - now if self._answered else None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), wait)

    async def release(self) -> None:
        """The message got its answer: it counts for one more period."""
        async with self._changed:
            self._in_flight -= 1
            self._answered.append(time.monotonic())
            self._changed.notify_all()


def _reason(exc: BaseException) -> str:
    """The error's class and Telegram's message (never the text we sent or who it was for)."""
    return f"{type(exc).__name__}: {exc}"[:200]
