"""The CRI Online (国际在线) regional channels: one CMS, one family of definitions.

Article URLs: ``http://jl.cri.cn/2019-01-18/<uuid>.html`` on the regional channels
(jl.cri.cn, js.cri.cn, gz.cri.cn, ...), ``http://news.cri.cn/20190725/<uuid>.html`` on the news
site. A multi-page article continues at ``<uuid>_2.html``. Article pages carry ``#atitle``,
``#acreatedtime``, ``#asource``, ``#aeditor`` and ``#abody``; every page carries the portal's
copyright disclaimer (国际在线版权与信息产品内容销售的声明), which the clean pipeline drops.
"""

from __future__ import annotations

from collections.abc import Sequence

from newscrawler.portals.base import ArticleSelectors, PortalDefinition, Section

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

#: date + UUID (regional channels) or compact date + UUID (news.cri.cn); page 2.. is ``_N``.
ARTICLE_PATTERNS = (
    rf"/\d{{4}}-\d{{2}}-\d{{2}}/{UUID}\.html$",
    rf"/\d{{8}}/{UUID}\.html$",
)

CRI_ARTICLE = ArticleSelectors(
    title="#atitle",
    info=".info, .sign, .article-info",
    published="#acreatedtime",
    source="#asource",
    editor="#aeditor",
    body="#abody",
    breadcrumb_section=".crumbs a:nth-of-type(2)",
    next_page="#apagenav a, .page-nav a",
    body_exclude=("script", "style", ".share", ".statement", ".page-nav"),
)

CRI_BOILERPLATE = (
    r"^国际在线版权与信息产品内容销售的声明",
    r"^【?扫一扫.{0,20}(关注|下载|分享)",
    r"国际在线.{0,10}(微信公众号|客户端)",
)


def cri_channel(
    name: str,
    host: str,
    display_name: str,
    sections: Sequence[tuple[str, str]],
    *,
    scheme: str = "http",
) -> PortalDefinition:
    """A definition for one CRI Online regional channel.

    ``sections`` are (name as in the navigation bar, slug): the first list page of a section is
    ``<scheme>://<host>/<slug>/index.html`` unless the live navigation bar links elsewhere.
    """
    home = f"{scheme}://{host}/"
    return PortalDefinition(
        name=name,
        display_name=display_name,
        domains=(host,),
        home_url=home,
        sections=tuple(Section(title, f"{home}{slug}/index.html") for title, slug in sections),
        article_url_patterns=ARTICLE_PATTERNS,
        nav_links=".nav a, .header a",
        list_container=".news-list, .list-box, .list",
        list_next_page=".page-nav a, .pages a, .page a",
        article=CRI_ARTICLE,
        non_article_marker=".video-box",
        boilerplate_patterns=CRI_BOILERPLATE,
        title_suffixes=("_国际在线", "-国际在线", "_国际在线吉林频道"),
    )
