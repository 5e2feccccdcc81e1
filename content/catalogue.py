"""The content catalogue the bot reads: scam types, articles, official contacts, the
texts of the check card (signals, verdicts) and of the job-offer check, and quizzes.

Staff edit the YAML files while the bot runs. `ContentCatalogue.refresh` notices changes
with a cheap stat walk and reloads; a broken edit is rejected as a whole and the last good
content stays live, so the public never sees half-edited or invalid content. Only
confirmed contacts ever reach the public.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from content.loader import (
    CONTACTS_FILE,
    JOB_CHECK_FILE,
    QUIZZES_FILE,
    ContentTree,
    Problem,
    load_tree,
    watched_files,
)
from content.quiz import QUIZ_KEY, Quiz
from content.schema import (
    ARTICLE_KEYS,
    FALLBACK_LANGUAGE,
    JOB_CHECK_KEYS,
    JOB_FLAG_IDS,
    JOB_QUESTIONS,
    LANGUAGES,
    RISK_LEVELS,
    SCAM_TYPE_KEYS,
    SIGNAL_IDS,
    VERDICT_KEYS,
    Article,
    Contact,
    ContactText,
    JobCheck,
    JobQuestion,
    ScamType,
    SignalText,
    VerdictText,
    job_check_paths,
)

log = logging.getLogger(__name__)

DEFAULT_ROOT = Path(__file__).resolve().parent
"""The content shipped with the project (this package's folder)."""

ALERT_QUIZ_DAYS = 30
"""For this many days after its alert's date, a quiz counts as new (`ContentCatalogue.alert_quiz`)."""


class ContentError(Exception):
    """The content could not be loaded; ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"content is invalid: {shown}{more}")


@dataclass(frozen=True)
class PublicContact:
    """A confirmed official contact, ready to show to the public in one language.

    Attributes:
        id: Stable id from ``contacts.yml``.
        name: Name in the requested language.
        description: What to contact it for, in the requested language.
        phone: Number to call, e.g. ``"+82-2-3210-0404"`` or ``"117"``; None if none.
        url: An https link, or None.
        telegram: A Telegram number or @handle, or None.
        hours: e.g. ``"24/7"``, or None when unknown.
        source_date: Date of the newest source; always shown with the contact.
        country: ``"KH"`` or ``"KR"``.
    """

    id: str
    name: str
    description: str
    phone: str | None
    url: str | None
    telegram: str | None
    hours: str | None
    source_date: date
    country: str

    @classmethod
    def of(
        cls, contact_id: str, text: ContactText, facts: Contact, *, source_date: date | None = None
    ) -> PublicContact:
        """One language's text with the shared facts; `source_date` overrides the facts' date."""
        return cls(
            id=contact_id,
            name=text.name,
            description=text.description,
            phone=facts.phone,
            url=facts.url,
            telegram=facts.telegram,
            hours=facts.hours,
            source_date=source_date if source_date is not None else facts.source_date,
            country=facts.country,
        )


@dataclass
class _Snapshot:
    tree: ContentTree
    warned: set[tuple[str, str, str]] = field(default_factory=set)
    job_checks: dict[str, JobCheck] = field(default_factory=dict)
    """Merged job checks per language, built on first use."""


Signature = tuple[tuple[int, int, int] | None, ...]


class ContentCatalogue:
    """Validated content in km, ko and en, reloaded when staff change the files.

    Example:
        >>> catalogue = ContentCatalogue(Path("content"))
        >>> catalogue.refresh()  # call before answering; cheap, rate-limited
        >>> catalogue.scam_type("ko", "romance").title
    """

    def __init__(
        self,
        root: Path = DEFAULT_ROOT,
        languages: Iterable[str] = LANGUAGES,
        *,
        refresh_interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Load the content once.

        Args:
            root: Folder holding ``contacts.yml`` and one folder per language.
            languages: Languages the catalogue serves; English is always loaded as
                the fallback.
            refresh_interval: Minimum seconds between two stat walks in `refresh`.
            clock: Monotonic clock in seconds (injected by tests).

        Raises:
            ContentError: if the content is invalid or English is incomplete.
            ValueError: if ``refresh_interval`` is negative.
        """
        if refresh_interval < 0:
            raise ValueError(f"refresh_interval must be >= 0, got {refresh_interval!r}")
        self._root = Path(root)
        self._languages = tuple(dict.fromkeys(languages))
        self._loaded = tuple(dict.fromkeys((*self._languages, FALLBACK_LANGUAGE)))
        self._interval = refresh_interval
        self._clock = clock
        self._last_error: str | None = None
        self._signature = self._stat()
        self._snapshot = self._build()
        self._checked_at = clock()

    # ------------------------------------------------------------------ reload

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this catalogue serves."""
        return self._languages

    @property
    def last_error(self) -> str | None:
        """Why the last reload was rejected, or None if the live content is current."""
        return self._last_error

    def refresh(self, *, force: bool = False) -> bool:
        """Reload the content if any file changed since the last look.

        Does nothing (not even a stat) if called again within ``refresh_interval``
        seconds, unless ``force`` is set. If the changed content is invalid, the last
        good content stays live and `last_error` says what is wrong.

        Args:
            force: Look now, ignoring the interval.

        Returns:
            True if new content was loaded and is now live.
        """
        now = self._clock()
        if not force and now - self._checked_at < self._interval:
            return False
        self._checked_at = now
        signature = self._stat()
        if signature == self._signature:
            return False
        # Remember the signature even if the load fails, so a broken file is parsed
        # once, not on every call; the next edit changes the signature again.
        self._signature = signature
        try:
            snapshot = self._build()
        except ContentError as exc:
            self._last_error = str(exc)
            log.error("content reload rejected, keeping the last good content: %s", exc)
            return False
        self._snapshot = snapshot
        self._last_error = None
        log.info("content reloaded from %s", self._root)
        return True

    def _stat(self) -> Signature:
        signature: list[tuple[int, int, int] | None] = []
        for path in watched_files(self._root, self._loaded):
            try:
                st = os.stat(path)
            except OSError:
                signature.append(None)
            else:
                signature.append((st.st_mtime_ns, st.st_size, st.st_ino))
        return tuple(signature)

    def _build(self) -> _Snapshot:
        tree, problems = load_tree(self._root, self._loaded)
        errors = [p for p in problems if p.level == "error"]
        errors.extend(_fallback_gaps(tree))
        if errors:
            raise ContentError(errors)
        return _Snapshot(tree)

    # ------------------------------------------------------------------ lookups

    def scam_type(self, lang: str, key: str) -> ScamType:
        """One scam type in ``lang`` (English if that language lacks it).

        Args:
            lang: "km", "ko" or "en".
            key: One of `content.schema.SCAM_TYPE_KEYS`, e.g. "job_offer".

        Raises:
            ValueError: if ``lang`` is not served.
            KeyError: if ``key`` is not a scam type.
        """
        return self._pick(lang, "scam_types", key)  # type: ignore[return-value]

    def scam_types(self, lang: str) -> list[tuple[str, ScamType]]:
        """All ten scam types in ``lang``, in the schema's order, as (key, scam type)."""
        return [(key, self.scam_type(lang, key)) for key in SCAM_TYPE_KEYS]

    def article(self, lang: str, key: str) -> Article:
        """One article in ``lang`` (English if that language lacks it).

        Args:
            lang: "km", "ko" or "en".
            key: One of `content.schema.ARTICLE_KEYS`, e.g. "how_to_report".

        Raises:
            ValueError: if ``lang`` is not served.
            KeyError: if ``key`` is not an article.
        """
        return self._pick(lang, "articles", key)  # type: ignore[return-value]

    def articles(self, lang: str) -> list[tuple[str, Article]]:
        """All six articles in ``lang``, in the schema's order, as (key, article)."""
        return [(key, self.article(lang, key)) for key in ARTICLE_KEYS]

    def public_contacts(
        self,
        lang: str,
        *,
        topics: set[str] | None = None,
        korean_national: bool = False,
        reachable_from: str | None = None,
    ) -> list[PublicContact]:
        """Confirmed official contacts for the public, in ``lang``.

        Contacts marked ``to_verify`` are never returned. Order is the order of
        ``contacts.yml``, except that contacts for Korean nationals come first when
        ``korean_national`` is True and last otherwise.

        Args:
            lang: "km", "ko" or "en".
            topics: Keep contacts having at least one of these topics (e.g.
                ``{"urgent"}``); None keeps all.
            korean_national: The user is a Korean national (e.g. chose Korean).
            reachable_from: Keep only contacts that work from this country (``"KH"``):
                see `works_from`. None keeps all.

        Raises:
            ValueError: if ``lang`` is not served.
        """
        self._check_lang(lang)
        chosen: list[PublicContact] = []
        for contact_id, facts in self._snapshot.tree.contacts.items():
            if facts.status != "confirmed" or facts.source_date is None:
                continue
            if topics is not None and not topics.intersection(facts.topics):
                continue
            if reachable_from is not None and not works_from(facts, reachable_from):
                continue
            text = self._pick(lang, "contacts", contact_id)
            assert isinstance(text, ContactText)
            chosen.append(PublicContact.of(contact_id, text, facts))
        korean = {cid for cid, c in self._snapshot.tree.contacts.items() if c.for_korean_nationals}
        # sorted() is stable, so file order holds inside each group.
        return sorted(chosen, key=lambda c: (c.id in korean) != korean_national)

    def contact_text(self, lang: str, contact_id: str) -> ContactText:
        """Name and description of any contact in ``lang`` (for staff previews).

        Raises:
            ValueError: if ``lang`` is not served.
            KeyError: if there is no such contact.
        """
        return self._pick(lang, "contacts", contact_id)  # type: ignore[return-value]

    def all_contacts(self) -> dict[str, Contact]:
        """Every contact's facts, including ``to_verify`` ones, in file order.

        For staff tools only: never show these to the public; use `public_contacts`.
        """
        return dict(self._snapshot.tree.contacts)

    def signal(self, lang: str, signal_id: str) -> SignalText:
        """How a red-flag signal is explained, in ``lang`` (English if that language lacks it).

        Args:
            lang: "km", "ko" or "en".
            signal_id: One of `content.schema.SIGNAL_IDS`, e.g. "asks_for_code".

        Raises:
            ValueError: if ``lang`` is not served.
            KeyError: if ``signal_id`` has no text.
        """
        return self._pick(lang, "signals", signal_id)  # type: ignore[return-value]

    def verdict(self, lang: str, key: str) -> VerdictText:
        """Title and advice for a verdict of the check card, in ``lang``.

        Args:
            lang: "km", "ko" or "en".
            key: One of `content.schema.VERDICT_KEYS`: "scam", "suspicious" or "no_signs".

        Raises:
            ValueError: if ``lang`` is not served.
            KeyError: if ``key`` is not a verdict.
        """
        return self._pick(lang, "verdicts", key)  # type: ignore[return-value]

    def job_check(self, lang: str) -> JobCheck:
        """The texts of the guided job-offer check, complete, in ``lang``.

        Every question, option, flag and risk level of the schema is present, in the
        schema's order (`JOB_QUESTIONS`, `JOB_FLAG_IDS`, `RISK_LEVELS`); anything the
        language lacks is taken from English, item by item. Ids a file has beyond the
        schema are left out. Treat the result as read-only: it is shared.

        Args:
            lang: "km", "ko" or "en".

        Raises:
            ValueError: if ``lang`` is not served.
        """
        self._check_lang(lang)
        snapshot = self._snapshot
        merged = snapshot.job_checks.get(lang)
        if merged is None:
            english = snapshot.tree.languages[FALLBACK_LANGUAGE].job_check
            assert english is not None  # a snapshot without it is never built
            merged, gaps = _merge_job_check(snapshot.tree.languages[lang].job_check, english)
            if gaps:
                log.warning("content %s/%s lacks %s; showing English", lang, JOB_CHECK_FILE, ", ".join(gaps))
            snapshot.job_checks[lang] = merged
        return merged

    def quizzes(self, lang: str) -> list[tuple[str, Quiz]]:
        """Every quiz in ``lang``, in the order of the English file, as (key, quiz).

        English decides which quizzes exist; a quiz the language lacks, or has in another
        shape (see `content.quiz.Quiz.shape`), is shown in English.

        Raises:
            ValueError: if ``lang`` is not served.
        """
        return [(key, self.quiz(lang, key)) for key in self._quiz_keys()]

    def quiz(self, lang: str, key: str) -> Quiz:
        """One quiz in ``lang``, or in English when that language lacks it or has it in
        another shape (so question and option positions mean the same in every language).

        Raises:
            ValueError: if ``lang`` is not served.
            KeyError: if there is no such quiz.
        """
        self._check_lang(lang)
        snapshot = self._snapshot
        english = snapshot.tree.languages[FALLBACK_LANGUAGE].quizzes.get(key)
        if english is None or not QUIZ_KEY.match(key):
            raise KeyError(f"no quiz {key!r}")
        own = snapshot.tree.languages[lang].quizzes.get(key)
        if own is not None and own.shape() == english.shape():
            return own
        if lang != FALLBACK_LANGUAGE and (lang, "quizzes", key) not in snapshot.warned:
            snapshot.warned.add((lang, "quizzes", key))
            why = "lacks" if own is None else "has another shape of"
            log.warning("content %s/%s %s %r; showing English", lang, QUIZZES_FILE, why, key)
        return english

    def quiz_for_scam_type(self, scam_type: str) -> str | None:
        """The key of the first quiz about ``scam_type`` that does not follow an alert, if any."""
        english = self._snapshot.tree.languages[FALLBACK_LANGUAGE].quizzes
        return next(
            (key for key in self._quiz_keys() if english[key].scam_type == scam_type and english[key].alert is None),
            None,
        )

    def alert_quiz(self, today: date, *, topic: str | None = None, max_age_days: int = ALERT_QUIZ_DAYS) -> str | None:
        """The key of the newest quiz that follows an alert published in the last ``max_age_days``.

        Args:
            today: The current date (alerts dated later are not out yet).
            topic: Only quizzes whose alert has this topic (e.g. the topic of the alert
                just sent); None takes any.
            max_age_days: How old the alert may be.

        Returns:
            The key, or None when no quiz follows a recent alert.
        """
        english = self._snapshot.tree.languages[FALLBACK_LANGUAGE].quizzes
        oldest = today - timedelta(days=max_age_days)
        recent = [
            (alert.date, key)
            for key in self._quiz_keys()
            if (alert := english[key].alert) is not None
            and (topic is None or alert.topic == topic)
            and oldest <= alert.date <= today
        ]
        # max() keeps the first of equal dates, so file order breaks ties.
        return max(recent, key=lambda found: found[0])[1] if recent else None

    def _quiz_keys(self) -> list[str]:
        english = self._snapshot.tree.languages[FALLBACK_LANGUAGE].quizzes
        return [key for key in english if QUIZ_KEY.match(key)]

    # ------------------------------------------------------------------ helpers

    def _check_lang(self, lang: str) -> None:
        if lang not in self._languages:
            raise ValueError(f"unknown language {lang!r}; expected one of {self._languages}")

    def _pick(self, lang: str, kind: str, key: str) -> ScamType | Article | ContactText | SignalText | VerdictText:
        self._check_lang(lang)
        snapshot = self._snapshot
        found = getattr(snapshot.tree.languages[lang], kind).get(key)
        if found is not None:
            return found
        fallback = getattr(snapshot.tree.languages[FALLBACK_LANGUAGE], kind).get(key)
        if fallback is None:
            raise KeyError(f"no {kind} entry {key!r}")
        if (lang, kind, key) not in snapshot.warned:
            snapshot.warned.add((lang, kind, key))
            log.warning("content %s/%s lacks %r; showing English", lang, kind, key)
        return fallback


def works_from(contact: Contact, country: str) -> bool:
    """Whether someone in ``country`` can use a contact.

    A contact of that country always works. Another country's contact works only through
    an international number (``+82-2-3210-0404``) or without a number (an app, a chat, a
    website): its short or national numbers (Korea's police 112) cannot be dialled from abroad.
    """
    if contact.country == country:
        return True
    return contact.phone is None or contact.phone.startswith("+")


def _fallback_gaps(tree: ContentTree) -> list[Problem]:
    """What English lacks: the fallback must be complete for the bot to answer at all."""
    english = tree.languages[FALLBACK_LANGUAGE]
    gaps: list[Problem] = []
    if CONTACTS_FILE not in tree.keys:
        gaps.append(Problem(CONTACTS_FILE, "", "the file is missing or unreadable"))
    job_rel = f"{FALLBACK_LANGUAGE}/{JOB_CHECK_FILE}"
    if job_rel not in tree.keys:
        gaps.append(Problem(job_rel, "", "the file is missing or unreadable"))
    job_paths = job_check_paths(english.job_check.model_dump()) if english.job_check else JOB_CHECK_KEYS
    wanted = (
        ("scam_types.yml", SCAM_TYPE_KEYS, english.scam_types),
        ("articles.yml", ARTICLE_KEYS, english.articles),
        ("contacts.yml", tuple(tree.contacts), english.contacts),
        ("signals.yml", SIGNAL_IDS, english.signals),
        ("verdicts.yml", VERDICT_KEYS, english.verdicts),
        (JOB_CHECK_FILE, JOB_CHECK_KEYS, job_paths),
    )
    for name, keys, present in wanted:
        for key in keys:
            if key not in present:
                gaps.append(Problem(f"{FALLBACK_LANGUAGE}/{name}", key, "missing in English"))
    return gaps


def _merge_job_check(own: JobCheck | None, english: JobCheck) -> tuple[JobCheck, list[str]]:
    """``own`` completed from a complete ``english``, in schema order; and what was missing."""
    base = own if own is not None else english
    gaps: list[str] = [] if own is not None else ["the whole file"]

    def pick(mapping: dict[str, Any], fallback: dict[str, Any], key: str, path: str) -> Any:
        if key in mapping:
            return mapping[key]
        gaps.append(path)
        return fallback[key]

    questions: dict[str, JobQuestion] = {}
    for qid, option_ids in JOB_QUESTIONS.items():
        theirs = english.questions[qid]
        mine = pick(base.questions, english.questions, qid, f"questions.{qid}")
        labels = {oid: pick(mine.options, theirs.options, oid, f"questions.{qid}.options.{oid}") for oid in option_ids}
        questions[qid] = JobQuestion(question=mine.question, options=labels)
    merged = JobCheck(
        intro=base.intro,
        paste_offer=base.paste_offer,
        skip=base.skip,
        questions=questions,
        flags={fid: pick(base.flags, english.flags, fid, f"flags.{fid}") for fid in JOB_FLAG_IDS},
        risk={level: pick(base.risk, english.risk, level, f"risk.{level}") for level in RISK_LEVELS},
    )
    return merged, gaps
