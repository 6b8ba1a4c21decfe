"""中国吉林网 (www.cnjiwang.com), the Jilin provincial news portal of 吉林日报社.

The site spans ``www.cnjiwang.com`` (home, 文旅) and ``news.cnjiwang.com`` (吉网原创, 吉林新闻,
国内新闻, 财经). Article URLs: ``http://news.cnjiwang.com/jwyc/202006/3201234.html`` (section
directory, ``YYYYMM``, numeric id); page 2 of a multi-page article is ``<id>_1.html``, which is
never linked from a list. Section lists are ``<dir>/``, ``<dir>/index_1.html``, ... with a
``div.pages`` pager. Article pages: ``h1.art-title``, ``div.art-info`` (time, ``来源：``,
``编辑：``), the text in ``#content``, a ``【责任编辑：…】`` line under it, and the portal's
copyright notice (``凡注明“来源：中国吉林网”的所有作品…``, ``中国吉林网版权所有``) at the end of the
text area. Video pages share the article URL pattern but carry a ``div.video-player`` and no text.

The markup is a reconstruction (``fixtures/README.md``, ``fixtures/tools/cnjiwang_layout.py``).
"""

from newscrawler.portals.base import ArticleSelectors, PortalDefinition, Section

NEWS = "http://news.cnjiwang.com/"
WWW = "http://www.cnjiwang.com/"

PORTAL = PortalDefinition(
    name="cnjiwang",
    display_name="中国吉林网",
    domains=("cnjiwang.com",),
    home_url=WWW,
    sections=(
        Section("吉网原创", f"{NEWS}jwyc/"),
        Section("吉林新闻", f"{NEWS}jlxw/"),
        Section("国内新闻", f"{NEWS}gnxw/"),
        Section("财经", f"{NEWS}cj/"),
        Section("文旅", f"{WWW}wl/"),
    ),
    # /<section dir>[/<sub dir>]/<YYYYMM>/<numeric id>.html; not <id>_<n>.html (later pages)
    article_url_patterns=(r"^https?://[a-z0-9.]*cnjiwang\.com/(?:[a-z]+/){1,2}\d{6}/\d{5,9}\.html$",),
    nav_links=".nav-bar a",
    list_container=".list-main",
    list_next_page=".pages a",
    article=ArticleSelectors(
        title=".art-title",
        info=".art-info",
        published=".art-info .time",
        source=".art-info .source",
        editor=".art-editor",
        body="#content",
        breadcrumb_section=".position a:nth-of-type(2)",
        next_page=".art-page a",
        body_exclude=("script", "style", ".art-share"),
    ),
    non_article_marker=".video-player",
    boilerplate_patterns=(
        r"^凡注明“来源[:：]",
        r"中国吉林网版权所有",
        r"关注中国吉林网",
        r"^[【\[]?\s*责任编辑\s*[:：]",
    ),
    title_suffixes=("-中国吉林网", "_中国吉林网"),
)
