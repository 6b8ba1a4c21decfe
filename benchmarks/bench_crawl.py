"""Crawl speed and memory: the full pipeline vs bare Scrapy, side by side, in one run.

    python benchmarks/bench_crawl.py [--articles 2000] [--repeat 2]

Generates a mirror of N article pages in the CRI layout (benchmarks/make_mirror.py), serves it on
127.0.0.1 from a separate process, then crawls it (each crawl in its own process, same settings,
alternating) with:
  - full: the jl_cri spider with extraction, every pipeline and the JSONL feed;
  - bare: plain Scrapy fetching the same pages and following the same links, nothing else.
Prints pages/s, their ratio, extraction ms per article page (in-process, on the same pages) and
peak RSS. Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODES = ("bare", "full")
REPO = HERE.parent


def run_crawl(mode: str, proxy: str, out: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, str(HERE / "_crawl_runner.py"), mode, proxy, str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{mode} crawl failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def extraction_ms(mirror: Path, limit: int = 300) -> float:
    sys.path.insert(0, str(REPO))
    from newscrawler.offline import extract_record
    from newscrawler.portals import get_portal

    portal = get_portal("jl_cri")
    entries = json.loads((mirror / "mirror.json").read_text(encoding="utf-8"))["entries"]
    pages = [
        (e["url"], (mirror / e["file"]).read_bytes(), e.get("headers") or {})
        for e in entries
        if portal.is_article_url(e["url"])
    ][:limit]
    for url, body, headers in pages[:20]:  # warm up
        extract_record(body, url, portal, headers=headers)
    start = time.perf_counter()
    for url, body, headers in pages:
        extract_record(body, url, portal, headers=headers)
    return (time.perf_counter() - start) * 1000 / len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=2, help="crawls per mode (median reported)")
    parser.add_argument("--mirror", type=Path, help="use this mirror instead of generating one")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        mirror = args.mirror or Path(tmp) / "mirror"
        if args.mirror is None:
            subprocess.run(
                [
                    sys.executable,
                    str(HERE / "make_mirror.py"),
                    "--articles",
                    str(args.articles),
                    "--out",
                    str(mirror),
                ],
                check=True,
                cwd=REPO,
            )
        server = subprocess.Popen(
            [sys.executable, "-m", "newscrawler.mirror", str(mirror)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        try:
            proxy = server.stdout.readline().strip() if server.stdout else ""
            runs: dict[str, list[dict]] = {mode: [] for mode in MODES}
            for _ in range(args.repeat):
                for mode in MODES:
                    runs[mode].append(run_crawl(mode, proxy, Path(tmp) / f"{mode}.jsonl"))
        finally:
            server.terminate()
            server.wait(timeout=10)
        ms = extraction_ms(mirror)

    def med(mode: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[mode])

    print(f"mirror: {args.articles} articles; {args.repeat} crawl(s) per mode, median shown")
    print(
        f"{'mode':<8} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'/ bare':>7} {'items':>6}"
        f" {'CPU s':>7} {'peak RSS MB':>12}"
    )
    bare = med("bare", "pages_per_s")
    for mode in MODES:
        print(
            f"{mode:<8} {med(mode, 'pages'):>6.0f} {med(mode, 'seconds'):>8.2f}"
            f" {med(mode, 'pages_per_s'):>8.1f} {med(mode, 'pages_per_s') / bare:>6.2f}x"
            f" {med(mode, 'items'):>6.0f} {med(mode, 'cpu_s'):>7.2f} {med(mode, 'peak_rss_mb'):>12.1f}"
        )
    print("aim: full / bare pages/s >= 0.7x")
    print(f"extraction + pipelines, in process: {ms:.2f} ms per article page")


if __name__ == "__main__":
    main()
