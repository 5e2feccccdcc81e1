"""Reads Rasa NLU YAML training data (the `nlu/data/<lang>/*.yml` files) without Rasa."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import yaml

NLU_DIR = Path(__file__).resolve().parent
DATA_DIR = NLU_DIR / "data"
HELDOUT_DIR = NLU_DIR / "heldout"


def read_examples(paths: Iterable[Path]) -> list[tuple[str, str]]:
    """Returns (text, intent) pairs from Rasa YAML files, in file order."""
    pairs: list[tuple[str, str]] = []
    for path in paths:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in document.get("nlu") or []:
            intent = block.get("intent")
            if not intent:
                continue
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- ") and line[2:].strip():
                    pairs.append((line[2:].strip(), intent))
    return pairs


def data_files(root: Path = DATA_DIR) -> list[Path]:
    """All training files, sorted so hashes and models are reproducible."""
    return sorted(root.rglob("*.yml"))


def training_hash(config: Path, data_root: Path = DATA_DIR, extra: Iterable[Path] = ()) -> str:
    """A short hash of everything a trained model depends on."""
    digest = hashlib.sha256()
    for path in [config, *data_files(data_root), *sorted(extra)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
