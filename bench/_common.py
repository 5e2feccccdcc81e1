"""Shared pieces of the benchmarks: held-out texts, a Rasa server for one run, settings, tables.

The benchmarks are measurements, not tests: they print figures and a PASS/FAIL per target
and always exit 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import platform
import resource
import socket
import sys
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# `python bench/x.py` puts bench/ first on the path, where bench/nlu.py would hide the `nlu`
# package: the project root goes first instead.
sys.path[:] = [str(PROJECT_ROOT), *(p for p in sys.path if p != str(PROJECT_ROOT))]

from bot.settings import Settings  # noqa: E402
from nlu.server import RasaServer, ensure_model  # noqa: E402
from nlu.training_data import HELDOUT_DIR, read_examples  # noqa: E402

LANGS = ("km", "ko", "en")
#: Where `make run` keeps trained Rasa models; reused so a bench trains only when data changed.
RASA_MODELS = PROJECT_ROOT / "var" / "rasa"


@dataclass(frozen=True)
class Sample:
    """One held-out question with its language and labelled intent."""

    text: str
    intent: str
    lang: str


def heldout_samples(langs: Sequence[str] = LANGS) -> list[Sample]:
    """Held-out texts of every language, interleaved km, ko, en, km, ... so any prefix mixes them."""
    per_lang = [
        [Sample(text, intent, lang) for text, intent in read_examples([HELDOUT_DIR / f"{lang}.yml"])] for lang in langs
    ]
    mixed: list[Sample] = []
    for i in range(max(len(group) for group in per_lang)):
        mixed.extend(group[i] for group in per_lang if i < len(group))
    return mixed


def bench_settings(data_dir: Path, *, nlu_timeout: float | None = None) -> Settings:
    """Settings for an offline bot whose SQLite file lives in `data_dir` (never var/scambot.db).

    `nlu_timeout` overrides the bot's Rasa timeout (to time slow answers instead of falling back).
    """
    extra = {} if nlu_timeout is None else {"nlu_timeout": nlu_timeout}
    return Settings(  # type: ignore[arg-type]
        telegram_bot_token=None,
        webhook_url=None,
        webhook_secret=None,
        nlu_url=None,
        data_dir=data_dir,
        database_url=f"sqlite+aiosqlite:///{data_dir / 'bench.db'}",
        log_level="WARNING",
        **extra,
    )


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def rasa_server(log_dir: Path) -> AsyncIterator[RasaServer]:
    """The real Rasa server on a free port, with the cached model (trained only if inputs changed).

    The server is always stopped on the way out, whatever happened.
    """
    started = time.monotonic()
    model = await asyncio.to_thread(ensure_model, RASA_MODELS)
    print(f"Rasa model: {model.name}  (ready in {time.monotonic() - started:.0f} s)", flush=True)
    server = RasaServer(model, port=free_port(), log_file=log_dir / "rasa.log")
    try:
        server.start()
        started = time.monotonic()
        await server.wait_ready()
        print(f"Rasa server up on {server.url} in {time.monotonic() - started:.0f} s", flush=True)
        yield server
    finally:
        server.stop()


def percentile_ms(seconds: Sequence[float], q: float) -> float:
    """The q-th percentile of durations given in seconds, in milliseconds."""
    return float(np.percentile(np.asarray(seconds) * 1000.0, q))


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (children excluded), in MB.

    On Linux this reads VmHWM: `ru_maxrss` of a child started by fork+exec still carries the
    parent's peak from before the exec, so it would report the bench's memory, not the bot's.
    """
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if platform.system() == "Darwin" else peak / 1024  # bytes on macOS, KB on Linux


def verdict(value: float, target: float, *, at_most: bool) -> str:
    """PASS or FAIL of one figure against its target."""
    ok = value <= target if at_most else value >= target
    return "PASS" if ok else "FAIL"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain aligned text table."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * width for width in widths))


def machine_line() -> str:
    """One line saying what the figures were measured on."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, load avg {load}"


def quiet_logs() -> None:
    """Warnings and errors only; the bot's per-update logging would distort the figures."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("nlu.server").setLevel(logging.INFO)  # says when a model is being trained


class ErrorCounter(logging.Handler):
    """Counts ERROR records (e.g. handler exceptions the error handler logged) during a run."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
