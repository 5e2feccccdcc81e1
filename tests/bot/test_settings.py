"""Settings: read from the environment, validated at start-up, secrets never printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, Settings, SettingsError, load_settings

TOKEN = "123456:AAH-super-secret-token"


def test_defaults_need_nothing(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)

    assert settings.telegram_bot_token is None
    assert settings.nlu_url is None
    assert settings.webhook_url is None
    assert settings.staff_ids == ()
    assert settings.log_level == "INFO"
    assert str(settings.telegram_api_base_url).startswith("https://api.telegram.org/bot")
    assert settings.effective_database_url == f"sqlite+aiosqlite:///{(tmp_path / 'scambot.sqlite3').resolve()}"


def test_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("STAFF_IDS", " 11, 22 ,-1003")
    monkeypatch.setenv("NLU_URL", "http://127.0.0.1:5999")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://bot:pw@db/scambot")

    settings = load_settings()

    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == TOKEN
    assert settings.staff_ids == (11, 22, -1003)
    assert str(settings.nlu_url).startswith("http://127.0.0.1:5999")
    assert settings.log_level == "DEBUG"
    assert settings.effective_database_url == "postgresql+asyncpg://bot:pw@db/scambot"


def test_reads_a_dot_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("STAFF_IDS=5,6\nLOG_LEVEL=warning\n", encoding="utf-8")

    settings = load_settings()  # the clean_env fixture runs each test from tmp_path

    assert settings.staff_ids == (5, 6)
    assert settings.log_level == "WARNING"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("STAFF_IDS", "12,abc"),
        ("STAFF_IDS", "1;2"),
        ("LOG_LEVEL", "verbose"),
        ("NLU_URL", "not a url"),
        ("NLU_TIMEOUT", "0"),
        ("WEBHOOK_PORT", "70000"),
        ("TELEGRAM_API_BASE_URL", "ftp://example.org"),
    ],
)
def test_a_bad_value_names_its_variable(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(SettingsError) as caught:
        load_settings()

    assert variable in str(caught.value)


def test_staff_ids_error_shows_the_bad_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFF_IDS", "12,abc")

    with pytest.raises(SettingsError, match="abc"):
        load_settings()


def test_webhook_must_be_https(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "http://bot.example.org/hook")
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret")

    with pytest.raises(SettingsError, match="WEBHOOK_URL"):
        load_settings()


def test_webhook_needs_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/hook")

    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        load_settings()


def test_webhook_http_without_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "http://bot.example.org/hook")

    with pytest.raises(SettingsError, match="WEBHOOK_"):
        load_settings()


@pytest.mark.parametrize("secret", ["has space", "semi;colon", "x" * 257])
def test_webhook_secret_must_be_telegram_safe(monkeypatch: pytest.MonkeyPatch, secret: str) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/hook")
    monkeypatch.setenv("WEBHOOK_SECRET", secret)

    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        load_settings()


def test_a_good_webhook_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/hook")
    monkeypatch.setenv("WEBHOOK_SECRET", "abc_DEF-123")

    settings = load_settings()

    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == "abc_DEF-123"


def test_secrets_never_appear_in_repr_or_str(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/hook")
    monkeypatch.setenv("WEBHOOK_SECRET", "webhooksecretvalue")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://bot:dbpassword@db/scambot")

    settings = load_settings()

    for shown in (repr(settings), str(settings), settings.model_dump_json()):
        assert "super-secret" not in shown
        assert "webhooksecretvalue" not in shown
        assert "dbpassword" not in repr(settings)


def test_the_token_is_not_in_the_error_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("STAFF_IDS", "oops")

    with pytest.raises(SettingsError) as caught:
        load_settings()

    assert "super-secret" not in str(caught.value)


def test_every_setting_is_described() -> None:
    """The README table is generated from, or checked against, these descriptions."""
    for name, field in Settings.model_fields.items():
        assert field.description, name


def test_every_setting_is_in_the_readme() -> None:
    readme = PROJECT_ROOT / "README.md"
    if not readme.exists():
        pytest.skip("README.md is not written yet")
    text = readme.read_text(encoding="utf-8")

    missing = [name.upper() for name in Settings.model_fields if name.upper() not in text]

    assert missing == []
