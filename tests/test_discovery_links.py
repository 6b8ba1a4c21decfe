"""The list-block scorer (newscrawler.discovery.links) on list pages written for these tests:
the main list is told from a navigation bar, a "hot news" box, a footer and a pager by the
structure of the page, whatever the URLs look like."""

from __future__ import annotations

from newscrawler.discovery import generic_portal, is_article_url
from newscrawler.discovery.links import link_groups, list_links, parse_list_date, url_shape
from newscrawler.extraction.tree import parse_html

HOME = "http://www.tongjiang-daily.example/"
PORTAL = generic_portal(HOME)

NAV = (
    '<div class="nav"><a href="/">首页</a><a href="/yw/">要闻</a><a href="/sz/">时政</a>'
    '<a href="/jj/">经济</a><a href="/sh/">社会</a></div>'
)
FOOT = '<div class="footer"><a href="/about/1.html">关于我们</a> <a href="/lx/2.html">联系我们</a></div>'
HOT = (
    '<div class="box"><h3>热点新闻</h3><ul>'
    '<li><a href="/sh/7001.html">潼江市民文化节开幕 百余场活动持续一个月</a></li>'
    '<li><a href="/jj/7002.html">潼江新区十个重点项目集中签约落地</a></li>'
    '<li><a href="/sz/7003.html">潼江市召开优化营商环境工作推进会议</a></li>'
    '<li><a href="/sh/7004.html">潼江老城区雨污分流改造工程全面完工</a></li>'
    "</ul></div>"
)
MAIN_ITEMS = [
    ("/yw/n/k2x9q.html?from=list", "潼江市出台支持民营经济发展二十条措施", "2026-11-20"),
    ("/yw/n/p7m3a.html?from=list", "全市秋冬季农业生产工作现场会召开", "2026-11-19"),
    ("/yw/n/d4r8s.html?from=list", "潼江高铁站综合交通枢纽主体工程完工", "2026-11-18"),
    ("/yw/n/h5t2w.html?from=list", "潼江新增三家国家级专精特新企业", "2026-11-17"),
    ("/yw/n/z9c6e.html?from=list", "市人大常委会开展食品安全法执法检查", "2026-11-16"),
]
PAGER = (
    '<div class="pages"><span>1</span><a href="?page=2">2</a><a href="?page=3">3</a>'
    '<a href="?page=2">下一页</a></div>'
)


def _page(body: str, head: str = "") -> str:
    return f"<html><head><title>要闻</title>{head}</head><body>{NAV}{body}{FOOT}</body></html>"


def _ul(items: list[tuple[str, str, str]]) -> str:
    return (
        '<div class="news"><ul>'
        + "".join(f'<li><a href="{u}">{t}</a><span class="d">{d}</span></li>' for u, t, d in items)
        + "</ul></div>"
    )


def _links(html: str, url: str = HOME + "yw/", **kw: object) -> tuple[list[str], list[str], tuple[str, ...]]:
    root = parse_html(html)
    main, other, path = list_links(
        root,
        url,
        PORTAL.owns_url,
        lambda u: is_article_url(u, PORTAL),
        **kw,  # type: ignore[arg-type]
    )
    return [link.url for link in main], [link.url for link in other], path


def test_the_main_list_beside_a_hot_box_and_a_nav_bar() -> None:
    html = _page(f'<div class="left">{_ul(MAIN_ITEMS)}{PAGER}</div><div class="r">{HOT}</div>')
    main, other, path = _links(html)
    assert main == [HOME + u.lstrip("/") for u, _, _ in MAIN_ITEMS]
    assert other == [
        HOME + f"{s}/{n}.html" for s, n in (("sh", 7001), ("jj", 7002), ("sz", 7003), ("sh", 7004))
    ]
    assert path == ("div.news/ul/li",)


def test_no_navigation_footer_or_pager_link_is_a_candidate() -> None:
    html = _page(f"{_ul(MAIN_ITEMS)}{PAGER}{HOT}")
    main, other, _ = _links(html)
    everything = set(main) | set(other)
    for url in ("yw/", "sz/", "about/1.html", "lx/2.html", "yw/?page=2"):
        assert HOME + url not in everything


def test_the_hot_box_loses_even_when_it_is_longer_and_first() -> None:
    """Five undated "hot" items before a two-item dated list: the box title and the dates decide."""
    hot = HOT.replace("</ul>", '<li><a href="/sh/7005.html">潼江市全面启动冬季供暖保障工作</a></li></ul>')
    main, other, _ = _links(_page(f"{hot}{_ul(MAIN_ITEMS[:2])}"))
    assert main == [HOME + u.lstrip("/") for u, _, _ in MAIN_ITEMS[:2]]
    assert len(other) == 5


def test_a_table_list_a_definition_list_and_a_thumbnail_grid() -> None:
    rows = "".join(f'<tr><td><a href="{u}">{t}</a></td><td>{d}</td></tr>' for u, t, d in MAIN_ITEMS)
    dl = "".join(f'<dt><a href="{u}">{t}</a></dt><dd>{d}</dd>' for u, t, d in MAIN_ITEMS)
    grid = "".join(
        f'<div class="card"><a href="{u}"><img src="/i/{i}.jpg"></a>'
        f'<h3><a href="{u}">{t}</a></h3><p>{d}</p></div>'
        for i, (u, t, d) in enumerate(MAIN_ITEMS)
    )
    expected = [HOME + u.lstrip("/") for u, _, _ in MAIN_ITEMS]
    for markup in (f"<table>{rows}</table>", f'<dl class="l">{dl}</dl>', f'<div class="grid">{grid}</div>'):
        main, _, _ = _links(_page(markup + HOT))
        assert main == expected, markup[:40]


def test_a_last_page_with_one_item_keeps_its_list_by_the_first_pages_path() -> None:
    box = HOT.replace("热点新闻", "编辑推荐")
    first = _page(f'<div class="left">{_ul(MAIN_ITEMS)}</div><div class="col">{box}</div>')
    _, _, paths = _links(first)
    undecorated_hot = HOT.replace("<h3>热点新闻</h3>", "")
    last = _page(f'<div class="left">{_ul(MAIN_ITEMS[:1])}</div><div class="col">{undecorated_hot}</div>')
    assert _links(last)[0] != [HOME + MAIN_ITEMS[0][0].lstrip("/")]  # alone, the 4-item box wins
    main, _, _ = _links(last, prefer_paths=paths)
    assert main == [HOME + MAIN_ITEMS[0][0].lstrip("/")]


def test_relative_protocol_relative_and_base_href_links_resolve() -> None:
    items = [
        ("../yw/n/a1b2c.html", "潼江市出台支持民营经济发展二十条措施", "2026-11-20"),
        ("//www.tongjiang-daily.example/yw/n/a1b2d.html", "全市秋冬季农业生产工作现场会召开", "2026-11-19"),
        ("n/a1b2e.html", "潼江高铁站综合交通枢纽主体工程完工", "2026-11-18"),
    ]
    main, _, _ = _links(_page(_ul(items)), url=HOME + "yw/index.html")
    assert main == [HOME + "yw/n/a1b2c.html", HOME + "yw/n/a1b2d.html", HOME + "yw/n/a1b2e.html"]
    based = _page(_ul(items), head=f'<base href="{HOME}sz/">')
    main, _, _ = _links(based, url=HOME + "yw/index.html")
    assert main == [HOME + "yw/n/a1b2c.html", HOME + "yw/n/a1b2d.html", HOME + "sz/n/a1b2e.html"]


def test_off_domain_and_script_links_are_never_candidates() -> None:
    items = [
        ("http://www.other-news.example/yw/1.html", "潼江市出台支持民营经济发展二十条措施", "2026-11-20"),
        ("javascript:open('x')", "全市秋冬季农业生产工作现场会召开", "2026-11-19"),
        *MAIN_ITEMS[2:],
    ]
    main, _, _ = _links(_page(_ul(items)))
    assert main == [HOME + u.lstrip("/") for u, _, _ in MAIN_ITEMS[2:]]


def test_groups_are_scored_by_headlines_dates_and_position() -> None:
    root = parse_html(_page(f"{_ul(MAIN_ITEMS)}{PAGER}{HOT}"))
    groups = link_groups(root, HOME + "yw/", PORTAL.owns_url, lambda u: False)
    best = groups[0]
    assert len(best.links) == 5 and best.date_share == 1.0 and not best.boxed
    hot = next(g for g in groups if g.boxed and g.links)
    assert hot.score < best.score and hot.date_share == 0.0
    nav = next(g for g in groups if any(link.url == HOME + "yw/" for link in g.links))
    assert nav.score == 0  # section names are no headlines


def test_list_dates_and_url_shapes() -> None:
    assert parse_list_date("[2026-11-03]").isoformat() == "2026-11-03T00:00:00+08:00"  # type: ignore[union-attr]
    assert parse_list_date("2026年11月3日").day == 3  # type: ignore[union-attr]
    assert parse_list_date("11-03") is None  # no year: no guess
    assert url_shape(HOME + "zw/item/k7m2q9/") == url_shape(HOME + "zw/item/p3x8w2/")
    assert url_shape(HOME + "bd/52341.html?from=list") == url_shape(HOME + "bd/52999.html?from=home")
    assert url_shape(HOME + "bd/52341.html") != url_shape(HOME + "zw/52341.html")


def test_a_lead_item_styled_apart_belongs_to_the_list() -> None:
    lead = (
        '<h2 class="lead"><a href="/yw/n/q8w7e.html">潼江市第十五次党代会胜利闭幕</a></h2>'
        "<p>摘要：会议选举产生新一届市委。</p>"
    )
    html = _page(f'<div class="news">{lead}<ul>' + _ul(MAIN_ITEMS)[len('<div class="news"><ul>') :] + HOT)
    main, _, _ = _links(html)
    assert main[0] == HOME + "yw/n/q8w7e.html" and len(main) == 6


def test_a_photo_grid_is_no_hot_box_and_headlines_outside_the_link_count() -> None:
    cards = "".join(
        f'<div class="pic"><a href="{u}"><img src="/i/{i}.jpg"></a><p>{t}</p><span>{d}</span></div>'
        for i, (u, t, d) in enumerate(MAIN_ITEMS)
    )
    main, _, _ = _links(_page(f'<div class="photo-list">{cards}</div>{HOT}'))
    assert main == [HOME + u.lstrip("/") for u, _, _ in MAIN_ITEMS]
