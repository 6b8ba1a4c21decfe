"""Tests for newscrawler.extraction.title through the generic extractor: which heading is the
title. Pages written for these tests."""

from __future__ import annotations

from newscrawler.extraction.generic import extract_generic

BODY = "".join(
    f"<p>华岭市今年第{i}批民生项目近日全面开工，涉及道路、供水、学校和医院等多个领域，预计年底前陆续完工投用。</p>"
    for i in range(1, 7)
)


def _page(title_tag: str, main: str, side: str = "") -> str:
    return (
        f"<html><head><title>{title_tag}</title></head><body>"
        f"<div class='nav'><a href='/'>首页</a></div>"
        f"<div class='left'>{main}<div class='article'>{BODY}</div></div>"
        f"<div class='right'>{side}</div></body></html>"
    )


def test_fuller_heading_above_the_short_form_of_title_tag() -> None:
    # <title> carries the issue only; the sidebar repeats it, the page's headline says it in full
    html = _page(
        "华岭理论网-2023年第2期",
        "<h3>《华岭社会科学》2023年第2期</h3>",
        "<h3>2023年第2期</h3><ul><li><a href='/1'>2023年第1期</a></li></ul>",
    )
    assert extract_generic(html, None)["title"] == "《华岭社会科学》2023年第2期"


def test_fuller_heading_is_not_a_lower_rank_nor_below_nor_a_wrapper() -> None:
    # a banner <h2> above the <h1> that contains its words is not the headline
    banner = _page(
        "华岭市民生项目全面开工_华岭网",
        "<h2>专题：华岭市民生项目全面开工进行时</h2><h1>华岭市民生项目全面开工</h1>",
    )
    assert extract_generic(banner, None)["title"] == "华岭市民生项目全面开工"
    # nor a heading further down (a related article, a later section)
    below = _page(
        "华岭市民生项目全面开工_华岭网",
        "<h1>华岭市民生项目全面开工</h1>",
        "<h1>华岭市民生项目全面开工一周年回访</h1>",
    )
    assert extract_generic(below, None)["title"] == "华岭市民生项目全面开工"
    # nor the heading's own wrapper with its buttons
    wrapped = _page(
        "华岭市民生项目全面开工_华岭网",
        "<h2 class='box'><span class='title'>华岭市民生项目全面开工</span><a href='#'>播报文章</a></h2>",
    )
    assert extract_generic(wrapped, None)["title"] == "华岭市民生项目全面开工"


def _poem_page(scope: str) -> str:
    return (
        "<html><head><title>春晓_原文、翻译及赏析_华岭诗词网</title></head><body>"
        f"{scope}<div class='article'>{BODY}</div></body></html>"
    )


def test_headline_of_the_article_microdata() -> None:
    # a two-character headline: too short to be taken from the headings, but the microdata says it
    article = (
        "<div itemscope itemtype='http://schema.org/Article'><h1 itemprop='name'>春晓</h1>"
        "<p itemprop='author' itemscope itemtype='http://schema.org/Person'>"
        "作者：<span itemprop='name'>孟浩然</span></p>"
    )
    assert extract_generic(_poem_page(article + "</div>"), None)["title"] == "春晓"
    headline = "<div><span itemprop='headline'>春晓</span></div>"
    assert extract_generic(_poem_page(headline), None)["title"] == "春晓"
    # the name of another item (the author inside the article, a product) is no headline
    author_only = (
        "<div itemscope itemtype='https://schema.org/NewsArticle'>"
        "<p itemprop='author' itemscope itemtype='https://schema.org/Person'>"
        "<span itemprop='name'>孟浩然</span></p></div>"
    )
    product = "<div itemscope itemtype='http://schema.org/Product'><b itemprop='name'>春晓牌茶叶</b></div>"
    # nor the headline of another article, which <title> does not confirm
    teaser = "<div itemscope itemtype='http://schema.org/Article'><a itemprop='headline'>华岭夜雨</a></div>"
    for scope in (author_only, product, teaser):
        assert extract_generic(_poem_page(scope), None)["title"] == "春晓_原文、翻译及赏析_华岭诗词网"


def test_site_suffix_stripped_whichever_side_the_site_name_is_on() -> None:
    from newscrawler.extraction.title import strip_site_suffix

    assert strip_site_suffix("长春南湖公园丁香花开_吉林频道_国际在线") == "长春南湖公园丁香花开"
    assert strip_site_suffix("理论周刊网-2022年第4期") == "2022年第4期"
    assert strip_site_suffix("某某日报 | 春耕备耕全面展开 农机具检修忙") == "春耕备耕全面展开 农机具检修忙"
    # a headline that itself ends like an outlet stays the headline
    assert strip_site_suffix("我国建成全球最大5G网_某某网") == "我国建成全球最大5G网"
    assert strip_site_suffix("全省建成覆盖城乡的服务网_要闻") == "全省建成覆盖城乡的服务网"
    assert strip_site_suffix("-某某历史网") is None
    # a home page's title of site descriptors keeps them all
    home = "某某网_某某日报主办_某某省重点新闻网站"
    assert strip_site_suffix(home) == home
