"""A model for links on their own: is this URL a phishing link?

People often paste just a link. A URL is not a sentence: its evidence is in the shape
(long hosts, many hyphens, brand words in the path, odd endings), so it gets its own
model: character n-grams read by a logistic regression, stacked with a small boosted-tree
model over hand-made shape features. Its score also feeds the message model whenever a
message contains a link.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from classifier.threads import SingleThread

__all__ = ["UrlModel", "fit_url_model", "url_features", "url_for_model"]

_HINTS = (
    "login", "signin", "verify", "secure", "account", "update", "banking", "confirm", "webscr",
    "password", "wp-", "admin", "includes", "content", "images", "mail", "payment", "dropbox",
    "paypal", "apple", "office", "microsoft", "support", "wallet", "auth", "recover",
)  # fmt: skip
_RISKY = ("tk", "ml", "ga", "cf", "gq", "xyz", "top", "icu", "cyou", "sbs", "cfd", "buzz", "vip", "live")
_WORDS = re.compile(r"[A-Za-z0-9]+")


def url_for_model(raw: str) -> str:
    """The string the URL model reads: the link as written, with a scheme added if missing."""
    raw = raw.strip()
    return raw if re.match(r"(?i)^[a-z][a-z0-9+.-]*://", raw) else "http://" + raw


def _entropy(s: str) -> float:
    if not s:
        return 0.0
    counts = Counter(s)
    n = len(s)
    return -sum(v / n * math.log2(v / n) for v in counts.values())


def url_features(url: str) -> list[float]:
    """Shape features of one URL (lengths, counts, ratios, hints); never raises."""
    from classifier.entities import _tld_extractor

    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        path, query = parts.path, parts.query
    except ValueError:
        host, path, query = "", "", ""
    ext = _tld_extractor()(host) if host else None
    sub = ext.subdomain if ext else ""
    dom = ext.domain if ext else ""
    suffix = ext.suffix if ext else ""
    words = _WORDS.findall(url)
    low = url.lower()
    n = max(len(url), 1)
    return [
        math.log1p(len(url)),
        math.log1p(len(host)),
        math.log1p(len(path)),
        math.log1p(len(query)),
        host.count("."),
        url.count("-"),
        host.count("-"),
        url.count("@"),
        url.count("?"),
        url.count("&"),
        url.count("="),
        url.count("_"),
        url.count("~"),
        url.count("%"),
        url.count("/"),
        url.count("."),
        sum(c.isdigit() for c in url) / n,
        sum(c.isdigit() for c in host) / max(len(host), 1),
        1.0 if low.startswith("https") else 0.0,
        1.0 if re.fullmatch(r"[\d.]+", host or "x") else 0.0,
        1.0 if "xn--" in host else 0.0,
        float(len(sub.split("."))) if sub else 0.0,
        1.0 if sub.startswith("www") else 0.0,
        float(len(dom)),
        _entropy(dom),
        _entropy(url),
        float(max((len(w) for w in words), default=0)),
        float(np.mean([len(w) for w in words])) if words else 0.0,
        float(len(words)),
        float(sum(h in low for h in _HINTS)),
        1.0 if "http" in path.lower() else 0.0,
        1.0 if "//" in path else 0.0,
        float(path.count("/")),
        1.0 if re.search(r"\.(php|html?|asp|aspx|jsp|exe|zip|apk)$", path.lower()) else 0.0,
        1.0 if suffix in ("com", "org", "net") else 0.0,
        float(len(suffix)),
        1.0 if suffix.split(".")[-1] in _RISKY else 0.0,
        1.0 if re.search(r"(.)\1\1", url) else 0.0,
        1.0 if "www" in path.lower() else 0.0,
        1.0 if ".com" in path.lower() or ".com" in sub else 0.0,
    ]


def _char_hasher() -> HashingVectorizer:
    return HashingVectorizer(
        analyzer="char",
        ngram_range=(1, 5),
        n_features=2**20,
        alternate_sign=False,
        norm=None,
        lowercase=True,
        dtype=np.float32,
    )


@dataclass
class UrlModel:
    """Fitted parts of the URL model (saved inside the scam model artifact)."""

    char_tfidf: Any
    linear: Any
    booster: Any

    def __post_init__(self) -> None:
        self._hasher = _char_hasher()
        self._single = SingleThread()

    def predict_proba(self, urls: Sequence[str]) -> np.ndarray:
        """Probability that each URL is a phishing link."""
        if not urls:
            return np.zeros(0)
        x = self.char_tfidf.transform(self._hasher.transform(list(urls)))
        margin = self.linear.decision_function(x)
        feats = np.array([url_features(u) for u in urls], dtype=float)
        with self._single():  # a few links gain nothing from OpenMP threads
            return self.booster.predict_proba(np.column_stack([feats, margin]))[:, 1]


def fit_url_model(urls: Sequence[str], labels: Sequence[int], *, seed: int = 13) -> UrlModel:
    """Fit the URL model: char n-gram logistic regression stacked with boosted trees.

    Args:
        urls: Links (a scheme is added where missing).
        labels: 1 phishing, 0 legitimate.
        seed: Random seed.

    Returns:
        The fitted :class:`UrlModel`.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    items = [url_for_model(u) for u in urls]
    y = np.asarray(labels)
    hashed = _char_hasher().transform(items)
    tfidf = TfidfTransformer(sublinear_tf=True).fit(hashed)
    x = tfidf.transform(hashed)
    linear = LogisticRegression(C=30.0, solver="liblinear", max_iter=2000, random_state=seed)
    oof = cross_val_predict(linear, x, y, cv=4, method="decision_function")
    linear.fit(x, y)
    feats = np.array([url_features(u) for u in items], dtype=float)
    booster = HistGradientBoostingClassifier(max_iter=250, learning_rate=0.08, random_state=seed)
    booster.fit(np.column_stack([feats, oof]), y)
    return UrlModel(tfidf, linear, booster)
