"""The typed context every handler receives: services wired by `bot/` in `post_init`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from telegram.ext import CallbackContext, ExtBot

if TYPE_CHECKING:
    from classifier import CheckResult
    from content.catalogue import ContentCatalogue
    from handlers.language import UserLanguages
    from intake import IntakeService
    from nlu.service import NluService
    from nlu.types import NluResult
    from storage.broadcasts import BroadcastRepository
    from storage.quiz import QuizResults
    from storage.subscriptions import SubscriptionRepository


class Translate(Protocol):
    """Looks up a UI string: `t(lang, "menu.learn", name="Sok")`."""

    def __call__(self, lang: str, key: str, /, **params: object) -> str: ...


class Checker(Protocol):
    """Checks a forwarded or pasted message (the classifier, plus what was reported before)."""

    async def check(self, text: str) -> CheckResult: ...


class StaffRoles(Protocol):
    """The staff role of a Telegram user ("admin", "editor", "analyst"), or None."""

    def role_of(self, user_id: int) -> str | None: ...


class TrendEvents(Protocol):
    """Notes anonymous events for the staff's trends page; returns at once and never raises."""

    def check_answered(self, lang: str, result: CheckResult) -> None: ...

    def question_answered(self, lang: str, text: str, result: NluResult) -> None: ...


class NoTrendEvents:
    """Records nothing (the default when no recorder is wired)."""

    def check_answered(self, lang: str, result: CheckResult) -> None:
        """Ignores the check."""

    def question_answered(self, lang: str, text: str, result: NluResult) -> None:
        """Ignores the question."""


@dataclass
class Services:
    """Everything the handlers call. Built only by `bot/`."""

    t: Translate
    nlu: NluService
    content: ContentCatalogue
    languages: UserLanguages
    checker: Checker
    intake: IntakeService
    staff_ids: frozenset[int] = frozenset()
    # Roles of staff accounts linked to a Telegram id (the web console's accounts).
    staff_roles: StaffRoles | None = None
    events: TrendEvents = field(default_factory=NoTrendEvents)
    # Alerts: who subscribed, the alerts store, and a nudge that makes the sender look now.
    subscriptions: SubscriptionRepository | None = None
    alerts: BroadcastRepository | None = None
    wake_broadcast: Callable[[], None] = field(default=lambda: None)
    #: Anonymous quiz results for the trends page (None: not recorded).
    quiz_results: QuizResults | None = None


class BotData:
    """Typed `bot_data`; holds the services (never persisted)."""

    def __init__(self) -> None:
        self.services: Services | None = None


class BotContext(CallbackContext[ExtBot[None], dict, dict, BotData]):
    """Callback context with the services and the language chosen for this update."""

    lang: str = "en"
    #: The language this update's urgent help message went out in (None: not sent yet); the
    #: first answer to a call for help is sent before the language look-up (`handlers.help`).
    urgent_lang: str | None = None

    @property
    def services(self) -> Services:
        """The wired services; a clear error if the application was not built by `bot/`."""
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are not wired; build the application with bot.app.build_application")
        return services
