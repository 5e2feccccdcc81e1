"""One thread per check: the embedding engine and scikit-learn each bring their own OpenMP.

Two OpenMP runtimes spinning their worker threads on a shared 2-core machine slow each
other down tenfold (measured: an embedding 20 ms alone, 100-300 ms side by side). A
single message gains little from threads, so calls into them run single-threaded; only
a batch of texts for the embedding engine gets one thread per core.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager

from threadpoolctl import ThreadpoolController

__all__ = ["SingleThread"]


class SingleThread:
    """Context-manager factory limiting OpenMP (and BLAS) pools to one thread.

    The set of loaded libraries is read when first used (after the engines are loaded).
    """

    def __init__(self) -> None:
        """Prepare; nothing is inspected until the first call."""
        self._controller: ThreadpoolController | None = None
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Re-read the loaded libraries (call after loading a new native engine)."""
        with self._lock:
            self._controller = ThreadpoolController()

    def __call__(self, threads: int = 1) -> AbstractContextManager[object]:
        """Return a context manager that keeps thread pools at ``threads`` (one) inside it."""
        with self._lock:
            if self._controller is None:
                self._controller = ThreadpoolController()
            controller = self._controller
        return controller.limit(limits=max(1, threads))
