"""Trains the Rasa NLU model when its inputs change, and runs the Rasa server as a child process.

Rasa 3.6 needs Python 3.10, so it lives in its own virtual environment (`.venv-rasa`) and the
bot reaches it only over HTTP.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from nlu.training_data import DATA_DIR, NLU_DIR, training_hash

log = logging.getLogger(__name__)

PROJECT_ROOT = NLU_DIR.parent
CONFIG = PROJECT_ROOT / "config.yml"
ADDONS = sorted((NLU_DIR / "rasa_addons").glob("*.py"))


class RasaSetupError(RuntimeError):
    """Rasa is missing, failed to train, or did not start."""


def rasa_executable(root: Path = PROJECT_ROOT) -> Path:
    """The `rasa` command inside `.venv-rasa`; a clear error when it is not installed."""
    exe = Path(os.environ.get("RASA_VENV", root / ".venv-rasa")) / "bin" / "rasa"
    if not exe.exists():
        raise RasaSetupError(
            f"Rasa is not installed at {exe}. Run `make run` or `make test` (they create .venv-rasa "
            "with Python 3.10), or set NLU_URL to an existing Rasa server."
        )
    return exe


def model_path(models_dir: Path) -> Path:
    """Where the model for the current training data and config lives."""
    return models_dir / f"nlu-{training_hash(CONFIG, DATA_DIR, ADDONS)}.tar.gz"


def ensure_model(models_dir: Path, *, timeout: float = 1200) -> Path:
    """Returns a model trained on the current data, training one only if the inputs changed."""
    target = model_path(models_dir)
    if target.exists():
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    log.info("Training the Rasa NLU model (inputs changed): %s", target.name)
    started = time.monotonic()
    command = [
        str(rasa_executable()),
        "train",
        "nlu",
        "--config",
        str(CONFIG),
        "--nlu",
        str(DATA_DIR),
        "--out",
        str(models_dir),
        "--fixed-model-name",
        target.name.removesuffix(".tar.gz"),
    ]
    completed = subprocess.run(
        command, cwd=PROJECT_ROOT, env=_rasa_env(), capture_output=True, text=True, timeout=timeout
    )
    if completed.returncode != 0 or not target.exists():
        tail = "\n".join((completed.stdout + completed.stderr).splitlines()[-25:])
        raise RasaSetupError(f"Rasa training failed (exit {completed.returncode}):\n{tail}")
    for old in models_dir.glob("nlu-*.tar.gz"):
        if old != target:
            old.unlink(missing_ok=True)
    log.info("Rasa NLU model trained in %.0f s", time.monotonic() - started)
    return target


class RasaServer:
    """A Rasa server child process serving one NLU model on 127.0.0.1."""

    def __init__(self, model: Path, *, port: int = 5005, log_file: Path | None = None) -> None:
        self.model = model
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self._log_file = log_file
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Starts the server (returns at once; call `wait_ready`)."""
        if _port_answers(self.url):
            raise RasaSetupError(f"port {self.port} is already in use; set RASA_PORT or NLU_URL")
        out = open(self._log_file, "ab") if self._log_file else subprocess.DEVNULL  # noqa: SIM115
        command = [
            str(rasa_executable()),
            "run",
            "--enable-api",
            "-m",
            str(self.model),
            "-i",
            "127.0.0.1",
            "-p",
            str(self.port),
            "--response-timeout",
            "30",
        ]
        self._process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=_rasa_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    async def wait_ready(self, timeout: float = 180) -> None:
        """Waits until the server answers with the model loaded."""
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(base_url=self.url, timeout=2) as http:
            while time.monotonic() < deadline:
                if self._process is not None and self._process.poll() is not None:
                    raise RasaSetupError(f"Rasa exited with code {self._process.returncode}; see {self._log_file}")
                try:
                    response = await http.get("/status")
                    if response.status_code == 200 and response.json().get("model_file"):
                        return
                except (httpx.HTTPError, ValueError):
                    pass
                await asyncio.sleep(0.5)
        raise RasaSetupError(f"Rasa did not become ready within {timeout:.0f} s")

    @property
    def running(self) -> bool:
        """True while the child process is alive."""
        return self._process is not None and self._process.poll() is None

    def stop(self, timeout: float = 15) -> None:
        """Stops the server and every process it started."""
        if self._process is None or self._process.poll() is not None:
            return
        try:
            os.killpg(self._process.pid, signal.SIGTERM)
            self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait(timeout=timeout)
        except ProcessLookupError:
            pass


def _rasa_env() -> dict[str, str]:
    """Environment for Rasa: quiet, offline, able to import `nlu.rasa_addons`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env.update(
        PYTHONPATH=str(PROJECT_ROOT),
        TF_CPP_MIN_LOG_LEVEL="3",
        # One OpenMP thread per parse: with the default, concurrent requests on 2 cores made
        # the e5 featurizer's threads fight and single parses took 80-640 ms instead of ~26 ms.
        OMP_NUM_THREADS="1",
        RASA_TELEMETRY_ENABLED="false",
        LOG_LEVEL_LIBRARIES="ERROR",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    return env


def _port_answers(url: str) -> bool:
    try:
        httpx.get(url, timeout=0.5)
    except httpx.HTTPError:
        return False
    return True


if __name__ == "__main__":  # `python -m nlu.server train` trains without starting anything.
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if sys.argv[1:] == ["train"]:
        print(ensure_model(PROJECT_ROOT / "var" / "rasa"))
    else:
        print("usage: python -m nlu.server train", file=sys.stderr)
        sys.exit(2)
