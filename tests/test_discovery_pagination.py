"""Next list page of every common pager kind (newscrawler.discovery.pagination), on pagers
written for these tests; the last page gives None."""

from __future__ import annotations

import pytest

from newscrawler.discovery.pagination import next_page_url
from newscrawler.extraction.tree import parse_html

SITE = "http://www.tongjiang-daily.example"


def _next(pager: str, url: str, page: int = 1) -> str | None:
    html = f"<html><body><ul><li><a href='/a/1.html'>某条新闻标题很长很长</a></li></ul>{pager}</body></html>"
    return next_page_url(parse_html(html), url, page, lambda u: u.startswith(SITE))


@pytest.mark.parametrize(
    ("pager", "url", "expected"),
    [
        ('<a href="index_2.html">下一页</a>', "/yw/index.html", "/yw/index_2.html"),
        ('<a href="list_3.htm">下页</a>', "/yw/list_2.htm", "/yw/list_3.htm"),
        ('<a href="?page=2">后页</a>', "/yw/", "/yw/?page=2"),
        ('<a href="?cid=3&amp;p=3">&gt;</a>', "/list.php?cid=3&p=2", "/list.php?cid=3&p=3"),
        ('<a href="/yw/3/">»</a>', "/yw/2/", "/yw/3/"),
        ('<a href="/yw/3/">[下一页]</a>', "/yw/2/", "/yw/3/"),
        ('<a class="next" href="/yw/p2.html"><img src="/i/btn.gif"></a>', "/yw/", "/yw/p2.html"),
        ('<a href="/yw/p2.html"><img src="/i/xyy.gif" alt="下一页"></a>', "/yw/", "/yw/p2.html"),
    ],
)
def test_next_links(pager: str, url: str, expected: str) -> None:
    assert _next(pager, SITE + url) == SITE + expected


def test_numbered_pager_with_the_current_page_unlinked() -> None:
    pager = (
        '<div class="pg"><a href="?page=1">1</a><span>2</span><a href="?page=3">3</a>'
        '<a href="?page=4">4</a></div>'
    )
    assert _next(pager, SITE + "/yw/?page=2", page=2) == SITE + "/yw/?page=3"
    marked = (
        '<ul><li><a href="/yw/">1</a></li><li class="active"><a href="/yw/2/">2</a></li>'
        '<li><a href="/yw/3/">3</a></li></ul>'
    )
    assert _next(marked, SITE + "/yw/2/", page=2) == SITE + "/yw/3/"


def test_numbered_pager_without_a_marked_current_page_uses_the_page_reached() -> None:
    pager = (
        '<div><a href="index_1.html">1</a> <a href="index_2.html">2</a> <a href="index_3.html">3</a></div>'
    )
    assert _next(pager, SITE + "/yw/index_2.html", page=2) == SITE + "/yw/index_3.html"


def test_last_page_has_no_next() -> None:
    assert (
        _next(
            '<div class="pg"><a href="?page=1">1</a><a href="?page=2">2</a><span>3</span></div>',
            SITE + "/yw/?page=3",
            3,
        )
        is None
    )
    assert _next("<span>下一页</span>", SITE + "/yw/") is None
    assert _next('<a href="javascript:void(0)">下一页</a>', SITE + "/yw/") is None
    assert _next('<a href="/yw/index.html">下一页</a>', SITE + "/yw/index.html") is None  # itself
    assert _next('<a href="http://www.other.example/2.html">下一页</a>', SITE + "/yw/") is None


def test_a_list_of_numbers_is_no_pager() -> None:
    assert _next('<p>第<a href="/a/5.html">5</a>期</p>', SITE + "/yw/") is None


def test_trs_create_page_html_is_read_not_run() -> None:
    script = '<script type="text/javascript">createPageHTML(5, 0, "index", "shtml");</script>'
    assert _next(script, SITE + "/jj/index.shtml") == SITE + "/jj/index_1.shtml"
    script = '<script>createPageHTML(5, 3, "index", "html");</script>'
    assert _next(script, SITE + "/jj/index_3.html") == SITE + "/jj/index_4.html"
    assert _next('<script>createPageHTML(5, 4, "index", "html");</script>', SITE + "/jj/index_4.html") is None
    variables = (
        "<script>var countPage = 3; var currentPage = 1;"
        ' createPageHTML(countPage, currentPage, "index", "htm");</script>'
    )
    assert _next(variables, SITE + "/jj/index_1.htm") == SITE + "/jj/index_2.htm"


def test_var_count_page_script() -> None:
    script = "<script>\nvar currentPage = 0;//所在页从0开始\nvar countPage = 4//共多少页\n</script>"
    assert _next(script, SITE + "/wt/index.html") == SITE + "/wt/index_1.html"
    # no currentPage: from the URL
    assert _next("<script>var countPage = 4</script>", SITE + "/wt/index_2.html") == SITE + "/wt/index_3.html"
    assert _next("<script>var countPage = 3</script>", SITE + "/wt/index_2.html") is None
    assert _next("<script>var countPage = 1</script>", SITE + "/wt/") is None
