"""The composition root: builds the services and the PTB Application, and registers every handler."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import warnings
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    MessageHandler,
    PersistenceInput,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest
from telegram.warnings import PTBUserWarning

from bot.broadcast import Broadcaster, alert_composer, broadcast_settings_from_env
from bot.checker import ClassifierChecker, ReportLookup, load_default_model
from bot.cli_intake import build_intake, intake_settings_from_env
from bot.errors import on_error
from bot.i18n import LANGUAGES, Translator
from bot.persistence import StorePersistence
from bot.sent_messages import SentMessageTap
from bot.settings import Settings
from bot.staff_roles import REFRESH_INTERVAL as STAFF_REFRESH_INTERVAL
from bot.staff_roles import StaffRoles
from bot.trend_events import TrendRecorder
from content.catalogue import ContentCatalogue
from handlers import alerts as staff_alerts
from handlers import check, discreet, job_offer, language, learn, quiz, report, staff, start, unsupported, urgent
from handlers import help as help_journey
from handlers import subscribe as subscribe_journey
from handlers.context import BotContext, BotData, Services
from handlers.language import UserLanguages
from intake import IntakeService
from nlu.client import RasaClient
from nlu.fallback import LocalIntentMatcher, MatcherInBackground
from nlu.service import IntentParser, NluService
from storage import Database, StateRepository, UserRepository
from storage.broadcasts import BroadcastRepository
from storage.events import EventStore
from storage.quiz import QuizResults
from storage.staff import StaffRepository
from storage.subscriptions import SubscriptionRepository

log = logging.getLogger(__name__)

# Our conversations mix typed messages and button taps, so they track per chat and user, not
# per message; PTB warns about that combination, which is what we want.
warnings.filterwarnings("ignore", message=r"If 'per_message=False'", category=PTBUserWarning)

#: Seconds between two looks for case status changes to tell reporters about.
NOTICE_INTERVAL = 3.0
#: Seconds between two writes of the trends' events (checks and questions answered).
EVENT_FLUSH_INTERVAL = 2.0
#: Seconds between two looks for discreet chats' messages that are due for deletion.
DISCREET_SWEEP_INTERVAL = 10.0
#: Seconds the background loops get to finish a pass when the bot stops (then they are cancelled).
SHUTDOWN_GRACE = 10.0

#: Commands shown in Telegram's menu, with their description key.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "cmd.start"),
    ("learn", "cmd.learn"),
    ("quiz", "cmd.quiz"),
    ("job", "cmd.job"),
    ("report", "cmd.report"),
    ("help", "cmd.help"),
    ("language", "cmd.language"),
    ("subscribe", "cmd.subscribe"),
    ("unsubscribe", "cmd.unsubscribe"),
)


@dataclass
class Runtime:
    """Resources the application owns; opened in `post_init`, closed in `post_shutdown`."""

    settings: Settings
    nlu_url: str | None
    rasa_parser: IntentParser | None = None
    db: Database | None = None
    closers: list = field(default_factory=list)


def register_handlers(app: Application) -> None:
    """Every handler, in the order that decides who answers first."""
    # Group -3: remembers the messages of chats in discreet mode (to delete them later).
    app.add_handlers(help_journey.tracking_handlers(), group=-3)
    # Group -2: someone asks for help: the first answer waits for nothing (not even the store).
    app.add_handlers(help_journey.first_handlers(), group=-2)
    # Group -1: picks the reply language for the update.
    app.add_handlers(language.pre_handlers(), group=-1)
    # Group 0: edits first (ignored on purpose: an edited "/help" must not answer twice), then
    # journeys, then free text (questions), then whatever nobody handled.
    app.add_handlers(
        [
            MessageHandler(filters.UpdateType.EDITED, unsupported.ignore),
            *start.handlers(),
            *language.handlers(),
            *help_journey.handlers(),
            *urgent.handlers(),
            # Before the check journey: evidence forwarded into a report, or a job offer pasted into
            # the job check, must not get a verdict card (offers nearly always carry a number or link).
            *report.handlers(),
            *job_offer.handlers(),
            *check.handlers(),
            *learn.handlers(),
            *quiz.handlers(),
            *staff.handlers(),
            *staff_alerts.handlers(),
            *subscribe_journey.handlers(),
            *learn.free_text_handlers(),
            *unsupported.handlers(),
        ]
    )
    # Group 1: quiet scam warnings in groups that asked for them; never blocks group 0.
    app.add_handlers(check.group_watch_handlers(), group=1)
    app.add_error_handler(on_error)


def migrate_database(url: str) -> None:
    """Brings the schema up to date before the Application loads persisted conversations.

    Runs on a worker thread with its own event loop and engine, so it works whether or not the
    caller is inside a running loop (the console and tests are; `run_polling` is not yet).
    """

    async def migrate() -> None:
        db = Database(url)
        try:
            await db.migrate()
        finally:
            await db.dispose()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, migrate()).result()


def report_lookup(intake: IntakeService) -> ReportLookup:
    """The check card's "N reports match": reports sharing an entity or near-identical text."""

    async def lookup(entities: dict[str, list[str]], text: str) -> int:
        return (await intake.similar_reports(entities, text=text)).report_count

    return lookup


def quiz_results(settings: Settings, db: Database) -> QuizResults:
    """The store of anonymous quiz results, counting days in `TRENDS_TIMEZONE` like the other trends."""
    zone = ZoneInfo(settings.trends_timezone)
    return QuizResults(db, today=lambda: datetime.now(zone).date())


def trend_recorder(settings: Settings, db: Database) -> TrendRecorder:
    """The recorder of anonymous check and question events, counting days in `TRENDS_TIMEZONE`."""
    zone = ZoneInfo(settings.trends_timezone)

    def today() -> date:
        return datetime.now(zone).date()

    return TrendRecorder(
        EventStore(db), today=today, question_retention=timedelta(days=settings.question_retention_days)
    )


def wire_broadcast(app: Application, runtime: Runtime, services: Services) -> Broadcaster | None:
    """Gives the handlers the subscriptions and alerts stores; returns the alert sender to run.

    No sender without a real token: the console and offline runs would "send" every alert into
    a terminal and mark each subscriber as reached.
    """
    assert runtime.db is not None
    services.subscriptions = SubscriptionRepository(runtime.db)
    services.alerts = BroadcastRepository(runtime.db)
    if runtime.settings.telegram_bot_token is None:
        return None
    # Fails fast with the variable's name when a BROADCAST_* setting is wrong.
    settings = broadcast_settings_from_env(os.environ)
    broadcaster = Broadcaster(app.bot, services.alerts, settings=settings, compose=alert_composer(services.t))
    services.wake_broadcast = broadcaster.wake
    return broadcaster


async def build_services(
    settings: Settings,
    db: Database,
    rasa: IntentParser | None,
    intake: IntakeService,
    *,
    events: TrendRecorder | None = None,
) -> Services:
    """Builds every service the handlers use."""
    # Both models load on worker threads: the bot answers at once, and only a message that
    # needs a model before it is ready waits for it.
    return Services(
        t=Translator.from_directory(),
        nlu=NluService(rasa, MatcherInBackground(LocalIntentMatcher.from_training_data)),
        content=ContentCatalogue(settings.content_dir),
        languages=UserLanguages(UserRepository(db)),
        checker=ClassifierChecker.loading(load_default_model, lookup=report_lookup(intake)),
        intake=intake,
        staff_ids=frozenset(settings.staff_ids),
        staff_roles=StaffRoles(StaffRepository(db), settings.staff_ids),
        events=events or trend_recorder(settings, db),
    )


def build_application(
    settings: Settings,
    *,
    nlu_url: str | None,
    request: BaseRequest | None = None,
    rasa: IntentParser | None = None,
    rate_limit: bool = True,
    persistence: bool = True,
) -> Application:
    """Builds the Application; services are wired in `post_init` and closed in `post_shutdown`.

    Args:
        settings: validated settings.
        nlu_url: the Rasa server to use, or None for the local matcher only.
        request: a custom Bot API request (the console's and the tests' offline request).
        rasa: an intent parser to use instead of an HTTP client to `nlu_url` (benchmarks).
        rate_limit: use PTB's AIORateLimiter (off for offline use, where nothing is sent).
        persistence: keep conversations and user data in the database across restarts.
    """
    migrate_database(settings.effective_database_url)
    db = Database(settings.effective_database_url)
    runtime = Runtime(settings=settings, nlu_url=nlu_url, rasa_parser=rasa, db=db)
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else "0:offline"
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(str(settings.telegram_api_base_url))
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .concurrent_updates(True)
        .post_init(_post_init(runtime))
        .post_shutdown(_post_shutdown(runtime))
    )
    # Every message sent goes through the tap, so discreet mode can delete any journey's answers.
    tap = SentMessageTap(request if request is not None else HTTPXRequest(connection_pool_size=256))
    builder = builder.request(tap)
    if request is not None:
        builder = builder.get_updates_request(request)
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    if persistence:
        builder = builder.persistence(
            StorePersistence(StateRepository(db), store_data=PersistenceInput(bot_data=False))
        )
    app = builder.build()
    tap.watches = lambda chat_id: discreet.is_on(app.chat_data.get(chat_id))
    tap.on_sent = lambda chat_id, message_id: discreet.note_sent(app.chat_data.get(chat_id), chat_id, message_id)
    register_handlers(app)
    return app


def _post_init(runtime: Runtime):
    async def post_init(app: Application) -> None:
        assert runtime.db is not None
        rasa = runtime.rasa_parser
        if rasa is None and runtime.nlu_url:
            client = RasaClient(runtime.nlu_url, timeout=runtime.settings.nlu_timeout)
            runtime.closers.append(client.aclose)
            rasa = client
        # Fails fast with the variable's name when an INTAKE_* setting is wrong.
        intake_settings = intake_settings_from_env(os.environ, data_dir=runtime.settings.data_dir)
        intake, dispatcher = build_intake(runtime.db, intake_settings)
        events = trend_recorder(runtime.settings, runtime.db)
        services = await build_services(runtime.settings, runtime.db, rasa, intake, events=events)
        app.bot_data.services = services
        services.quiz_results = quiz_results(runtime.settings, runtime.db)
        staff_roles = services.staff_roles
        assert isinstance(staff_roles, StaffRoles)
        broadcaster = wire_broadcast(app, runtime, services)
        runtime.closers.append(services.languages.close)  # users seen but not yet written
        await set_commands(app)
        # For the bot's lifetime: deliver stored cases to the sinks, and tell reporters when an
        # analyst changes their case's status.
        stop = asyncio.Event()
        tasks = [
            asyncio.create_task(dispatcher.run_forever(stop=stop), name="intake-dispatcher"),
            asyncio.create_task(
                run_every(NOTICE_INTERVAL, stop, lambda: report.push_status_notices(app.bot, services)),
                name="status-notices",
            ),
            asyncio.create_task(
                run_every(DISCREET_SWEEP_INTERVAL, stop, lambda: discreet.sweep(app)), name="discreet-sweep"
            ),
            asyncio.create_task(run_every(EVENT_FLUSH_INTERVAL, stop, events.flush), name="trend-events"),
            asyncio.create_task(run_every(STAFF_REFRESH_INTERVAL, stop, staff_roles.refresh), name="staff-roles"),
        ]
        # Not among `tasks`: stopping must not wait for the models to finish loading.
        freezer = asyncio.create_task(freeze_start_up_objects(services), name="gc-freeze")
        if broadcaster is not None:  # alerts to subscribers, paced and resumable
            tasks.append(asyncio.create_task(broadcaster.run_forever(stop), name="broadcast"))

        async def stop_background() -> None:
            freezer.cancel()
            stop.set()
            _, pending = await asyncio.wait(tasks, timeout=SHUTDOWN_GRACE)
            for task in pending:  # a delivery cut short is sent again later: its lease expires
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await dispatcher.close()
            await events.flush()  # what was noted since the last pass
            gc.unfreeze()  # a process that builds another bot (tests, the console) collects this one

        runtime.closers.append(stop_background)

    return post_init


async def freeze_start_up_objects(services: Services) -> None:
    """Once the models have loaded, hides what start-up built from the garbage collector.

    Start-up leaves a few hundred thousand objects that live as long as the bot (models,
    content, handlers). Every full collection walked all of them: about 90 µs per update
    under load (measured with bench/updates.py); frozen, they are never walked again.
    """
    checker = services.checker
    try:
        await services.nlu.wait_until_ready()
        if isinstance(checker, ClassifierChecker):
            await checker.loaded()
    except Exception:  # noqa: BLE001 - the NLU reports its own failure; nothing is frozen then
        log.warning("models did not load; start-up objects stay with the garbage collector")
        return
    gc.collect()
    gc.freeze()
    log.debug("start-up objects frozen: %d", gc.get_freeze_count())


async def run_every(interval: float, stop: asyncio.Event, work: Callable[[], Awaitable[object]]) -> None:
    """Runs `work` every `interval` seconds until `stop` is set; a failed pass is logged, never fatal."""
    while not stop.is_set():
        try:
            await work()
        except Exception:  # noqa: BLE001 - the next pass may succeed (database or network hiccup)
            log.exception("background pass failed; trying again in %.0f s", interval)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)


def _post_shutdown(runtime: Runtime):
    async def post_shutdown(app: Application) -> None:
        for close in runtime.closers:
            await close()
        if runtime.db is not None:
            await runtime.db.dispose()

    return post_shutdown


async def set_commands(app: Application) -> None:
    """Sets the command menu in each language (Telegram shows the user's own)."""
    services = app.bot_data.services
    if services is None:
        return
    try:
        for lang in LANGUAGES:
            commands = [BotCommand(name, services.t(lang, key)) for name, key in COMMANDS]
            await app.bot.set_my_commands(commands, language_code=lang)
        await app.bot.set_my_commands([BotCommand(name, services.t("en", key)) for name, key in COMMANDS])
    except TelegramError as exc:  # the bot still works without a command menu
        log.warning("could not set the command menu: %s", exc)


ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]


class running_application:  # noqa: N801 - used as `async with running_application(app)`
    """Initialises and starts an Application like `run_polling` does, without polling.

    The console, the tests and the benchmarks feed it updates with `process_update`.
    """

    def __init__(self, app: Application) -> None:
        self.app = app

    async def __aenter__(self) -> Application:
        await self.app.initialize()
        if self.app.post_init:
            await self.app.post_init(self.app)
        await self.app.start()
        return self.app

    async def __aexit__(self, *exc: object) -> None:
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()
        if self.app.post_shutdown:
            await self.app.post_shutdown(self.app)
