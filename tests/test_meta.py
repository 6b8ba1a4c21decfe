"""Tests for newscrawler.extraction.meta through the generic extractor: where the publish time
comes from (``published_at_source``), relative and year-less times, photographers, the slots of
sources and authors. Pages written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

from newscrawler.extraction.dates import reference_time
from newscrawler.extraction.generic import extract_generic, extract_generic_bytes

BODY = "".join(
    f"<p>华岭市今年第{i}批民生项目近日全面开工，涉及道路、供水、学校和医院等多个领域，预计年底前陆续完工投用。</p>"
    for i in range(1, 7)
)


def page(info: str = "", *, head: str = "", after: str = "", h1: str = "华岭市民生项目全面开工") -> str:
    return (
        f"<html><head><title>{h1}_华岭网</title>{head}</head><body>"
        f"<div class='nav'><a href='/'>首页</a></div><h1>{h1}</h1><div class='info'>{info}</div>"
        f"<div class='article'>{BODY}{after}</div></body></html>"
    )


URL = "http://www.hualing.example/news/2024-05/20/content_1.html"
META = '<meta property="article:published_time" content="2024-05-20T09:37:00+08:00">'


def test_time_shown_on_the_page_wins() -> None:
    out = extract_generic(page("2024-05-20 10:15 来源：华岭日报", head=META), URL)
    assert (out["published_at"], out["published_at_source"]) == ("2024-05-20T10:15:00+08:00", "page")


def test_meta_then_url_then_none() -> None:
    out = extract_generic(page("来源：华岭日报", head=META), URL)
    assert (out["published_at"], out["published_at_source"]) == ("2024-05-20T09:37:00+08:00", "meta")
    out = extract_generic(page("来源：华岭日报"), URL)
    assert (out["published_at"], out["published_at_source"]) == ("2024-05-20", "url")
    out = extract_generic(page("来源：华岭日报"), "http://www.hualing.example/news/a.html")
    assert (out["published_at"], out["published_at_source"]) == (None, None)


def test_day_only_on_the_page_takes_the_meta_time_of_that_day() -> None:
    out = extract_generic(page("2024-05-20 来源：华岭日报", head=META), URL)
    assert (out["published_at"], out["published_at_source"]) == ("2024-05-20T09:37:00+08:00", "meta")
    other_day = META.replace("2024-05-20", "2024-05-19")
    out = extract_generic(page("2024-05-20 来源：华岭日报", head=other_day), URL)
    assert (out["published_at"], out["published_at_source"]) == ("2024-05-20", "page")


def test_yearless_time_takes_the_year_of_the_url() -> None:
    out = extract_generic(page("05-20 12:00 来源：华岭日报"), URL)
    assert (out["published_at"], out["published_at_raw"]) == ("2024-05-20T12:00:00+08:00", "05-20 12:00")


def test_relative_time_counts_from_the_http_date() -> None:
    html = page("3小时前 来源：华岭日报").encode()
    headers = {"Content-Type": "text/html; charset=utf-8", "Date": "Mon, 20 May 2024 04:00:00 GMT"}
    out = extract_generic_bytes(html, headers, "http://www.hualing.example/news/a.html")
    assert (out["published_at"], out["published_at_raw"], out["published_at_source"]) == (
        "2024-05-20T09:00:00+08:00",
        "3小时前",
        "page",
    )


def test_reference_time() -> None:
    assert reference_time({b"Date": [b"Mon, 20 May 2024 04:00:00 GMT"]}) == datetime(
        2024, 5, 20, 4, tzinfo=UTC
    )
    before = datetime.now(UTC)
    assert reference_time({"Date": "not a date"}) >= before  # else the crawl time
    assert reference_time(None) >= before


def test_recommended_article_time_is_not_the_publish_time() -> None:
    info = "<div>最新推荐文章于 2024-05-21 22:12:13 发布</div><span>2024-05-20 15:47:53 发布</span>"
    out = extract_generic(page(info), URL)
    assert out["published_at"] == "2024-05-20T15:47:53+08:00"


def test_headline_written_twice() -> None:
    html = page("", h1="华岭市民生项目全面开工").replace(
        "<div class='nav'>",
        "<div class='mobile'><h1>华岭市民生项目全面开工</h1><p>2024-05-20 13:48</p></div><div class='nav'>",
    )
    out = extract_generic(html, "http://www.hualing.example/news/a.html")
    assert out["published_at"] == "2024-05-20T13:48:00+08:00"


def test_labelled_time_after_the_body() -> None:
    out = extract_generic(page("", after="<div class='foot'><span>时间：2019-09-24 17:08</span></div>"), None)
    assert (out["published_at"], out["published_at_source"]) == ("2019-09-24T17:08:00+08:00", "page")


def test_photographers_are_authors() -> None:
    after = "<p><img src='a.jpg'></p><p>工人在施工现场作业。新华社记者 李明远 摄</p>"
    out = extract_generic(page("2024-05-20 10:15 来源：华岭日报", after=after), URL)
    assert {"name": "李明远", "role": "photographer"} in out["authors"]


def test_source_and_author_slots() -> None:
    out = extract_generic(page("2024-05-20 10:15 · 华岭日报"), URL)
    assert (out["source"], out["authors"]) == ("华岭日报", [])
    # a labelled source closing the body wins over the account beside the time
    out = extract_generic(page("华岭号 2024-05-20 10:15", after="<p>来源 | 综合长白日报、北方晨报</p>"), URL)
    assert out["source"] == "综合长白日报、北方晨报"
    # bare names closing the body; an author may also be the editor
    out = extract_generic(
        page("2024-05-20 10:15", after="<p>活动赢得阵阵掌声。（郭明）</p><p>【责任编辑：郭明】</p>"), URL
    )
    assert ([a["name"] for a in out["authors"]], out["editor"]) == (["郭明"], "郭明")


def test_dateline_names() -> None:
    html = page("2024-05-20 10:15").replace(
        "<p>华岭市今年第1批", "<p>新华社北京5月19日电（刘艺、杨吉）华岭市今年第1批", 1
    )
    out = extract_generic(html, URL)
    assert [(a["name"], a["role"], a.get("org")) for a in out["authors"]] == [
        ("刘艺", "reporter", "新华社"),
        ("杨吉", "reporter", "新华社"),
    ]


def _table_page(headline: str, info: str = "2024-05-20 10:15 来源：华岭日报") -> str:
    return (
        "<html><head><title>华岭网-新闻中心</title></head><body><table>"
        "<tr><td class='nav'><a href='/'>首页</a> &gt; <a href='/news/'>新闻</a></td></tr>"
        f"<tr><td>{headline}</td></tr><tr><td style='font-size:12px'>{info}</td></tr>"
        f"<tr><td>{BODY}</td></tr></table></body></html>"
    )


def test_headline_in_a_styled_cell_without_h1() -> None:
    for headline in (
        "<span style='font-size:22px;font-weight:bold'>华岭市民生项目全面开工</span>",
        "<font size='5'><b>华岭市民生项目全面开工</b></font>",
        "<div class='biaoti'>华岭市民生项目全面开工</div>",
    ):
        assert extract_generic(_table_page(headline), None)["title"] == "华岭市民生项目全面开工", headline
    # small type is not a headline, nor is the info line or a breadcrumb in bold
    plain = extract_generic(_table_page("<span style='font-size:12px'>华岭市民生项目全面开工</span>"), None)
    assert plain["title"] == "华岭网-新闻中心"
    bold_info = extract_generic(_table_page("", info="<b>2024-05-20 10:15 来源：华岭日报</b>"), None)
    assert bold_info["title"] == "华岭网-新闻中心"


def test_lead_byline_without_parentheses() -> None:
    for lead, names in (
        ("本报记者刘七发自上海 ", ["刘七"]),
        ("东方网记者曹磊5月13日报道：", ["曹磊"]),
        ("记者从市教育局获悉，", []),
        ("记者近日走访报道，", []),  # 近日走访 has no surname: not a name
    ):
        html = page("2024-05-20 10:15").replace("<p>华岭市今年第1批", f"<p>{lead}华岭市今年第1批", 1)
        assert [a["name"] for a in extract_generic(html, URL)["authors"]] == names, lead


def test_publisher_meta_is_a_source() -> None:
    head = '<meta property="article:publisher" content="华岭日报">'
    assert extract_generic(page("2024-05-20 10:15", head=head), URL)["source"] == "华岭日报"
    head = '<meta property="article:publisher" content="https://www.facebook.com/hualing">'
    assert extract_generic(page("2024-05-20 10:15", head=head), URL)["source"] is None


def test_editors_of_several_lines_are_all_kept() -> None:
    after = "<p>文/栗思</p><p>编辑/倪家宁</p><p>责任编辑：李曦_NN2587</p>"
    out = extract_generic(page("2024-05-20 10:15 来源：华岭日报", after=after), URL)
    assert out["editor"] == "倪家宁、李曦"
    assert "倪家宁" not in [a["name"] for a in out["authors"]]


def test_footer_time_past_layout_whitespace() -> None:
    # a blog's footer time, after many layout-only text nodes (which do not count as distance)
    spacer = "<div>\n    <span>\n  </span>\n</div>" * 30
    desc = "posted @ <span>2024-05-09 14:45</span> <a>华岭的hk</a> 阅读(430)"
    footer = f"{spacer}<div class='postDesc'>{desc}</div>"
    html = page("").replace("</div></body>", f"</div>{footer}</body>")
    out = extract_generic(html, None)
    assert (out["published_at"], out["published_at_source"]) == ("2024-05-09T14:45:00+08:00", "page")
    assert [a["name"] for a in out["authors"]] == ["华岭的hk"]  # (the blogger after the time)


def test_outlet_in_brackets_closing_the_body_is_the_source() -> None:
    def source(after: str, info: str = "2024-05-20 10:15") -> str | None:
        return extract_generic(page(info, after=after), URL)["source"]

    for credit in ("华岭融媒体中心", "hl退役军人之家", "新华社"):
        assert source(f"<p>演员们为全体官兵进行了慰问演出。（{credit}）</p>") == credit, credit
    # a labelled source wins; a person is an author; "our paper", 完 and a number name nobody
    assert source("<p>进行了慰问演出。（新华社）</p>", info="2024-05-20 10:15 来源：华岭日报") == "华岭日报"
    assert source("<p>进行了慰问演出。（郭旭）</p>") is None
    assert source("<p>进行了慰问演出。（本报）</p>") is None
    assert source("<p>进行了慰问演出。（完）</p>") is None
    assert source("<p>进行了慰问演出。（原标题：华岭日报）</p>") is None  # (a note, not a credit)
    # brackets inside the sentence are not a credit
    assert source("<p>详见华岭市政府公告（华岭市人民政府）</p>") is None


def test_author_linked_to_an_author_page_in_the_info_line() -> None:
    def names(info: str, after: str = "") -> list[str]:
        return [a["name"] for a in extract_generic(page(info, after=after), URL)["authors"]]

    # a pen name past four characters, a handle: the link to the author page vouches for them
    assert names(
        "深海书名 <a href='//my.example.com/author/4362/'>远山听雨客</a> 3160字 2024-05-20 10:15"
    ) == ["远山听雨客"]
    assert names("<a rel='author' href='/u/7'>hualing-dev</a> 2024-05-20 10:15") == ["hualing-dev"]
    # not an outlet's account, the site's software account, nor a link outside the info line
    assert names("<a href='/author/ab12'>华岭日报新媒体</a> 2024-05-20 10:15") == []
    assert names("<a href='/author/admin/'>admin</a> 2024-05-20 10:15") == []
    assert names("2024-05-20 10:15", after="<div><a href='/author/5/'>远山听雨客</a></div>") == []
    # a labelled byline says it already
    assert names("作者：王五 2024-05-20 10:15 <a href='/author/9/'>远山听雨客</a>") == ["王五"]
