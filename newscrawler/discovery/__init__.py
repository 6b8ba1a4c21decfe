"""Discovery for portals without a hand-written definition (the generic crawl).

Pure functions, no Scrapy: the spider's generic mode calls them.

* :func:`generic_portal` — a :class:`PortalDefinition` for any portal from its home URL;
* :func:`discover_sections` — the section pages (栏目) linked from the home page's navigation;
* :func:`is_article_url` — does a link look like an article page (before fetching it)?
* :func:`looks_like_article` / :func:`article_rejection` — is the fetched, extracted page an
  article (after fetching it)?

The URL test is deliberately permissive: a link it misses is never fetched, while a page it lets
through is judged again by :func:`looks_like_article`. The patterns
(:data:`ARTICLE_URL_PATTERNS`) are those of the CMSs behind Chinese news portals:

==================================  ===============================================================
pattern                             example
==================================  ===============================================================
``/2020-06/04/<file>``              Xinhua: ``/politics/2020-06/04/c_1126072345.htm``
``/2020/0604/<file>``               People's Daily: ``/n1/2020/0604/c1001-31735432.html``
``/20200604/<file>``                CRI news, many dailies: ``/20200604/<uuid>.html``
``/2020-06-04/<file>``              CRI regional channels: ``/2020-06-04/<uuid>.html``
``/2020/06/04/<file>``              WordPress-like CMSs
``/202006/04/<file>``               TRS-like: ``/system/202006/04/012345678.shtml``
``/2020/06-04/<file>``              China News Service: ``/gn/2020/06-04/9203456.shtml``
``content_123.htm(l)``              Xinhua regional sites, dailies: ``/content_5517264.htm``
``t20200604_123.html``              TRS (government sites, dailies): ``/202006/t20200604_7265432.html``
``c1001-31735432.html``             People's Daily channels
``art_12_345.html``                 Hanweb (政府网站群): ``/art/2020/6/4/art_1229_4512345.html``
``/detail/<id>``                    app-style portals: ``/detail/20200604A0ABCD00``
``/202006/<file>``                  year-month directories: ``/202006/123456.html``
``/240423/<file>``                  yymmdd directories: ``/shx/240423/e7opdxr.html``
``<uuid>.html``, ``<hex>.shtml``    CRI, Southcn-like CMSs: ``/node_742c1a40f1/ae7e7ec561.shtml``
``/<16+ hex>``                      360kuai-like: ``/965d47690a7dfa8dc``
``/<6+ digits>.s?html?``            numbered articles: ``/news/1234567.html``, ``…-002104675.html``
``/a|p|article/<6+ digit id>``      Sohu, QQ, Toutiao, 021east: ``/a/778336904_120702``,
                                    ``/rain/a/20240513A00GCM00``, ``/article/7367007067191640576/``
``/c|article/<10+ alnum id>``       Ifeng, NetEase: ``/c/8Wda7wwUnuC``, ``/article/J22CN60P0514R9KQ.html``
``doc-<id>.shtml``                  Sina-like: ``/doc-iirczymk1234567.shtml``
``show.php?id=123`` & co            small portals, Empire CMS: ``ShowInfo.php?classid=2&id=1234``
==================================  ===============================================================

Exclusions win over patterns (:data:`NON_ARTICLE_URL_PATTERNS`): index and list pages
(``index.html``, ``list_2.html``, ``node_1234.htm``), video, special-topic (``/zt/``,
``/special/``, ``/zhuanti/``), about, login and search pages, files; page 2.. of a multi-page
article (``c_123_2.htm`` when ``c_123.htm`` is an article URL, ``c.html?page=4``: the spider
merges later pages into page 1); and links that only carry an article URL in their query
(``/u/reg?fromUrl=http%3A%2F%2F…``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html

from newscrawler.extraction.text import compact, normalize_text
from newscrawler.portals.base import PortalDefinition

__all__ = [
    "ARTICLE_URL_PATTERNS",
    "LISTING_URL_PATTERNS",
    "MEDIA_PAGE_MAX_CJK",
    "MIN_BODY_CJK",
    "MIN_SENTENCES",
    "NON_ARTICLE_URL_PATTERNS",
    "NON_PAGE_URL_PATTERNS",
    "article_rejection",
    "discover_sections",
    "generic_portal",
    "is_article_url",
    "looks_like_article",
    "non_article_url_reason",
    "registrable_domain",
    "site_host",
]

# -- domains ---------------------------------------------------------------------------------
#: second-level labels under which a Chinese (or HK/TW) name is registered one level deeper
_CN_SECOND_LEVEL = frozenset(
    "com net org gov edu ac mil "  # generic
    "bj tj he sx nm ln jl hl sh js zj ah fj jx sd ha hb hn gd gx hi cq sc gz yn xz sn gs qh nx xj "
    "tw hk mo".split()  # provinces (jl.cn ...)
)
_OTHER_SECOND_LEVEL = {
    "hk": frozenset("com net org gov edu idv".split()),
    "tw": frozenset("com net org gov edu idv".split()),
    "uk": frozenset("co org gov ac".split()),
    "jp": frozenset("co or ne go ac".split()),
}


def registrable_domain(host: str) -> str:
    """The registrable domain of ``host``: ``news.example.com.cn`` → ``example.com.cn``,
    ``jl.people.com.cn`` → ``people.com.cn``, ``www.xinhuanet.com`` → ``xinhuanet.com``.
    IP addresses and single-label hosts are returned as they are."""
    host = host.lower().strip(".")
    labels = host.split(".")
    if len(labels) <= 2 or re.fullmatch(r"[\d.]+|\[[0-9a-f:]+\]", host):
        return host
    tld, sld = labels[-1], labels[-2]
    second_level = _CN_SECOND_LEVEL if tld == "cn" else _OTHER_SECOND_LEVEL.get(tld, frozenset())
    keep = 3 if sld in second_level else 2
    return ".".join(labels[-keep:])


# -- URL patterns ----------------------------------------------------------------------------
_Y = r"(?:19|20)\d{2}"
_M = r"[01]\d"
_D = r"[0-3]\d"
_FILE = r"/[^/?#]+"  # a file segment after a dated directory (not a bare directory)
_EXT = r"\.s?html?"
_END = r"(?:$|[?#])"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_HEXID = r"(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]"  # hex, with at least a digit and a letter
_ID_DIRS = r"(?:a|article|articles|p|post|posts|doc|docs|story|details?)"  # /<dir>/<numeric id>

#: regexes searched in the absolute URL; one match makes an article candidate (see module doc)
ARTICLE_URL_PATTERNS: tuple[str, ...] = (
    rf"/{_Y}-{_M}/{_D}{_FILE}",  # /2020-06/04/c_123.htm
    rf"/{_Y}/{_M}{_D}{_FILE}",  # /2020/0604/c1001-123.html
    rf"/{_Y}{_M}{_D}{_FILE}",  # /20200604/xxx.html
    rf"/{_Y}-{_M}-{_D}{_FILE}",  # /2020-06-04/<uuid>.html
    rf"/{_Y}/{_M}/{_D}{_FILE}",  # /2020/06/04/xxx.html
    rf"/{_Y}{_M}/{_D}{_FILE}",  # /202006/04/xxx.shtml
    rf"/{_Y}/{_M}-{_D}{_FILE}",  # /2020/06-04/9203456.shtml
    rf"/{_Y}{_M}/[^/?#]+{_EXT}{_END}",  # /202006/1234.html (year-month directory)
    rf"/[12]\d{_M}{_D}/[^/?#]+{_EXT}{_END}",  # /240423/e7opdxr.html (yymmdd directory)
    rf"/content_\d+(?:_\d+)?{_EXT}{_END}",  # content_5517264.htm
    rf"/t{_Y}{_M}{_D}_\d+(?:_\d+)?{_EXT}{_END}",  # t20200604_7265432.html
    rf"/c\d+-\d+(?:-\d+)?{_EXT}{_END}",  # c1001-31735432.html
    rf"/art_\d+_\d+{_EXT}{_END}",  # art_1229_4512345.html
    r"/detail/[^/?#]+",  # /detail/20200604A0ABCD00
    rf"/{_UUID}(?:_\d+)?{_EXT}{_END}",
    rf"/{_HEXID}{{10,}}(?:_\d+)?{_EXT}{_END}",  # /ae7e7ec561.shtml, /<32 hex>.html
    rf"/{_HEXID}{{16,}}/?{_END}",  # /965d47690a7dfa8dc
    rf"[/_-]\d{{6,}}(?:_\d+)?{_EXT}{_END}",  # /1234567.html, /some-title-002104675.html
    rf"/{_ID_DIRS}/[\w-]*\d{{6,}}[\w-]*(?:{_EXT})?/?{_END}",  # /a/778336904_120702, /p/1715572974045997
    # /c/8Wda7wwUnuC, /article/J22CN60P0514R9KQ.html: letters and digits
    rf"/(?:a|c|article|doc|p)/(?=[0-9a-z]*\d)(?=[0-9a-z]*[a-z])[0-9a-z]{{10,}}(?:{_EXT})?/?{_END}",
    rf"/doc-[a-z0-9]{{10,}}{_EXT}{_END}",  # doc-iirczymk1234567.shtml
    r"/(?:show|view|detail|article|content|news_?(?:show|view|detail|info)|info)\w*\.(?:php|aspx?|jsp|do)"
    r"\?(?:[^#]*&)?(?:id|aid|newsid|news_id|articleid|article_id|contentid|docid|itemid)=\d+",
)

#: listing pages: never articles, but fine as sections (searched in the lowercased path+query)
LISTING_URL_PATTERNS: tuple[str, ...] = (
    r"/(?:index|default|home|main)(?:_\d+)?\.(?:s?html?|php|aspx?|jsp)$",
    r"/(?:list|node|more|column|channel|lanmu)[_-]?\d*(?:_\d+)?\.(?:s?html?|php|aspx?|jsp)$",
    r"/(?:list|more|category|catalog)/",
)
#: pages that are neither articles nor sections
NON_PAGE_URL_PATTERNS: tuple[str, ...] = (
    r"/(?:search|tags?|author)(?:[/.?]|$)",
    r"/(?:video|videos|vod|shipin|live|zhibo|tv)/",  # video and live pages
    r"/(?:special|specials|zt|zhuanti|topic|topics)/",  # special-topic pages
    r"/(?:about|aboutus|about_us|gywm|lxwm|contact|contactus|copyright|bqsm|mzsm|sitemap|wzdt|help)"
    r"(?:[/.?]|$)",  # about us, contact, copyright, site map
    r"/(?:login|logon|register|reg|signup|passport|user|member|rss)(?:[/.?]|$)",
    r"\.(?:jpe?g|png|gif|bmp|webp|svg|pdf|docx?|xlsx?|pptx?|zip|rar|7z|apk|exe|mp[34]|flv|avi|mov|wmv)(?:$|\?)",
)
#: everything that rules an article candidate out
NON_ARTICLE_URL_PATTERNS: tuple[str, ...] = LISTING_URL_PATTERNS + NON_PAGE_URL_PATTERNS

_ARTICLE_RES = tuple(re.compile(p, re.I) for p in ARTICLE_URL_PATTERNS)
_NON_ARTICLE_RES = tuple(re.compile(p) for p in NON_ARTICLE_URL_PATTERNS)
_NON_PAGE_RES = tuple(re.compile(p) for p in NON_PAGE_URL_PATTERNS)
#: page n ≥ 2 of a multi-page article: ``<stem>_<n>.<ext>``
_CONTINUATION_RE = re.compile(r"^(?P<base>.+/[^/?#]+?)_(?P<n>\d{1,2})(?P<ext>\.s?html?)$", re.I)

NEXT_PAGE_TEXTS: tuple[str, ...] = (
    "下一页", "下页", "下一頁", "后一页", "后页", "下一页>", "下一页>>", "下一页»", "[下一页]",
    ">", ">>", "»", "›", "next", "Next", "NEXT", "next page", "Next page", "Next »",
)  # fmt: skip

#: CSS of the navigation links of a home page (the spider's name matching and ``nav_links``)
NAV_LINKS_CSS = (
    "nav a, header a, .header a, #header a, [class*=nav] a, [id*=nav] a, [class*=menu] a, "
    "[id*=menu] a, [class*=daohang] a, [id*=daohang] a, [class*=channel] a"
)


def generic_portal(url: str, *, name: str | None = None) -> PortalDefinition:
    """A definition for any portal from its home URL: domain-wide, general article patterns,
    sections left to :func:`discover_sections`, every field to the generic extractor."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = parts.hostname.lower()
    home = parts._replace(path=parts.path or "/", fragment="").geturl()
    return PortalDefinition(
        name=name or host,
        display_name=host,
        domains=(registrable_domain(host),),
        home_url=home,
        sections=(),
        article_url_patterns=ARTICLE_URL_PATTERNS,
        nav_links=NAV_LINKS_CSS,
        list_container=None,
        list_next_page=None,
        next_page_texts=NEXT_PAGE_TEXTS,
    )


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path + ("?" + parts.query if parts.query else "")).lower()


_PAGE_PARAM_RE = re.compile(r"(?:^|&)(?:page|pageno|page_no|pn)=(\d+)(?:&|$)", re.I)


def _is_continuation(url: str, portal: PortalDefinition) -> bool:
    """Page 2.. of a multi-page article: ``…/c_123_2.htm`` whose page 1 ``…/c_123.htm`` is itself
    an article URL, or ``…/c.html?page=4``."""
    split = urlsplit(url)
    page = _PAGE_PARAM_RE.search(split.query)
    if page and int(page.group(1)) >= 2:
        return True
    m = _CONTINUATION_RE.match(split.path)
    if not m or int(m.group("n")) < 2:
        return False
    first = split._replace(path=m.group("base") + m.group("ext"), query="", fragment="").geturl()
    return _matches(first, portal)


_EMBEDDED_URL_RE = re.compile(r"https?(?::|%3a)|%2f", re.I)


def _matches(url: str, portal: PortalDefinition) -> bool:
    split = urlsplit(url)
    if split.query and _EMBEDDED_URL_RE.search(split.query):
        # a login or share link carrying an article URL in its query (?fromUrl=http%3A%2F%2F…)
        url = split._replace(query="", fragment="").geturl()
    if portal.article_url_patterns is ARTICLE_URL_PATTERNS:
        return any(r.search(url) for r in _ARTICLE_RES)
    return any(r.search(url) for r in portal.article_url_regexes)


def non_article_url_reason(url: str, portal: PortalDefinition) -> str | None:
    """Why ``url`` is not an article candidate (``off_domain``, ``excluded``, ``continuation``,
    ``no_pattern``), or None when it is one."""
    if urlsplit(url).scheme not in ("http", "https"):
        return "not_http"
    if not portal.owns_url(url):
        return "off_domain"
    path = _path_of(url)
    if path in ("", "/") or any(r.search(path) for r in _NON_ARTICLE_RES):
        return "excluded"
    if not _matches(url, portal):
        return "no_pattern"
    if _is_continuation(url, portal):
        return "continuation"
    return None


def is_article_url(url: str, portal: PortalDefinition) -> bool:
    """True when ``url`` is on the portal, matches one of its article patterns and none of the
    exclusions (index/list/node pages, video, special topics, about pages, files, page 2..)."""
    return non_article_url_reason(url, portal) is None


# -- sections --------------------------------------------------------------------------------
_NAV_HINT_RE = re.compile(r"nav|menu|daohang|\bdh\b|channel|lanmu|column|header|\bhead\b|top-?bar", re.I)
#: containers that are never the navigation, whatever else their class says ("foot-nav")
_NOT_NAV_STRONG_RE = re.compile(r"foot|copyright|bottom|friend|youqing|side|crumb|pag(?:e|ing|ination)", re.I)
#: containers that are not the navigation unless their class also says so ("nav-links")
_NOT_NAV_WEAK_RE = re.compile(r"links?\b|share|login|user|tool|list|news|article|content|main", re.I)
_NON_SECTION_TEXT_RE = re.compile(
    r"^(?:首页|网站首页|返回首页|主页|登录|登陆|注册|退出|关于我们|关于本网|本网介绍|联系我们|联系方式|English|ENGLISH"
    r"|英文版?|网站地图|站点地图|网站导航|客户端|下载客户端|APP|App|app|手机版|移动版|手机报|投稿|我要投稿|在线投稿"
    r"|RSS|rss|订阅|设为首页|加入收藏|收藏本站|无障碍|繁体|繁體|简体|帮助|搜索|广告服务|广告合作|版权声明"
    r"|免责声明|隐私政策|法律声明|人才招聘|招聘|意见反馈|纠错|举报|违法和不良信息举报|微博|微信|更多|更多>>"
    r"|返回顶部|上一页|下一页|视频|直播)$",
    re.I,
)
#: utility links recognised by a part of their text (App下载, 进入关怀版, 登录/注册, 半月谈简介...)
_NON_SECTION_PART_RE = re.compile(
    r"首页$|首頁$|下载|下載|登录|登陆|登入|注册|註冊|关怀版|无障碍|繁体|繁體|简介$|商务合作|广告合作|合作伙伴|友情链接|招聘|邮箱"
    r"|上一[页章篇]|下一[页章篇]|^更多|^详情|^目录$|^(?:mail|login|app|more)$",
    re.I,
)
#: decoration around a navigation link's text: "| 国际新闻", "» 要闻", "要闻 ›"
_NAME_DECORATION = "|｜·•・»>›<‹«-—_/\\:：[]【】 "
_HAS_WORD_RE = re.compile(r"[\u3400-\u9fffA-Za-z]")
_BAD_SCHEME_RE = re.compile(r"^\s*(?:javascript|mailto|tel|sms|data|about|ftp):", re.I)
_SECTION_NAME_MIN, _SECTION_NAME_MAX = 2, 8
_FALLBACK_GROUP_MIN = 3  # links in one top-of-page list for it to count as the navigation
_FALLBACK_SCAN = 0.5  # share of the page's anchors (from the top) searched by the fallback
#: sections on the home URL's own site (see :func:`site_host`) that make the others unneeded
_OWN_SECTIONS_MIN = 2


def _hints(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _nav_state(a: Any) -> bool | None:
    """True inside a navigation-like container, False inside a footer/side/link-list one,
    None when neither (the nearest hinted ancestor decides)."""
    for el in a.iterancestors():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("footer", "aside"):
            return False
        if tag in ("nav", "header"):
            return True
        hints = _hints(el)
        if hints.strip():
            if _NOT_NAV_STRONG_RE.search(hints):
                return False
            if _NAV_HINT_RE.search(hints):
                return True
            if _NOT_NAV_WEAK_RE.search(hints):
                return False
    return None


def _group_of(a: Any) -> Any:
    """The list a link belongs to: its nearest ul/ol/dl/div/p/td/table ancestor."""
    for el in a.iterancestors():
        if el.tag in ("ul", "ol", "dl", "div", "p", "td", "table", "section", "nav"):
            return el
    return None


def _same_page(a: str, b: str) -> bool:
    def key(u: str) -> str:
        p = urlsplit(u)
        path = re.sub(r"/(?:index|default)\.(?:s?html?|php|aspx?|jsp)$", "/", p.path or "/")
        return f"{(p.hostname or '').lower()}{path}?{p.query}"

    return key(a) == key(b)


def _section_candidate(text: str, url: str, home: str, portal: PortalDefinition) -> bool:
    length = len(compact(text))
    if not (_SECTION_NAME_MIN <= length <= _SECTION_NAME_MAX) or not _HAS_WORD_RE.search(text):
        return False
    if _NON_SECTION_TEXT_RE.match(text) or _NON_SECTION_PART_RE.search(text):
        return False
    if urlsplit(url).scheme not in ("http", "https") or not portal.owns_url(url):
        return False
    if _same_page(url, home) or _same_page(url, portal.home_url):
        return False
    if any(r.search(_path_of(url)) for r in _NON_PAGE_RES):
        return False  # video, topic, about, login pages and files (index/list pages are fine)
    return not is_article_url(url, portal)


_CJK_GAP_RE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def site_host(url: str) -> str:
    """The part of the domain a home URL stands for: ``www.example.cn`` → ``example.cn`` (the
    whole registrable domain), ``jl.people.com.cn`` → ``jl.people.com.cn`` (one channel)."""
    host = (urlsplit(url).hostname or "").lower()
    bare = host[4:] if host.startswith("www.") else host
    domain = registrable_domain(host)
    return domain if bare == domain else bare


def _within(url: str, site: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == site or host.endswith("." + site)


def _anchors(root: Any, base: str) -> Iterator[tuple[Any, str, str]]:
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#") or _BAD_SCHEME_RE.match(href):
            continue
        # "要　闻" in a navigation bar is 要闻; "| 国际新闻" is 国际新闻
        text = _CJK_GAP_RE.sub("", normalize_text(a.text_content())).strip(_NAME_DECORATION)
        if not text:
            continue
        yield a, text, urljoin(base, href).split("#", 1)[0]


def discover_sections(
    html: str, url: str, portal: PortalDefinition, limit: int = 30
) -> list[tuple[str, str]]:
    """``(name, url)`` of the section pages linked from a home page's navigation, in page order.

    Links in navigation-like containers (``<nav>``, ``<header>``, class/id with nav, menu,
    daohang, channel...) come first; without any, the first top-of-page link list with at least
    three candidates stands for the navigation. A candidate is a same-domain http(s) link whose
    text is 2–8 characters, that is not an article URL, the home page, a file, a video/topic/
    about/login page, or a utility link (登录, 注册, 关于我们, English, 客户端, 投稿, RSS...).
    When the home URL is a channel (``jl.people.com.cn``) and at least two sections are on it,
    sections elsewhere on the domain (``www.people.com.cn``) are left out.
    One entry per URL (the first name wins) and per name.
    """
    if not html or not html.strip():
        return []
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    base = url
    for b in root.iter("base"):
        if b.get("href"):
            base = urljoin(url, b.get("href"))
            break

    anchors = list(_anchors(root, base))
    candidates = [(a, t, u) for a, t, u in anchors if _section_candidate(t, u, url, portal)]
    chosen = [(t, u) for a, t, u in candidates if _nav_state(a)]
    if not chosen:
        # no navigation container: the first list near the top with enough candidates
        cutoff = max(1, int(len(anchors) * _FALLBACK_SCAN))
        top = {id(a) for a, _, _ in anchors[:cutoff]}
        groups: dict[int, list[tuple[str, str]]] = {}
        order: list[int] = []
        for a, t, u in candidates:
            if id(a) not in top or _nav_state(a) is False:
                continue
            g = id(_group_of(a))
            if g not in groups:
                groups[g] = []
                order.append(g)
            groups[g].append((t, u))
        for g in order:
            if len(groups[g]) >= _FALLBACK_GROUP_MIN:
                chosen = groups[g]
                break

    # a channel's own sections first: jl.people.com.cn's bar also links www.people.com.cn's
    site = site_host(portal.home_url)
    own = [(t, u) for t, u in chosen if _within(u, site)]
    if len({u for _, u in own}) >= _OWN_SECTIONS_MIN:
        chosen = own

    out: list[tuple[str, str]] = []
    seen_urls: set[str] = set()
    seen_names: set[str] = set()
    for text, link in chosen:
        if link in seen_urls or text in seen_names:
            continue
        seen_urls.add(link)
        seen_names.add(text)
        out.append((text, link))
        if len(out) >= limit:
            break
    return out


# -- the page itself -------------------------------------------------------------------------
#: Body length, in CJK characters (U+3400–U+9FFF, U+F900–U+FAFF). News briefs are short: in the
#: shared dev set of real pages, 6 of 46 news reports have 65–145 CJK characters (an LPR notice,
#: a sports result, a Xinhua photo story), so the floor sits well under them. Below it are the
#: leftovers of list and digest pages and a video page's one-line blurb.
MIN_BODY_CJK = 60
#: Sentence ends (。！？!?) in the body: a report has at least two sentences; a list of
#: headlines, a menu or a caption has none or one.
MIN_SENTENCES = 2
#: Share of the body's CJK characters that must sit in lines with Chinese punctuation (prose),
#: so that a page whose "body" is mostly headline or menu lines fails.
MIN_PROSE_SHARE = 0.6
#: Titles shorter than this are section or page names (要闻, 关于我们), not headlines.
MIN_TITLE_CHARS = 5
#: A title marked as video/live/audio/gallery (【视频】…, 视频｜…, …（视频）, 【图集】…) with a body
#: shorter than this is a player or photo page with a blurb or captions; longer bodies are reports
#: that embed a video or photos.
MEDIA_PAGE_MAX_CJK = 300

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SENTENCE_END_RE = re.compile(r"[。！？!?](?:[”’」』）)]*)")
_PROSE_PUNCT_RE = re.compile(r"[，。！？；：、]")
_NON_ARTICLE_TITLE_RE = re.compile(
    r"^(?:关于我们|关于本网|本网介绍|联系我们|联系方式|网站地图|版权声明|免责声明|法律声明|隐私政策|广告服务|人才招聘"
    r"|招聘启事|意见反馈|投稿须知|用户协议|404|页面不存在|您访问的页面不存在|找不到页面)"
)
_MEDIA = r"(?:视频|微视频|短视频|直播|视频直播|音频|Vlog|VLOG|vlog|图集|组图|高清组图)"
_MEDIA_TITLE_RE = re.compile(
    rf"^[【\[［(（]\s*{_MEDIA}\s*[】\]］)）]|^{_MEDIA}\s*[｜|丨:：]|[【\[［(（]\s*{_MEDIA}\s*[】\]］)）]$"
)


def _cjk(s: str) -> int:
    return len(_CJK_RE.findall(s))


def article_rejection(
    record: Mapping[str, Any], *, min_body_cjk: int = MIN_BODY_CJK, require_date: bool = True
) -> str | None:
    """Why an extracted page is not an article, or None when it is one.

    Reasons: ``no_title``, ``not_article_title`` (about us, 404...), ``no_date`` (about, contact
    and list pages carry no publish time), ``short_body`` (fewer than ``min_body_cjk`` CJK
    characters: digests, stubs, blurbs), ``no_sentences`` (headline lists, menus),
    ``media_page`` (a 【视频】 title over a short blurb). Thresholds: see the module constants.
    """
    title = normalize_text(record.get("title") or "")
    if not title:
        return "no_title"
    if len(compact(title)) < MIN_TITLE_CHARS or _NON_ARTICLE_TITLE_RE.match(title):
        return "not_article_title"
    if require_date and not record.get("published_at"):
        return "no_date"
    body = record.get("body") or ""
    total = prose = 0  # CJK characters of the body, and of its lines that hold prose punctuation
    for line in body.split("\n"):
        count = _cjk(line)
        total += count
        if count and _PROSE_PUNCT_RE.search(line):
            prose += count
    if total < min_body_cjk:
        return "short_body"
    if len(_SENTENCE_END_RE.findall(body)) < MIN_SENTENCES:
        return "no_sentences"
    if prose < MIN_PROSE_SHARE * total:
        return "no_sentences"
    if total < MEDIA_PAGE_MAX_CJK and _MEDIA_TITLE_RE.search(title):
        return "media_page"
    return None


def looks_like_article(record: Mapping[str, Any]) -> bool:
    """True when an extracted record (``title``, ``published_at``, ``body``) is a news article:
    a headline, a publish time and at least :data:`MIN_BODY_CJK` CJK characters of prose in two
    or more sentences. Video, "about us", topic index, digest and list pages fail."""
    return article_rejection(record) is None
