"""Tests for newscrawler.extraction.selectors: a page's selectors evaluated together
(:class:`PageSelectors`) find what the plain, one-XPath-per-selector :func:`select` finds, in the
same order (``select`` is the oracle)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cssselect import SelectorError

from newscrawler.extraction.decoding import decode_html
from newscrawler.extraction.page import SELECTOR_FIELDS
from newscrawler.extraction.selectors import PageSelectors, select
from newscrawler.extraction.tree import parse_html
from newscrawler.portals import all_portals

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

#: nested and repeated classes, ids on the root and inside, several matches per part, parts that
#: interleave in the document, the same element from two parts
PAGE = """<html id="top" class="page"><body class="page main">
<div class="info box" id="a"><span class="time">2024-05-09</span><div class="info"><a href="/1">一</a>
<span class="source  box">来源：新华社</span></div><a href="/2">二</a></div>
<div class="sign"><a href="/3">三</a></div>
<div id="content"><p>第一段</p><p class="box">第二段</p><div><p>里面</p></div><p>第三段</p></div>
<ul class="page-nav"><li><a href="/p2">下一页</a></li></ul><div class="info\tbox">尾</div>
<div class="x" id="dup"><p>甲</p></div><div id="dup"><p>乙</p></div>
</body></html>"""

SELECTORS = (
    ".info",
    ".info a",
    ".info > a",
    ".info, .sign, .box",
    ".sign a, .info a",
    "#a .time, .info .source",
    "#content > p",
    "#content p:nth-of-type(2)",
    "div.info.box",
    ".box.info",
    "#a.info",
    ".page",
    "#top",
    "#dup",
    "#dup p",
    ".page-nav a, #apagenav a",
    ":not(.info) > a",
    ".info :not(span)",
    ".missing",
    "#missing a",
    "p",  # (no id or class: the plain path)
    "[class~=info]",
    "a, .sign",
)


def _same(root: object, css: str) -> None:
    plain = select(root, css)
    assert PageSelectors(root).select(css) == plain, css


@pytest.mark.parametrize("css", SELECTORS)
def test_together_finds_what_one_xpath_finds_in_document_order(css: str) -> None:
    _same(parse_html(PAGE), css)


def test_one_page_answers_many_selectors_from_one_index() -> None:
    root = parse_html(PAGE)
    selectors = PageSelectors(root)
    assert [selectors.select(css) for css in SELECTORS] == [select(root, css) for css in SELECTORS]
    assert [el.text for el in selectors.select(".info, .sign")][-1] == "尾"  # (a tab separates classes)
    assert selectors.select(None) == [] and selectors.select("") == []


def test_every_portal_selector_on_every_fixture_page() -> None:
    selectors_of_portals = set()
    for portal in all_portals().values():
        spec = portal.article
        selectors_of_portals |= {getattr(spec, name) for name in (*SELECTOR_FIELDS, "next_page")}
        selectors_of_portals |= set(spec.body_exclude) | {portal.non_article_marker}
    selectors_of_portals.discard(None)
    pages = sorted(FIXTURES.glob("*/site/**/*.html"))
    assert len(pages) > 50
    found = 0
    for path in pages:
        root = parse_html(decode_html(path.read_bytes())[0])
        together = PageSelectors(root)
        for css in sorted(selectors_of_portals):
            plain = select(root, css)
            assert together.select(css) == plain, (path, css)
            found += len(plain)
    assert found > 500  # (the selectors match: the comparison is not between empty lists)


def test_an_invalid_selector_raises_as_the_plain_path_does() -> None:
    root = parse_html(PAGE)
    with pytest.raises(SelectorError):
        select(root, "div[")
    with pytest.raises(SelectorError):
        PageSelectors(root).select("div[")


def test_the_selector_benchmark_runs_and_checks_both_agree() -> None:
    bench = FIXTURES.parent / "benchmarks" / "bench_selectors.py"
    out = subprocess.run(
        [sys.executable, str(bench), "--pages", str(FIXTURES / "jl_cri"), "--rounds", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "same elements on every page" in out.stdout and "together" in out.stdout
