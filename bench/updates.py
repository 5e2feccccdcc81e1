"""Update throughput of the whole bot, in process, as Telegram delivers updates; and its memory.

Education questions (held-out texts in km, ko and en, from many distinct users, each user new
to the bot) go through the real Application built by `bot.app.build_application` (SQLite in a
temporary folder, offline Bot API, no rate limiter), concurrently. Figures, each measured in
rounds that alternate with its baseline so machine noise falls on both:

 (a) updates/s with the NLU answered in process, as a ratio to a bare python-telegram-bot echo
     Application driven the same way (target >= 0.3). Two in-process NLUs are shown:
     the local fallback matcher (`nlu_url=None`, what the bot uses when Rasa is down), and a
     canned parser answering from the held-out labels at no cost (the bot's own overhead).
     Both are fed through `app.update_queue`, so PTB's own update processor (256 concurrent
     updates with `concurrent_updates=True`) decides the concurrency.
 (b) updates/s with the real Rasa server, as a ratio to Rasa's own `/model/parse` throughput
     with raw httpx at the same concurrency, same texts (target >= 0.8). Both sides run at
     `--concurrency` requests in flight (default 16)
     and wait up to 30 s for Rasa (the bot via NLU_TIMEOUT), so a slow Rasa is timed on both
     sides rather than replaced by the local matcher on one.
 (c) peak RSS of this process (the bots, the echo app and the drivers; Rasa is a child
     process and is not counted) (target <= 500 MB).

    .venv/bin/python bench/updates.py            # full run
    .venv/bin/python bench/updates.py --quick    # short run
    .venv/bin/python bench/updates.py --profile  # also cProfile one bot round of each kind

Always exits 0: it is a measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import itertools
import logging
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from _common import (
    LANGS,
    ErrorCounter,
    Sample,
    bench_settings,
    heldout_samples,
    machine_line,
    peak_rss_mb,
    print_table,
    quiet_logs,
    rasa_server,
    verdict,
)
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, SimpleUpdateProcessor, filters

from bot.app import build_application, running_application
from bot.offline import OfflineRequest
from bot.update_factory import UpdateFactory
from nlu.fallback import LocalIntentMatcher
from nlu.service import MAX_NLU_CHARS
from nlu.types import NLU_FALLBACK, IntentScore, NluResult

SCRIPT = Path(__file__).resolve()
TARGET_IN_PROCESS = 0.3
TARGET_RASA = 0.8
TARGET_RSS_MB = 500.0
MESSAGES_PER_USER = 3
#: Seconds both sides of (b) wait for Rasa (the bot's own NLU_TIMEOUT allows at most 30).
RAW_TIMEOUT = 30.0
#: Counts the bot's error-handler log records (handler exceptions), per round.
BOT_ERRORS = ErrorCounter()


@dataclass(frozen=True)
class Plan:
    """How much to measure."""

    rounds: int
    in_process_updates: int
    rasa_updates: int
    warmup: int
    concurrency: int


FULL = Plan(rounds=5, in_process_updates=1500, rasa_updates=200, warmup=150, concurrency=16)
QUICK = Plan(rounds=2, in_process_updates=400, rasa_updates=64, warmup=60, concurrency=16)
#: Warm-up requests for (b) on each side (Rasa is slow: a few to a few tens of parses/s here).
RASA_WARMUP = 32
#: Rounds of (a)'s size the child bot of (c) handles.
CHILD_ROUNDS = 2


class CannedParser:
    """An in-process intent parser that answers from the held-out labels, at no cost.

    With it the measured time is the bot's own: language, handlers, content, keyboards, PTB.
    """

    def __init__(self, samples: Sequence[Sample]) -> None:
        self._answers = {
            s.text.strip()[:MAX_NLU_CHARS]: NluResult(s.intent, 0.95, (IntentScore(s.intent, 0.95),), "canned")
            for s in samples
        }

    async def parse(self, text: str) -> NluResult:
        """The labelled intent of a held-out text; unsure for anything else."""
        return self._answers.get(text) or NluResult(NLU_FALLBACK, 0.0, (), "canned")


def echo_application(request: OfflineRequest) -> Application:
    """The baseline: a bare PTB Application that replies with the text it got."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None:
            await update.effective_message.reply_text(update.effective_message.text or "")

    app = (
        ApplicationBuilder()
        .token("0:offline")
        .request(request)
        .get_updates_request(request)
        .concurrent_updates(True)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


class Traffic:
    """Makes education questions from users the bot has never seen, interleaved as in a busy hour.

    With `returning=N` the questions come from the same N users over and over instead.
    """

    def __init__(
        self, samples: Sequence[Sample], *, per_user: int = MESSAGES_PER_USER, returning: int | None = None
    ) -> None:
        self._by_lang = {lang: [s for s in samples if s.lang == lang] for lang in LANGS}
        self._per_user = per_user
        self._user_ids = itertools.count(10_000_000)
        self.returning = returning  # cycle over this many users instead of always new ones
        self._offsets = dict.fromkeys(LANGS, 0)

    def _next_user(self) -> int:
        user_id = next(self._user_ids)
        return 10_000_000 + (user_id - 10_000_000) % self.returning if self.returning else user_id

    def updates(self, bot: object, count: int) -> list[Update]:
        """`count` text updates from `count / per_user` new users, each writing in one language."""
        users = -(-count // self._per_user)
        per_user: list[list[Update]] = []
        for _ in range(users):
            user_id = self._next_user()
            lang = LANGS[user_id % len(LANGS)]
            factory = UpdateFactory(bot, user_id=user_id, language_code=lang)  # type: ignore[arg-type]
            texts = self._by_lang[lang]
            start = self._offsets[lang]
            self._offsets[lang] = (start + self._per_user) % len(texts)
            per_user.append([factory.text(texts[(start + k) % len(texts)].text) for k in range(self._per_user)])
        interleaved = [u for batch in itertools.zip_longest(*per_user) for u in batch if u is not None]
        return interleaved[:count]


@dataclass
class Contender:
    """One Application under measurement, with its offline Bot API and its results."""

    name: str
    app: Application
    request: OfflineRequest
    traffic: Traffic
    rates: list[float] = field(default_factory=list)
    unanswered: int = 0
    fallbacks: int = 0
    errors: int = 0

    def nlu_local_answers(self) -> int:
        """How many questions the local matcher answered so far (0 for the echo app)."""
        services = getattr(self.app.bot_data, "services", None)
        return services.nlu.health().local_answers if services else 0


async def drive(app: Application, updates: Sequence[Update], concurrency: int | None) -> float:
    """Processes all updates concurrently and returns the seconds it took.

    With `concurrency=None` they go through `app.update_queue`, where PTB's update processor
    runs them (as with polling or a webhook); otherwise at most `concurrency` at a time
    through PTB's `SimpleUpdateProcessor`, like a webhook with that many connections.
    """
    started = time.perf_counter()
    if concurrency is None:
        for update in updates:
            app.update_queue.put_nowait(update)
        await app.update_queue.join()
    else:
        processor = SimpleUpdateProcessor(concurrency)
        async with processor:
            await asyncio.gather(*(processor.process_update(u, app.process_update(u)) for u in updates))
    return time.perf_counter() - started


async def run_round(contender: Contender, count: int, concurrency: int | None) -> float:
    """One measured round; counts updates without a reply and errors; returns updates/s.

    An update whose handler failed still gets the error handler's apology, so errors are
    counted from the `bot.errors` log, not from missing replies.
    """
    contender.request.clear()
    updates = contender.traffic.updates(contender.app.bot, count)
    local_before = contender.nlu_local_answers()
    errors_before = BOT_ERRORS.count
    seconds = await drive(contender.app, updates, concurrency)
    contender.errors += BOT_ERRORS.count - errors_before
    replied = len(contender.request.sent())
    contender.unanswered += max(0, len(updates) - replied)
    contender.fallbacks += contender.nlu_local_answers() - local_before
    contender.request.clear()
    rate = len(updates) / seconds
    contender.rates.append(rate)
    return rate


@dataclass
class RawRasa:
    """Rasa's own throughput, fed the same texts in the same order as the bot."""

    url: str
    traffic: Traffic
    bot: object
    rates: list[float] = field(default_factory=list)
    failures: int = 0

    async def round(self, count: int, concurrency: int) -> float:
        """One measured round; returns parses/s."""
        texts = [u.message.text for u in self.traffic.updates(self.bot, count) if u.message and u.message.text]
        rate, failures = await raw_rasa_round(self.url, texts, concurrency)
        self.failures += failures
        self.rates.append(rate)
        return rate


async def raw_rasa_round(url: str, texts: Sequence[str], concurrency: int) -> tuple[float, int]:
    """Bare POSTs to /model/parse with `concurrency` in flight; returns (parses/s, failed calls)."""
    count = len(texts)
    failures = 0
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=RAW_TIMEOUT, limits=limits) as http:

        async def one(text: str) -> None:
            nonlocal failures
            async with gate:
                try:
                    response = await http.post("/model/parse", json={"text": text})
                    response.raise_for_status()
                    response.json()
                except (httpx.HTTPError, ValueError):
                    failures += 1

        await asyncio.gather(*(one(t) for t in texts[:concurrency]))  # open the connections
        failures = 0
        started = time.perf_counter()
        await asyncio.gather(*(one(t) for t in texts))
        return count / (time.perf_counter() - started), failures


async def profiled(label: str, work: Callable[[], Awaitable[object]]) -> None:
    """Runs `work` under cProfile (event-loop thread only) and prints where the time went."""
    profile = cProfile.Profile()
    profile.enable()
    try:
        await work()
    finally:
        profile.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(22)
        lines = out.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print(f"\n--- cProfile, {label}, by {order} (event-loop thread; threads not included) ---")
        print("\n".join(line[:150] for line in lines[start:] if line.strip()))


async def until_models_are_loaded(app: Application) -> None:
    """Waits for what a bot loads on worker threads at start-up (local matcher, classifier).

    Measuring while they load would time the loading threads' competition for the GIL,
    not the bot's steady state.
    """
    services = getattr(app.bot_data, "services", None)
    if services is not None:
        await services.nlu.wait_until_ready()
        await services.checker.check("warm-up")


def median(values: Sequence[float]) -> float:
    """The median, or 0 for no values."""
    return statistics.median(values) if values else 0.0


def bot_contender(
    name: str, data_dir: Path, traffic: Traffic, *, nlu_timeout: float | None = None, **options: object
) -> Contender:
    """The real bot, offline, with its SQLite file in `data_dir`."""
    request = OfflineRequest()
    options.setdefault("nlu_url", None)
    settings = bench_settings(data_dir, nlu_timeout=nlu_timeout)
    app = build_application(settings, request=request, rate_limit=False, **options)  # type: ignore[arg-type]
    return Contender(name, app, request, traffic)


async def in_process(
    plan: Plan, samples: Sequence[Sample], tmp: Path, *, profile: bool, diagnose: bool
) -> list[Contender]:
    """Figure (a): the bare echo vs the bot with in-process NLUs, rounds rotating who goes first."""
    request = OfflineRequest()
    canned = CannedParser(samples)
    contenders = [
        Contender("bare PTB echo", echo_application(request), request, Traffic(samples)),
        bot_contender("bot, local matcher (nlu_url=None)", _dir(tmp, "local"), Traffic(samples)),
        bot_contender("bot, canned in-process parser", _dir(tmp, "canned"), Traffic(samples), rasa=canned),
    ]
    if diagnose:
        returning = -(-plan.in_process_updates // MESSAGES_PER_USER)
        contenders += [
            bot_contender(
                "diag: canned, returning users",
                _dir(tmp, "returning"),
                Traffic(samples, returning=returning),
                rasa=canned,
            ),
        ]
    async with contextlib.AsyncExitStack() as stack:
        for c in contenders:
            await stack.enter_async_context(running_application(c.app))
        for c in contenders:
            await until_models_are_loaded(c.app)
        for c in contenders:
            warmup = plan.in_process_updates if c.traffic.returning else plan.warmup
            await drive(c.app, c.traffic.updates(c.app.bot, warmup), None)
            c.request.clear()
        for n in range(plan.rounds):
            shift = n % len(contenders)
            for c in contenders[shift:] + contenders[:shift]:
                rate = await run_round(c, plan.in_process_updates, None)
                print(f"  (a) round {n + 1}: {c.name:38s} {rate:8.0f} updates/s", flush=True)
        if profile:
            for c in contenders[1:]:
                await profiled(f"(a) {c.name}", lambda c=c: run_round(c, plan.in_process_updates, None))
                c.rates.pop()
    return contenders


async def with_rasa(
    plan: Plan, samples: Sequence[Sample], server_url: str, tmp: Path, *, profile: bool
) -> tuple[RawRasa, Contender]:
    """Figure (b): raw Rasa throughput vs the bot using that Rasa server, same texts, same concurrency."""
    # A Rasa timeout as long as the raw side's, so a slow Rasa is waited for, not replaced by the local matcher.
    bot = bot_contender(
        "bot, real Rasa server", _dir(tmp, "rasa"), Traffic(samples), nlu_url=server_url, nlu_timeout=RAW_TIMEOUT
    )
    raw = RawRasa(server_url, Traffic(samples), bot.app.bot)
    async with running_application(bot.app):
        await until_models_are_loaded(bot.app)
        await raw_rasa_round(server_url, [s.text for s in samples[-RASA_WARMUP:]], plan.concurrency)
        await drive(bot.app, Traffic(samples).updates(bot.app.bot, RASA_WARMUP), plan.concurrency)
        bot.request.clear()
        bot.fallbacks = 0
        for n in range(plan.rounds):
            for step in ("raw", "bot") if n % 2 == 0 else ("bot", "raw"):
                if step == "raw":
                    rate = await raw.round(plan.rasa_updates, plan.concurrency)
                    print(f"  (b) round {n + 1}: {'raw httpx -> Rasa /model/parse':38s} {rate:8.1f} parses/s")
                else:
                    rate = await run_round(bot, plan.rasa_updates, plan.concurrency)
                    print(f"  (b) round {n + 1}: {bot.name:38s} {rate:8.1f} updates/s", flush=True)
        if profile:
            await profiled("(b) bot, real Rasa server", lambda: run_round(bot, plan.rasa_updates, plan.concurrency))
            bot.rates.pop()
    return raw, bot


async def child_peak_rss(nlu_url: str | None, *, quick: bool) -> float | None:
    """Runs one production-shaped bot in a child process under load and returns its peak RSS in MB."""
    command = [sys.executable, str(SCRIPT), "--rss-child", nlu_url or "none"]
    if quick:
        command.append("--quick")
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    for line in out.decode().splitlines():
        if line.startswith("PEAK_RSS_MB "):
            return float(line.split()[1])
    tail = "\n    ".join(err.decode(errors="replace").splitlines()[-10:])
    print(f"  (c) the child bot failed (exit {process.returncode}):\n    {tail}")
    return None


async def rss_child(plan: Plan, nlu_url: str | None) -> None:
    """In the child: one bot (local matcher + Rasa client, as `make run`), new users through the update queue."""
    quiet_logs()
    samples = heldout_samples()
    with tempfile.TemporaryDirectory(prefix="bench-rss-") as tmp:
        bot = bot_contender("bot", Path(tmp), Traffic(samples), nlu_url=nlu_url)
        async with running_application(bot.app):
            for _ in range(CHILD_ROUNDS):
                await run_round(bot, plan.in_process_updates, None)
    print(f"PEAK_RSS_MB {peak_rss_mb():.1f}", flush=True)


def _dir(tmp: Path, name: str) -> Path:
    path = tmp / name
    path.mkdir(exist_ok=True)
    return path


async def local_matcher_cost(samples: Sequence[Sample], n: int = 200) -> float:
    """Milliseconds per `LocalIntentMatcher.match` call, one at a time (where (a) spends its time)."""
    matcher = await asyncio.to_thread(LocalIntentMatcher.from_training_data)
    texts = [s.text for s in samples[:n]]
    started = time.perf_counter()
    for text in texts:
        matcher.match(text)
    return 1000 * (time.perf_counter() - started) / len(texts)


def report(
    plan: Plan,
    a: list[Contender],
    raw: RawRasa | None,
    rasa_bot: Contender | None,
    bot_rss: float | None,
    bench_rss: float,
    matcher_ms: float,
) -> None:
    """The tables and the verdicts."""
    echo, local, canned = a[:3]
    print()
    print(f"Updates through the whole Application, median of {plan.rounds} interleaved rounds")
    rows = [
        [c.name, f"{median(c.rates):.0f}", " ".join(f"{r:.0f}" for r in c.rates), c.unanswered, c.errors, c.fallbacks]
        for c in a
    ]
    if raw is not None and rasa_bot is not None:
        rows.append(
            [
                "raw httpx -> Rasa /model/parse",
                f"{median(raw.rates):.1f}",
                " ".join(f"{r:.1f}" for r in raw.rates),
                "-",
                f"{raw.failures} failed",
                "-",
            ]
        )
        rows.append(
            [
                rasa_bot.name,
                f"{median(rasa_bot.rates):.1f}",
                " ".join(f"{r:.1f}" for r in rasa_bot.rates),
                rasa_bot.unanswered,
                rasa_bot.errors,
                rasa_bot.fallbacks,
            ]
        )
    print_table(["contender", "median /s", "rounds /s", "unanswered", "errors", "local-matcher answers"], rows)
    print(
        f"(a) {plan.in_process_updates} updates per round via app.update_queue (PTB: 256 concurrent); "
        f"(b) {plan.rasa_updates} per round, {plan.concurrency} in flight on both sides; "
        f"{MESSAGES_PER_USER} messages per user, users new unless marked returning."
    )
    print(f"LocalIntentMatcher.match, one call at a time: {matcher_ms:.2f} ms")
    echo_rate = median(echo.rates)
    ratio_local = median(local.rates) / echo_rate if echo_rate else 0.0
    ratio_canned = median(canned.rates) / echo_rate if echo_rate else 0.0
    figures = [
        _figure("(a) bot/echo, local matcher", ratio_local, f"{ratio_local:.3f}", TARGET_IN_PROCESS, at_most=False),
        _figure("(a) bot/echo, canned parser", ratio_canned, f"{ratio_canned:.3f}", TARGET_IN_PROCESS, at_most=False),
    ]
    if raw is not None and rasa_bot is not None and raw.rates and rasa_bot.rates:
        ratio_rasa = median(rasa_bot.rates) / median(raw.rates)
        figures.append(_figure("(b) bot/raw Rasa", ratio_rasa, f"{ratio_rasa:.3f}", TARGET_RASA, at_most=False))
        if raw.failures or rasa_bot.fallbacks:
            # Timed-out raw calls and local-matcher answers are not Rasa throughput: no verdict.
            figures[-1][-1] = "INVALID (Rasa timed out)"
    else:
        figures.append(["(b) bot/raw Rasa", "not measured", f">= {TARGET_RASA}", "FAIL"])
    if bot_rss is not None:
        figures.append(_figure("(c) peak RSS of the bot, MB", bot_rss, f"{bot_rss:.0f}", TARGET_RSS_MB, at_most=True))
    else:
        figures.append(["(c) peak RSS of the bot, MB", "not measured", f"<= {TARGET_RSS_MB:.0f}", "FAIL"])
    print()
    print_table(["figure", "value", "target", "result"], figures)
    print(
        f"(c) is a child process running one bot (Rasa client + local matcher) under "
        f"{CHILD_ROUNDS * plan.in_process_updates} updates; Rasa not counted. "
        f"This bench process (all bots above, echo, drivers) peaked at {bench_rss:.0f} MB."
    )
    print(machine_line())


def _figure(name: str, value: float, shown: str, target: float, *, at_most: bool) -> list[str]:
    sign = "<=" if at_most else ">="
    return [name, shown, f"{sign} {target:g}", verdict(value, target, at_most=at_most)]


async def main(plan: Plan, *, profile: bool, skip_rasa: bool, diagnose: bool, quick: bool) -> None:
    """Runs (a), then (b) and (c) with a Rasa server started for them, then prints everything."""
    quiet_logs()
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    logging.getLogger("bot.errors").addHandler(BOT_ERRORS)
    samples = heldout_samples()
    raw: RawRasa | None = None
    rasa_bot: Contender | None = None
    bot_rss: float | None = None
    with tempfile.TemporaryDirectory(prefix="bench-updates-") as tmp_name:
        tmp = Path(tmp_name)
        print("(a) in-process NLU vs bare echo", flush=True)
        contenders = await in_process(plan, samples, tmp, profile=profile, diagnose=diagnose)
        if not skip_rasa:
            try:
                async with rasa_server(tmp) as server:
                    print(f"(b) real Rasa server vs raw /model/parse, {plan.concurrency} in flight", flush=True)
                    raw, rasa_bot = await with_rasa(plan, samples, server.url, tmp, profile=profile)
                    print("(c) peak RSS of a bot process alone, talking to this Rasa server", flush=True)
                    bot_rss = await child_peak_rss(server.url, quick=quick)
            except Exception as exc:  # a measurement says what went wrong and goes on
                print(f"(b) could not run: {type(exc).__name__}: {exc}")
        if bot_rss is None:
            print("(c) peak RSS of a bot process alone (no Rasa)", flush=True)
            bot_rss = await child_peak_rss(None, quick=quick)
    bench_rss = peak_rss_mb()  # before the extra matcher below
    matcher_ms = await local_matcher_cost(samples)
    report(plan, contenders, raw, rasa_bot, bot_rss, bench_rss, matcher_ms)
    if errors.count:
        print(f"errors logged during the whole run (warm-ups included): {errors.count}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and updates")
    parser.add_argument("--concurrency", type=int, help="requests in flight for (b) (default 16)")
    parser.add_argument("--profile", action="store_true", help="cProfile one extra bot round of each kind")
    parser.add_argument(
        "--diagnose", action="store_true", help="(a) also with returning users (no first-contact database write)"
    )
    parser.add_argument("--no-rasa", action="store_true", help="skip (b)")
    parser.add_argument("--rss-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    chosen = QUICK if args.quick else FULL
    if args.concurrency:
        chosen = Plan(chosen.rounds, chosen.in_process_updates, chosen.rasa_updates, chosen.warmup, args.concurrency)
    if args.rss_child:
        asyncio.run(rss_child(chosen, None if args.rss_child == "none" else args.rss_child))
    else:
        asyncio.run(
            main(chosen, profile=args.profile, skip_rasa=args.no_rasa, diagnose=args.diagnose, quick=args.quick)
        )
