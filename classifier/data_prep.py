"""Vendor the public data sets into ``classifier/data/`` with a fixed train/test split.

The split is decided by a hash of each example's normalised text, so it never changes
between runs and duplicates always land on the same side. Run once by hand::

    python -m classifier.data_prep /path/to/shared/datasets
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import sys
from pathlib import Path

__all__ = ["is_test", "vendor"]

DATA_DIR = Path(__file__).parent / "data"
TEST_PERCENT = 20


def is_test(text: str, percent: int = TEST_PERCENT) -> bool:
    """Return True when ``text`` belongs to the test split (stable across runs)."""
    key = " ".join(text.lower().split()).encode("utf-8")
    return int(hashlib.sha256(key).hexdigest()[:8], 16) % 100 < percent


def _split_csv(src: Path, dest: Path, text_field: str) -> tuple[int, int]:
    dest.mkdir(parents=True, exist_ok=True)
    with src.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    train = [r for r in rows if not is_test(r[text_field])]
    test = [r for r in rows if is_test(r[text_field])]
    for name, part in (("train", train), ("test", test)):
        with (dest / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=fields)
            writer.writeheader()
            writer.writerows(part)
    return len(train), len(test)


def _split_lines(src: Path, dest: Path) -> tuple[int, int]:
    dest.mkdir(parents=True, exist_ok=True)
    lines = [ln.strip() for ln in src.read_text(encoding="utf-8").splitlines() if ln.strip()]
    train = [ln for ln in lines if not is_test(ln)]
    test = [ln for ln in lines if is_test(ln)]
    (dest / "train.txt").write_text("\n".join(train) + "\n", encoding="utf-8")
    (dest / "test.txt").write_text("\n".join(test) + "\n", encoding="utf-8")
    return len(train), len(test)


def vendor(shared: Path) -> dict[str, tuple[int, int]]:
    """Copy and split the shared data sets into the package data folder.

    Args:
        shared: The folder holding ``sms_en.csv``, ``phishing_urls.csv``,
            ``khmer_text.txt`` and ``eth_phishing_domains.json``.

    Returns:
        ``{source: (train_rows, test_rows)}``.
    """
    counts = {
        "sms_en": _split_csv(shared / "sms_en.csv", DATA_DIR / "sms_en", "text"),
        "phishing_urls": _split_csv(shared / "phishing_urls.csv", DATA_DIR / "phishing_urls", "url"),
        "khmer_text": _split_lines(shared / "khmer_text.txt", DATA_DIR / "khmer_text"),
    }
    for name in ("eth_phishing_domains.json", "eth_phishing_domains.LICENSE"):
        shutil.copyfile(shared / name, DATA_DIR / name)
    return counts


if __name__ == "__main__":  # pragma: no cover - manual tool
    print(vendor(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets")))
