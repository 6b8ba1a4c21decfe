"""Crawl speed and memory: the full pipeline vs bare Scrapy, side by side, in one run.

    python benchmarks/bench_crawl.py [--sizes 2000 10000] [--repeat 1] [--templated-every 0]

For each size, generates a mirror of N articles in the CRI layout (benchmarks/make_mirror.py;
``--templated-every 3`` makes every 3rd a templated notice: the near-duplicate candidate cap's
case), serves it on 127.0.0.1 from a separate process, then crawls it (each crawl in its own
process, same settings, alternating) with:
  - full: the jl_cri spider with extraction, every pipeline, the in-memory seen-store and the
    JSONL feed, in one process;
  - bare: plain Scrapy fetching the same pages and following the same links, nothing else.
Prints pages/s, their ratio, peak RSS and its growth from the first size. Targets (issue 8):
full/bare >= 0.7x at 2,000 and the same ratio (+-0.05) at 10,000; peak RSS at 10,000 <= 1.2x of
2,000. ``--baseline DIR`` adds a ``base`` row: the full crawl with another checkout's code (before/
after in one run). Not a test: figures depend on the machine (and its load: compare rows of one run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODES = ("bare", "full")
REPO = HERE.parent


def run_crawl(mode: str, proxy: str, out: Path, baseline: Path | None = None) -> dict:
    """One crawl in its own process; mode ``base`` is a full crawl with the code of ``baseline``."""
    root = baseline if mode == "base" and baseline is not None else REPO
    env = {**os.environ, "PYTHONPATH": str(root)}
    runner_mode = "full" if mode == "base" else mode
    proc = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "_crawl_runner.py"), runner_mode, proxy, str(out)],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{mode} crawl failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _figure(run: dict, key: str) -> float:
    """``key`` of one crawl's figures (older runners called the CPU time ``cpu_main_s``)."""
    if key == "cpu_s" and key not in run:
        key = "cpu_main_s"
    return float(run.get(key, float("nan")))


def measure(
    n: int, repeat: int, templated_every: int, tmp: Path, baseline: Path | None
) -> dict[str, list[dict]]:
    mirror = tmp / f"mirror{n}"
    subprocess.run(
        [
            sys.executable,
            str(HERE / "make_mirror.py"),
            "--articles",
            str(n),
            "--out",
            str(mirror),
            "--templated-every",
            str(templated_every),
        ],
        check=True,
        cwd=REPO,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "newscrawler.mirror", str(mirror)], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    try:
        proxy = server.stdout.readline().strip() if server.stdout else ""
        modes = (*MODES, "base") if baseline else MODES
        runs: dict[str, list[dict]] = {mode: [] for mode in modes}
        for _ in range(repeat):
            for mode in modes:
                runs[mode].append(run_crawl(mode, proxy, tmp / f"{mode}.jsonl", baseline))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000], help="articles per mirror")
    parser.add_argument("--repeat", type=int, default=1, help="crawls per mode and size (median reported)")
    parser.add_argument("--templated-every", type=int, default=0, help="see make_mirror.py")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="also crawl with the code of this checkout (e.g. `git worktree add /tmp/base main`): row 'base'",
    )
    args = parser.parse_args()

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            results[n] = measure(n, args.repeat, args.templated_every, Path(tmp), args.baseline)

    print(f"{args.repeat} crawl(s) per mode and size, median shown; templated every {args.templated_every}")
    print(
        f"{'articles':>8} {'mode':<5} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'/ bare':>7} {'items':>6}"
        f" {'CPU s':>6} {'peak RSS MB':>12} {'RSS / first':>11}"
    )
    first_rss: dict[str, float] = {}
    for n, runs in results.items():

        def med(mode: str, key: str, runs: dict[str, list[dict]] = runs) -> float:
            return statistics.median(_figure(r, key) for r in runs[mode])

        bare = med("bare", "pages_per_s")
        for mode in runs:
            rss = med(mode, "peak_rss_mb")
            first_rss.setdefault(mode, rss)
            growth = f"{rss / first_rss[mode]:>10.2f}x"
            print(
                f"{n:>8} {mode:<5} {med(mode, 'pages'):>6.0f} {med(mode, 'seconds'):>8.2f}"
                f" {med(mode, 'pages_per_s'):>8.1f} {med(mode, 'pages_per_s') / bare:>6.2f}x"
                f" {med(mode, 'items'):>6.0f} {med(mode, 'cpu_s'):>6.1f} {rss:>12.1f} {growth:>11}"
            )
    print("aim: full / bare >= 0.7x at 2,000 and the same (+-0.05) at 10,000; RSS at 10,000 <= 1.2x of 2,000")


if __name__ == "__main__":
    main()
