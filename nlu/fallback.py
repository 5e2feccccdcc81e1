"""A small local intent matcher used when the Rasa server is down or slow.

It learns from the same `nlu/data` files as Rasa (character n-grams, so it works for Khmer
too), so answers stay sensible while Rasa restarts. It is a safety net, not the main model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from itertools import chain, repeat

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import FeatureUnion, Pipeline

from nlu.training_data import data_files, read_examples
from nlu.types import NLU_FALLBACK, IntentScore, NluResult


class LocalIntentMatcher:
    """TF-IDF character and word n-grams with a logistic-loss linear model, trained in seconds.

    Stochastic gradient descent, not L-BFGS: on these 66,000 features L-BFGS kept about
    430 MB of history while training at start-up and took 20x longer, for the same accuracy
    on the held-out sets.
    """

    def __init__(self, examples: Sequence[tuple[str, str]], *, threshold: float = 0.35) -> None:
        if not examples:
            raise ValueError("no training examples for the local intent matcher")
        texts = [text for text, _ in examples]
        labels = [intent for _, intent in examples]
        pipeline = Pipeline(
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
                ("model", SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=50, tol=1e-4, random_state=0)),
            ]
        )
        pipeline.fit(texts, labels)
        self._pipeline = pipeline
        self._threshold = threshold
        self._classes = list(pipeline.classes_)
        # The fitted parts, for scoring without scikit-learn's per-call overhead (`_probabilities`).
        vectorizers = [vectorizer for _, vectorizer in pipeline.named_steps["features"].transformer_list]
        offsets = np.cumsum([0] + [len(v.vocabulary_) for v in vectorizers])
        self._analysers = [
            (n_grams(v), {gram: column + offset for gram, column in v.vocabulary_.items()})
            for v, offset in zip(vectorizers, offsets[:-1], strict=True)
        ]
        self._idf = np.concatenate([v.idf_ for v in vectorizers])
        model = pipeline.named_steps["model"]
        self._coef = np.ascontiguousarray(model.coef_.T)
        self._intercept = model.intercept_

    @classmethod
    def from_training_data(cls, *, threshold: float = 0.35) -> LocalIntentMatcher:
        """Builds the matcher from the project's `nlu/data` folder."""
        return cls(read_examples(data_files()), threshold=threshold)

    def match(self, text: str) -> NluResult:
        """Returns the best intent, or `nlu_fallback` under the threshold."""
        return self.match_many([text])[0]

    def match_many(self, texts: Sequence[str]) -> list[NluResult]:
        """Like `match` for many texts; one call costs little more than one text."""
        if not texts:
            return []
        return self._results(self._probabilities([text[:2000] for text in texts]))

    def _probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """What the fitted pipeline's `predict_proba` gives, computed from its fitted parts.

        scikit-learn checks its input on every call (about 2 ms for one text here, most of
        it looking for data-frame types); counting a message's n-grams costs tens of µs.
        Per text only the counting runs in Python; the arithmetic runs once per batch.
        """
        columns: list[int] = []
        counts: list[int] = []
        ends: list[int] = []  # where each (text, vectoriser) run of n-grams ends
        for text in texts:
            for analyse, vocabulary in self._analysers:
                grams = Counter(analyse(text))
                columns.extend(map(vocabulary.get, grams, repeat(-1)))
                counts.extend(grams.values())
                ends.append(len(columns))
        run = np.repeat(np.arange(len(ends)), np.diff(ends, prepend=0))
        cols = np.array(columns, dtype=np.int64)
        known = cols >= 0
        cols, run = cols[known], run[known]
        # Sublinear TF-IDF, then unit length per vectoriser (as TfidfVectorizer does).
        weights = (1.0 + np.log(np.array(counts, dtype=float)[known])) * self._idf[cols]
        norms = np.sqrt(np.bincount(run, weights=weights * weights, minlength=len(ends)))
        weights /= norms[run]
        x = sparse.csr_matrix((weights, (run // len(self._analysers), cols)), shape=(len(texts), len(self._idf)))
        scores = 1.0 / (1.0 + np.exp(-(np.asarray(x @ self._coef) + self._intercept)))
        if scores.shape[1] == 1:  # two intents: one logistic score, for the second
            return np.hstack([1.0 - scores, scores])
        # One-vs-rest logistic scores, normalised to sum to one (as SGDClassifier does).
        return scores / np.maximum(scores.sum(axis=1, keepdims=True), 1e-12)

    def _results(self, probabilities: np.ndarray) -> list[NluResult]:
        top = np.argsort(-probabilities, axis=1, kind="stable")[:, :5]
        scores = np.take_along_axis(probabilities, top, axis=1)
        return [self._result(order, row) for order, row in zip(top.tolist(), scores.tolist(), strict=True)]

    def _result(self, order: list[int], scores: list[float]) -> NluResult:
        ranking = tuple(IntentScore(self._classes[i], score) for i, score in zip(order, scores, strict=True))
        best = ranking[0]
        intent = best.name if best.confidence >= self._threshold else NLU_FALLBACK
        return NluResult(intent, best.confidence, ranking, source="local")


def n_grams(vectorizer: TfidfVectorizer) -> Callable[[str], Iterable[str]]:
    """The vectoriser's analyser; for character n-grams within words, each word's are remembered.

    Character n-grams never cross a word (``char_wb``), so a text's are its words' n-grams
    together; words repeat from message to message, and cutting them up cost more than the
    rest of the scoring.
    """
    analyse = vectorizer.build_analyzer()
    if vectorizer.analyzer != "char_wb":
        return analyse
    preprocess = vectorizer.build_preprocessor()
    of_word = lru_cache(maxsize=4096)(lambda word: tuple(analyse(word)))

    def by_word(text: str) -> Iterable[str]:
        return chain.from_iterable(map(of_word, preprocess(text).split()))

    return by_word


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

    def match_many(self, texts: Sequence[str]) -> list[NluResult]:
        """Like `LocalIntentMatcher.match_many`; blocks until training is done."""
        return self._future.result().match_many(texts)
