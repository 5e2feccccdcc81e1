"""Evaluates the intent model on the held-out sets, per language (`scambot nlu eval`)."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from sklearn.metrics import accuracy_score, f1_score

from nlu.training_data import HELDOUT_DIR, read_examples
from nlu.types import NLU_FALLBACK, NluResult

LANGUAGES = ("km", "ko", "en")


class Parser(Protocol):
    """Anything with `async parse(text) -> NluResult`."""

    async def parse(self, text: str) -> NluResult: ...


async def evaluate_parser(parser: Parser, *, concurrency: int = 8) -> dict[str, Any]:
    """Scores `parser` on `nlu/heldout/<lang>.yml`: macro F1, accuracy and fallback rate per language.

    A fallback answer counts as wrong (the user did not get the intended answer).
    """
    semaphore = asyncio.Semaphore(concurrency)

    async def predict(text: str) -> NluResult:
        async with semaphore:
            return await parser.parse(text)

    report: dict[str, Any] = {}
    for lang in LANGUAGES:
        examples = read_examples([HELDOUT_DIR / f"{lang}.yml"])
        if not examples:
            continue
        truth = [intent for _, intent in examples]
        results = await asyncio.gather(*(predict(text) for text, _ in examples))
        predicted = [r.intent for r in results]
        # The model's best guess even when it is unsure (what the fallback threshold hides).
        top1 = [r.ranking[0].name if r.ranking else r.intent for r in results]
        labels = sorted(set(truth))
        report[lang] = {
            "examples": len(examples),
            "macro_f1": round(float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 4),
            "macro_f1_top1": round(float(f1_score(truth, top1, labels=labels, average="macro", zero_division=0)), 4),
            "confidence": [round(r.ranking[0].confidence if r.ranking else r.confidence, 3) for r in results],
            "correct_top1": [want == got for want, got in zip(truth, top1, strict=True)],
            "accuracy": round(float(accuracy_score(truth, predicted)), 4),
            "fallback_rate": round(predicted.count(NLU_FALLBACK) / len(predicted), 4),
            "errors": [
                {"text": text, "expected": want, "got": got}
                for (text, want), got in zip(examples, predicted, strict=True)
                if want != got
            ][:40],
        }
    return report


def format_report(report: dict[str, Any]) -> str:
    """A small table: language, examples, macro F1 (as users see it, and the model's best guess), accuracy, fallback."""
    lines = ["lang  examples  macro_F1  F1_top1  accuracy  fallback"]
    for lang, row in report.items():
        lines.append(
            f"{lang:<5} {row['examples']:>8}  {row['macro_f1']:>8.3f}  {row['macro_f1_top1']:>7.3f}  "
            f"{row['accuracy']:>8.3f}  {row['fallback_rate']:>8.3f}"
        )
    return "\n".join(lines)
