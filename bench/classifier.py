"""Benchmark the scam classifier against a plain TF-IDF + LogisticRegression baseline.

Both are measured in the same run on the same machine: the baseline is trained here on
the same vendored training data. Prints quality (F1, FPR on the held-out test splits),
single-message latency p50/p99 (SMS-length messages, after load and warm-up), batch
throughput, model load time and artifact size, with ratios (ours / baseline).

What "load" means: the first ``load_model`` in a process that has imported the classifier
(importing skops, reading and checking the artifact). The embedder's weights load
separately ("embedder warm-up"; the bot does it on its loading thread right after the
model, so checks start as soon as the model is loaded); "cold start" is a new Python
process importing everything and loading. Wall-clock times depend on what else runs on
the machine, so throughput is also given per CPU second of this process.

Usage: python bench/classifier.py [--model PATH] [--n 400] [--json]
Targets (issue 5): p50 <= 20 ms, p99 <= 60 ms, >= 150 msg/s, load <= 3 s, <= 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from classifier.check import check_many, check_text  # noqa: E402
from classifier.data import load_eval_file, load_training  # noqa: E402
from classifier.features import analyse  # noqa: E402
from classifier.model import load_model  # noqa: E402
from classifier.paths import DATA_DIR, default_model_path  # noqa: E402

TEST_FILES = [
    DATA_DIR / "sms_en" / "test.csv",
    DATA_DIR / "phishing_urls" / "test.csv",
    DATA_DIR / "khmer_text" / "test.txt",
    DATA_DIR / "team" / "test_en.csv",
    DATA_DIR / "team" / "test_ko.csv",
    DATA_DIR / "team" / "test_km.csv",
]


def _baseline(examples):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    pipe = make_pipeline(
        TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2),
        LogisticRegression(C=10.0, solver="liblinear", max_iter=2000),
    )
    pipe.fit([e.text for e in examples], [e.label for e in examples])
    return pipe


def _f1_fpr(y: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    neg = int(np.sum(y == 0))
    f1 = 2 * tp / (2 * tp + fp + fn) if (tp + fp + fn) else float("nan")
    return f1, (fp / neg if neg else float("nan"))


def _forget_embeddings(model) -> None:  # type: ignore[no-untyped-def]
    """Empty the model's embedding cache (keeping the loaded embedder), so repeats are not free."""
    from classifier.embeddings import CachedEmbedder

    if isinstance(model.embedder, CachedEmbedder):
        model.embedder = CachedEmbedder(model.embedder.inner)


def _cold_start(path: Path) -> float:
    """Seconds for a new Python process to import the classifier and load the model."""
    code = (
        "import time; t = time.perf_counter(); from classifier import load_model; "
        f"load_model({str(path)!r}); print(time.perf_counter() - t)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def main() -> None:
    """Run the benchmark and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--n", type=int, default=400, help="messages for the latency runs")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    path = args.model or default_model_path()
    if path is None:
        sys.exit("No model: run `scambot classifier train` first.")
    t0 = time.perf_counter()
    model = load_model(path)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    model.warm_up()
    warm_s = time.perf_counter() - t0
    size_mb = path.stat().st_size / 1e6
    cold_s = _cold_start(path)

    t0 = time.perf_counter()
    base = _baseline(load_training())
    base_train_s = time.perf_counter() - t0
    import skops.io as sio

    with tempfile.TemporaryDirectory() as tmp:
        bpath = Path(tmp) / "baseline.skops"
        sio.dump(base, bpath)
        base_size_mb = bpath.stat().st_size / 1e6
        trusted = sio.get_untrusted_types(file=bpath)
        t0 = time.perf_counter()
        sio.load(bpath, trusted=trusted)
        base_load_s = time.perf_counter() - t0

    quality = []
    for f in TEST_FILES:
        if not f.exists():
            continue
        ex = load_eval_file(f)
        y = np.array([e.label for e in ex])
        texts = [e.text for e in ex]
        ours = np.array([r.verdict == "scam" for r in check_many(texts, model)])
        theirs = base.predict(texts).astype(bool)
        quality.append((f"{f.parent.name}/{f.name}", len(ex), *_f1_fpr(y, ours), *_f1_fpr(y, theirs)))

    # Latency on SMS-length messages (<= 300 chars) from the test sets.
    pool = [
        e.text for f in (TEST_FILES[0], *TEST_FILES[3:]) if f.exists() for e in load_eval_file(f) if len(e.text) <= 300
    ]
    rng = random.Random(7)
    rng.shuffle(pool)
    sample, warm = pool[: args.n], pool[args.n : args.n + 20]
    for text in warm:  # warm-up of both (caches, lazy imports)
        check_text(text, model)
        base.predict_proba([text])
    _forget_embeddings(model)  # the quality runs above embedded these very texts
    ours_ms, base_ms = [], []
    for text in sample:
        t0 = time.perf_counter()
        check_text(text, model)
        ours_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        base.predict_proba([text])
        base_ms.append((time.perf_counter() - t0) * 1000)
    used = [o.used_embedding for o in model.predict([analyse(t) for t in sample], use_embeddings=True)]
    embedded = sum(used)
    plain_ms = [ms for ms, u in zip(ours_ms, used, strict=True) if not u] or [float("nan")]
    embed_ms = [ms for ms, u in zip(ours_ms, used, strict=True) if u] or [float("nan")]

    batch = [rng.choice(pool) + f" #{i}" for i in range(1000)]  # distinct: no cache hits
    _forget_embeddings(model)
    t0, c0 = time.perf_counter(), time.process_time()
    for start in range(0, len(batch), 64):
        check_many(batch[start : start + 64], model)
    ours_tput = len(batch) / (time.perf_counter() - t0)
    ours_tput_cpu = len(batch) / (time.process_time() - c0)
    # Counted afterwards: a message embedded above is in the embedder's cache, so it counts again.
    batch_embedded = sum(o.used_embedding for o in model.predict([analyse(t) for t in batch]))
    t0 = time.perf_counter()
    for start in range(0, len(batch), 64):
        base.predict_proba(batch[start : start + 64])
    base_tput = len(batch) / (time.perf_counter() - t0)

    res = {
        "model": str(path),
        "latency_ms": {
            "p50": _percentile(ours_ms, 50),
            "p99": _percentile(ours_ms, 99),
            "p99_without_embedding": _percentile(plain_ms, 99),
            "p50_with_embedding": _percentile(embed_ms, 50),
            "baseline_p50": _percentile(base_ms, 50),
            "baseline_p99": _percentile(base_ms, 99),
            "share_embedded": embedded / len(sample),
        },
        "throughput_msgs_per_s": {
            "ours": ours_tput,
            "ours_per_cpu_second": ours_tput_cpu,
            "share_embedded": batch_embedded / len(batch),
            "baseline": base_tput,
        },
        "load_s": {"ours": load_s, "embedder_warm_up": warm_s, "cold_start": cold_s, "baseline": base_load_s},
        "size_mb": {"ours": size_mb, "baseline": base_size_mb},
        "baseline_train_s": base_train_s,
        "quality": [
            {"test": q[0], "n": q[1], "f1": q[2], "fpr": q[3], "baseline_f1": q[4], "baseline_fpr": q[5]}
            for q in quality
        ],
    }
    if args.json:
        print(json.dumps(res, indent=2))
        return
    lat = res["latency_ms"]
    print(f"model: {path.name}  (baseline TF-IDF+LR trained here in {base_train_s:.1f} s)")

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    print("| measure | ours | baseline | ratio ours/baseline | target | result |")
    print("|---|---:|---:|---:|---|---|")
    for q, target in (("p50", 20), ("p99", 60)):
        ours_q, base_q = lat[q], lat[f"baseline_{q}"]
        ok = verdict(ours_q <= target)
        print(f"| latency {q} (ms) | {ours_q:.1f} | {base_q:.2f} | {ours_q / base_q:.1f}x | <= {target} | {ok} |")
    ok = verdict(ours_tput >= 150)
    print(f"| throughput (msg/s) | {ours_tput:.0f} | {base_tput:.0f} | {ours_tput / base_tput:.2f}x | >= 150 | {ok} |")
    print(f"| throughput per CPU second of this process (msg) | {ours_tput_cpu:.0f} | - | - | - | - |")
    ok, ratio = verdict(load_s <= 3), load_s / max(base_load_s, 1e-9)
    print(f"| load time (s) | {load_s:.2f} | {base_load_s:.2f} | {ratio:.1f}x | <= 3 | {ok} |")
    print(f"| embedder warm-up after load (s) | {warm_s:.2f} | - | - | - | - |")
    print(f"| cold start: new process, imports + load (s) | {cold_s:.2f} | - | - | - | - |")
    ok, ratio = verdict(size_mb <= 200), size_mb / base_size_mb
    print(f"| artifact size (MB) | {size_mb:.1f} | {base_size_mb:.1f} | {ratio:.1f}x | <= 200 | {ok} |")
    shares = f"single checks {lat['share_embedded']:.0%}, batch {batch_embedded / len(batch):.0%}"
    print(f"(share of messages that used the embedding stage: {shares}; single checks without it:")
    print(f" p99 {lat['p99_without_embedding']:.1f} ms; with it: p50 {lat['p50_with_embedding']:.1f} ms)")
    print()
    print("| test split | n | F1 | FPR | baseline F1 | baseline FPR | F1 ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for q in quality:
        ratio = q[2] / q[4] if q[4] and not np.isnan(q[4]) and not np.isnan(q[2]) else float("nan")
        print(f"| {q[0]} | {q[1]} | {q[2]:.3f} | {q[3]:.4f} | {q[4]:.3f} | {q[5]:.4f} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
