"""Per-message analysis and the features the model reads.

A message is analysed once (:func:`analyse`): normalised, entities, signals, language.
The model then reads three views of it: character n-grams (work for Khmer, which has no
spaces, and survive misspellings), word n-grams, and a small dense block of signal,
entity and link-shape features that carry over to languages the n-grams never saw.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from classifier.entities import ENTITY_KINDS, Entities, extract_from_clean
from classifier.language import LANGUAGES, detect_language
from classifier.normalise import Normalised, normalise
from classifier.signals import SIGNAL_IDS, Signal, find_signals

__all__ = ["Analysis", "analyse", "char_vectorizer", "dense_features", "word_vectorizer", "DENSE_NAMES"]

_SEVERITY_WEIGHT = {"low": 0.5, "medium": 0.75, "high": 1.0}
_RISKY_TLDS = frozenset(
    {
        *("xyz", "top", "vip", "cc", "icu", "online", "site", "shop", "info", "live", "cyou", "sbs"),
        *("cfd", "buzz", "tk", "ml", "ga", "cf", "gq", "pw", "ws", "club", "click", "link", "rest"),
        *("fit", "work", "loan", "win", "bid", "ru", "cn"),
    }
)
_URL_WORDS = ("login", "verify", "secure", "account", "update", "confirm", "bank", "wallet", "signin", "webscr")


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the rules found in one message; input to the model and to the verdict."""

    norm: Normalised
    entities: Entities
    signals: tuple[Signal, ...]
    language: str


def analyse(text: str, *, max_chars: int = 20_000) -> Analysis:
    """Normalise a message, extract its entities, find its signals and its language."""
    norm = normalise(text, max_chars=max_chars)
    entities = extract_from_clean(norm.clean)
    signals = tuple(find_signals(norm, entities))
    return Analysis(norm, entities, signals, detect_language(norm.clean))


def char_vectorizer() -> HashingVectorizer:
    """Character 2-5-grams inside word boundaries, hashed (no vocabulary to store)."""
    return HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        n_features=2**20,
        alternate_sign=False,
        norm=None,
        lowercase=False,
        dtype=np.float32,
    )


def word_vectorizer() -> HashingVectorizer:
    """Word 1-2-grams, hashed; Korean words are space-separated, so this works there too."""
    return HashingVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        token_pattern=r"(?u)\b\w+\b",
        n_features=2**19,
        alternate_sign=False,
        norm=None,
        lowercase=False,
        dtype=np.float32,
    )


DENSE_NAMES: tuple[str, ...] = (
    *(f"signal:{s}" for s in SIGNAL_IDS),
    *(f"entity:{k}" for k in ENTITY_KINDS),
    *(f"lang:{lang}" for lang in LANGUAGES),
    "signal_score",
    "len_log",
    "upper_ratio",
    "digit_ratio",
    "only_url",
    "url_host_len",
    "url_path_len",
    "url_dots",
    "url_hyphens",
    "url_digits",
    "url_at",
    "url_https",
    "url_risky_tld",
    "url_words",
    "url_query",
)


def _url_shape(an: Analysis) -> list[float]:
    urls = an.entities.of("url")
    if not urls:
        return [0.0] * 11
    url = urls[0]
    host = url.get("host")
    raw = url.raw.lower()
    rest = url.value.split("//", 1)[-1]
    path = rest[len(host) :] if rest.startswith(host) else rest
    only = 1.0 if len(an.norm.clean.split()) <= 1 else 0.0
    return [
        only,
        math.log1p(len(host)) / 4,
        math.log1p(len(path)) / 5,
        min(host.count("."), 6) / 3,
        min(raw.count("-"), 8) / 4,
        min(sum(c.isdigit() for c in host), 10) / 5,
        1.0 if "@" in raw else 0.0,
        1.0 if raw.startswith("https") else 0.0,
        1.0 if url.get("suffix").split(".")[-1] in _RISKY_TLDS else 0.0,
        min(sum(w in raw for w in _URL_WORDS), 3) / 2,
        1.0 if "?" in raw else 0.0,
    ]


_NUMBER_KINDS = ("phone", "money", "bank_account")


def _loose_digit_ratio(an: Analysis) -> float:
    """Share of digits outside phone numbers, amounts and accounts, as if the message
    had at least 40 characters, at most 0.3.

    English SMS spam is full of digits (premium numbers, prices); as a plain share of
    the text, a short ordinary message with a number ("645", "my number is 012 345 678")
    scored like spam. Phone numbers, amounts and accounts have their own features.
    """
    clean = an.norm.clean
    digits = sum(c.isdigit() for c in clean)
    known = sum(c.isdigit() for e in an.entities.items if e.kind in _NUMBER_KINDS for c in e.raw)
    return min(max(digits - known, 0) / max(len(clean), 40), 0.3)


def signal_score(signals: Sequence[Signal]) -> float:
    """Combine signal severities into a 0..1 risk score (noisy-or)."""
    weights = {"low": 0.08, "medium": 0.2, "high": 0.45}
    keep = 1.0
    for s in signals:
        keep *= 1.0 - weights.get(s.severity, 0.0)
    return 1.0 - keep


def dense_features(analyses: Sequence[Analysis], signal_ids: Sequence[str] = SIGNAL_IDS) -> sparse.csr_matrix:
    """Signals, entity counts, language, length and link shape as a sparse matrix.

    ``signal_ids``: the signal columns, in order; a model passes the list it was trained
    with, so signals added later do not shift the columns of an older artifact.
    """
    sig_index = {s: i for i, s in enumerate(signal_ids)}
    n_sig = len(signal_ids)
    rows = np.zeros((len(analyses), len(DENSE_NAMES) - len(SIGNAL_IDS) + n_sig), dtype=np.float32)
    n_ent = len(ENTITY_KINDS)
    for r, an in enumerate(analyses):
        for s in an.signals:
            if s.id in sig_index:
                rows[r, sig_index[s.id]] = _SEVERITY_WEIGHT.get(s.severity, 1.0)
        counts = an.entities.by_kind()
        for j, kind in enumerate(ENTITY_KINDS):
            rows[r, n_sig + j] = math.log1p(len(counts.get(kind, [])))
        rows[r, n_sig + n_ent + LANGUAGES.index(an.language)] = 1.0
        base = n_sig + n_ent + len(LANGUAGES)
        clean = an.norm.clean
        letters = [c for c in clean if c.isalpha()]
        rows[r, base] = signal_score(an.signals)
        rows[r, base + 1] = math.log1p(len(clean)) / 6
        rows[r, base + 2] = (sum(c.isupper() for c in letters) / len(letters)) if letters else 0.0
        rows[r, base + 3] = _loose_digit_ratio(an)
        rows[r, base + 4 : base + 15] = _url_shape(an)
    return sparse.csr_matrix(rows)
