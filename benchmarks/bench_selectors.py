"""A portal's selectors on real page trees: one XPath per selector vs evaluated together.

    python benchmarks/bench_selectors.py [--pages DIR] [--portal jl_cri] [--rounds 5]

Parses each page once (the shared evaluation's dev set when ``../shared`` has it, else every
``*.html`` under ``--pages``, default ``fixtures/``), then evaluates every selector an article page
of ``--portal`` meets in ``extract_page`` (non-article marker, the article fields, next page, body
exclusions) with the plain :func:`newscrawler.extraction.selectors.select` and with
:class:`~newscrawler.extraction.selectors.PageSelectors`, in alternating rounds of one process,
and checks that both find the same elements. Prints ms/page of each (best round), their ratio and
lxml's parse of the same pages (the machine's floor). Not a test: compare rows of one run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_extract import SHARED, dev_set, page_list  # noqa: E402  (the one page loader of the benchmarks)

from newscrawler.extraction.decoding import decode_html  # noqa: E402
from newscrawler.extraction.page import SELECTOR_FIELDS  # noqa: E402
from newscrawler.extraction.selectors import PageSelectors, select  # noqa: E402
from newscrawler.extraction.tree import parse_html  # noqa: E402
from newscrawler.portals import get_portal  # noqa: E402


def portal_selectors(name: str) -> list[str]:
    """The selectors ``extract_page`` evaluates on an article page of portal ``name``."""
    portal = get_portal(name)
    spec = portal.article
    found = [portal.non_article_marker, *(getattr(spec, f) for f in (*SELECTOR_FIELDS, "next_page"))]
    return [css for css in (*found, *spec.body_exclude) if css]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--pages", type=Path, help="folder of saved pages (default: the shared dev set, else fixtures/)"
    )
    ap.add_argument("--portal", default="jl_cri", help="whose selectors (default jl_cri)")
    ap.add_argument("--rounds", type=int, default=5, help="rounds of each (default 5)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-selectors-") as tmp:
        if args.pages is None and (SHARED / "eval" / "extract_eval.py").is_file():
            pages, source = dev_set(Path(tmp)), "the shared dev set"
        else:
            folder = args.pages or HERE.parent / "fixtures"
            pages, source = page_list(folder), str(folder)
        texts = [decode_html(Path(path).read_bytes())[0] for path, _ in pages]
    if not texts:
        ap.error("no *.html pages")
    selectors = portal_selectors(args.portal)
    parse_s = min(_timed(lambda: [parse_html(t) for t in texts]) for _ in range(args.rounds))
    roots = [parse_html(t) for t in texts]
    for root in roots:
        together = PageSelectors(root)
        for css in selectors:
            if together.select(css) != select(root, css):
                raise SystemExit(f"different elements for {css!r}: a bug in PageSelectors")

    def plain() -> None:
        for root in roots:
            for css in selectors:
                select(root, css)

    def evaluated_together() -> None:
        for root in roots:
            page = PageSelectors(root)
            for css in selectors:
                page.select(css)

    best = {"plain": float("inf"), "together": float("inf")}
    for _ in range(args.rounds):
        best["plain"] = min(best["plain"], _timed(plain))
        best["together"] = min(best["together"], _timed(evaluated_together))
    n = len(roots)
    print(f"{n} pages ({source}), {len(selectors)} selectors of {args.portal}, best of {args.rounds} rounds")
    print(f"lxml parse alone: {parse_s / n * 1000:.2f} ms/page")
    for name, seconds in best.items():
        print(f"{name:<9} {seconds / n * 1000:7.2f} ms/page")
    print(f"together / plain speed: {best['plain'] / best['together']:.2f}x (same elements on every page)")
    return 0


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
