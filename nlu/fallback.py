"""A small local intent matcher used when the Rasa server is down or slow.

It learns from the same `nlu/data` files as Rasa (character n-grams, so it works for Khmer
too), so answers stay sensible while Rasa restarts. It is a safety net, not the main model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from nlu.training_data import data_files, read_examples
from nlu.types import NLU_FALLBACK, IntentScore, NluResult


class LocalIntentMatcher:
    """TF-IDF character and word n-grams with a logistic regression, trained in about a second."""

    def __init__(self, examples: Sequence[tuple[str, str]], *, threshold: float = 0.35) -> None:
        if not examples:
            raise ValueError("no training examples for the local intent matcher")
        texts = [text for text, _ in examples]
        labels = [intent for _, intent in examples]
        self._threshold = threshold
        self._pipeline = Pipeline(
            [
                (
                    "features",
                    FeatureUnion(
                        [
                            (
                                "chars",
                                TfidfVectorizer(
                                    analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, lowercase=True
                                ),
                            ),
                            (
                                "words",
                                TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True),
                            ),
                        ]
                    ),
                ),
                ("model", LogisticRegression(C=20.0, max_iter=2000)),
            ]
        )
        self._pipeline.fit(texts, labels)
        self._classes = list(self._pipeline.classes_)

    @classmethod
    def from_training_data(cls, *, threshold: float = 0.35) -> LocalIntentMatcher:
        """Builds the matcher from the project's `nlu/data` folder."""
        return cls(read_examples(data_files()), threshold=threshold)

    def match(self, text: str) -> NluResult:
        """Returns the best intent, or `nlu_fallback` under the threshold."""
        probabilities = self._pipeline.predict_proba([text[:2000]])[0]
        order = np.argsort(probabilities)[::-1][:5]
        ranking = tuple(IntentScore(self._classes[i], float(probabilities[i])) for i in order)
        best = ranking[0]
        intent = best.name if best.confidence >= self._threshold else NLU_FALLBACK
        return NluResult(intent, best.confidence, ranking, source="local")


class MatcherInBackground:
    """Trains the local matcher on a worker thread, so the bot starts without waiting for it.

    Rasa answers while it trains; if Rasa fails before training is done, that one answer waits.
    """

    def __init__(self, build: Callable[[], LocalIntentMatcher]) -> None:
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="local-matcher")
        self._future: Future[LocalIntentMatcher] = pool.submit(build)
        pool.shutdown(wait=False)  # the thread ends when training does; no need to wait here

    def match(self, text: str) -> NluResult:
        """Like `LocalIntentMatcher.match`; blocks (on a worker thread) until training is done."""
        return self._future.result().match(text)
