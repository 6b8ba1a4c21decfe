"""Extraction speed at steady state, in one process: this checkout beside a baseline, in one run.

    python benchmarks/bench_extract.py [--pages DIR] [--repeat 5] [--rounds 3] [--baseline DIR]

Reads the pages of the shared evaluation's dev set (62 real pages, through its harness, when
``../shared/eval`` and ``../shared/realdata`` are there), or every ``*.html`` page under ``--pages``
(default without the harness: this repository's ``fixtures/``), extracts each once to warm up,
then times ``--repeat`` passes over all of them with the same code path as ``newscrawler
extract-batch`` (decode, parse, portal selectors or the generic extractor, the record steps and
fingerprint), in a fresh process per round. With ``--baseline DIR`` (another checkout, e.g. a
``git worktree`` of the commit before a change) the rounds alternate between the two, so both see
the same machine load. Prints ms/page and pages/s (best and median round) and peak RSS per
checkout, and lxml's parse alone of the same pages (the machine's floor: figures of two machines
compare as multiples of it), and the mean of each page's best CPU time of ``--repeat`` runs in a
row (steadier where the machine's speed drifts; optimistic); ``--stages`` adds the time spent in
each extraction stage. Not a test: compare rows of one run.
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
REPO = HERE.parent
SHARED = REPO.parent / "shared"

#: Runs in the measured checkout's own process (its code on PYTHONPATH): prints one JSON line.
WORKER = r"""
import json, resource, sys, time, collections
from pathlib import Path

paths, repeat, stages = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
from newscrawler.cli import _portal_for
from newscrawler.offline import extract_with_verdict
from newscrawler.steps import Rejected
pages = [(Path(p).read_bytes(), url) for p, url in paths]
spent = collections.Counter()
if stages:
    import newscrawler.extraction.generic as generic, newscrawler.extraction.page as page
    import newscrawler.offline as offline

    def timed(module, name, label):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - start

        setattr(module, name, wrapper)

    for name in ("decode_html", "parse_html", "extract_generic_tree"):
        timed(page, name, name)
    for name in ("clean_tree", "find_title", "main_nodes", "collect_blocks", "clean_paragraphs",
                 "find_metadata"):
        timed(generic, name, "generic." + name)
    for name in ("article_verdict", "build_record"):
        timed(offline, name, name)

def one_pass():
    for body, url in pages:
        try:
            extract_with_verdict(body, url, _portal_for(None, url))
        except Rejected:
            pass

one_pass()
spent.clear()
start = time.perf_counter()
for _ in range(repeat):
    one_pass()
elapsed = time.perf_counter() - start
n = len(pages) * repeat
stage_ms = {k: v / n * 1000 for k, v in spent.items()}  # (before the per-page runs below)
# each page's best CPU time of `repeat` runs in a row, averaged: steadier on a machine whose speed
# drifts between passes (optimistic: the repeated page finds warm caches)
page_best = 0.0
for body, url in pages:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        try:
            extract_with_verdict(body, url, _portal_for(None, url))
        except Rejected:
            pass
        best = min(best, time.process_time() - t)
    page_best += best
# the machine's floor: lxml's parse alone of the same pages, UTF-8 bytes (issue 8: 1.2-1.3 ms there)
from lxml import etree
from newscrawler.extraction.decoding import decode_html
utf8 = [decode_html(body)[0].encode("utf-8", "replace") for body, _ in pages]
parser = etree.HTMLParser(encoding="utf-8")
start = time.perf_counter()
for _ in range(repeat):
    for data in utf8:
        etree.fromstring(data, parser)
parse_only = time.perf_counter() - start
print(json.dumps({
    "ms_per_page": elapsed / n * 1000,
    "parse_ms_per_page": parse_only / n * 1000,
    "page_best_ms": page_best / len(pages) * 1000,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "stages": stage_ms,
}))
"""


def page_list(root: Path) -> list[tuple[str, str | None]]:
    """(path, url) of every saved page under ``root`` (the URL from a ``urls.json`` beside the
    pages, when there is one; else none)."""
    found = sorted(p for p in root.rglob("*.html") if p.is_file())
    urls: dict[str, str] = {}
    for listing in root.rglob("urls.json"):
        try:
            data = json.loads(listing.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            urls.update(
                {str((listing.parent / k).resolve()): v for k, v in data.items() if isinstance(v, str)}
            )
    return [(str(p), urls.get(str(p.resolve()))) for p in found]


def dev_set(tmp: Path) -> list[tuple[str, str | None]]:
    """(path, url) of the shared evaluation's dev pages, written to ``tmp`` (the harness holds
    some of them compressed or inside its own data files)."""
    sys.path.insert(0, str(SHARED / "eval"))
    import extract_eval  # type: ignore[import-not-found]  # (the shared harness, not a dependency)

    pages = []
    for number, case in enumerate(extract_eval.load_cases("dev", str(SHARED / "realdata"))):
        path = tmp / f"{number:03d}.html"
        path.write_bytes(case["html_bytes"])
        pages.append((str(path), case["url"] or None))
    return pages


def run_round(checkout: Path, pages: list[tuple[str, str | None]], repeat: int, stages: bool) -> dict:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, json.dumps(pages), str(repeat), "1" if stages else "0"],
        capture_output=True,
        text=True,
        cwd=checkout,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"extraction with {checkout} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    have_dev = (SHARED / "eval" / "extract_eval.py").is_file() and (SHARED / "realdata").is_dir()
    ap.add_argument(
        "--pages", type=Path, help="folder of saved pages (default: the shared dev set, else fixtures/)"
    )
    ap.add_argument("--repeat", type=int, default=5, help="passes over the pages per round (default 5)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds (processes) per checkout (default 3)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N pages (0: all)")
    ap.add_argument("--baseline", type=Path, help="another checkout to measure beside this one")
    ap.add_argument("--stages", action="store_true", help="also print the time per extraction stage")
    args = ap.parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="bench-extract-")
    if args.pages is None and have_dev:
        pages, source = dev_set(Path(tmp.name)), "the shared dev set"
    else:
        folder = args.pages or REPO / "fixtures"
        if not folder.is_dir():
            ap.error(f"--pages {folder}: not a folder")
        pages, source = page_list(folder), str(folder)
    if args.limit:
        pages = pages[: args.limit]
    if not pages:
        ap.error(f"--pages {args.pages}: no *.html pages in it")
    checkouts = {"this": REPO}
    if args.baseline:
        if not (args.baseline / "newscrawler").is_dir():
            ap.error(f"--baseline {args.baseline}: not a newscrawler checkout")
        checkouts["base"] = args.baseline.resolve()
    results: dict[str, list[dict]] = {name: [] for name in checkouts}
    for _ in range(args.rounds):
        for name, checkout in checkouts.items():  # (alternating: both see the same load)
            results[name].append(run_round(checkout, pages, args.repeat, args.stages))
    tmp.cleanup()
    print(f"{len(pages)} pages ({source}) x {args.repeat} passes, {args.rounds} rounds per checkout")
    print(
        f"{'checkout':<9} {'ms/page best':>12} {'median':>8} {'pages/s best':>12} {'peak RSS MB':>11}"
        f" {'lxml parse ms':>13} {'x parse':>7} {'page-best ms':>12}"
    )
    for name, rounds in results.items():
        times = [r["ms_per_page"] for r in rounds]
        best = min(times)
        rss = max(r["rss_mb"] for r in rounds)
        parse = min(r.get("parse_ms_per_page", float("nan")) for r in rounds)
        page_best = min(r.get("page_best_ms", float("nan")) for r in rounds)
        print(
            f"{name:<9} {best:>12.2f} {statistics.median(times):>8.2f} {1000 / best:>12.1f} {rss:>11.0f}"
            f" {parse:>13.2f} {best / parse:>7.1f} {page_best:>12.2f}"
        )
    print("(lxml parse: the machine's floor, lxml's parse alone of the same pages; x parse: extraction / it;")
    print(" page-best: each page's best CPU time of --repeat runs in a row, averaged: steadier, optimistic)")
    if "base" in results:
        ratio = min(r["ms_per_page"] for r in results["base"]) / min(
            r["ms_per_page"] for r in results["this"]
        )
        print(f"this/base speed: {ratio:.2f}x")
    if args.stages:
        names = sorted({k for rounds in results.values() for r in rounds for k in r["stages"]})
        print(f"\n{'stage (ms/page, best round)':<32}" + "".join(f"{n:>9}" for n in results))
        for stage in names:
            row = [min(r["stages"].get(stage, 0.0) for r in rounds) for rounds in results.values()]
            print(f"{stage:<32}" + "".join(f"{v:>9.2f}" for v in row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
