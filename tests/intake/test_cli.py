"""``scambot intake ...`` through typer's runner, on a SQLite file under DATA_DIR."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot import cli_intake
from bot.cli_intake import IntakeSettingsError, intake_settings_from_env
from bot.settings import load_settings
from intake import IntakeConfig, IntakeService, SinkRoute, read_messages
from storage import Database
from tests.intake.factories import contact, credible_draft, weak_draft

runner = CliRunner()


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The command configures the root logger; give the next test the logging it had."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def cases(clean_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Three cases in the database the command line will open (DATA_DIR=tmp_path)."""
    for name in cli_intake.INTAKE_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))

    async def populate() -> dict[str, str]:
        db = Database(load_settings().effective_database_url)
        await db.migrate()
        service = IntakeService(db, IntakeConfig(sinks=(SinkRoute("jsonl"),)))
        credible = await service.submit(credible_draft(contact_ok=True, contact=contact()))
        weak = await service.submit(weak_draft(language="ko"))
        urgent = await service.submit(weak_draft(reporter_id=3, urgent=True))
        await db.dispose()
        return {"credible": credible.case_number, "weak": weak.case_number, "urgent": urgent.case_number}

    return asyncio.run(populate())


def _ok(*args: str) -> str:
    result = runner.invoke(cli_intake.app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_list_json_puts_urgent_first_and_leaves_out_reporters(cases: dict[str, str]) -> None:
    rows = json.loads(_ok("list", "--json"))

    assert [r["case_number"] for r in rows] == [cases["urgent"], cases["weak"], cases["credible"]]
    assert "reporter_id" not in rows[0] and "contact" not in rows[0]
    received = json.loads(_ok("list", "--json", "--status", "received"))
    assert [r["case_number"] for r in received] == [cases["weak"]]


def test_show_gives_an_analyst_the_whole_case(cases: dict[str, str]) -> None:
    text = _ok("show", cases["credible"])

    assert "lucky draw" in text  # the evidence
    assert "+0.37 classifier" in text  # why it was forwarded
    assert "+85599111222" in text  # the contact the reporter allowed
    assert "phone +85512345678 (crowd, 1 people)" in text
    missing = runner.invoke(cli_intake.app, ["show", "KH-2000-000999"])
    assert missing.exit_code == 1 and "No case KH-2000-000999" in missing.output


def test_set_status_records_the_analyst_and_refuses_nonsense(cases: dict[str, str]) -> None:
    out = _ok("set-status", cases["weak"], "forwarded", "--by", "analyst-3", "--note", "checked")
    assert "received -> forwarded and queued for the sinks" in out

    history = json.loads(_ok("show", cases["weak"], "--json"))["history"]
    assert [(h["to"], h["by"], h["reporter_notified"]) for h in history] == [
        ("received", "intake", True),
        ("forwarded", "analyst-3", False),
    ]
    bad = runner.invoke(cli_intake.app, ["set-status", cases["weak"], "finished"])
    assert bad.exit_code == 2 and "status 'finished' is not one of" in bad.output


def test_export_csv_and_json_without_personal_data(cases: dict[str, str], tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_ok("export"))))
    assert {r["case_number"] for r in rows} == set(cases.values())
    exported = json.dumps(rows)
    assert "85599111222" not in exported and "lucky draw" not in exported

    target = tmp_path / "export.json"
    _ok("export", "--json", "--status", "forwarded", "-o", str(target))
    assert {r["case_number"] for r in json.loads(target.read_text())} == {cases["credible"], cases["urgent"]}


def test_stats_by_type_language_and_week(cases: dict[str, str]) -> None:
    stats = json.loads(_ok("stats", "--json"))

    assert stats["total"] == 3 and stats["urgent"] == 1
    assert stats["by_language"] == {"km": 1, "ko": 1, "en": 1}
    assert sum(stats["by_week"].values()) == 3 and all(re.fullmatch(r"\d{4}-W\d\d", w) for w in stats["by_week"])
    assert stats["outbox"]["pending"] == 2
    assert "by type:" in _ok("stats")


def test_dispatch_delivers_to_the_default_jsonl_file(cases: dict[str, str], tmp_path: Path) -> None:
    out = _ok("dispatch")

    assert out.strip() == "2 delivered, 0 failed (jsonl: 2 delivered, 0 failed)"
    keys = [m["idempotency_key"] for m in read_messages(tmp_path / "intake" / "cases.jsonl")]
    assert sorted(keys) == sorted([f"{cases['credible']}:1", f"{cases['urgent']}:1"])
    assert _ok("dispatch").strip() == "0 delivered, 0 failed"


def test_purge_contacts_and_lookup(cases: dict[str, str]) -> None:
    assert _ok("purge-contacts", "--older-than", "30").strip().startswith("Erased contact details from 0 cases")
    assert "from 1 cases older than 0 days" in _ok("purge-contacts", "--older-than", "0")
    assert json.loads(_ok("show", cases["credible"], "--json"))["contact"] is None

    info = json.loads(_ok("lookup", "phone", "+855 12 345 678"))
    assert (info["reporters"], info["provenance"]) == (1, "crowd")
    assert _ok("indicator", "confirm", "phone", "+85512345678", "--by", "analyst").strip() == "Confirmed."
    assert json.loads(_ok("lookup", "phone", "+85512345678"))["provenance"] == "confirmed"
    assert _ok("lookup", "telegram", "@nobody").strip() == "Not reported."


def test_bad_sink_settings_stop_the_command_with_the_variable_name(
    cases: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTAKE_SINKS", "jsonl,amqp")
    result = runner.invoke(cli_intake.app, ["dispatch"])
    assert result.exit_code == 2
    assert "INTAKE_AMQP_URL: required when INTAKE_SINKS includes amqp" in result.output


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"INTAKE_SINKS": "jsonl,kafka"}, "INTAKE_SINKS: expected a comma list"),
        ({"INTAKE_SINKS": "webhook", "INTAKE_WEBHOOK_URL": "https://x.example/in"}, "INTAKE_WEBHOOK_SECRET"),
        (
            {"INTAKE_SINKS": "webhook", "INTAKE_WEBHOOK_URL": "http://x.example", "INTAKE_WEBHOOK_SECRET": "x" * 16},
            "must use https://",
        ),
        ({"INTAKE_AMQP_URL": "http://rabbit"}, "INTAKE_AMQP_URL: must start with amqp://"),
        ({"INTAKE_THRESHOLD": "high"}, "INTAKE_THRESHOLD: expected a number from 0 to 1, got 'high'"),
        ({"INTAKE_CONTACT_RETENTION_DAYS": "-1"}, "INTAKE_CONTACT_RETENTION_DAYS"),
    ],
)
def test_intake_settings_name_the_bad_variable(env: dict[str, str], message: str, tmp_path: Path) -> None:
    with pytest.raises(IntakeSettingsError, match=re.escape(message)):
        intake_settings_from_env(env, data_dir=tmp_path)


def test_intake_settings_defaults_and_secrets(tmp_path: Path) -> None:
    settings = intake_settings_from_env(
        {
            "INTAKE_SINKS": "jsonl, amqp,webhook",
            "INTAKE_AMQP_URL": "amqp://user:hunter2@rabbit:5672/",
            "INTAKE_WEBHOOK_URL": "https://intake.example/cases",
            "INTAKE_WEBHOOK_SECRET": "0123456789abcdef-secret",
        },
        data_dir=tmp_path,
    )
    assert settings.sinks == ("jsonl", "amqp", "webhook")
    assert settings.jsonl_path == tmp_path / "intake" / "cases.jsonl"
    assert settings.amqp_queue == "scambot.cases"
    assert "hunter2" not in repr(settings) and "secret" not in repr(settings)
    assert [s.name for s in cli_intake.build_sinks(settings)] == ["jsonl", "amqp", "webhook"]


def test_every_intake_variable_is_documented() -> None:
    source = Path(cli_intake.__file__).read_text(encoding="utf-8")
    used = set(re.findall(r'"(INTAKE_[A-Z_]+)"', source))
    assert used == set(cli_intake.INTAKE_ENV)
    assert all(help_text.endswith(")") or help_text.endswith(".") for help_text in cli_intake.INTAKE_ENV.values())
