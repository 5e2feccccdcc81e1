"""A tokenizer that handles Khmer and Hangul properly.

Rasa's WhitespaceTokenizer treats Hangul syllables as emoji and Khmer vowel signs as
punctuation, so it shreds both scripts. This tokenizer takes maximal runs of letters,
combining marks and digits, then splits Khmer runs (written without spaces) into words
with khmer-nltk's segmenter, so word features work for Khmer too.
"""

from __future__ import annotations

from typing import Any, List

import regex
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

# Letters, marks and digits, optionally joined by an apostrophe, dot or hyphen (don't, e-mail, 10.5).
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’.\-][\p{L}\p{M}\p{N}]+)*")
_KHMER = regex.compile(r"[\u1780-\u17FF\u19E0-\u19FF]")


def _segment_khmer(word: str) -> List[str]:
    """Khmer words inside a run written without spaces (the run itself if segmentation fails)."""
    from khmernltk import word_tokenize  # imported lazily: loads a CRF model once

    parts = [p for p in word_tokenize(word, return_tokens=True) if p.strip()]
    return parts if "".join(parts) == word else [word]


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
        tokens: List[Token] = []
        for match in _WORD.finditer(text):
            word, start = match.group(), match.start()
            if not _KHMER.search(word):
                tokens.append(Token(word, start))
                continue
            for part in _segment_khmer(word):
                tokens.append(Token(part, start))
                start += len(part)
        if not tokens:
            tokens = [Token(text, 0)]
        return self._apply_token_pattern(tokens)
