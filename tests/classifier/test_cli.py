"""The command line: `scambot check` (single, JSON, batch) and `scambot classifier eval`."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot import cli_classifier
from classifier.model import save_model

runner = CliRunner()

SCAM_PHONE = "+85512345678"
SCAM_TEXT = f"ACLEDA: your account is locked. Call {SCAM_PHONE} now or verify at https://acleda-verify.online"


@pytest.fixture(autouse=True)
def no_report_store(clean_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Every test starts without the bot's database: DATABASE_URL names a file that does not exist."""
    path = tmp_path / "reports.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    yield path


@pytest.fixture(scope="module")
def check_app() -> typer.Typer:
    app = typer.Typer()
    app.command("check")(cli_classifier.check_command)
    app.add_typer(cli_classifier.app, name="classifier")
    return app


@pytest.fixture(scope="module")
def model_file(small_model, tmp_path_factory) -> Path:
    # The CLI loads the embedder named in the file; the test embedder has no such name,
    # so the CLI tests use the model without its embedding stage.
    plain = dataclasses.replace(small_model, stage2=None, embedder=None)
    return save_model(plain, tmp_path_factory.mktemp("m") / "scam-model-cli.skops")


def test_check_json_output(check_app, model_file) -> None:
    text = "[CJ대한통운] 주소불명으로 반송예정. 주소확인 http://cj-kr.top/a"
    res = runner.invoke(check_app, ["check", "--json", "--model", str(model_file), text])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["verdict"] == "scam" and data["language"] == "ko"


def test_check_readable_summary(check_app, model_file) -> None:
    res = runner.invoke(check_app, ["check", "--model", str(model_file), "Install AnyDesk now, this is your bank"])
    assert res.exit_code == 0
    assert "Verdict:" in res.output and "remote access app" in res.output


def test_check_without_text_explains_usage(check_app, model_file) -> None:
    res = runner.invoke(check_app, ["check", "--model", str(model_file)])
    assert res.exit_code == 2
    assert "--batch" in res.output


def test_batch_keeps_order_and_survives_bad_lines(check_app, model_file) -> None:
    lines = [
        json.dumps({"text": "See you at 7 for dinner"}),
        "{not json",
        json.dumps({"no_text": 1}),
        "",
        "ACLEDA: account locked, verify at https://acleda-verify.online",
    ]
    res = runner.invoke(check_app, ["check", "--batch", "--model", str(model_file)], input="\n".join(lines) + "\n")
    assert res.exit_code == 0, res.output
    out = [json.loads(ln) for ln in res.output.splitlines()]
    assert len(out) == 5
    assert out[0]["verdict"] == "no_signs"
    assert "error" in out[1] and "error" in out[2] and "error" in out[3]
    assert out[4]["verdict"] == "scam"


def test_eval_prints_a_table_and_writes_plots(check_app, model_file, tmp_path: Path) -> None:
    data = tmp_path / "mini.csv"
    data.write_text(
        "text,label,source\n"
        '"See you tomorrow at school",ham,mini\n'
        '"Your ABA account is locked, verify at http://aba-secure.xyz/login",scam,mini\n',
        encoding="utf-8",
    )
    res = runner.invoke(
        check_app, ["classifier", "eval", "--data", str(data), "--model", str(model_file), "--out", str(tmp_path)]
    )
    assert res.exit_code == 0, res.output
    assert "| all | 2 | 1 |" in res.output
    assert (tmp_path / f"{tmp_path.name}-mini-confusion.png").exists()
    assert (tmp_path / f"{tmp_path.name}-mini-reliability.png").exists()


def _file_reports(path: Path, count: int) -> None:
    """Store ``count`` reports from different people about the scam phone number, as the bot would."""
    from intake import Assessment, IntakeService
    from storage import Database
    from tests.intake.factories import weak_draft

    async def run() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        try:
            await db.migrate()
            service = IntakeService(db)
            for reporter in range(count):
                draft = weak_draft(reporter, assessment=Assessment(score=0.9, entities={"phone": [SCAM_PHONE]}))
                await service.submit(draft)
        finally:
            await db.dispose()

    asyncio.run(run())


def test_check_counts_earlier_reports_in_the_bots_database(check_app, model_file, no_report_store) -> None:
    _file_reports(no_report_store, 2)
    res = runner.invoke(check_app, ["check", "--json", "--model", str(model_file), SCAM_TEXT])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["similar_reports"] == 2

    lines = "See you at 7 for dinner\n" + json.dumps({"text": SCAM_TEXT}) + "\n"
    res = runner.invoke(check_app, ["check", "--batch", "--model", str(model_file)], input=lines)
    assert res.exit_code == 0, res.output
    assert [json.loads(ln)["similar_reports"] for ln in res.stdout.splitlines()] == [0, 2]


def test_check_without_a_database_says_zero_reports_and_creates_nothing(check_app, model_file, no_report_store) -> None:
    res = runner.invoke(check_app, ["check", "--json", "--model", str(model_file), SCAM_TEXT])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["similar_reports"] == 0
    assert not no_report_store.exists()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+asyncpg://postgres@127.0.0.1:5432/scambot_no_such_database",
        "postgresql+asyncpg://nobody@127.0.0.1:9/unreachable",  # nothing listens on port 9
    ],
    ids=["missing-database", "unreachable-server"],
)
def test_check_without_a_readable_postgres_database_still_answers(check_app, model_file, monkeypatch, url) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    res = runner.invoke(check_app, ["check", "--json", "--model", str(model_file), SCAM_TEXT])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["verdict"] == "scam" and data["similar_reports"] == 0
