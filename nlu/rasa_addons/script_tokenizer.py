"""A tokenizer that keeps Khmer and Hangul words whole.

Rasa's WhitespaceTokenizer treats Hangul syllables as emoji and Khmer vowel signs as
punctuation, so it shreds both scripts. This tokenizer takes maximal runs of letters,
combining marks and digits (Khmer runs stay whole; the character n-gram featurizer
then does the work for a language written without spaces).
"""

from __future__ import annotations

from typing import Any

import regex
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

# Letters, marks and digits, optionally joined by an apostrophe, dot or hyphen (don't, e-mail, 10.5).
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’.\-][\p{L}\p{M}\p{N}]+)*")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class ScriptTokenizer(Tokenizer):
    """Splits on anything that is not a letter, mark or digit, for every script."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Same options as Rasa's built-in tokenizers."""
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def not_supported_languages() -> list[str] | None:
        """Every language is supported."""
        return None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ScriptTokenizer:
        """Creates the component (stateless)."""
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Returns one token per word; a text with no word becomes a single token."""
        text = message.get(attribute) or ""
        tokens = [Token(m.group(), m.start()) for m in _WORD.finditer(text)]
        if not tokens:
            tokens = [Token(text, 0)]
        return self._apply_token_pattern(tokens)
