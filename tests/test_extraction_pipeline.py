"""One extraction pipeline: portal selectors where they match, the generic extractor for every
field they leave empty; a drifting definition falls back and warns; ``extract`` applies the
crawl's article verdict."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawler.extraction.boilerplate import clean_paragraphs
from newscrawler.extraction.page import article_verdict, extract_page
from newscrawler.offline import extract_record
from newscrawler.portals import get_portal
from newscrawler.spiders.portal import PortalSpider
from tests.conftest import run_cli

URL = "http://jl.cri.cn/2024-05-09/0a1b2c3d-0000-4000-8000-00000000000{n}.html"

PARAGRAPHS = (
    "5月9日上午，长春市南湖公园迎来了今年第一批赏花的市民，湖边的丁香花开得正好，游人络绎不绝。",
    "公园管理处介绍，今年园内新栽种了三千余株丁香，花期将持续到五月下旬，欢迎市民前来游览。",
    "据了解，南湖公园还将在五月中旬举办丁香花节，届时将有摄影展、音乐会等多项文化活动。",
)


def cri_page(body_id: str = "abody", editor: bool = True) -> bytes:
    """A CRI-style article page (see newscrawler/portals/cri.py); ``body_id``: the id of the body
    element (a drifted template renames it)."""
    paras = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    editor_html = '<span id="aeditor">编辑：王小明</span>' if editor else ""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>南湖公园丁香花开_国际在线</title></head><body>
<div class="crumbs"><a href="/">首页</a> &gt; <a href="/news/">吉林新闻</a></div>
<h1 id="atitle">南湖公园丁香花开</h1>
<div class="info"><span id="acreatedtime">2024-05-09 10:21:00</span>
<span id="asource">来源：国际在线</span>{editor_html}</div>
<div id="{body_id}">{paras}</div>
<div class="footer">关于我们 | 联系我们</div>
</body></html>""".encode()


def test_portal_selectors_decide_where_they_match() -> None:
    page = extract_page(cri_page(), {}, URL.format(n=1), get_portal("jl_cri"))
    assert page.selector_misses == []
    assert (page.title, page.published_at, page.source, page.editor) == (
        "南湖公园丁香花开",
        "2024-05-09T10:21:00+08:00",
        "国际在线",
        "王小明",
    )
    assert [b.text for b in page.blocks] == list(PARAGRAPHS)
    assert article_verdict(page) is None


def test_a_body_selector_that_misses_falls_back_to_the_generic_body() -> None:
    page = extract_page(cri_page(body_id="article-text"), {}, URL.format(n=1), get_portal("jl_cri"))
    assert page.selector_misses == [("body", "#abody")]
    assert page.is_article
    assert page.generic is not None
    assert page.generic["body"].split("\n") == list(PARAGRAPHS)
    # the fields whose selectors matched still come from them
    assert (page.title, page.source, page.editor) == ("南湖公园丁香花开", "国际在线", "王小明")
    assert article_verdict(page) is None


def test_a_title_selector_that_misses_keeps_the_portal_body() -> None:
    html = cri_page().replace(b'<h1 id="atitle">', b'<h1 class="headline">')
    page = extract_page(html, {}, URL.format(n=1), get_portal("jl_cri"))
    assert page.selector_misses == [("title", "#atitle")]
    assert page.title == "南湖公园丁香花开"
    assert [b.text for b in page.blocks] == list(PARAGRAPHS)  # (the body selector still matched)
    assert page.generic is None
    assert extract_record(html, URL.format(n=1), get_portal("jl_cri"))["body"].split("\n") == list(PARAGRAPHS)


def test_fields_the_selectors_leave_empty_come_from_the_generic_metadata_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Title and body found: only the metadata rules run (no second search for the content), on
    the portal's body: here the dateline byline, which the selectors have no slot for."""
    import newscrawler.extraction.page as page_module

    def no_content_search(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the portal's title and body were found: no generic content search")

    monkeypatch.setattr(page_module, "extract_generic_tree", no_content_search)
    html = cri_page(editor=False).replace(
        "<p>5月9日上午".encode(), "<p>新华社长春5月9日电（记者李明）5月9日上午".encode(), 1
    )
    page = extract_page(html, {}, URL.format(n=1), get_portal("jl_cri"))
    assert page.editor is None  # (no 编辑 anywhere: left empty)
    assert [a["name"] for a in page.authors] == ["李明"]
    assert page.authors[0]["role"] == "reporter"
    assert page.generic is None and page.blocks  # the body stays the portal's blocks


def test_a_byline_in_the_portal_body_names_the_authors_without_the_generic_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import newscrawler.extraction.page as page_module

    def no_generic(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("time, source, editor and the byline are there: nothing to fill")

    monkeypatch.setattr(page_module, "extract_generic_metadata", no_generic)
    monkeypatch.setattr(page_module, "extract_generic_tree", no_generic)
    html = cri_page().replace(
        b'</div>\n<div class="footer">', '<p>（记者 李明）</p></div>\n<div class="footer">'.encode()
    )
    page = extract_page(html, {}, URL.format(n=1), get_portal("jl_cri"))
    assert page.authors == []  # (the clean step reads the byline from the blocks)
    assert page.blocks[-1].text == "（记者 李明）"
    record = extract_record(html, URL.format(n=1), get_portal("jl_cri"))
    assert [(a["name"], a["role"]) for a in record["authors"]] == [("李明", "reporter")]


def test_page_one_is_cleaned_once_as_the_clean_step_would_clean_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import newscrawler.extraction.assemble as assemble_module
    import newscrawler.extraction.page as page_module
    from newscrawler.items import article_item
    from newscrawler.steps import build_record

    calls: list[int] = []

    def counted(texts: list[str], **kwargs: Any) -> Any:
        calls.append(len(texts))
        return clean_paragraphs(texts, **kwargs)

    monkeypatch.setattr(page_module, "clean_paragraphs", counted)
    monkeypatch.setattr(assemble_module, "clean_paragraphs", counted)
    # no editor (the extraction cleans the body to look for a byline), a byline, and a line only
    # the portal's own boilerplate pattern removes (no built-in rule does)
    html = cri_page(editor=False).replace(
        b'</div>\n<div class="footer">',
        "<p>游园须知请见公园东门公告栏</p><p>（记者 李明）</p></div>\n<div class=\"footer\">".encode(),
    )
    portal = dataclasses.replace(get_portal("jl_cri"), boilerplate_patterns=("^游园须知",))
    page = extract_page(html, {}, URL.format(n=1), portal)
    assert page.cleaned is not None and calls == [len(page.blocks)]
    record = build_record(article_item(page, portal))
    assert calls == [len(page.blocks)]  # (the clean step reused page 1's cleaning)
    assert record["body"] == "\n".join(PARAGRAPHS)
    assert [(a["name"], a["role"]) for a in record["authors"]] == [("李明", "reporter")]

    # the oracle: the same article cleaned from its blocks by the clean step alone
    plain = article_item(page, portal)
    plain.first_page_cleaned = None
    assert build_record(plain) | {"crawled_at": None} == record | {"crawled_at": None}

    # a later page is cleaned by the clean step (page 1 still is not cleaned again)
    calls.clear()
    two_pages = article_item(page, portal)
    two_pages.page_blocks.append(page.blocks)
    assert build_record(two_pages)["pages"] == 2 and calls == [len(page.blocks)]


def _run_article(spider: PortalSpider, body: bytes, url: str) -> list[Any]:
    response = HtmlResponse(url, body=body, encoding="utf-8")
    return list(spider.parse_article(response, section=None))


def test_a_drifting_definition_is_counted_and_warned_once_per_field(caplog: pytest.LogCaptureFixture) -> None:
    crawler = get_crawler(PortalSpider, {"REMOTE_CONTROL_ENABLED": False})
    spider = PortalSpider.from_crawler(crawler, portal="jl_cri")
    crawler.spider = spider
    items = []
    for n, page in enumerate((cri_page(), cri_page(body_id="text"), cri_page(body_id="text", editor=False))):
        items += _run_article(spider, page, URL.format(n=n))
    assert len(items) == 3  # nothing is lost: the generic extractor read the drifted pages
    assert all(item["title"] == "南湖公园丁香花开" for item in items)
    stats = crawler.stats.get_stats()  # type: ignore[union-attr]
    assert stats["newscrawler/selector_miss/body"] == 2
    assert stats["newscrawler/selector_miss/editor"] == 1
    assert "newscrawler/selector_miss/title" not in stats
    with caplog.at_level(logging.WARNING):
        spider.warn_selector_misses(spider)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    body_warning = next(w for w in warnings if "(body)" in w)
    assert "'#abody'" in body_warning and "2 of 3" in body_warning and "67%" in body_warning
    editor_warning = next(w for w in warnings if "(editor)" in w)
    assert "'#aeditor'" in editor_warning and "1 of 3" in editor_warning


ABOUT_PAGE = """<html><head><meta charset="utf-8"><title>关于我们_华岭日报</title></head><body>
<h1>关于我们</h1><div class="content"><p>华岭日报创刊于一九五八年，是华岭地区历史最悠久的综合性日报，
发行覆盖全市各区县，长期以来坚持服务读者、服务社会的办报宗旨，深受广大读者喜爱和信赖。</p>
<p>本报社址位于华岭市中心，下设新闻部、专题部、摄影部等多个部门，欢迎广大读者来信来访。</p></div>
</body></html>"""


def test_extract_refuses_what_the_crawl_refuses(tmp_path: Path) -> None:
    page = tmp_path / "about.html"
    page.write_text(ABOUT_PAGE, encoding="utf-8")
    refused = run_cli("extract", str(page), "--url", "http://www.hualing-daily.example/about.html")
    assert refused.returncode == 3
    assert refused.stdout == ""
    assert "not an article (" in refused.stderr and "--force" in refused.stderr
    forced = run_cli("extract", str(page), "--url", "http://www.hualing-daily.example/about.html", "--force")
    assert forced.returncode == 0
    assert json.loads(forced.stdout)["title"] == "关于我们"
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"id": "about", "path": str(page), "url": None}) + "\n", encoding="utf-8")
    batch = run_cli("extract-batch", str(manifest))
    line = json.loads(batch.stdout)
    assert line["id"] == "about" and line["verdict"].startswith("not an article (")
    assert line["title"] == "关于我们"  # (the batch still prints the record: the eval scores it)
