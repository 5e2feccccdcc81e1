"""A fake Rasa server (a function for `httpx.MockTransport`, not a mock) shared by the NLU and bot tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from nlu.client import RasaClient


@dataclass
class FakeRasa:
    """Answers `/model/parse` with `answer`; `mode` ("up", "down", "timeout", "500", "garbage") can change mid-test."""

    answer: dict[str, Any] = field(default_factory=dict)
    mode: str = "up"
    calls: int = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.mode == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if self.mode == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if self.mode == "500":
            return httpx.Response(500, text="Internal Server Error")
        if self.mode == "garbage":
            return httpx.Response(200, json={"unexpected": True})
        return httpx.Response(200, json=self.answer)

    def client(self, *, timeout: float = 1.5) -> RasaClient:
        """A real `RasaClient` talking to this fake."""
        return RasaClient("http://rasa.test", timeout=timeout, transport=httpx.MockTransport(self))
