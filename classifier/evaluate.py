"""Evaluate a model on a labelled file: quality per source and per language, plus plots.

A message counts as flagged when the verdict is ``scam``. Reported for every group:
precision, recall, F1, false-positive rate, ROC-AUC and Brier score (the two last
from the calibrated score), and also the rate of any warning (``scam`` or
``suspicious``) among non-scams, so the cost of the middle verdict stays visible.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from classifier.check import CheckResult, check_many
from classifier.data import Example, load_eval_file
from classifier.model import ScamModel

__all__ = ["EvalReport", "GroupMetrics", "evaluate", "format_table", "metrics_for"]


@dataclass(frozen=True, slots=True)
class GroupMetrics:
    """Quality figures for one group of messages (NaN where undefined)."""

    group: str
    n: int
    positives: int
    precision: float
    recall: float
    f1: float
    fpr: float
    warn_fpr: float
    roc_auc: float
    brier: float

    def as_dict(self) -> dict[str, Any]:
        """Plain dict (NaN becomes None) for JSON output."""
        return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in _fields(self).items()}


def _fields(m: GroupMetrics) -> dict[str, Any]:
    return {name: getattr(m, name) for name in GroupMetrics.__slots__}


@dataclass
class EvalReport:
    """Result of :func:`evaluate`: metrics overall, per source, per language; plot files."""

    overall: GroupMetrics
    by_source: list[GroupMetrics]
    by_language: list[GroupMetrics]
    plots: list[Path] = field(default_factory=list)

    def rows(self) -> list[GroupMetrics]:
        """All groups, overall first."""
        return [self.overall, *self.by_source, *self.by_language]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "overall": self.overall.as_dict(),
            "by_source": [m.as_dict() for m in self.by_source],
            "by_language": [m.as_dict() for m in self.by_language],
            "plots": [str(p) for p in self.plots],
        }


def _roc_auc(y: np.ndarray, s: np.ndarray) -> float:
    if len(set(y.tolist())) < 2:
        return float("nan")
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, s))


def metrics_for(group: str, y: Sequence[int], scores: Sequence[float], verdicts: Sequence[str]) -> GroupMetrics:
    """Compute :class:`GroupMetrics` for labels, scores and verdicts of one group."""
    ya = np.asarray(y, dtype=int)
    sa = np.asarray(scores, dtype=float)
    pred = np.array([v == "scam" for v in verdicts])
    warn = np.array([v != "no_signs" for v in verdicts])
    tp = int(np.sum(pred & (ya == 1)))
    fp = int(np.sum(pred & (ya == 0)))
    fn = int(np.sum(~pred & (ya == 1)))
    neg = int(np.sum(ya == 0))
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    if math.isnan(precision) or math.isnan(recall) or precision + recall == 0:
        f1 = float("nan") if (tp + fn == 0) else 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return GroupMetrics(
        group=group,
        n=len(ya),
        positives=int(np.sum(ya == 1)),
        precision=precision,
        recall=recall,
        f1=f1,
        fpr=fp / neg if neg else float("nan"),
        warn_fpr=int(np.sum(warn & (ya == 0))) / neg if neg else float("nan"),
        roc_auc=_roc_auc(ya, sa),
        brier=float(np.mean((sa - ya) ** 2)) if len(ya) else float("nan"),
    )


def _plots(y: np.ndarray, scores: np.ndarray, verdicts: list[str], out_dir: Path, stem: str) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    # Confusion matrix: true label x verdict (all three verdicts shown).
    cols = ["scam", "suspicious", "no_signs"]
    mat = np.zeros((2, 3), dtype=int)
    for label, v in zip(y.tolist(), verdicts, strict=True):
        mat[1 - label, cols.index(v)] += 1
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.imshow(mat, cmap="Blues")
    ax.set_xticks(range(3), cols)
    ax.set_yticks(range(2), ["scam", "not scam"])
    ax.set_xlabel("verdict")
    ax.set_ylabel("true label")
    for i in range(2):
        for j in range(3):
            ax.text(
                j, i, str(mat[i, j]), ha="center", va="center", color="white" if mat[i, j] > mat.max() / 2 else "black"
            )
    ax.set_title(f"Confusion matrix: {stem}")
    fig.tight_layout()
    p = out_dir / f"{stem}-confusion.png"
    fig.savefig(p, dpi=110)
    plt.close(fig)
    paths.append(p)
    # Reliability: mean predicted score vs observed scam rate in 10 bins.
    bins = np.linspace(0, 1, 11)
    idx = np.clip(np.digitize(scores, bins) - 1, 0, 9)
    xs, ys, ns = [], [], []
    for b in range(10):
        mask = idx == b
        if mask.any():
            xs.append(float(scores[mask].mean()))
            ys.append(float(y[mask].mean()))
            ns.append(int(mask.sum()))
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect")
    ax.plot(xs, ys, "o-", label="model")
    for x_, y_, n_ in zip(xs, ys, ns, strict=True):
        ax.annotate(str(n_), (x_, y_), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xlabel("predicted scam probability")
    ax.set_ylabel("observed scam rate")
    ax.set_title(f"Reliability: {stem}")
    ax.legend(loc="upper left")
    fig.tight_layout()
    p = out_dir / f"{stem}-reliability.png"
    fig.savefig(p, dpi=110)
    plt.close(fig)
    paths.append(p)
    return paths


def evaluate(
    model: ScamModel | None,
    data_file: Path | str | Sequence[Example],
    *,
    out_dir: Path | None = None,
    batch_size: int = 256,
) -> EvalReport:
    """Evaluate ``model`` on a labelled file (or examples).

    Args:
        model: A loaded model, or None to evaluate the signals-only mode.
        data_file: CSV (``text``/``url`` + ``label``, optional ``source``) or ``.txt``
            (one non-scam message per line), or a list of :class:`Example`.
        out_dir: When given, the confusion matrix and reliability plot are written there.
        batch_size: Messages checked per batch.

    Returns:
        An :class:`EvalReport`.
    """
    if isinstance(data_file, str | Path):
        path = Path(data_file)
        examples = load_eval_file(path)
        stem = path.stem if path.parent.name in {"", "."} else f"{path.parent.name}-{path.stem}"
    else:
        examples = list(data_file)
        stem = "examples"
    results: list[CheckResult] = []
    for start in range(0, len(examples), batch_size):
        chunk = examples[start : start + batch_size]
        results.extend(check_many([e.text for e in chunk], model))
    y = np.array([e.label for e in examples], dtype=int)
    scores = np.array([r.score for r in results], dtype=float)
    verdicts = [r.verdict for r in results]
    overall = metrics_for("all", y, scores, verdicts)

    def grouped(keys: list[str], prefix: str) -> list[GroupMetrics]:
        out = []
        for key in sorted(set(keys)):
            idx = [i for i, k in enumerate(keys) if k == key]
            out.append(metrics_for(f"{prefix}{key}", y[idx], scores[idx], [verdicts[i] for i in idx]))
        return out

    by_source = grouped([e.source for e in examples], "source=")
    by_language = grouped([r.language for r in results], "lang=")
    plots = _plots(y, scores, verdicts, out_dir, stem) if out_dir is not None and examples else []
    return EvalReport(overall, by_source, by_language, plots)


def _fmt(v: float) -> str:
    return "  -  " if isinstance(v, float) and math.isnan(v) else f"{v:.3f}"


def format_table(report: EvalReport) -> str:
    """Render the report as a fixed-width text table (also valid Markdown)."""
    head = "| group | n | scams | precision | recall | F1 | FPR | warn FPR | ROC-AUC | Brier |"
    sep = "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    lines = [head, sep]
    for m in report.rows():
        lines.append(
            f"| {m.group} | {m.n} | {m.positives} | {_fmt(m.precision)} | {_fmt(m.recall)} | "
            f"{_fmt(m.f1)} | {_fmt(m.fpr)} | {_fmt(m.warn_fpr)} | {_fmt(m.roc_auc)} | {_fmt(m.brier)} |"
        )
    return "\n".join(lines)
