"""Tests of the NLU layer: client, local matcher, service, evaluation, the real Rasa server."""
