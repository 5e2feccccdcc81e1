"""Reading labelled examples: the vendored training data and any evaluation file."""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from classifier.paths import DATA_DIR

__all__ = ["Example", "data_hash", "load_eval_file", "load_training", "parse_label"]

_SCAM_LABELS = {"scam", "spam", "smishing", "phishing", "fraud", "1", "true", "yes", "malicious", "bad"}
_HAM_LABELS = {"ham", "legit", "legitimate", "benign", "normal", "0", "false", "no", "good", "not_scam"}
_PRIZE = re.compile(r"(?i)\b(won|win|winner|prize|claim|award|reward|cash|jackpot|lottery|draw)\b")


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message.

    Attributes:
        text: The message or URL.
        label: 1 for scam, 0 for not a scam.
        scam_type: Scam type for scam rows when known, else "".
        source: Where it came from (``sms_en``, ``phishing_urls``, ``khmer_text``, ``team``...).
        weight: Sample weight in training.
    """

    text: str
    label: int
    scam_type: str = ""
    source: str = ""
    weight: float = 1.0


def parse_label(value: str) -> int | None:
    """Map a label string (scam/ham/spam/1/0/...) to 1/0, or None when unknown."""
    v = (value or "").strip().lower()
    if v in _SCAM_LABELS:
        return 1
    if v in _HAM_LABELS:
        return 0
    return None


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _sms_type(text: str, subtype: str) -> str:
    if subtype == "smishing":
        return "phishing"
    return "lottery" if _PRIZE.search(text) else ""


def _khmer_chunks(line: str, size: int = 160) -> list[str]:
    """Cut a paragraph into sentence-sized pieces (ordinary short Khmer text)."""
    pieces = [p.strip() for p in re.split(r"[។!?៕]", line) if len(p.strip()) >= 20]
    return [p[:size] for p in pieces]


def load_training(data_dir: Path | None = None, *, team_weight: float = 3.0) -> list[Example]:
    """Load every training split under ``data_dir`` (default: the vendored data).

    Args:
        data_dir: Folder laid out like ``classifier/data`` (``sms_en/train.csv``,
            ``phishing_urls/train.csv``, ``khmer_text/train.txt``, ``team/train_*.csv``).
            Missing parts are skipped.
        team_weight: Sample weight of team-written rows (they are few but on target).

    Returns:
        The examples.
    """
    root = data_dir or DATA_DIR
    out: list[Example] = []
    sms = root / "sms_en" / "train.csv"
    if sms.exists():
        for row in _read_csv(sms):
            label = parse_label(row.get("label", ""))
            if label is None:
                continue
            stype = _sms_type(row["text"], row.get("subtype", "")) if label else ""
            out.append(Example(row["text"], label, stype, "sms_en"))
    urls = root / "phishing_urls" / "train.csv"
    if urls.exists():
        for row in _read_csv(urls):
            label = parse_label(row.get("label", ""))
            if label is not None:
                out.append(Example(row["url"], label, "phishing" if label else "", "phishing_urls"))
    khmer = root / "khmer_text" / "train.txt"
    if khmer.exists():
        lines = [ln for ln in khmer.read_text(encoding="utf-8").splitlines() if ln.strip()]
        for i, line in enumerate(lines):
            out.append(Example(line[:1500], 0, "", "khmer_text"))
            if i % 2 == 0:
                for chunk in _khmer_chunks(line)[:2]:
                    out.append(Example(chunk, 0, "", "khmer_text", 0.5))
    for path in sorted((root / "team").glob("train_*.csv")):
        for row in _read_csv(path):
            label = parse_label(row.get("label", ""))
            if label is None or not row.get("text"):
                continue
            stype = (row.get("scam_type") or "").strip() if label else ""
            out.append(Example(row["text"], label, stype, row.get("source") or "team", team_weight))
    return out


def data_hash(data_dir: Path | None = None) -> str:
    """SHA-256 over the training files and signal phrase lists, in a stable order."""
    root = data_dir or DATA_DIR
    h = hashlib.sha256()
    files = [
        *sorted(root.glob("*/train.*")),
        *sorted((root / "team").glob("train_*.csv")),
        *sorted((DATA_DIR / "signals").glob("*.yml")),
    ]
    for path in files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def load_eval_file(path: Path) -> list[Example]:
    """Load an evaluation file.

    Supported: CSV with a ``text`` (or ``url``) column and a ``label`` column, optional
    ``source`` and ``scam_type``; or a ``.txt`` file with one ordinary (not scam)
    message per line.

    Args:
        path: The file.

    Returns:
        The examples; the source defaults to the file's parent folder and stem.
    """
    default_source = f"{path.parent.name}/{path.stem}" if path.parent.name else path.stem
    if path.suffix.lower() == ".txt":
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        return [Example(ln, 0, "", default_source) for ln in lines]
    out = []
    for row in _read_csv(path):
        text = row.get("text") or row.get("url") or row.get("message") or ""
        label = parse_label(row.get("label", ""))
        if label is None or not text:
            continue
        source = row.get("source") or default_source
        out.append(Example(text, label, (row.get("scam_type") or "") if label else "", source))
    return out
