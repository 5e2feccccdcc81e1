"""Quizzes: a whole quiz in each language, results kept for the trends, a restart in the middle, and
old, repeated or forged buttons that never count twice nor crash."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest

from bot.i18n import Translator
from bot.settings import Settings, load_settings
from content.catalogue import DEFAULT_ROOT, ContentCatalogue
from storage import Database
from storage.quiz import QuizStats, quiz_stats
from tests.bot.support import Chat, Replies, RunningBot, running_bot, script

T = Translator.from_directory()


def plain(text: str) -> str:
    """What the user reads: Telegram HTML without tags."""
    for tag in ("<b>", "</b>", "<i>", "</i>"):
        text = text.replace(tag, "")
    return unescape(text)


def answer_buttons(replies: Replies) -> list[str]:
    """The option buttons of the question in these replies."""
    return [data for data in replies.callback_data if data.startswith("quiz:a:")]


def toast(replies: Replies) -> str | None:
    """The short notice shown on the tapped button, if any."""
    answers = [c for c in replies.calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 1, [c.method for c in replies.calls]
    return answers[0].params.get("text")


async def stats_of(settings: Settings) -> list[QuizStats]:
    db = Database(settings.effective_database_url)
    try:
        return await quiz_stats(db, since=date.today() - timedelta(days=2))
    finally:
        await db.dispose()


async def take_quiz(chat: Chat, key: str, picks: list[int]) -> list[Replies]:
    """Starts quiz ``key`` and taps the option at each position of ``picks``; returns every reply."""
    replies = [await chat.tap(f"quiz:start:{key}")]
    for pick in picks:
        replies.append(await chat.tap(answer_buttons(replies[-1])[pick]))
    return replies


@pytest.mark.parametrize("lang", ["km", "ko", "en"])
async def test_a_whole_quiz_in_the_users_language(
    bot_app: RunningBot, content: ContentCatalogue, settings: Settings, lang: str
) -> None:
    quiz = content.quiz(lang, "phishing")
    right = [q.answer for q in quiz.questions]
    picks = [(right[0] + 1) % len(quiz.questions[0].options), *right[1:]]  # the first one wrong
    chat = bot_app.chat(language_code=lang)

    listing = await chat.say("/quiz")
    first = await chat.tap("quiz:start:phishing")

    assert "quiz:start:phishing" in listing.callback_data and "menu:main" in listing.callback_data
    assert script(listing.last.text) == lang
    first_text = plain(first.last.text)
    assert quiz.title in first_text and quiz.questions[0].question in first_text
    assert all(option.text in first_text for option in quiz.questions[0].options)
    assert script(first_text) == lang
    assert len(answer_buttons(first)) == len(quiz.questions[0].options)
    assert "quiz:stop" in first.callback_data

    replies = [first]
    for pick in picks:
        replies.append(await chat.tap(answer_buttons(replies[-1])[pick]))

    wrong = plain(replies[1].messages[0].text)
    assert T(lang, "quiz.wrong", letter=T(lang, "quiz.letters").split()[right[0]], answer="") in wrong
    assert quiz.questions[0].options[right[0]].text in wrong
    assert quiz.questions[0].explanation in wrong
    assert quiz.questions[1].question in plain(replies[1].last.text)  # the next question follows
    for number, reply in enumerate(replies[2:], start=1):
        assert T(lang, "quiz.right") in plain(reply.messages[0].text)
        assert quiz.questions[number].explanation in plain(reply.messages[0].text)
        assert [c.method for c in reply.calls][:2] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    total = len(quiz.questions)
    end = replies[-1].last
    assert T(lang, "quiz.score", score=total - 1, total=total) in plain(end.text)
    assert T(lang, "quiz.score_most") in plain(end.text)
    assert [data for _, data in end.buttons] == ["learn:type:phishing", "quiz:start:phishing", "quiz:menu", "menu:main"]
    assert content.scam_type(lang, "phishing").title in end.buttons[0][0]
    bot_app.assert_no_crash([listing, *replies])

    (stats,) = await stats_of(settings)
    assert (stats.quiz, stats.language, stats.started, stats.finished) == ("phishing", lang, 1, 1)
    assert stats.average_score == pytest.approx((total - 1) / total)
    assert [(q.answered, q.correct) for q in stats.questions] == [(1, 0)] + [(1, 1)] * (total - 1)


async def test_a_quiz_goes_on_after_a_restart(
    settings: Settings, trained_models: None, content: ContentCatalogue
) -> None:
    quiz = content.quiz("ko", "loan")
    right = [q.answer for q in quiz.questions]
    async with running_bot(settings) as first_run:
        chat = first_run.chat(language_code="ko", user_id=77)
        started = await chat.tap("quiz:start:loan")
        second = await chat.tap(answer_buttons(started)[right[0]])
    async with running_bot(settings) as second_run:
        chat = second_run.chat(language_code="ko", user_id=77)
        third = await chat.tap(answer_buttons(second)[right[1]])  # the button sent before the restart
        again = await chat.tap(answer_buttons(second)[right[1]])
        replies = [third]
        for pick in right[2:]:
            replies.append(await chat.tap(answer_buttons(replies[-1])[pick]))
        second_run.assert_no_crash([third, again, *replies])

    assert quiz.questions[2].question in plain(third.last.text)
    assert toast(again) == T("ko", "quiz.already") and len(again) == 0
    assert T("ko", "quiz.score", score=len(right), total=len(right)) in plain(replies[-1].last.text)
    (stats,) = await stats_of(settings)
    assert (stats.started, stats.finished, stats.average_score) == (1, 1, pytest.approx(1.0))
    assert [q.answered for q in stats.questions] == [1] * len(right)


async def test_double_taps_and_old_quizzes_count_once(bot_app: RunningBot, settings: Settings) -> None:
    chat = bot_app.chat(language_code="en", user_id=5)
    first = await chat.tap("quiz:start:romance")
    answered = await chat.tap(answer_buttons(first)[0])
    double = await chat.tap(answer_buttons(first)[1])  # the same question once more
    restarted = await chat.tap("quiz:start:romance")
    old = await chat.tap(answer_buttons(answered)[0])  # a button of the abandoned attempt

    assert toast(double) == T("en", "quiz.already") and len(double) == 0
    assert toast(old) == T("en", "quiz.stale") and len(old) == 0
    assert answer_buttons(restarted) != answer_buttons(first)  # a new attempt id
    bot_app.assert_no_crash([first, answered, double, restarted, old])
    (stats,) = await stats_of(settings)
    assert (stats.started, stats.finished) == (2, 0)
    assert [q.answered for q in stats.questions] == [1]


async def test_forged_and_malformed_buttons_get_a_notice_and_count_for_nothing(
    bot_app: RunningBot, settings: Settings
) -> None:
    chat = bot_app.chat(language_code="km", user_id=6)
    never_started = await chat.tap("quiz:a:0badc0de:0:0")
    started = await chat.tap("quiz:start:parcel")
    attempt = answer_buttons(started)[0].split(":")[2]
    forged = [
        f"quiz:a:{attempt}:0:9",  # no such option
        f"quiz:a:{attempt}:4:0",  # a question not asked yet
        f"quiz:a:{attempt}:99:99",
        f"quiz:a:{attempt}:-1:0",
        f"quiz:a:{attempt.upper()}:0:0",
        "quiz:a:0badc0de:0:0",  # someone else's attempt
        "quiz:a:",
        "quiz:",
        "quiz:start",
        "quiz:" + "x" * 59,
    ]
    notices = [await chat.tap(data) for data in forged]
    real = await chat.tap(answer_buttons(started)[1])

    for data, reply in zip(forged, notices, strict=True):
        assert toast(reply) == T("km", "quiz.stale"), data
        assert len(reply) == 0, data
    assert toast(never_started) == T("km", "quiz.stale")
    assert T("km", "quiz.heading", title="", number=2, total=3).split("·")[1].strip() in plain(real.last.text)
    bot_app.assert_no_crash([never_started, started, *notices, real])
    (stats,) = await stats_of(settings)
    assert [q.answered for q in stats.questions] == [1]


@pytest.mark.parametrize("data", ["quiz:start:no_such_quiz", "quiz:start:../../etc/passwd", "quiz:start:" + "a" * 53])
async def test_an_unknown_quiz_shows_the_list(bot_app: RunningBot, data: str) -> None:
    replies = await bot_app.chat(language_code="en").tap(data)

    assert T("en", "quiz.gone") in replies.last.text
    assert "quiz:start:phishing" in replies.callback_data
    bot_app.assert_no_crash([replies])


async def test_the_scam_type_page_offers_its_quiz(bot_app: RunningBot, content: ContentCatalogue) -> None:
    chat = bot_app.chat(language_code="ko")
    page = await chat.tap("learn:type:romance")
    quiz = await chat.tap("quiz:start:romance")
    by_command = await chat.say("/quiz romance")

    assert page.buttons[0] == (T("ko", "quiz.test_yourself"), "quiz:start:romance")
    assert content.quiz("ko", "romance").questions[0].question in plain(quiz.last.text)
    assert content.quiz("ko", "romance").questions[0].question in plain(by_command.last.text)
    bot_app.assert_no_crash([page, quiz, by_command])


async def test_stopping_shows_the_menu_and_the_old_buttons_stop_counting(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en")
    started = await chat.tap("quiz:start:lottery")
    stopped = await chat.tap("quiz:stop")
    late = await chat.tap(answer_buttons(started)[0])

    assert "learn:menu" in stopped.callback_data  # the main menu
    assert toast(late) == T("en", "quiz.stale") and len(late) == 0
    bot_app.assert_no_crash([started, stopped, late])


async def test_every_quiz_button_fits_telegrams_limit(bot_app: RunningBot, content: ContentCatalogue) -> None:
    chat = bot_app.chat(language_code="km")
    listing = await chat.say("/quiz")
    data = list(listing.callback_data)
    for key, quiz in content.quizzes("km"):
        replies = await take_quiz(chat, key, [q.answer for q in quiz.questions])
        data += [d for reply in replies for d in reply.callback_data]

    assert {f"quiz:start:{key}" for key, _ in content.quizzes("km")} <= set(listing.callback_data)
    assert max(len(d.encode()) for d in data) <= 64
    bot_app.assert_no_crash([listing])


async def test_the_quiz_of_a_recent_alert_comes_first(tmp_path: Path, clean_env: None, trained_models: None) -> None:
    """Staff date a quiz's alert to this week: it leads the list, marked as new, in every language."""
    content_dir = tmp_path / "content"
    shutil.copytree(DEFAULT_ROOT, content_dir, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    recent = (date.today() - timedelta(days=3)).isoformat()
    for lang in ("km", "ko", "en"):
        path = content_dir / lang / "quizzes.yml"
        path.write_text(path.read_text(encoding="utf-8").replace("date: 2025-10-16", f"date: {recent}"), "utf-8")
    settings = load_settings(data_dir=tmp_path, content_dir=content_dir)
    async with running_bot(settings) as bot:
        listings = {
            lang: await bot.chat(language_code=lang, user_id=100 + i).say("/quiz")
            for i, lang in enumerate(("km", "ko", "en"))
        }
        bot.assert_no_crash(listings.values())

    alert = ContentCatalogue(content_dir)
    for lang, listing in listings.items():
        title = alert.quiz(lang, "travel_ban_2025").title
        assert listing.buttons[0] == (T(lang, "quiz.new", title=title), "quiz:start:travel_ban_2025")
        assert listing.callback_data.count("quiz:start:travel_ban_2025") == 1
