"""NLU latency: the bot's client path versus raw HTTP calls to the same Rasa server, in one run.

Starts the real Rasa server once, warms it up, then sends every held-out text (km, ko, en)
twice in turn, one request at a time: once as a bare `POST /model/parse` with httpx, once
through `RasaClient` + `NluService` as the handlers call it (both with a 30 s timeout, so a
slow answer is timed rather than replaced by the local matcher; the calls slower than the
bot's real NLU_TIMEOUT are counted). Which path goes first alternates
per message, so machine noise falls on both equally. Prints p50/p99 of each and the ratio
client/raw (target <= 1.2x). Always exits 0: it is a measurement.

    .venv/bin/python bench/nlu.py            # all held-out texts
    .venv/bin/python bench/nlu.py --quick    # 150 texts
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from pathlib import Path

import httpx
from _common import (
    ErrorCounter,
    Sample,
    heldout_samples,
    machine_line,
    percentile_ms,
    print_table,
    quiet_logs,
    rasa_server,
    verdict,
)

from bot.settings import Settings
from nlu.client import RasaClient
from nlu.fallback import LocalIntentMatcher
from nlu.service import NluService

TARGET_RATIO = 1.2
WARMUP = 40
RAW_TIMEOUT = 30.0


async def raw_parse(http: httpx.AsyncClient, text: str) -> str:
    """The baseline: one bare HTTP call, with the status check and JSON decoding any caller needs."""
    response = await http.post("/model/parse", json={"text": text})
    response.raise_for_status()
    return str(response.json()["intent"]["name"])


async def client_parse(service: NluService, text: str) -> str:
    """What a handler does: `NluService.parse`, which calls `RasaClient.parse`."""
    return (await service.parse(text)).intent


async def measure(url: str, samples: list[Sample]) -> dict[str, list[float]]:
    """Latency of each path per message, interleaved; also counts answers that did not come from Rasa."""
    timings: dict[str, list[float]] = {"raw": [], "client": []}
    local = await asyncio.to_thread(LocalIntentMatcher.from_training_data)
    # The same generous timeout as the raw path, so a slow answer is timed, not replaced by the
    # local matcher; `report` counts how many would have missed the bot's real timeout.
    rasa = RasaClient(url, timeout=RAW_TIMEOUT)
    service = NluService(rasa, local)
    async with httpx.AsyncClient(base_url=url, timeout=RAW_TIMEOUT) as http:
        try:
            for sample in samples[:WARMUP]:
                await raw_parse(http, sample.text)
                await client_parse(service, sample.text)
            warm_local = service.health().local_answers
            for n, sample in enumerate(samples):
                order = ("raw", "client") if n % 2 == 0 else ("client", "raw")
                for path in order:
                    started = time.perf_counter()
                    if path == "raw":
                        await raw_parse(http, sample.text)
                    else:
                        await client_parse(service, sample.text)
                    timings[path].append(time.perf_counter() - started)
            timings["fallbacks"] = [float(service.health().local_answers - warm_local)]
        finally:
            await rasa.aclose()
    return timings


def report(timings: dict[str, list[float]], n_texts: int) -> None:
    """The table and the verdict."""
    raw, client = timings["raw"], timings["client"]
    raw50, raw99 = percentile_ms(raw, 50), percentile_ms(raw, 99)
    cli50, cli99 = percentile_ms(client, 50), percentile_ms(client, 99)
    print()
    print(f"NLU latency, {n_texts} held-out texts (km, ko, en), sequential, paths interleaved per message")
    print_table(
        ["path", "p50 ms", "p99 ms", "mean ms"],
        [
            ["raw httpx POST /model/parse", f"{raw50:.2f}", f"{raw99:.2f}", f"{1000 * sum(raw) / len(raw):.2f}"],
            ["RasaClient + NluService", f"{cli50:.2f}", f"{cli99:.2f}", f"{1000 * sum(client) / len(client):.2f}"],
        ],
    )
    fallbacks = int(timings["fallbacks"][0])
    timeout = Settings.model_fields["nlu_timeout"].default
    slow = sum(1 for t in raw + client if t > timeout)
    print(f"answers from the local fallback instead of Rasa: {fallbacks}")
    print(f"calls slower than the bot's NLU_TIMEOUT ({timeout} s; the bot would have used the local matcher): {slow}")
    print()
    print_table(
        ["figure", "value", "target", "result"],
        [
            [
                "client/raw p50",
                f"{cli50 / raw50:.3f}x",
                f"<= {TARGET_RATIO}x",
                verdict(cli50 / raw50, TARGET_RATIO, at_most=True),
            ],
            [
                "client/raw p99",
                f"{cli99 / raw99:.3f}x",
                f"<= {TARGET_RATIO}x",
                verdict(cli99 / raw99, TARGET_RATIO, at_most=True),
            ],
        ],
    )
    print(machine_line())


async def main(quick: bool) -> None:
    """Starts Rasa, measures, stops Rasa."""
    quiet_logs()
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    samples = heldout_samples()
    if quick:
        samples = samples[:150]
    with tempfile.TemporaryDirectory(prefix="bench-nlu-") as tmp:
        try:
            async with rasa_server(Path(tmp)) as server:
                timings = await measure(server.url, samples)
        except Exception as exc:  # a measurement reports what went wrong and still exits 0
            print(f"bench/nlu.py could not run: {type(exc).__name__}: {exc}")
            return
    report(timings, len(samples))
    if errors.count:
        print(f"errors logged during the run: {errors.count}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="150 texts instead of all held-out texts")
    asyncio.run(main(parser.parse_args().quick))
