#!/usr/bin/env python3
"""Generic-crawl discovery on the two generic fixture portals, beside a baseline revision.

    python benchmarks/bench_discovery.py                       # this checkout vs the baseline
    python benchmarks/bench_discovery.py --baseline none       # this checkout only
    python benchmarks/bench_discovery.py --baseline REV --repeat 5

For each portal (``fixtures/generic_portal``, ``fixtures/generic_portal2``) and each code
version, ``newscrawler crawl --url HOME --mirror DIR --store :memory:`` is run ``--repeat``
times; printed: recall (expected articles exported / articles on the portal), non-articles
exported, article-page fetches per exported article (list pages, the home page, robots.txt,
sitemaps and feeds excluded) and wall time of the whole process (min and median). The
baseline (default ``6b69637``: discovery by URL patterns, before issue 9) is unpacked with
``git archive`` into a temporary folder and crawls the same mirrors. Targets (issue 9): recall
≥ 0.98, 0 non-articles, ≤ 1.5 pages per exported article.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PORTALS = ("generic_portal", "generic_portal2")
DEFAULT_BASELINE = "6b69637"
STAT_RE = re.compile(r"'newscrawler/pages/article': (\d+)")


def crawl(code: Path, mirror: Path, home: str, out_dir: Path) -> tuple[list[str], int, float]:
    out = out_dir / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONIOENCODING": "utf-8"}
    argv = [sys.executable, "-m", "newscrawler", "crawl", "--url", home, "--mirror", str(mirror),
            "--store", ":memory:", "-O", str(out), "--log-level", "INFO"]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=code, env=env, capture_output=True, text=True, encoding="utf-8")
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"crawl failed ({code}):\n{proc.stderr[-2000:]}")
    urls = [json.loads(line)["url"] for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    m = STAT_RE.search(proc.stderr)
    return urls, int(m.group(1)) if m else 0, wall


def unpack(rev: str, into: Path) -> Path:
    data = subprocess.run(["git", "-C", str(REPO), "archive", rev], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def measure(label: str, code: Path, repeat: int, tmp: Path) -> None:
    for name in PORTALS:
        mirror = REPO / "fixtures" / name
        expected = json.loads((mirror / "expected" / "crawl.json").read_text(encoding="utf-8"))
        articles = set(expected["exported"])
        walls = []
        for i in range(repeat):
            run_dir = tmp / f"{label}-{name}-{i}"
            run_dir.mkdir()
            urls, article_pages, wall = crawl(code, mirror, expected["home_url"], run_dir)
            walls.append(wall)
        got = set(urls)
        recall = len(got & articles) / len(articles)
        per = article_pages / len(urls) if urls else float("inf")
        print(
            f"{label:<10} {name:<16} recall {len(got & articles):>2}/{len(articles):<2} = {recall:.3f}   "
            f"non-articles {len(got - articles)}   pages/article {per:.2f} ({article_pages} fetched)   "
            f"wall min {min(walls):.2f} s, median {statistics.median(walls):.2f} s ({repeat} runs)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--baseline", default=DEFAULT_BASELINE, help="git revision to compare with, or 'none'"
    )
    parser.add_argument("--repeat", type=int, default=3, help="crawls per portal and version (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-discovery-") as tmp_name:
        tmp = Path(tmp_name)
        if args.baseline != "none":
            measure(f"@{args.baseline}", unpack(args.baseline, tmp / "baseline"), args.repeat, tmp)
        measure("this", REPO, args.repeat, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
