"""storage/ stands alone: it imports nothing of the project and nothing of telegram."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {"bot", "handlers", "nlu", "classifier", "content", "intake", "telegram"}

# Imports every storage module and runs the migrations (env.py and each revision), then
# lists which forbidden top-level packages ended up in sys.modules.
SCRIPT = """
import asyncio, importlib, json, pkgutil, sys
import storage
for info in pkgutil.walk_packages(storage.__path__, "storage."):
    if not info.name.startswith("storage.migrations.env") and ".versions." not in info.name:
        importlib.import_module(info.name)
async def main():
    db = storage.Database("sqlite+aiosqlite:///" + sys.argv[1])
    await db.migrate()
    await storage.UserRepository(db).touch(1, "km")
    await db.dispose()
asyncio.run(main())
forbidden = set(json.loads(sys.argv[2]))
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in forbidden)))
"""


def test_storage_imports_nothing_of_the_project(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "db" / "x.sqlite3"), json.dumps(sorted(FORBIDDEN))],
        cwd=tmp_path,  # also proves migrations are found from any working directory
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
