"""Metadata finding for the generic extractor: publication time, source, editor and authors.

* **publication time** — the first date written near the title (the info line, also read for
  来源/责编/作者), then meta tags (``article:published_time``, ``publishdate``, ``PubDate`` …) and
  JSON-LD, then the URL. Text before the title (a "today" widget) and bare years (copyright
  lines) are never used;
* **source, editor, authors** — the info line, labelled lines right after the title, lines the
  paragraph cleaner removed from the body, a footer info line, the dateline of the first
  paragraph (新华社北京5月9日电（记者邹伟）), ``source`` meta tags.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from .boilerplate import CleanResult
from .bylines import parse_byline, photographers, split_caption_credit, split_trailing_byline
from .dates import ParsedDate, date_from_url, parse_date, parse_relative, parse_yearless
from .infoline import InfoLine, parse_info_line, source_beside_time
from .names import CJK, LOCAL_ORGS, is_bare_name, is_handle_name, is_org
from .text import compact, normalize_text
from .tree import TextPiece, element_text, text_within, texts_after, tlen

__all__ = ["PageMeta", "find_metadata", "read_page_meta"]

_META_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "published_time",
    "publishdate",
    "pubdate",
    "publish_date",
    "publishtime",
    "publish-time",
    "publication_date",
    "datepublished",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "weibo:article:create_at",
    "og:release_date",
    "article:modified_time",
    "og:updated_time",
    "lastmodified",
    "last-modified",
    "modified",
    "datemodified",
    "dateupdate",
    "dateupdated",
)


_DATELINE_RE = re.compile(r"^.{0,40}?(?:电|讯|报道|消息)?\s*[（(]([^()（）]{2,40})[)）]")
#: A byline opening the first paragraph without parentheses, up to 发自…, a date or …报道.
_LEAD_BYLINE_RE = re.compile(
    r"^(?:本报讯\s*)?([\u3400-\u9fff·]{0,12}记者[\s\u3400-\u9fff·、，]{2,20}?)"
    r"(?=发自|\d{1,2}月\d{1,2}日|[\u3400-\u9fff]{2,6}报道)"
)
#: 新华社长春9月14日电 / 中新网北京5月9日电: the agency that filed the story.
_AGENCY_RE = re.compile(
    r"^([\u4e00-\u9fff]{1,6}(?:社|网|报|台))[\u4e00-\u9fff]{0,12}\d{1,2}月\d{1,2}日(?:电|讯)"
)

#: The info line is the largest block around a date of at most this many characters
INFO_BLOCK_MAX_CHARS = 240
#: Text nodes after the title searched for the info line's date
AFTER_TITLE_NODES = 80
#: Without a title element: text nodes above the content searched for a date ...
BEFORE_CONTENT_NODES = 40
#: ... else the content's first text nodes
CONTENT_HEAD_NODES = 20
#: An info line is short: a date in a longer text node is part of the content
INFO_SEGMENT_MAX_CHARS = 120
#: The search for an info line stops after this much text (the body is well under way)
INFO_SEARCH_MAX_CHARS = 600
#: Text nodes after the content searched for a footer info line (来源/作者/编辑 labels) ...
FOOTER_NODES = 40
#: Closing text nodes of the content read for labelled lines (编辑/X, 责任编辑：Y, 来源：Z)
CONTENT_CLOSING_NODES = 8
#: ... a footer line having at most this many characters
FOOTER_LINE_MAX_CHARS = 120
#: Wrappers of the title climbed to find the labelled lines after it ...
TITLE_WRAPPER_HOPS = 2
#: ... reading this many following siblings at each level
TITLE_SIBLINGS_READ = 5


@dataclass
class PageMeta:
    """What the head and JSON-LD of a page say: ``<title>``, meta tags (keys lower-cased),
    JSON-LD ``datePublished`` values and ``headline``."""

    title_tag: str | None
    metas: dict[str, str]
    ld_dates: list[str]
    ld_title: str | None


def read_page_meta(root: Any) -> PageMeta:
    metas: dict[str, str] = {}
    ld_dates: list[str] = []
    ld_title = None
    title_tag = None
    for el in root.iter("meta", "title", "script"):
        if el.tag == "meta":
            key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or ""
            key = key.strip()
            content = el.get("content")
            if key and content and key.lower() not in metas:
                metas[key.lower()] = content.strip()
        elif el.tag == "title":
            if title_tag is None:
                title_tag = normalize_text(element_text(el))
        elif (el.get("type") or "").lower() == "application/ld+json" and el.text:
            try:
                data = json.loads(el.text)
            except ValueError:
                m = re.search(r'"datePublished"\s*:\s*"([^"]+)"', el.text)
                if m:
                    ld_dates.append(m.group(1))
                continue
            for obj in data if isinstance(data, list) else [data]:
                if isinstance(obj, dict):
                    if isinstance(obj.get("datePublished"), str):
                        ld_dates.append(obj["datePublished"])
                    if isinstance(obj.get("headline"), str) and not ld_title:
                        ld_title = normalize_text(obj["headline"])
    return PageMeta(title_tag or None, metas, ld_dates, ld_title)


def _spaced_text(el: Any) -> str:
    """Text of ``el`` with a space between text nodes, so that neighbouring widgets do not run
    into a value (``来源：<a>华岭日报</a></div><div><a>微信</a>`` → ``来源： 华岭日报 微信``)."""
    return normalize_text(" ".join(el.itertext()))


def _spaced_text_within(el: Any, limit: int) -> str | None:
    """:func:`_spaced_text` of ``el`` if it is at most ``limit`` characters long, else None —
    without joining all the text of a large element: the normalised text of a prefix is never
    longer than that of the whole, so once a prefix is too long, so is the whole."""
    parts: list[str] = []
    size = 0
    check_at = 2 * limit
    for part in el.itertext():
        parts.append(part)
        size += len(part) + 1
        if size > check_at:
            if len(normalize_text(" ".join(parts))) > limit:
                return None
            check_at = 2 * size
    text = normalize_text(" ".join(parts))
    return text if len(text) <= limit else None


def _info_block_text(seg_el: Any, limit: int = INFO_BLOCK_MAX_CHARS) -> str:
    """The text of the largest small block (≤ ``limit`` characters) around an info-line node."""
    return _info_block(seg_el, limit)[1]


def _info_block(seg_el: Any, limit: int = INFO_BLOCK_MAX_CHARS) -> tuple[Any, str]:
    """The largest small block (≤ ``limit`` characters) around an info-line node, and its text."""
    el = seg_el
    text = _spaced_text(el)
    while True:
        parent = el.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        ptext = _spaced_text_within(parent, limit)
        if ptext is None:
            break
        el, text = parent, ptext
    return el, text


def _near_title(
    anchor: Any, content_nodes: list[Any], year: int | None = None, now: datetime.datetime | None = None
) -> tuple[ParsedDate | None, str, Any]:
    """The first date written after the title (before the body is well under way), the text of
    the small block it sits in (the info line) and that block. With ``year``, a time without its
    year counts (``10-08 12:00``); with ``now``, a relative one (``3小时前``)."""
    segments: Iterable[TextPiece]
    if anchor is not None:
        segments = islice(texts_after(anchor), AFTER_TITLE_NODES)
        if anchor.tag not in ("h1", "h2", "h3", "h4"):
            # a title block may hold its own info line (<div class=title><div>…</div><ul>来源…</ul>)
            segments = chain(_pieces(anchor.xpath("descendant::text()")[1:]), segments)
    elif content_nodes:
        # no title element: the closest date above the content, else its first lines
        before = content_nodes[0].xpath(f"preceding::text()[position() <= {BEFORE_CONTENT_NODES}]")
        for seg in reversed(_pieces(before)):
            found = _date_in_segment(seg, year, now)
            if found[0] is not None:
                return found
        segments = _pieces(content_nodes[0].xpath(f".//text()[position() <= {CONTENT_HEAD_NODES}]"))
    else:
        return None, "", None
    chars = 0
    for seg in segments:
        text = seg.text
        n = tlen(text)
        if not n:
            continue
        chars += n
        if n <= INFO_SEGMENT_MAX_CHARS:
            found = _date_in_segment(seg, year, now)
            if found[0] is not None:
                return found
        if chars > INFO_SEARCH_MAX_CHARS:
            break
    return None, "", None


#: Publication dates outside [1995, next year] are not plausible for a web page (birth dates,
#: historical dates in an infobox).
_MIN_YEAR = 1995
_MAX_YEAR = datetime.date.today().year + 1


def _plausible(parsed: ParsedDate | None) -> bool:
    return parsed is not None and _MIN_YEAR <= int(parsed.iso[:4]) <= _MAX_YEAR


#: Words before a time that make it another article's or a comment's (最新推荐文章于 …, 相关阅读).
_OTHER_TIME_RE = re.compile(r"推荐|相关|评论|回复|热门|热点|上一篇|下一篇|往期")


def _pieces(xpath_texts: list[Any]) -> list[TextPiece]:
    """The text results of an XPath query (``…/text()``) as text pieces."""
    return [TextPiece(str(t), t.getparent(), t.is_tail) for t in xpath_texts]


def _date_in_segment(
    seg: TextPiece, year: int | None = None, now: datetime.datetime | None = None
) -> tuple[ParsedDate | None, str, Any]:
    text = seg.text
    parsed = parse_date(text)
    if parsed is None and year is not None:
        parsed = parse_yearless(text, year)
    if parsed is None and now is not None:
        parsed = parse_relative(text, now)
    if parsed is None or seg.owner is None or not _plausible(parsed):
        return None, "", None
    if _OTHER_TIME_RE.search(text[: text.find(parsed.raw)]):
        return None, "", None
    block, info_text = _info_block(seg.holder)
    better = parse_date(info_text)
    same_day = better is not None and better.iso.startswith(parsed.iso[:10])
    if better is not None and same_day and len(better.iso) > len(parsed.iso):
        parsed = better
    return parsed, info_text, block


_LABEL_HINT_RE = re.compile(r"来源|作者|记者|编辑|责编|通讯员|撰稿|摄影|时间[:：]|日期[:：]|posted @")
_CAPTION_CREDIT_RE = re.compile(r"(?:摄|摄影|供图)\s*[)）]?\s*$")
#: A footer line whose date is the publication time (时间：2019-09-24 17:08, posted @ …).
_TIME_HINT_RE = re.compile(r"时间[:：]|日期[:：]|posted @")
#: A labelled source line closing the body (来源 | 综合抖音黑板报, （本文来源：经济日报 作者：…）).
_TAIL_SOURCE_RE = re.compile(
    r"^[（(【\[]?(?:本文|文章|稿件)?(?:来源\s*[:：|｜丨]|来源于|转载自|转自|摘自|选自)"
)
#: An outlet or account credited in brackets closing the body (…慰问演出。（华岭融媒体中心））.
_TAIL_CREDIT_RE = re.compile(rf"[。！？!?”」』…]\s*[（(]\s*([{CJK}A-Za-z0-9·\-]{{2,20}})\s*[)）]\s*$")
#: How many closing body paragraphs are read for such a line, and their longest.
TAIL_PARAGRAPHS = 3
TAIL_LINE_MAX_CHARS = 160


def _tail_credit(body_paras: list[str]) -> str | None:
    """The organisation credited in brackets at the very end of the body: its source."""
    if not body_paras:
        return None
    m = _TAIL_CREDIT_RE.search(body_paras[-1])
    if m is None:
        return None
    name = m.group(1)
    return name if is_org(name) and name not in LOCAL_ORGS else None


def _linked_authors(info_el: Any) -> list[dict[str, str]]:
    """Authors the info line links to their author page (``<a href="/author/4362948/">远瞳</a>``,
    ``rel="author"``): the site vouches for the name, as a 作者 label would."""
    found: list[dict[str, str]] = []
    for a in info_el.iter("a"):
        if a.get("rel") != "author" and "/author/" not in (a.get("href") or ""):
            continue
        name = normalize_text(element_text(a))
        if is_handle_name(name):
            found.append({"name": name, "role": "author"})
    return found


def _join_editors(first: str | None, more: str | None) -> str | None:
    """Editors of two lines together (``X、Y``), each name once."""
    names = [n for text in (first, more) if text for n in text.split("、")]
    return "、".join(dict.fromkeys(names)) or None


def _day_only_of(shown: ParsedDate | None, meta_date: ParsedDate | None) -> bool:
    """Whether the page shows only the day of ``meta_date`` (which has the time)."""
    if shown is None or meta_date is None or shown.has_time or not meta_date.has_time:
        return False
    return meta_date.iso[:10] == shown.iso[:10]


def _labelled_tail(body_paras: list[str]) -> list[str]:
    """The closing body paragraphs that are a labelled source line."""
    tail = body_paras[-TAIL_PARAGRAPHS:]
    return [p for p in tail if len(p) <= TAIL_LINE_MAX_CHARS and _TAIL_SOURCE_RE.match(p)]


def _same_headings(title_el: Any, title: str) -> list[Any]:
    """Other h1/h2 elements of the page with the title's text."""
    key = compact(title)
    return [
        el
        for el in title_el.getroottree().iter("h1", "h2")
        if el is not title_el and compact(element_text(el)) == key
    ]


def _labelled_lines_after(node: Any, limit: int = FOOTER_NODES) -> list[str]:
    """Small blocks that carry 来源/作者/编辑 labels right after ``node`` (a footer info line) or
    closing it (the body's reading may have stopped at an earlier 编辑 line)."""
    out: list[str] = []
    seen: set[Any] = set()
    chars = 0
    # (text nodes of layout whitespace do not count)
    closing = _pieces(
        node.xpath(f"(descendant::text()[normalize-space()])[position() > last() - {CONTENT_CLOSING_NODES}]")
    )
    # (XPath's normalize-space() strips these four only)
    footer = islice((p for p in texts_after(node) if p.text.strip(" \t\r\n")), limit)
    for idx, seg in enumerate(chain(closing, footer)):
        text = seg.text
        if idx >= len(closing):  # (in the footer, only so much text is read)
            chars += tlen(text)
            if chars > INFO_SEARCH_MAX_CHARS:
                break
        if not _LABEL_HINT_RE.search(text):
            continue
        owner = seg.holder
        if owner is None:
            continue
        if owner in seen:
            continue
        seen.add(owner)
        block = _info_block_text(owner, limit=FOOTER_LINE_MAX_CHARS)
        if _CAPTION_CREDIT_RE.search(block):
            continue  # a photo caption (…新华社记者 张三 摄): its credit is read with the images
        if block and len(block) <= FOOTER_LINE_MAX_CHARS and block not in out:
            out.append(block)
    return out


def _meta_date(meta: PageMeta) -> ParsedDate | None:
    for key in _META_DATE_KEYS:
        v = meta.metas.get(key)
        if v:
            parsed = parse_date(v) or _compact_date(v)
            if _plausible(parsed):
                return parsed
    for v in meta.ld_dates:
        parsed = parse_date(v)
        if _plausible(parsed):
            return parsed
    return None


def _compact_date(v: str) -> ParsedDate | None:
    m = re.fullmatch(r"\s*((?:19|20)\d{2})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?\s*", v)
    if not m:
        return None
    y, mo, d, hh, mi, ss = m.groups()
    text = f"{y}-{mo}-{d}" + (f" {hh}:{mi}" + (f":{ss}" if ss else "") if hh else "")
    parsed = parse_date(text)
    return ParsedDate(parsed.iso, v.strip()) if parsed else None


def _lines_after_title(anchor: Any) -> list[str]:
    """Short blocks right after the title (and after its wrapper) that carry 来源/作者 labels or
    are a byline on their own (``本报记者 李家鼎``)."""
    out: list[str] = []
    el = anchor
    hops = 0
    while el is not None and hops < TITLE_WRAPPER_HOPS and not out:
        nxt = el.getnext()
        for _ in range(TITLE_SIBLINGS_READ):
            if nxt is None:
                break
            t = text_within(nxt, INFO_BLOCK_MAX_CHARS)
            if t is None:
                break  # (a large block: the article itself, not an info line)
            if (
                t
                and len(t) <= INFO_BLOCK_MAX_CHARS
                and (_LABEL_HINT_RE.search(t) or split_trailing_byline(t)[1])
            ):
                out.append(t)
            nxt = nxt.getnext()
        el = el.getparent()
        hops += 1
    return out


def find_metadata(
    meta: PageMeta,
    title_el: Any,
    nodes: list[Any],
    cleaned: CleanResult,
    body_paras: list[str],
    url: str | None,
    title: str | None = None,
    images: Sequence[Mapping[str, Any]] = (),
    now: datetime.datetime | None = None,
) -> dict[str, Any]:
    """Publication time, source, editor and authors of a page: the info line near the title
    ``title_el`` (also the labelled lines after it, those the cleaner ``cleaned`` removed from the
    body and a footer info line after the content ``nodes``), then meta tags and JSON-LD, then the
    URL; the dateline of the first body paragraph; photo credits of ``images`` and captions.
    ``title`` is not read as part of the info line; relative times (昨天 10:32) count from ``now``
    (the response's ``Date``, else the crawl time). Returns ``published_at, published_at_raw,
    published_at_source`` (``page``, ``meta``, ``url`` or None: where the time came from),
    ``source, editor, authors``."""
    # the info line near the title: date, source, editor, authors
    meta_date = _meta_date(meta)
    url_date = date_from_url(url) if url else None
    url_date = url_date if _plausible(url_date) else None
    # a time written without its year (10-08 12:00) takes the year of the meta tags or the URL
    dated = meta_date or url_date
    year = int(dated.iso[:4]) if dated is not None else None
    published, info_text, info_el = _near_title(title_el, nodes, year, now)
    if published is None and title_el is not None and title:
        # the headline written twice (a mobile and a desktop header): the other one's info line
        for other in _same_headings(title_el, title):
            published, info_text, info_el = _near_title(other, nodes, year, now)
            if published is not None:
                break
    info = parse_info_line(info_text) if info_text else InfoLine()
    if info_el is not None and not info.authors:
        info.authors = _linked_authors(info_el)
    beside_source, beside_author = (
        source_beside_time(info_text, published.raw, title) if published is not None else (None, None)
    )
    extra_lines: list[str] = []
    if title_el is not None:
        extra_lines.extend(_lines_after_title(title_el))
    # editor / source / info lines found (and removed) in the body, then a footer info line
    extra_lines.extend(text for reason, text in cleaned.removed if reason in ("editor", "source", "info"))
    extra_lines.extend(_labelled_tail(body_paras))
    if nodes:
        extra_lines.extend(_labelled_lines_after(nodes[-1]))
    footer_date: ParsedDate | None = None
    for line in extra_lines:
        if not line:
            continue
        more = parse_info_line(line)
        if not more.authors:
            more.authors = split_trailing_byline(line)[1]
        info.source = info.source or more.source
        info.editor = _join_editors(info.editor, more.editor)  # (编辑/X … 责任编辑：Y: both)
        for a in more.authors:
            if all(a["name"] != x["name"] for x in info.authors):
                info.authors.append(a)
        if footer_date is None and _TIME_HINT_RE.search(line) and _plausible(more.published):
            footer_date = more.published
    # the visible time wins; then a labelled time after the body; the meta tags; the URL
    published_from = "page" if published is not None else None
    if _day_only_of(published, meta_date):
        published, published_from = meta_date, "meta"  # (the page shows the day only)
    for candidate, where in ((footer_date, "page"), (meta_date, "meta"), (url_date, "url")):
        if published is None and candidate is not None:
            published, published_from = candidate, where

    authors: list[dict[str, str]] = list(info.authors)
    # a dateline byline at the start of the first paragraph: 新华社北京5月9日电（记者邹伟）
    if body_paras:
        m = _DATELINE_RE.match(body_paras[0])
        if m:
            found = parse_byline(m.group(1), bare_role="reporter")
            agency = _AGENCY_RE.match(body_paras[0])
            for a in found:
                if agency and "org" not in a:
                    a["org"] = agency.group(1)
            authors.extend(found)
        else:
            # a labelled byline opening the text: 本报记者刘七发自上海 / 东方网记者曹磊5月13日报道
            lead = _LEAD_BYLINE_RE.match(body_paras[0])
            if lead:
                authors.extend(a for a in parse_byline(lead.group(1)) if is_bare_name(a["name"]))
    authors.extend(cleaned.authors)
    # photographers credited under the pictures (新华社记者 李梦馨 摄)
    credits = [img["credit"] for img in images if img.get("credit")]
    credits += [
        split_caption_credit(text)[1] or "" for reason, text in cleaned.removed if reason == "caption"
    ]
    authors.extend(photographers(credits))
    if beside_author is not None:
        authors.append(beside_author)  # (last: a labelled byline of the same name says more)
    editor = info.editor
    source = info.source or beside_source
    if source is None:
        publisher = meta.metas.get("article:publisher") or ""
        publisher = "" if "://" in publisher else publisher  # (often the publisher's social page)
        src_meta = meta.metas.get("source") or meta.metas.get("contentsource") or publisher
        source = normalize_text(src_meta) or None if src_meta else None
    if source is None:
        source = _tail_credit(body_paras)  # (a body closing with （新华社）, no 来源 line)
    merged: list[dict[str, str]] = []
    seen: set[str] = set()
    for a in authors:
        name = a.get("name")
        if not name or name in seen or name == source:
            continue
        seen.add(name)
        merged.append(a)

    return {
        "published_at": published.iso if published else None,
        "published_at_raw": published.raw if published else None,
        "published_at_source": published_from,
        "source": source,
        "editor": editor,
        "authors": merged,
    }
