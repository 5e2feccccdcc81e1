"""Shared fixtures for classifier tests: a small model trained once per session."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence

import numpy as np
import pytest

from classifier.data import Example, load_training
from classifier.model import ScamModel
from classifier.train import TrainConfig, fit_model


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: uses the full trained model or real embeddings")


class HashEmbedder:
    """A deterministic stand-in for a sentence model: bag of character trigrams, hashed.

    Good enough to exercise the embedding stage (similar texts get similar vectors)
    without loading a real model.
    """

    spec = "test:hash"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for j in range(max(len(t) - 2, 1)):
                h = int(hashlib.md5(t[j : j + 3].encode()).hexdigest()[:8], 16)
                out[i, h % self.dim] += 1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        return out


def small_training_set(seed: int = 5) -> list[Example]:
    """All team rows plus a sample of each public source: trains in seconds."""
    rng = random.Random(seed)
    examples = load_training()
    by_source: dict[str, list[Example]] = {}
    for e in examples:
        by_source.setdefault(e.source, []).append(e)
    picked: list[Example] = list(by_source.get("team", []))
    for source, n in (("sms_en", 900), ("phishing_urls", 500), ("khmer_text", 400)):
        rows = by_source.get(source, [])
        picked.extend(rng.sample(rows, min(n, len(rows))))
    return picked


@pytest.fixture(scope="session")
def small_model() -> ScamModel:
    """A model trained on a small sample, with a fake embedder for stage 2."""
    embedder = HashEmbedder()
    model = fit_model(
        small_training_set(),
        embedder=embedder,
        config=TrainConfig(embed_ham_sample=300, embed_khmer_sample=100),
    )
    model.embedder = None
    from classifier.embeddings import CachedEmbedder

    model.embedder = CachedEmbedder(embedder)
    return model
