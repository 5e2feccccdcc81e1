"""Typed settings read from the environment (and an optional `.env`), validated at start-up.

A bad value fails fast with the variable's name; secrets never appear in `repr` or logs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AnyHttpUrl, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from storage.db import default_sqlite_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "var"


class SettingsError(ValueError):
    """Raised with a readable message naming each bad environment variable."""


class Settings(BaseSettings):
    """Every setting the bot reads; the README documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = Field(
        default=None, description="Bot token from @BotFather. Without it the console opens."
    )
    telegram_api_base_url: AnyHttpUrl = Field(
        default=AnyHttpUrl("https://api.telegram.org/bot"),
        description="Bot API base URL (set it for a local Bot API server).",
    )
    webhook_url: AnyHttpUrl | None = Field(
        default=None, description="Public HTTPS URL for webhook mode; long polling when unset."
    )
    webhook_secret: SecretStr | None = Field(
        default=None, description="Secret token Telegram sends with each webhook call (required with WEBHOOK_URL)."
    )
    webhook_listen: str = Field(default="127.0.0.1", description="Address the webhook server binds.")
    webhook_port: int = Field(default=8443, ge=1, le=65535, description="Port the webhook server binds.")
    database_url: str = Field(
        default="", repr=False, description="SQLAlchemy URL; default a SQLite file under DATA_DIR."
    )
    nlu_url: AnyHttpUrl | None = Field(default=None, description="Use this Rasa server instead of starting one.")
    nlu_timeout: float = Field(default=1.5, gt=0, le=30, description="Seconds to wait for Rasa.")
    rasa_port: int = Field(default=5005, ge=1, le=65535, description="Port of the Rasa server the launcher starts.")
    staff_ids: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(), description="Comma-separated Telegram user ids allowed to use staff commands."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO", description="Logging level.")
    data_dir: Path = Field(default=DEFAULT_DATA_DIR, description="Folder for the database, models and sinks.")
    content_dir: Path = Field(default=PROJECT_ROOT / "content", description="Folder with the km, ko and en content.")
    trends_timezone: str = Field(
        default="Asia/Phnom_Penh", description="Time zone whose days the trends page counts in (an IANA name)."
    )
    question_retention_days: int = Field(
        default=30, ge=1, le=3650, description="Days the text of questions the bot could not answer is kept."
    )
    admin_host: str = Field(default="127.0.0.1", description="Address the staff web console binds.")
    admin_port: int = Field(default=8080, ge=1, le=65535, description="Port of the staff web console.")
    admin_secret: SecretStr | None = Field(
        default=None,
        description="Signs the console's login cookies (32+ characters); a random one per start when unset.",
    )

    @field_validator("staff_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(p.lstrip("-").isdigit() for p in parts):
                raise ValueError(f"expected comma-separated numbers, got {value!r}")
            return tuple(int(p) for p in parts)
        return value

    @field_validator("admin_secret")
    @classmethod
    def _long_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None  # ADMIN_SECRET= (empty) means unset
        if len(value.get_secret_value()) < 32:
            raise ValueError("must have at least 32 characters (e.g. the output of: openssl rand -hex 32)")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check_webhook(self) -> Settings:
        if self.webhook_url is not None:
            if self.webhook_url.scheme != "https":
                raise ValueError("WEBHOOK_URL must start with https://")
            if self.webhook_secret is None:
                raise ValueError("WEBHOOK_SECRET is required when WEBHOOK_URL is set")
        if self.webhook_secret is not None:
            secret = self.webhook_secret.get_secret_value()
            allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
            if not (1 <= len(secret) <= 256) or not set(secret) <= allowed:
                raise ValueError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return self

    @field_validator("trends_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Phnom_Penh, Asia/Seoul, UTC)") from None
        return value

    @property
    def effective_database_url(self) -> str:
        """The configured database URL, or the default SQLite file."""
        return self.database_url or default_sqlite_url(self.data_dir)


def load_settings(**overrides: object) -> Settings:
    """Reads the settings, turning pydantic's error into one line per bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = "_".join(str(p) for p in err["loc"]).upper() or "settings"
            lines.append(f"{name}: {err['msg']}")
        raise SettingsError("Invalid settings:\n  " + "\n  ".join(lines)) from None
