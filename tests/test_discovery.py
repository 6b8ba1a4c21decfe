"""Discovery for the generic crawl: domains, article URL patterns, sections, the page test."""

from __future__ import annotations

import re
from typing import Any

import pytest

from newscrawler.discovery import (
    MEDIA_PAGE_MAX_CJK,
    MIN_BODY_CJK,
    article_rejection,
    discover_sections,
    generic_portal,
    is_article_url,
    looks_like_article,
    non_article_url_reason,
    registrable_domain,
    site_host,
)
from newscrawler.extraction.generic import extract_generic_bytes
from tests.conftest import FIXTURES, load_json, mirror_fetcher

MIRROR = FIXTURES / "generic_portal"
CRAWL = load_json(MIRROR / "expected" / "crawl.json")
HOME = CRAWL["home_url"]


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.xinhuanet.com", "xinhuanet.com"),
        ("jl.people.com.cn", "people.com.cn"),
        ("politics.people.com.cn", "people.com.cn"),
        ("news.example.com.cn", "example.com.cn"),
        ("www.jl.gov.cn", "jl.gov.cn"),
        ("zwgk.changchun.gov.cn", "changchun.gov.cn"),
        ("www.example.org.cn", "example.org.cn"),
        ("www.example.net.cn", "example.net.cn"),
        ("news.example.jl.cn", "example.jl.cn"),
        ("jl.cri.cn", "cri.cn"),
        ("WWW.Example.CN", "example.cn"),
        ("example.cn", "example.cn"),
        ("www.hualing-daily.example", "hualing-daily.example"),
        ("news.example.com.hk", "example.com.hk"),
        ("127.0.0.1", "127.0.0.1"),
        ("localhost", "localhost"),
    ],
)
def test_registrable_domain(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


def test_generic_portal_from_a_home_url() -> None:
    portal = generic_portal("http://www.example.com.cn")
    assert portal.name == portal.display_name == "www.example.com.cn"
    assert portal.domains == ("example.com.cn",)
    assert portal.home_url == "http://www.example.com.cn/"
    assert portal.sections == ()
    assert portal.list_container is None
    assert {"下一页", "下页", ">", "»", "next"} <= set(portal.next_page_texts)
    assert portal.owns_url("http://news.example.com.cn/a/1.html")
    assert portal.owns_url("http://www.example.com.cn/")
    assert not portal.owns_url("http://www.other.com.cn/")
    assert not portal.owns_url("http://example.com.cn.evil.example/")
    assert generic_portal("https://news.example.cn/index.html", name="demo").name == "demo"
    assert (
        generic_portal("https://news.example.cn/index.html").home_url == "https://news.example.cn/index.html"
    )


@pytest.mark.parametrize("bad", ["ftp://example.cn/", "example.cn", "", "javascript:void(0)"])
def test_generic_portal_needs_an_http_url(bad: str) -> None:
    with pytest.raises(ValueError):
        generic_portal(bad)


#: (URL, article?) on real-looking Xinhua, People's Daily, CRI, government and provincial sites
URL_TABLE: list[tuple[str, bool]] = [
    # Xinhua
    ("http://www.xinhuanet.com/politics/2020-06/04/c_1126072345.htm", True),
    ("http://www.jl.xinhuanet.com/2020-06/04/c_1126072345.htm", True),
    ("http://www.xinhuanet.com/politics/2020-06/04/c_1126072345_2.htm", False),  # page 2
    ("http://www.xinhuanet.com/politics/index.htm", False),
    ("http://www.xinhuanet.com/video/2020-06/04/c_1210645123.htm", False),
    ("http://www.xinhuanet.com/politics/zt/2020lh/index.htm", False),
    ("http://www.xinhuanet.com/", False),
    # People's Daily
    ("http://politics.people.com.cn/n1/2020/0604/c1001-31735432.html", True),
    ("http://jl.people.com.cn/n2/2020/0604/c349771-34064123.html", True),
    ("http://politics.people.com.cn/GB/1024/index.html", False),
    ("http://politics.people.com.cn/GB/1024/index2.html", False),
    ("http://www.people.com.cn/GB/about/index.html", False),
    # CRI Online
    ("http://jl.cri.cn/2020-06-04/8e53d287-11ff-50a3-4e37-83baeb74980c.html", True),
    ("http://news.cri.cn/20200604/8e53d287-11ff-50a3-4e37-83baeb74980c.html", True),
    ("http://jl.cri.cn/2020-05-12/98d202c6-f5c7-bb33-037a-68b7f95ac6e5_2.html", False),  # page 2
    ("http://jl.cri.cn/rdzt/2020qglh/index.html", False),
    # provincial dailies, news sites, government sites (TRS, Hanweb)
    ("http://www.example.com.cn/content/2020-06/04/content_5517264.htm", True),
    ("http://www.example.com.cn/content/2020-06/04/content_5517264_2.htm", False),  # page 2
    ("http://www.example.com.cn/node_1234.htm", False),
    ("http://www.example.com.cn/node_1234_2.htm", False),
    ("http://www.example.com.cn/list_2.html", False),
    ("http://www.example.com.cn/news/1234567.html", True),
    ("http://www.example.com.cn/system/2020/06/04/030123456.shtml", True),
    ("http://www.example.com.cn/html/2020/0604/123456.html", True),
    ("http://www.jl.gov.cn/zw/yw/jlyw/202006/t20200604_7265432.html", True),
    ("http://www.zj.gov.cn/art/2020/6/4/art_1229_4512345.html", True),
    ("http://www.zj.gov.cn/col/col1229/index.html", False),
    ("http://www.chinanews.com/gn/2020/06-04/9203456.shtml", True),
    ("http://news.sina.com.cn/c/2020-06-04/doc-iirczymk1234567.shtml", True),
    ("http://www.example.cn/detail/20200604A0ABCD00", True),
    ("http://www.example.cn/show.php?id=1234", True),
    ("http://www.example.cn/e/action/ShowInfo.php?classid=2&id=1234", True),  # Empire CMS
    ("http://www.example.cn/news/show.aspx?newsid=88123", True),
    ("http://www.example.cn/a/0123456789abcdef0123456789abcdef.html", True),
    # commercial portals and apps (the URL families of the shared dev set)
    ("https://new.qq.com/rain/a/20240513A00GCM00", True),
    ("https://www.sohu.com/a/778336904_120702", True),
    ("https://www.163.com/dy/article/J22CN60P0514R9KQ.html", True),
    ("https://news.ifeng.com/c/8Wda7wwUnuC", True),
    ("https://www.toutiao.com/article/7367007067191640576/?log_from=194eba7dc9a22", True),
    ("https://news.southcn.com/node_742c1a40f1/ae7e7ec561.shtml", True),
    ("https://www.360kuai.com/965d47690a7dfa8dc", True),
    ("https://news.39.net/shx/240423/e7opdxr.html", True),
    ("https://j.021east.com/p/1715572974045997", True),
    ("https://hk.news.yahoo.com/some-title-060502643.html", True),
    ("http://www.example.cn/202006/123456.html", True),
    ("https://news.ifeng.com/c/economy", False),
    ("https://www.sohu.com/a/", False),
    ("https://news.southcn.com/node_742c1a40f1/", False),
    ("https://news.southcn.com/node_742c1a40f1/index.shtml", False),
    ("http://www.example.cn/202006/", False),
    ("http://www.example.cn/p/2/", False),
    # pages that are not articles
    (
        "http://sso.people.com.cn/u/reg?fromUrl=http%3A%2F%2Fhealth.people.com.cn%2Fn1%2F2024%2F0517%2Fc1-4.html",
        False,
    ),
    ("http://www.example.cn/share?url=http://www.example.cn/2020-06/04/c_1126072345.htm", False),
    ("http://www.he.news.cn/20240515/d59c39d4160a4fe4b3084c3e4abfb450/c.html", True),
    ("http://www.he.news.cn/20240515/d59c39d4160a4fe4b3084c3e4abfb450/c.html?page=4", False),  # page 4
    ("http://www.example.cn/show.php?id=1234&page=2", False),
    ("http://www.example.cn/upload/2020/06/04/1234567.jpg?v=2", False),
    ("http://www.example.cn/about/index.html", False),
    ("http://www.example.cn/gywm.html", False),
    ("http://www.example.cn/lxwm/", False),
    ("http://www.example.cn/special/2020/06/04/flood.html", False),
    ("http://www.example.cn/zhuanti/2020fxkh/", False),
    ("http://www.example.cn/shipin/2020-06/04/c_1234567.htm", False),
    ("http://www.example.cn/search/?q=%E6%96%B0%E9%97%BB", False),
    ("http://www.example.cn/upload/2020/06/04/1234567.jpg", False),
    ("http://www.example.cn/files/2020/0604/1234567.pdf", False),
    ("http://www.example.cn/channel/economy/", False),
    ("http://www.example.cn/login.html", False),
    ("javascript:void(0)", False),
    ("mailto:web@example.cn", False),
]


@pytest.mark.parametrize(("url", "article"), URL_TABLE, ids=[u[-60:] for u, _ in URL_TABLE])
def test_article_url_table(url: str, article: bool) -> None:
    host = url.split("/")[2] if url.startswith("http") else "www.example.cn"
    portal = generic_portal(f"http://{host}/")
    assert is_article_url(url, portal) is article, non_article_url_reason(url, portal)


def test_article_urls_stay_on_the_portal() -> None:
    portal = generic_portal("http://www.jl.xinhuanet.com/")
    assert is_article_url("http://www.xinhuanet.com/politics/2020-06/04/c_1126072345.htm", portal)
    assert not is_article_url("http://jl.people.com.cn/n2/2020/0604/c349771-34064123.html", portal)
    assert non_article_url_reason("http://www.other.cn/2020-06/04/c_1.htm", portal) == "off_domain"


def test_reasons_for_urls() -> None:
    portal = generic_portal("http://www.example.com.cn/")
    assert non_article_url_reason("http://www.example.com.cn/node_1.htm", portal) == "excluded"
    assert non_article_url_reason("http://www.example.com.cn/a/b.html", portal) == "no_pattern"
    assert non_article_url_reason("http://www.example.com.cn/2020-06/04/c_1_2.htm", portal) == "continuation"
    assert non_article_url_reason("http://www.example.com.cn/2020-06/04/c_1.htm", portal) is None


def test_list_links_of_the_fixture_portal() -> None:
    portal = generic_portal(HOME)
    kinds = {d["url"]: d["kind"] for d in CRAWL["not_exported"]}
    for lp in CRAWL["list_pages"]:
        assert not is_article_url(lp["url"], portal), lp["url"]
        for link in lp["links"]:
            if link in CRAWL["exported"] or kinds.get(link) in ("video", "about", "list", "robots"):
                assert is_article_url(link, portal), link  # the page test decides for the last four
            else:  # the topic index, the off-domain article
                assert not is_article_url(link, portal), link


# -- sections ----------------------------------------------------------------------------------
def _page(url: str) -> str:
    fetched = mirror_fetcher(MIRROR)(url)
    assert fetched is not None, url
    return fetched[0].decode("utf-8")


def test_sections_of_the_fixture_home_page() -> None:
    portal = generic_portal(HOME)
    found = discover_sections(_page(HOME), HOME, portal)
    assert [list(s) for s in found] == CRAWL["sections"]
    assert discover_sections(_page(HOME), HOME, portal, limit=2) == [tuple(s) for s in CRAWL["sections"][:2]]


def test_sections_from_a_list_page_too() -> None:
    """Any page with the navigation gives the sections, except the page itself."""
    portal = generic_portal(HOME)
    url = CRAWL["list_pages"][0]["url"]
    expected = [s for s in CRAWL["sections"] if s[1] != url]
    assert len(expected) == len(CRAWL["sections"]) - 1
    assert [list(s) for s in discover_sections(_page(url), url, portal)] == expected


NAV_PAGE = """<html><head><base href="http://www.example.com.cn/"></head><body>
<div class="top"><a href="/login.html">登录</a><a href="/reg.html">注册</a><a href="http://en.example.com.cn/">English</a></div>
<nav><ul>
 <li><a href="/">首页</a></li>
 <li><a href="/yw/index.html">要闻</a></li>
 <li><a href="/sz/">时政</a></li>
 <li><a href="http://finance.example.com.cn/">财经</a></li>
 <li><a href="/yw/index.html">要闻</a></li>
 <li><a href="/shehui/index.html"> 社　会 </a></li>
 <li><a href="javascript:void(0)">更多</a></li>
 <li><a href="http://www.other.cn/">友站</a></li>
 <li><a href="/2020-06/04/c_1126072345.htm">头条新闻</a></li>
 <li><a href="/rss.xml">RSS</a></li>
 <li><a href="/zx/">这是一个非常长的链接文字不是栏目</a></li>
 <li><a href="/tougao/">我要投稿</a></li>
 <li><a href="/about/">关于我们</a></li>
 <li><a href="/download/app.apk">客户端</a></li>
 <li><a href="/wh/index.html"><img src="/i/wh.png" alt="文化"></a></li>
 <li><a href="/ty/">体育</a></li>
</ul></nav>
<div class="news"><ul><li><a href="/jj/">经济</a></li></ul></div>
<div class="footer"><a href="/gywm/">关于我们</a><a href="/sitemap.html">网站地图</a>
<a href="/fz/">法治</a></div>
</body></html>"""


def test_sections_from_a_nav_element() -> None:
    portal = generic_portal("http://www.example.com.cn/")
    assert discover_sections(NAV_PAGE, "http://www.example.com.cn/", portal) == [
        ("要闻", "http://www.example.com.cn/yw/index.html"),
        ("时政", "http://www.example.com.cn/sz/"),
        ("财经", "http://finance.example.com.cn/"),
        ("社会", "http://www.example.com.cn/shehui/index.html"),
        ("体育", "http://www.example.com.cn/ty/"),
    ]


FALLBACK_PAGE = """<html><body>
<table><tr><td><img src="/logo.gif"></td></tr></table>
<table class="t1"><tr>
 <td><a href="index.html">网站首页</a></td><td><a href="news/list.asp?c=1">本地新闻</a></td>
 <td><a href="news/list.asp?c=2">国内新闻</a></td><td><a href="news/list.asp?c=3">图片新闻</a></td>
 <td><a href="news/list.asp?c=4">专题报道</a></td>
</tr></table>
<div id="left"><ul>
 <li><a href="news/show.asp?id=123">市政府召开常务会议研究部署近期重点工作</a></li>
 <li><a href="news/show.asp?id=124">我市举行防汛应急演练</a></li>
</ul></div>
<div id="right"><a href="a1.html">公告一</a><a href="a2.html">公告二</a></div>
<p><a href="about.html">关于我们</a> <a href="contact.html">联系我们</a> <a href="ads.html">广告服务</a></p>
</body></html>"""


def test_sections_without_a_nav_container_fall_back_to_the_first_link_list() -> None:
    portal = generic_portal("http://www.example.cn/")
    assert discover_sections(FALLBACK_PAGE, "http://www.example.cn/", portal) == [
        ("本地新闻", "http://www.example.cn/news/list.asp?c=1"),
        ("国内新闻", "http://www.example.cn/news/list.asp?c=2"),
        ("图片新闻", "http://www.example.cn/news/list.asp?c=3"),
        ("专题报道", "http://www.example.cn/news/list.asp?c=4"),
    ]


DECORATED_NAV = """<div class="nav"><ul>
<li><a href="/gjxw/">| 国际新闻</a></li><li><a href="/yw/">» 要闻</a></li><li><a href="/jj/">经济 ›</a></li>
<li><a href="/x/">--</a></li><li><a href="/app/">App 下載</a></li><li><a href="/app2/">财经网App下载</a></li>
<li><a href="/u/">登录/注册</a></li><li><a href="/care/">进入关怀版</a></li>
<li><a href="/more/">更多…</a></li>
<li><a href="/intro/">华岭网简介</a></li><li><a href="/bd/">商务合作</a></li>
<li><a href="/tw/">中文繁体</a></li>
<li><a href="/fz/">法治</a></li>
</ul></div>"""


def test_section_names_lose_decoration_and_utility_links_are_dropped() -> None:
    portal = generic_portal("http://www.example.cn/")
    names = [name for name, _ in discover_sections(DECORATED_NAV, "http://www.example.cn/", portal)]
    assert names == ["国际新闻", "要闻", "经济", "法治"]


CHANNEL_NAV = """<div id="nav"><a href="http://www.people.com.cn/">人民网首页</a>
<a href="http://politics.people.com.cn/">时政</a><a href="http://jl.people.com.cn/GB/349771/index.html">吉林要闻</a>
<a href="http://jl.people.com.cn/GB/349772/index.html">市州</a><a href="http://www.people.com.cn/GB/59476/">国际</a>
<a href="/GB/349773/index.html">民生</a></div>"""


def test_a_channel_keeps_its_own_sections() -> None:
    home = "http://jl.people.com.cn/"
    portal = generic_portal(home)
    assert portal.domains == ("people.com.cn",)  # articles anywhere on people.com.cn count
    assert [n for n, _ in discover_sections(CHANNEL_NAV, home, portal)] == ["吉林要闻", "市州", "民生"]
    # on www, the whole domain is the portal
    www = "http://www.people.com.cn/"
    assert [n for n, _ in discover_sections(CHANNEL_NAV, www, generic_portal(www))] == [
        "时政",
        "吉林要闻",
        "市州",
        "国际",
        "民生",
    ]
    # a channel whose bar only points elsewhere on the domain keeps those
    only_www = CHANNEL_NAV.replace("jl.people.com.cn", "www.people.com.cn").replace(
        '"/GB/', '"http://www.people.com.cn/GB/'
    )
    assert len(discover_sections(only_www, home, portal)) == 5


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("http://www.example.com.cn/", "example.com.cn"),
        ("http://example.com.cn/", "example.com.cn"),
        ("http://jl.people.com.cn/", "jl.people.com.cn"),
        ("http://www.jl.gov.cn/", "jl.gov.cn"),
        ("http://news.example.cn/", "news.example.cn"),
    ],
)
def test_site_host(url: str, site: str) -> None:
    assert site_host(url) == site


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<p>没有链接</p>"])
def test_no_sections_on_empty_pages(html: str) -> None:
    assert discover_sections(html, "http://www.example.cn/", generic_portal("http://www.example.cn/")) == []


# -- the page itself ---------------------------------------------------------------------------
BODY = (
    "6月3日，全省稳就业工作推进会在岭州召开。会议通报了今年以来全省就业形势，部署下一阶段重点任务。\n"
    "会议指出，今年以来，全省各地各部门认真落实就业优先政策，城镇新增就业、失业人员再就业等主要指标总体平稳。"
    "但也要看到，高校毕业生、农民工等重点群体就业压力依然较大，部分中小企业用工需求有所下降。\n"
    "会议要求，各地要把稳就业摆在更加突出的位置，落实好减负稳岗、社保补贴等政策，确保全年目标任务完成。"
)
GOOD = {"title": "华岭省召开稳就业工作推进会", "published_at": "2020-06-04T09:30:00+08:00", "body": BODY}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({}, None),
        ({"title": None}, "no_title"),
        ({"title": "  "}, "no_title"),
        ({"title": "要闻"}, "not_article_title"),
        ({"title": "关于我们"}, "not_article_title"),
        ({"title": "联系我们-华岭网"}, "not_article_title"),
        ({"published_at": None}, "no_date"),
        ({"body": ""}, "short_body"),
        ({"body": "6月1日，白河县开展防汛应急演练，检验预警发布和人员转移能力。"}, "short_body"),
        (
            {"body": "，".join(["白河县开展防汛应急演练检验预警发布和人员转移能力"] * 4) + "。"},
            "no_sentences",
        ),
        (
            {"body": "\n".join(["华岭省召开稳就业工作推进会确保全年新增城镇就业五十万人以上"] * 10)},
            "no_sentences",
        ),
        (
            {
                "body": "\n".join(
                    ["华岭省召开稳就业工作推进会 确保全年新增城镇就业"] * 9 + ["会议要求，落实政策。好。"]
                )
            },
            "no_sentences",
        ),
    ],
)
def test_article_rejection(change: dict[str, Any], reason: str | None) -> None:
    record = {**GOOD, **change}
    assert article_rejection(record) == reason
    assert looks_like_article(record) is (reason is None)


def test_body_threshold_is_in_cjk_characters() -> None:
    latin = "Shanghai Daily reports. " * 40  # long, but not Chinese prose
    assert article_rejection({**GOOD, "body": latin}) == "short_body"
    brief = "。".join(["华岭省召开会议部署工作"] * 6) + "。"  # a 60-character brief in six sentences
    assert MIN_BODY_CJK == 60
    assert article_rejection({**GOOD, "body": brief}) is None
    assert article_rejection({**GOOD, "body": brief[:-12]}) == "short_body"
    assert article_rejection({**GOOD, "body": brief}, min_body_cjk=100) == "short_body"
    assert article_rejection({**GOOD, "published_at": None}, require_date=False) is None


BLURB = (  # a player page's two-sentence blurb: 70 CJK characters
    "6月1日，白河县在城关镇沿河社区开展防汛应急演练，模拟河道水位快速上涨、低洼地带群众被困等险情。"
    "网格员、救援队员和医护人员协同配合，将群众安全转移至安置点。"
)


@pytest.mark.parametrize(
    ("title", "body", "reason"),
    [
        ("【视频】直击白河县防汛应急演练现场", BLURB, "media_page"),
        ("[视频]直击白河县防汛应急演练现场", BLURB, "media_page"),
        ("视频｜直击白河县防汛应急演练现场", BLURB, "media_page"),
        ("直击白河县防汛应急演练现场（视频）", BLURB, "media_page"),
        ("【直播】白河县防汛应急演练", BLURB, "media_page"),
        ("【图集】白河县防汛应急演练现场", BLURB, "media_page"),
        ("组图：白河县防汛应急演练现场", BLURB, "media_page"),
        ("【视频】直击白河县防汛应急演练现场", BODY + "\n" + BODY, None),  # a report with a video
        ("白河县开展防汛应急演练", BLURB, None),  # a short report
        ("视频会议部署防汛工作 要求压实责任", BLURB, None),  # 视频 as a word, not a marker
    ],
)
def test_media_pages(title: str, body: str, reason: str | None) -> None:
    assert MIN_BODY_CJK < len(re.findall(r"[\u4e00-\u9fff]", BLURB)) < MEDIA_PAGE_MAX_CJK
    assert article_rejection({**GOOD, "title": title, "body": body}) == reason


@pytest.fixture(scope="module")
def extracted() -> dict[str, dict[str, Any]]:
    fetch = mirror_fetcher(MIRROR)
    out = {}
    urls = CRAWL["exported"] + [d["url"] for d in CRAWL["not_exported"]]
    for url in urls:
        fetched = fetch(url)
        assert fetched is not None, url
        out[url] = extract_generic_bytes(fetched[0], fetched[1], url)
    return out


def test_fixture_articles_look_like_articles(extracted: dict[str, dict[str, Any]]) -> None:
    rejected = {
        u: article_rejection(extracted[u]) for u in CRAWL["exported"] if not looks_like_article(extracted[u])
    }
    assert not rejected


def test_fixture_non_articles_do_not(extracted: dict[str, dict[str, Any]]) -> None:
    # off-domain and robots-disallowed pages ARE articles: the crawl must not reach them at all
    judged = [d for d in CRAWL["not_exported"] if d["kind"] not in ("offsite", "robots")]
    assert {d["kind"] for d in judged} >= {"video", "about", "topic", "list", "home"}
    passed = [d["url"] for d in judged if looks_like_article(extracted[d["url"]])]
    assert not passed
    for d in CRAWL["not_exported"]:
        if d["kind"] in ("offsite", "robots"):
            assert looks_like_article(extracted[d["url"]]), d["url"]


def test_nav_links_css_selects_the_fixture_navigation() -> None:
    from parsel import Selector

    portal = generic_portal(HOME)
    assert portal.nav_links
    texts = [a.css("::text").get() for a in Selector(text=_page(HOME)).css(portal.nav_links)]
    assert {name for name, _ in CRAWL["sections"]} <= set(texts)
    assert "登录" not in texts and "关于我们" not in texts
