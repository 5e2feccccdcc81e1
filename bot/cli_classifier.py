"""Command-line glue for the classifier: ``scambot classifier train|eval`` and ``scambot check``.

``bot/cli.py`` mounts :data:`app` as ``classifier`` and registers :func:`check_command`
as ``check``. Output goes to stdout; the functions take their input and model path as
arguments so tests drive them through typer's runner.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(help="Train and evaluate the scam classifier.", no_args_is_help=True)

_BATCH = 64


def _load(model: Path | None, *, required: bool) -> Any:
    """Load the given model, or the newest in var/models; None if there is none."""
    from classifier.model import load_model
    from classifier.paths import default_model_path

    path = model or default_model_path()
    if path is None:
        if required:
            typer.echo("No trained model found. Run: scambot classifier train", err=True)
            raise typer.Exit(code=2)
        return None
    if not Path(path).exists():
        typer.echo(f"Model file not found: {path}", err=True)
        raise typer.Exit(code=2)
    return load_model(path)


@app.command("train")
def train_command(
    data: Annotated[Path | None, typer.Option("--data", help="Training data folder (default: vendored data).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Artifact folder (default: var/models).")] = None,
    no_embeddings: Annotated[bool, typer.Option("--no-embeddings", help="Skip the embedding stage (faster).")] = False,
) -> None:
    """Train the model and save it as a skops artifact."""
    import logging
    import time

    from classifier.train import TrainConfig, train

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    started = time.perf_counter()
    path = train(data, out, config=TrainConfig(embed=not no_embeddings))
    typer.echo(f"Saved {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.0f} s")


@app.command("eval")
def eval_command(
    data: Annotated[list[Path], typer.Option("--data", help="Labelled CSV or TXT file (repeatable).")],
    model: Annotated[Path | None, typer.Option("--model", help="Model artifact (default: newest).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the PNG plots.")] = Path("var/eval"),
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Print precision, recall, F1, FPR, ROC-AUC and Brier per source and language."""
    from classifier.evaluate import evaluate, format_table

    loaded = _load(model, required=True)
    reports = {}
    for path in data:
        if not path.exists():
            typer.echo(f"Data file not found: {path}", err=True)
            raise typer.Exit(code=2)
        report = evaluate(loaded, path, out_dir=out)
        reports[str(path)] = report
        if not json_:
            typer.echo(f"\n{path}")
            typer.echo(format_table(report))
            for plot in report.plots:
                typer.echo(f"plot: {plot}")
    if json_:
        typer.echo(json.dumps({k: r.as_dict() for k, r in reports.items()}, ensure_ascii=False, indent=2))


def _summary(result: Any) -> str:
    label = {"scam": "SCAM", "suspicious": "SUSPICIOUS", "no_signs": "no known signs"}[result.verdict]
    lines = [f"Verdict: {label} (score {result.score:.2f}, language {result.language})"]
    if result.scam_type:
        lines.append(f"Type: {result.scam_type.replace('_', ' ')}")
    if result.truncated:
        lines.append("Note: the message was long; only the first 20,000 characters were checked.")
    for s in result.signals:
        lines.append(f"  - [{s.severity}] {s.id.replace('_', ' ')}: {s.evidence}")
    for kind, values in result.entities.by_kind().items():
        lines.append(f"  {kind}: {', '.join(values)}")
    return "\n".join(lines)


def _batch_line(line: str) -> str | None:
    """The text of one batch input line, or None when the line has no text."""
    stripped = line.strip()
    if not stripped:
        return None
    if stripped.startswith("{"):
        obj = json.loads(stripped)
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise ValueError('JSON line must be an object with a string "text" field')
        return obj["text"]
    return stripped


async def _with_reports(results: list[Any], texts: list[str], lookup: Any) -> list[Any]:
    """Fill ``similar_reports`` from the report store (unchanged without one)."""
    if lookup is None:
        return results
    out = []
    for result, text in zip(results, texts, strict=True):
        similar = await lookup(result.entities.by_kind(), text)
        out.append(dataclasses.replace(result, similar_reports=similar))
    return out


async def _run_batch(loaded: Any, lookup: Any) -> None:
    from classifier.check import check_many

    async def flush(pending: list[tuple[str | None, str | None]]) -> None:
        texts = [t for t, err in pending if err is None and t is not None]
        try:
            checked = await _with_reports(check_many(texts, loaded), texts, lookup)
            results = iter([r.to_json() for r in checked])
        except Exception as exc:  # noqa: BLE001 - one bad batch must not stop the stream
            results = iter([{"error": f"check failed: {type(exc).__name__}"}] * len(texts))
        for _text, err in pending:
            out: dict[str, Any] = {"error": err} if err is not None else next(results)
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    pending: list[tuple[str | None, str | None]] = []
    for raw in sys.stdin:
        try:
            text = _batch_line(raw)
            pending.append((text, None) if text is not None else (None, "empty line"))
        except (ValueError, json.JSONDecodeError) as exc:
            pending.append((None, f"bad input line: {exc}"))
        if len(pending) >= _BATCH:
            await flush(pending)
            pending = []
    if pending:
        await flush(pending)


def _database_url() -> str | None:
    """The reports database the bot uses (DATABASE_URL, or its default SQLite file)."""
    from bot.settings import SettingsError, load_settings

    try:
        return load_settings().effective_database_url
    except SettingsError as exc:
        typer.echo(f"{exc}\n(similar_reports stays 0)", err=True)
        return None


def check_command(
    text: Annotated[str | None, typer.Argument(help="The message to check.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    batch: Annotated[bool, typer.Option("--batch", help="Read messages from stdin, one per line.")] = False,
    model: Annotated[Path | None, typer.Option("--model", help="Model artifact (default: newest).")] = None,
) -> None:
    """Check a message for scam signs (or many with --batch); counts matching reports in the bot's database."""
    from bot.checker import stored_reports
    from classifier.check import check_text

    if not batch and (text is None or not text.strip()):
        typer.echo('Give the message to check, e.g.: scambot check "text", or use --batch.', err=True)
        raise typer.Exit(code=2)
    loaded = _load(model, required=False)
    url = _database_url()

    async def run() -> Any:
        async with stored_reports(url) if url else contextlib.nullcontext() as lookup:
            if batch:
                await _run_batch(loaded, lookup)
                return None
            assert text is not None
            return (await _with_reports([check_text(text, loaded)], [text], lookup))[0]

    result = asyncio.run(run())
    if batch:
        return
    if json_:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        if loaded is None:
            typer.echo("(No trained model found: red-flag signals only.)")
        typer.echo(_summary(result))
