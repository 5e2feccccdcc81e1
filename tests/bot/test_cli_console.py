"""The `scambot` command line and the console, the way a newcomer uses them."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.console import ConsolePrinter, plain, run_console
from bot.i18n import Translator
from bot.offline import ApiCall
from bot.settings import PROJECT_ROOT, Settings
from content.catalogue import ContentCatalogue
from tests.bot.support import about_job_offers, script
from tests.conftest import SETTINGS_VARIABLES

T = Translator.from_directory()
SCAMBOT = Path(sys.executable).parent / "scambot"


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The CLI configures the root logger; put pytest's handlers back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("args", [["--help"], ["nlu", "--help"], ["content", "--help"], ["console", "--help"]])
def test_help_at_every_level(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(cli, args)

    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_top_level_help_lists_the_commands(runner: CliRunner) -> None:
    output = runner.invoke(cli, ["--help"]).output

    for command in ("run", "console", "nlu", "content", "health"):
        assert command in output


def test_nlu_help_lists_train_and_eval(runner: CliRunner) -> None:
    output = runner.invoke(cli, ["nlu", "--help"]).output

    assert "train" in output and "eval" in output


def test_content_check_passes_on_the_shipped_content(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["content", "check"])

    assert result.exit_code == 0, result.output
    assert "Content OK" in result.output


def test_content_check_fails_on_broken_content(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "scam_types.yml").write_text("job_offer: [this is not a scam type\n", encoding="utf-8")

    result = runner.invoke(cli, ["content", "check", "--root", str(tmp_path)])

    assert result.exit_code == 1
    assert "ERROR: en/scam_types.yml" in result.output


def test_content_check_fails_on_warnings_only_when_strict(runner: CliRunner, tmp_path: Path) -> None:
    from content.check import MAX_RENDERED_CHARS

    shutil.copytree(PROJECT_ROOT / "content", tmp_path / "content")
    article = tmp_path / "content" / "en" / "articles.yml"
    data = yaml.safe_load(article.read_text(encoding="utf-8"))
    first = next(iter(data))
    data[first]["body"] = "Stay calm and check who is asking. " * (MAX_RENDERED_CHARS // 30)
    article.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    relaxed = runner.invoke(cli, ["content", "check", "--root", str(tmp_path / "content")])
    strict = runner.invoke(cli, ["content", "check", "--root", str(tmp_path / "content"), "--strict"])

    assert relaxed.exit_code == 0, relaxed.output
    assert "WARNING" in relaxed.output
    assert strict.exit_code == 1


def test_bad_setting_exits_2_naming_the_variable(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFF_IDS", "abc")

    result = runner.invoke(cli, ["content", "check"])

    assert result.exit_code == 2
    assert "STAFF_IDS" in result.output


def test_console_refuses_an_unknown_language(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["console", "--lang", "fr"])

    assert result.exit_code == 2
    assert "km, ko or en" in result.output


def test_health_reports_rasa_down_and_the_database_up(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        monkeypatch.setenv("NLU_URL", f"http://127.0.0.1:{sock.getsockname()[1]}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))

    result = runner.invoke(cli, ["health"])

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["nlu"]["ok"] is False
    assert "degraded" in report["nlu"]["mode"]
    assert report["database"]["ok"] is True


def test_run_without_a_token_opens_the_console(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, trained_models: None
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))

    result = runner.invoke(cli, ["run", "--no-rasa"], input="/start\n")

    assert result.exit_code == 0, result.output
    assert "No TELEGRAM_BOT_TOKEN" in result.output
    assert "bot> " + T("en", "start.welcome", name="Dara") in result.output


# ---------------------------------------------------------------- the console in this process


async def console_transcript(settings: Settings, text: str, *, lang: str | None = None) -> str:
    """Runs the console on `text` as piped input and returns what it printed."""
    out = io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        await run_console(settings, lang=lang, user_id=77, start_rasa=False, out=out)
    finally:
        sys.stdin = stdin
    return out.getvalue()


def exchanges(transcript: str) -> list[tuple[str, str]]:
    """Splits a piped console transcript into (what the user typed, what the bot printed)."""
    pairs: list[tuple[str, str]] = []
    for block in transcript.split("you> ")[1:]:
        said, _, answer = block.partition("\n")
        pairs.append((said, answer))
    return pairs


async def test_console_numbers_tap_buttons(settings: Settings, trained_models: None) -> None:
    transcript = await console_transcript(settings, "/start\n1\n", lang="ko")

    (_, start), (_, tapped) = exchanges(transcript)
    assert "[1] " + T("ko", "menu.learn") in start
    assert "[6] " + T("ko", "menu.language") in start
    assert "bot> " + T("ko", "learn.title") in tapped


async def test_console_number_without_buttons_is_a_message(settings: Settings, trained_models: None) -> None:
    transcript = await console_transcript(settings, "7\n/start\n99\n")

    said = [s for s, answer in exchanges(transcript) if "bot> " in answer]
    assert said == ["7", "/start", "99"]  # every line got a reply, none crashed


async def test_console_ends_cleanly_at_end_of_input(settings: Settings, trained_models: None) -> None:
    assert await console_transcript(settings, "") == ""


def test_printer_shows_html_as_plain_text_and_notices() -> None:
    out = io.StringIO()
    printer = ConsolePrinter(out)
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}, {"text": "B", "url": "https://x.org"}]]}

    printer(ApiCall("sendMessage", {"text": "<b>Title</b> &amp; more", "reply_markup": markup}))
    printer(ApiCall("answerCallbackQuery", {"text": "Done!"}))
    printer(ApiCall("setMyCommands", {"commands": []}))

    assert out.getvalue().splitlines() == ["bot> Title & more", "  [1] A", "  [2] B", "", "bot (notice)> Done!"]
    assert printer.buttons == [("A", "a"), ("B", "https://x.org")]
    assert plain("<i>x</i> &lt;3") == "x <3"


# ---------------------------------------------------------------- the real command, piped


def test_piped_console_answers_a_greeting_and_a_job_question_in_each_language(tmp_path: Path) -> None:
    """The issue's "Done means": `printf ... | scambot console` in Khmer, Korean and English."""
    lines = [
        "hello",
        "is this job in cambodia with free flight a scam",
        "안녕하세요",
        "캄보디아 일자리인데 항공권 공짜로 준대요 이거 사기예요?",
        "សួស្តី",
        "ការងារនៅកម្ពុជា គេចេញថ្លៃសំបុត្រយន្តហោះឱ្យ តើជាការបោកប្រាស់ទេ",
        "/start",
        "1",
    ]
    env = {k: v for k, v in os.environ.items() if k.upper() not in SETTINGS_VARIABLES}
    env["DATA_DIR"] = str(tmp_path)
    env["PYTHONIOENCODING"] = "utf-8"

    done = subprocess.run(
        [str(SCAMBOT), "console", "--no-rasa"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env=env,
        timeout=240,
    )

    assert done.returncode == 0, done.stderr[-2000:]
    pairs = exchanges(done.stdout)
    assert [said for said, _ in pairs] == lines
    for said, answer in pairs:
        assert "bot> " in answer, f"no reply to {said!r}"
    answers = [answer for _, answer in pairs]
    assert [script(a) for a in answers[:6]] == ["en", "en", "ko", "ko", "km", "km"]
    content = ContentCatalogue()
    for index, lang in ((1, "en"), (3, "ko"), (5, "km")):
        assert about_job_offers(answers[index], lang, content), answers[index][:200]
    assert "[1] " in answers[6] and "[6] " in answers[6]  # the menu as numbered choices
    assert "bot> " + T("km", "learn.title") in answers[7]  # "1" tapped "Learn about scams"


def test_the_scambot_script_is_installed() -> None:
    assert SCAMBOT.exists(), f"run `pip install -e .` in {PROJECT_ROOT}"
