"""Article links of a list page, from the page's structure (no Scrapy).

A section page's articles are the repeated items of its main list: many links that sit at the
same place in the tree (same tag/class path inside the same block), whose texts are headlines
(Chinese titles of roughly 6–40 characters), usually with a date beside them, in a block that is
not the navigation, the footer or a "hot/related" box. :func:`link_groups` groups a page's links
that way and scores every group; :func:`list_links` picks the main list (and the lists that score
like it) and returns its links whatever their URLs look like. The article URL patterns of
:mod:`newscrawler.discovery` are one signal of the score, not a gate; the fetched page decides
(``article_rejection``).

Links are resolved against the page's ``<base href>`` when it has one, so relative
(``../a/1.html``), root-relative and protocol-relative (``//host/a/1.html``) links all come out
absolute.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from newscrawler.extraction.text import compact, normalize_text
from newscrawler.extraction.tree import element_text

__all__ = [
    "HEADLINE_MAX_CHARS",
    "HEADLINE_MIN_CHARS",
    "Link",
    "LinkGroup",
    "base_url",
    "item_date",
    "link_groups",
    "list_links",
    "parse_list_date",
    "url_shape",
]

#: Headline length in characters (compacted): Chinese titles run ~6–40 characters; list pages
#: sometimes show a long title whole, so the ceiling leaves room. Shorter texts are section
#: names, pager numbers and "更多"; longer ones are summaries.
HEADLINE_MIN_CHARS = 6
HEADLINE_MAX_CHARS = 80
#: a group whose share of headline-shaped links is below this is a menu or a pager, not a list
MIN_HEADLINE_SHARE = 0.5
#: groups scoring at least this share of the best group's score are lists of the page too
#: (a section page with a lead item and a list, two sub-lists); below it they are side boxes
CO_LIST_SHARE = 0.5
#: score factor of a group inside a navigation, footer, side bar or "hot/related" box
BOX_PENALTY = 0.2
#: how far (ancestors) a link's item may reach to find the date shown beside it
ITEM_DEPTH = 4

#: containers that are never the page's main list (class/id words, box titles)
_BOX_HINT_RE = re.compile(
    r"nav|menu|daohang|foot|copyright|bottom|friend|youqing|(?:^|[^a-z]|right|left)side|(?<![a-z])hot"
    r"|rank|paihang|relat|xiangguan|tuijian|recommend|top-?bar",
    re.I,
)
#: elements that title a box (<h3>热点排行</h3>, <div class="tit">相关新闻</div>)
_BOX_TITLE_CLASS_RE = re.compile(r"tit|hd\b|head|caption|lanmu|name", re.I)
#: a box title is short (热点排行, 相关新闻); longer texts are dates, summaries, headlines
_BOX_TITLE_MAX = 12
_BOX_TITLE_RE = re.compile(
    r"热点|热门|热读|热榜|排行|点击榜|推荐|相关|延伸阅读|猜你喜欢|友情链接|合作媒体|精彩图片"
)
_BOX_TAGS = frozenset({"nav", "header", "footer", "aside"})
#: elements that delimit a block of links (the list's container)
_BLOCK_TAGS = frozenset(
    {"div", "section", "article", "aside", "nav", "header", "footer", "table", "form", "body", "main"}
)
_BAD_SCHEME_RE = re.compile(r"^\s*(?:javascript|mailto|tel|sms|data|about|ftp|vbscript):", re.I)
#: dates as list pages print them: 2020-06-04, 2020/6/4, 2020年6月4日, 06-04, [06-04], 6月4日
DATE_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>[01]?\d)\s*[-/.月]\s*(?P<d>[0-3]?\d)(?!\d)"
    r"|(?<!\d)(?P<m2>[01]?\d)\s*(?:-|/|月)\s*(?P<d2>[0-3]?\d)(?:日|(?![\d:]))"
)
_CHINA = dt.timezone(dt.timedelta(hours=8))
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_STATE_CLASS_RE = re.compile(r"\b(?:on|cur|current|active|selected|first|last|odd|even|hover|bg\d*|n?\d+)\b")


@dataclass(frozen=True)
class Link:
    """One article candidate of a list: absolute URL, headline, the date printed beside it."""

    url: str
    text: str
    date: str | None = None
    #: position of the link in the page (document order)
    order: int = field(default=0, compare=False)


@dataclass
class LinkGroup:
    """Links at the same place of the page: one list, menu, pager or box."""

    path: str
    #: id() of the block element holding the group (groups of one block are one list's parts)
    block: int = 0
    links: list[Link] = field(default_factory=list)
    headline_share: float = 0.0
    date_share: float = 0.0
    pattern_share: float = 0.0
    boxed: bool = False
    score: float = 0.0

    @property
    def headlines(self) -> list[Link]:
        return [link for link in self.links if _is_headline(link.text)]


def base_url(root: Any, url: str) -> str:
    """The URL relative links of the page resolve against: its ``<base href>``, else ``url``."""
    for b in root.iter("base"):
        href = (b.get("href") or "").strip()
        if href:
            return urljoin(url, href)
    return url


def _is_headline(text: str) -> bool:
    length = len(compact(text))
    if not HEADLINE_MIN_CHARS <= length <= HEADLINE_MAX_CHARS:
        return False
    return len(_CJK_RE.findall(text)) >= 4 or len(text.split()) >= 4


def _sig(el: Any) -> str:
    cls = _STATE_CLASS_RE.sub("", (el.get("class") or "").lower()).split()
    return el.tag + ("." + cls[0] if cls else "")


def _hints(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _repeated(el: Any) -> bool:
    """Is ``el`` one of several same-shaped siblings (a card of a grid, a box among boxes)?"""
    parent = el.getparent()
    if parent is None:
        return False
    sig = _sig(el)
    return sum(1 for sib in parent if isinstance(sib.tag, str) and _sig(sib) == sig) >= 2


def _block(a: Any, repeated: dict[Any, bool]) -> Any:
    """The block holding the link's list: its nearest div/table/section... ancestor that is not
    one of several same-shaped siblings. ``repeated`` memoises :func:`_repeated` for the page
    (every link of a 40-item list asks about the same ancestors)."""
    for el in a.iterancestors():
        if el.tag not in _BLOCK_TAGS:
            continue
        if el.tag == "body":
            return el
        if el not in repeated:
            repeated[el] = _repeated(el)
        if not repeated[el]:
            return el
    return None


def _anchor_text(a: Any) -> str:
    text = normalize_text(element_text(a))
    title = normalize_text(a.get("title") or "")
    if len(title) > len(text) and (not text or title.startswith(text.rstrip(".…"))):
        return title  # "华岭省召开稳就业工作推..." with the whole title in @title
    if not text:
        for img in a.iter("img"):
            text = normalize_text(img.get("alt") or img.get("title") or "")
            break
    if not text:  # <div class="card"><a><img></a><p>the headline</p></div>
        parent = a.getparent()
        if parent is not None and _repeated(parent) and len({x.get("href") for x in parent.iter("a")}) == 1:
            text = DATE_RE.sub("", normalize_text(element_text(parent))).strip()
    return text


def _item_text(a: Any) -> str:
    """Text around a link within its list item (where the date is printed)."""
    parts = [a.tail or ""]
    for sib in (a.getprevious(), a.getnext()):
        if sib is not None and isinstance(sib.tag, str) and sib.tag != "a":
            parts.append(element_text(sib))
    el = a
    for _ in range(ITEM_DEPTH):
        parent = el.getparent()
        if parent is None or (parent.tag in _BLOCK_TAGS and not _repeated(parent)):
            break
        urls = {x.get("href") for x in parent.iter("a")}
        if len(urls) > 2:  # the parent holds other items too
            break
        el = parent
    if el is not a:
        parts.append(element_text(el))
    return " ".join(parts)


def item_date(text: str) -> str | None:
    """The first date written in ``text`` (as written), or None."""
    m = DATE_RE.search(text)
    return m.group(0) if m else None


def parse_list_date(text: str | None) -> dt.datetime | None:
    """A list item's date with its year (``2020-06-04``, ``2020年6月4日``) as midnight in China;
    None without a year (``06-04``: the year is a guess) or when it is no date."""
    m = DATE_RE.search(text or "")
    if not m or not m.group("y"):
        return None
    try:
        return dt.datetime(int(m.group("y")), int(m.group("m")), int(m.group("d")), tzinfo=_CHINA)
    except ValueError:
        return None


def _box(a: Any, block: Any) -> bool:
    """Is the link in a navigation, footer, side bar or "hot/related" box?"""
    for el in a.iterancestors():
        if el.tag in ("body", "html"):
            break
        if el.tag in _BOX_TAGS or _BOX_HINT_RE.search(_hints(el)):
            return True
    if block.tag == "body":
        return False
    # the block's own title: <h3>热点排行</h3><ul>…</ul>
    for h in block.iter("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "p", "div", "em"):
        if h is block or h.find(".//a") is not None:
            continue
        if not (h.tag[0] == "h" and h.tag[1:].isdigit()) and not _BOX_TITLE_CLASS_RE.search(_hints(h)):
            continue
        text = normalize_text(element_text(h))
        if text and len(text) <= _BOX_TITLE_MAX:
            return bool(_BOX_TITLE_RE.search(text))
    return False


def _path(a: Any, block: Any) -> str:
    sigs = []
    for el in a.iterancestors():
        sigs.append(_sig(el))
        if el is block:
            break
    return "/".join(reversed(sigs))


def link_groups(root: Any, url: str, owns_url: Any, is_article_url: Any) -> list[LinkGroup]:
    """Every group of same-place links of the page, best score first.

    ``owns_url(url)`` keeps the portal's links only; ``is_article_url(url)`` is the URL prior
    (one signal of the score). A group's score: share of headline-shaped texts × (1 + share of
    items with a date + half the share of article-shaped URLs) × log2(1 + headlines), times
    :data:`BOX_PENALTY` in a navigation/footer/side/"hot" box. Groups below
    :data:`MIN_HEADLINE_SHARE` headlines score 0."""
    base = base_url(root, url)
    groups: dict[tuple[str, int], LinkGroup] = {}
    seen: dict[tuple[str, int], dict[str, int]] = {}
    repeated: dict[Any, bool] = {}
    for order, a in enumerate(root.iter("a")):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#") or _BAD_SCHEME_RE.match(href):
            continue
        link_url = urljoin(base, href).split("#", 1)[0]
        if urlsplit(link_url).scheme not in ("http", "https") or not owns_url(link_url):
            continue
        block = _block(a, repeated)
        if block is None:
            continue
        key = (_path(a, block), id(block))
        group = groups.get(key)
        if group is None:
            group = groups[key] = LinkGroup(path=key[0], block=key[1])
            group.boxed = _box(a, block)
            seen[key] = {}
        text = _anchor_text(a)
        index = seen[key].get(link_url)
        link = Link(link_url, text, item_date(_item_text(a)), order)
        if index is None:
            seen[key][link_url] = len(group.links)
            group.links.append(link)
        elif len(compact(text)) > len(compact(group.links[index].text)):  # image link, then the title
            first = group.links[index]
            group.links[index] = Link(link_url, text, first.date or link.date, first.order)
    for group in groups.values():
        n = len(group.links)
        heads = group.headlines
        group.headline_share = len(heads) / n
        if heads:
            group.date_share = sum(1 for link in heads if link.date) / len(heads)
            group.pattern_share = sum(1 for link in heads if is_article_url(link.url)) / len(heads)
        if group.headline_share < MIN_HEADLINE_SHARE:
            continue
        score = group.headline_share * (1 + group.date_share + 0.5 * group.pattern_share)
        score *= math.log2(1 + len(heads))
        group.score = score * (BOX_PENALTY if group.boxed else 1.0)
    return sorted(groups.values(), key=lambda g: -g.score)


def list_links(
    root: Any, url: str, owns_url: Any, is_article_url: Any, *, prefer_paths: tuple[str, ...] = ()
) -> tuple[list[Link], list[Link], tuple[str, ...]]:
    """(links of the page's main list(s), other headline links, the main lists' paths).

    The main list is the best-scoring group, with the groups that are not in a box and either
    score :data:`CO_LIST_SHARE` of it or sit in the same block (a lead item styled apart).
    ``prefer_paths`` are the main lists' paths on the section's first page: groups at those
    paths are the lists when the page has them, so a last page with one item beside a
    five-item box keeps its list. Other headline links (boxes) are returned apart: the URL
    prior decides on them later."""
    groups = [g for g in link_groups(root, url, owns_url, is_article_url) if g.score > 0]
    if not groups:
        return [], [], ()
    main_groups = [g for g in groups if g.path in prefer_paths and not g.boxed]
    if not main_groups:
        best = groups[0]
        main_groups = [best] + [
            g
            for g in groups
            if g is not best
            and not g.boxed
            and (g.score >= CO_LIST_SHARE * best.score or g.block == best.block)
        ]
    main: dict[str, Link] = {}
    for group in main_groups:
        for link in group.headlines:
            main.setdefault(link.url, link)
    other: dict[str, Link] = {}
    for group in groups:
        if group in main_groups:
            continue
        for link in group.headlines:
            if link.url not in main:
                other.setdefault(link.url, link)
    in_order = sorted(main.values(), key=lambda link: link.order)
    return in_order, list(other.values()), tuple(dict.fromkeys(g.path for g in main_groups))


_DIGITS_RE = re.compile(r"\d+")
_ID_SEGMENT_RE = re.compile(r"^(?=[0-9a-z]*\d)[0-9a-z]{4,}$", re.I)


def url_shape(url: str) -> str:
    """A URL with its ids blanked: ``http://h/zw/item/k7m2q9/`` → ``h/zw/item/*/``,
    ``/bdxw/52341.html?from=list`` → ``h/bdxw/0.html?from``. Articles of one portal share a
    shape; the crawl learns the shapes of the pages that were articles."""
    parts = urlsplit(url)
    segments = []
    for seg in parts.path.split("/"):
        stem, dot, ext = seg.partition(".")
        stem = "*" if _ID_SEGMENT_RE.match(stem) and not stem.isdigit() else _DIGITS_RE.sub("0", stem)
        segments.append(stem + dot + ext)
    keys = sorted(kv.split("=", 1)[0] for kv in parts.query.split("&") if kv)
    return f"{(parts.hostname or '').lower()}{'/'.join(segments)}" + ("?" + "&".join(keys) if keys else "")
