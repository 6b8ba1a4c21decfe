"""A site-agnostic article extractor for Chinese news pages.

One lxml parse, then:

* **main content** — a readability-style vote: every paragraph-like unit (a ``<p>``, or the text
  written directly in a ``<div>``/``<td>`` between ``<br>``s) scores by its length and its Chinese
  punctuation, discounted by its link density, and gives its score to its container (and half to
  the container's parent). The best container, plus siblings that score nearly as well, is the
  content; inside it, link-dense blocks (related-news lists), boilerplate and everything after
  an end-of-article marker (责任编辑, 相关新闻, 上一篇, a disclaimer …) are dropped;
* **title** — the heading (``<h1>``, ``<h2>``, ``*title*`` classes) that best matches ``<title>`` /
  ``og:title``, else ``og:title`` / ``<title>`` with the site suffix (``_新华网``, ``--人民网``,
  ``-中国吉林网``) cut off;
* **publication time** — the first date written near the title (the info line, also read for
  来源/责编/作者), then meta tags (``article:published_time``, ``publishdate``, ``PubDate`` …) and
  JSON-LD, then the URL. Text before the title (a "today" widget) and bare years (copyright
  lines) are never used;
* **images** — ``<img>`` in the content with absolute URLs; the caption is the short block right
  after the image (a ``<figcaption>``, a centred line, or a line ending with a photo credit),
  split into caption and credit; captions are not part of the body.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from .boilerplate import (
    _is_disclaimer_heading_normalized,
    _reason_normalized,
    boilerplate_reason,
    clean_paragraphs,
)
from .bylines import parse_byline, photographers, split_caption_credit, split_trailing_byline
from .dates import ParsedDate, date_from_url, parse_date
from .decoding import decode_html
from .infoline import InfoLine, parse_info_line, source_beside_time
from .text import compact, normalize_text

__all__ = ["extract_generic", "extract_generic_bytes"]

# (collect_ids=False: no xml:id hash table, which nothing here looks up)
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False, collect_ids=False)

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "select",
    "textarea",
    "button",
    "svg",
    "canvas",
    "object",
    "embed",
    "audio",
    "video",
    "template",
    "input",
    "link",
    "meta",
    "head",
)
_PARA_TAGS = frozenset({"p", "pre", "blockquote", "h2", "h3", "h4", "h5", "h6", "dd", "center", "li"})
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "blockquote",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "figure",
        "figcaption",
        "pre",
        "dd",
        "dt",
        "dl",
        "center",
        "header",
        "footer",
        "form",
        "nav",
        "aside",
        "hr",
        "address",
        "caption",
    }
)
_BAD_HINT_RE = re.compile(
    r"comment|footer|foot\b|copyright|share|related|recommend|sidebar|side-?bar|\bnav|menu|breadcrumb|crumb"
    r"|hot-?news|hotnews|rank|paihang|advert|\bads?\b|banner|login|tool-?bar|pinglun|xgxw|xgyd|tuijian|about"
    r"|\breco\b|reco[_-]|[_-]reco|more-?stor|more-?news|guess|you-?like"
)
_GOOD_HINT_RE = re.compile(r"article|content|text|main|detail|body|post|zhengwen|trs_editor|news_txt|entry")
_PLAYER_HINT_RE = re.compile(r"player|vjs-|video|prism-|\bplay-?(?:btn|mask|bar|er)\b|control-?bar", re.I)
_CAPTION_HINT_RE = re.compile(r"caption|pic|img|image|photo|tupian|\btu\b|picture|figure|desc|zhu")
_INLINE_TAGS = frozenset({"a", "span", "font", "strong", "b", "em", "i", "u", "small", "big", "sup", "sub"})
_PUNCT_RE = re.compile(r"[，。！？；：、“”]")
_PUNCT_FINDALL = _PUNCT_RE.findall
_TITLE_SEP_RE = re.compile(r"\s*(?:_|--|——|\s-\s|-(?=[^-]{2,14}$)|\s–\s|\s—\s|\||｜|·(?=[^·]{2,12}$))\s*")
_END_MARKER_RE = re.compile(
    r"^[【\[（(]?\s*(?:责任编辑|责编|编辑|相关新闻|相关阅读|相关链接|相关文章|推荐阅读|延伸阅读|热点推荐|热门推荐|猜你喜欢"
    r"|为您推荐|精彩推荐|上一篇|下一篇|分享到|网友评论|发表评论|我要评论|纠错|返回搜狐|阅读下一篇|扫一扫)"
)
_IMG_SKIP_RE = re.compile(
    r"icon|logo|share|qrcode|erweima|ewm|blank|spacer|pixel|loading|avatar|button|\bbtn|arrow|weixin|weibo"
    r"|wechat|code\.|/ad/|banner|\.svg",
    re.I,
)
#: the same without re.I, for lower-cased ASCII URLs (nearly all; re.I on this alternation is slow)
_IMG_SKIP_LOWER_RE = re.compile(_IMG_SKIP_RE.pattern)
_DATELINE_RE = re.compile(r"^.{0,40}?(?:电|讯|报道|消息)?\s*[（(]([^()（）]{2,40})[)）]")
#: 新华社长春9月14日电 / 中新网北京5月9日电: the agency that filed the story.
_AGENCY_RE = re.compile(
    r"^([\u4e00-\u9fff]{1,6}(?:社|网|报|台))[\u4e00-\u9fff]{0,12}\d{1,2}月\d{1,2}日(?:电|讯)"
)
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


def _tlen(s: str | None) -> int:
    """Number of non-whitespace characters."""
    if not s:
        return 0
    return len("".join(s.split()))


def _text(el: Any) -> str:
    return "".join(el.itertext())


def _text_within(el: Any, limit: int) -> str | None:
    """``normalize_text(_text(el))`` if it has at most ``limit`` non-whitespace characters, else
    None — without joining all the text of a large element (a prefix never has more of them than
    the whole)."""
    parts: list[str] = []
    size = 0
    check_at = 2 * limit
    for part in el.itertext():
        parts.append(part)
        size += len(part)
        if size > check_at:
            if _tlen(normalize_text("".join(parts))) > limit:
                return None
            check_at = 2 * size
    text = normalize_text("".join(parts))
    return text if _tlen(text) <= limit else None


def _drop(el: Any) -> None:
    """Remove an element but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _punct(s: str | None) -> int:
    if not s:
        return 0
    return len(_PUNCT_RE.findall(s))


def _hints(el: Any) -> str:
    """``class`` and ``id`` of an element, lower-cased (the hint regexes are lower-case)."""
    cls = el.get("class")
    ident = el.get("id")
    if cls is None and ident is None:
        return ""
    return f"{cls or ''} {ident or ''}".lower()


@lru_cache(maxsize=8192)
def _hint_flags(hints: str) -> tuple[bool, bool]:
    """(bad, good): whether the lower-cased hints match _BAD_HINT_RE / _GOOD_HINT_RE (the same
    class names recur on many elements and pages)."""
    return bool(_BAD_HINT_RE.search(hints)), bool(_GOOD_HINT_RE.search(hints))


def _is_hidden(el: Any) -> bool:
    style = el.get("style")
    # (visibility:hidden is not enough: WeChat articles hide their body until a script runs)
    return bool(style) and bool(re.search(r"display\s*:\s*none", style, re.I))


# --------------------------------------------------------------------------- parsing


def _parse(html: str) -> Any:
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html, count=1)
    root = None
    try:
        root = etree.fromstring(html, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        root = etree.fromstring(f"<html><body>{html or ' '}</body></html>", parser=_PARSER)
    return root


@dataclass
class _Meta:
    title_tag: str | None
    metas: dict[str, str]
    ld_dates: list[str]
    ld_title: str | None


def _read_meta(root: Any) -> _Meta:
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
                title_tag = normalize_text(_text(el))
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
    return _Meta(title_tag or None, metas, ld_dates, ld_title)


#: (class, id) -> (holds "title", looks like a video player): the same pairs recur on many
#: elements and pages
_CLASS_ID_VERDICTS: dict[tuple[str | None, str | None], tuple[bool, bool]] = {}


def _class_id_verdict(cls: str | None, ident: str | None) -> tuple[bool, bool]:
    hints = f"{cls or ''} {ident or ''}".lower()
    maybe_player = "play" in hints or "vjs" in hints or "prism" in hints or "video" in hints
    verdict = ("title" in hints, maybe_player and _PLAYER_HINT_RE.search(hints) is not None)
    if len(_CLASS_ID_VERDICTS) >= 8192:
        _CLASS_ID_VERDICTS.clear()
    _CLASS_ID_VERDICTS[(cls, ident)] = verdict
    return verdict


#: Title candidates (see :func:`_title`): headings, and these elements when their class or id
#: holds "title".
_TITLE_HEADINGS = frozenset({"h1", "h2", "h3"})
_TITLE_HINTED_TAGS = frozenset({"div", "p", "span", "td", "strong", "font"})


def _clean_tree(root: Any, title_candidates: list[Any] | None = None) -> Any:
    """Drop scripts, styles, hidden elements and video players; return the body.

    ``title_candidates``, if given, receives in document order the elements of the cleaned body
    that :func:`_title` considers: ``h1``–``h3``, and ``div``/``p``/``span``/``td``/``strong``/
    ``font`` elements whose class or id holds "title".
    """
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    body = root.find("body")
    if body is None:
        body = root
    doomed = []
    verdicts = _CLASS_ID_VERDICTS
    # inside the subtree of a doomed element, nothing is looked at (it leaves the body whole):
    # the walk resumes at ``resume_at``, the first element after that subtree
    resume_at: Any = None
    for el in body.iter(etree.Element):
        if resume_at is not None:
            if el is not resume_at:
                continue
            resume_at = None
        # (one keys() call instead of three get() calls: most elements have no attribute or
        # only one of the three)
        keys = el.keys()
        title_hint = doom = False
        if keys:
            if "style" in keys:
                style = el.get("style")
                doom = bool(style) and "none" in style and _is_hidden(el)
            cls = el.get("class") if "class" in keys else None
            ident = el.get("id") if "id" in keys else None
            if not doom and (cls is not None or ident is not None):
                verdict = verdicts.get((cls, ident))
                if verdict is None:
                    verdict = _class_id_verdict(cls, ident)
                title_hint, maybe_player = verdict
                # a video player's controls (倍速, 高清, 00:00 …), unless it wraps real prose
                if maybe_player:
                    text = _text(el)
                    doom = _tlen(text) < 200 or len(_PUNCT_RE.findall(text)) < 3
        if doom:
            doomed.append(el)
            if el is body:
                continue  # (a hidden <body> is dropped from <html> but still read)
            resume_at = _next_after_subtree(el, body)
            if resume_at is None:
                break
            continue
        if title_candidates is not None:
            tag = el.tag
            if tag in _TITLE_HEADINGS or (title_hint and tag in _TITLE_HINTED_TAGS):
                title_candidates.append(el)
    for el in doomed:
        _drop(el)
    return body


def _next_after_subtree(el: Any, top: Any) -> Any:
    """The first element after ``el``'s subtree in document order, within ``top`` (None: none)."""
    while el is not None and el is not top:
        nxt = el.getnext()
        while nxt is not None and not isinstance(nxt.tag, str):
            nxt = nxt.getnext()
        if nxt is not None:
            return nxt
        el = el.getparent()
    return None


# --------------------------------------------------------------------------- content scoring


class _Scorer:
    """One bottom-up pass: container scores, text/link/punctuation totals (kept for scored
    elements and ``<p>``/``<center>``, the ones read afterwards), and the document position (in
    non-link characters) of each element and of each container's first scoring paragraph."""

    def __init__(self, title_el: Any = None) -> None:
        self.stats: dict[Any, tuple[int, int, int]] = {}
        self.score: dict[Any, float] = {}
        self.first_unit: dict[Any, int] = {}
        self.cursor = 0
        self.title_el = title_el
        self.title_start: int | None = None

    def run(self, body: Any) -> None:
        """One walk over ``body`` (``start``/``end`` events of lxml's iterwalk, no recursion):
        at an element's start its own text is counted, at its end its totals are scored and
        handed to its parent, followed by its tail (the parent's text). The scores are added in
        the same order as a recursive post-order visit would add them."""
        score = self.score
        stats = self.stats
        title_el = self.title_el
        findall = _PUNCT_FINDALL
        para_tags = _PARA_TAGS
        inline_tags = _INLINE_TAGS
        block_tags = _BLOCK_TAGS
        unit = self._unit
        add = self._add
        cursor = 0
        stack: list[tuple[Any, int, bool, int, int, int, int, int, int]] = []
        # the element being visited: its tag, document position, whether it is inside a link,
        # its subtree totals (text, link text, punctuation) and its direct text (own + tails)
        tag: Any = None
        pos = 0
        link_here = False
        total = link = punct = 0
        direct_len = direct_punct = direct_link = 0
        for event, el in etree.iterwalk(body, events=("start", "end")):
            if event == "start":
                stack.append((tag, pos, link_here, total, link, punct, direct_len, direct_punct, direct_link))
                tag = el.tag
                pos = cursor
                if el is title_el:
                    self.title_start = pos
                link_here = link_here or tag == "a"
                text = el.text
                # (length of the stripped text: inner spaces are rare in Chinese and only weigh a
                # score)
                if text:
                    direct_len = len(text.strip())
                    direct_punct = len(findall(text)) if direct_len else 0
                else:
                    direct_len = direct_punct = 0
                if link_here:
                    direct_link = direct_len
                else:
                    direct_link = 0
                    cursor += direct_len
                total, link, punct = direct_len, direct_link, direct_punct
                continue
            # end of el: score it
            if tag in para_tags:
                if total >= 10:
                    value = unit(total, punct, link)
                    if value:
                        parent = el.getparent()
                        add(parent, value, pos)
                        if parent is not None:
                            add(parent.getparent(), value / 2, pos)
            elif direct_len >= 10:
                value = unit(direct_len, direct_punct, direct_link)
                if tag not in inline_tags:
                    if value:
                        add(el, value, pos)
                        add(el.getparent(), value / 2, pos)
                else:
                    # inline wrapper holding bare text (<font>…<br>…</font>): its block container
                    # owns it
                    parent = el.getparent()
                    while parent is not None and parent.tag not in block_tags:
                        parent = parent.getparent()
                    if value and parent is not None:
                        add(parent, value, pos)
            # totals are read for scored elements and <p>/<center> (see _main_nodes); every
            # score an element gets comes from its own text or its subtree, so it has it by now
            if tag == "p" or tag == "center" or el in score:
                stats[el] = (total, link, punct)
            ct, cl, cp = total, link, punct
            tag, pos, link_here, total, link, punct, direct_len, direct_punct, direct_link = stack.pop()
            if not stack:
                break  # the end of body itself (its tail is not its text)
            total += ct
            link += cl
            punct += cp
            tail = el.tail
            if tail:
                tl = len(tail.strip())
                if tl:
                    tp = len(findall(tail))
                    total += tl
                    punct += tp
                    direct_len += tl
                    direct_punct += tp
                    if link_here:
                        link += tl
                        direct_link += tl
                    else:
                        cursor += tl
        self.cursor = cursor

    def _add(self, el: Any, value: float, pos: int) -> None:
        if el is not None:
            self.score[el] = self.score.get(el, 0.0) + value
            if pos < self.first_unit.get(el, 1 << 60):
                self.first_unit[el] = pos

    @staticmethod
    def _unit(tlen: int, punct: int, link: int) -> float:
        if tlen < 10:
            return 0.0
        ld = link / tlen if tlen else 0.0
        return (1.0 + punct + min(tlen / 80.0, 4.0)) * max(0.0, 1.0 - 1.5 * ld)

    def final(self, el: Any) -> float:
        total, link, _ = self.stats.get(el, (0, 0, 0))
        ld = link / total if total else 1.0
        s = self.score.get(el, 0.0) * (1.0 - ld)
        hints = _hints(el)
        if hints.strip():
            bad, good = _hint_flags(hints)
            if bad and not good:
                s *= 0.6
            elif good:
                s *= 1.15
        return s


def _bad_region_checker(title_el: Any) -> Any:
    """A memoised test: is an ancestor of ``el`` a comment/related/recommend/footer region (one
    that does not also hold the title)?"""
    cache: dict[Any, bool] = {}

    def own_bad(el: Any) -> bool:
        hints = _hints(el)
        if len(hints) < 2:
            return False
        bad, good = _hint_flags(hints)
        if not bad or good:
            return False
        return title_el is None or not _is_descendant(title_el, el)

    def in_bad(el: Any) -> bool:
        chain = []
        p = el.getparent()
        result = False
        while p is not None and p.tag not in ("body", "html"):
            if p in cache:
                result = cache[p]
                break
            chain.append(p)
            if own_bad(p):
                result = True
                break
            p = p.getparent()
        # every element of the chain below a bad (or cached) ancestor shares the answer
        for q in chain:
            cache[q] = result
        return result

    return in_bad


def _main_nodes(body: Any, title_el: Any = None) -> tuple[list[Any], _Scorer]:
    scorer = _Scorer(title_el)
    scorer.run(body)
    if not scorer.score:
        return [body], scorer
    finals: dict[Any, float] = {}
    in_bad_region = _bad_region_checker(title_el)
    for el, raw in scorer.score.items():
        if raw < 1.0 or el.tag in ("a", "body", "html"):
            continue
        s = scorer.final(el)
        if s > 0 and in_bad_region(el):
            s *= 0.5
        finals[el] = s
    if not finals:
        return [body], scorer
    best = max(finals, key=finals.__getitem__)
    best_score = finals[best]
    if best_score <= 0:
        return [body], scorer
    if title_el is not None and scorer.title_start is not None:
        # The article is the first substantial text after its title: prefer it to a longer
        # story (a recommendation, the next article) further down the page.
        t_start = scorer.title_start
        qualify = max(6.0, best_score * 0.12)
        after = [
            el
            for el, sc in finals.items()
            if sc >= qualify
            and scorer.stats[el][0] - scorer.stats[el][1] >= 40
            and (scorer.first_unit.get(el, -1) >= t_start or _is_descendant(title_el, el))
            and not (el is title_el or _is_descendant(el, title_el))
        ]
        if after:
            after.sort(key=lambda e: (scorer.first_unit.get(e, 0), -finals[e]))
            best = after[0]
            # a wrapper that also holds the title, a subtitle or the info line scores by its
            # paragraphs' container: prefer that container when it scores at least as well
            inner = [
                e for e in after if e is not best and finals[e] >= finals[best] and _is_descendant(e, best)
            ]
            if inner:
                best = max(inner, key=finals.__getitem__)
            best_score = finals[best]
    parent = best.getparent()
    if parent is None:
        return [best], scorer
    threshold = max(8.0, best_score * 0.25)
    nodes: list[Any] = []
    for sib in parent:
        if not isinstance(sib.tag, str):
            continue
        if sib is best:
            nodes.append(sib)
            continue
        hints = _hints(sib)
        if len(hints) > 1 and _hint_flags(hints) == (True, False):
            continue  # comments, related news, share bars next to the article
        s = finals.get(sib, 0.0)
        total, link, punct = scorer.stats.get(sib, (0, 0, 0))
        plain_para = sib.tag in ("p", "center") and total >= 40 and link < total * 0.25 and punct >= 2
        if s >= threshold or plain_para:
            nodes.append(sib)
    return nodes, scorer


# --------------------------------------------------------------------------- blocks


@dataclass
class _Block:
    text: str = ""
    link: int = 0
    src: str | None = None
    alt: str = ""
    centered: bool = False
    captionish: bool = False
    el: Any = None

    @property
    def is_image(self) -> bool:
        return self.src is not None


def _img_src(img: Any, base: str | None) -> str | None:
    src = None
    for attr in ("data-original", "data-src", "data-lazy-src", "original", "src"):
        v = img.get(attr)
        if v and not v.startswith("data:"):
            src = v.strip()
            break
    if not src or (_IMG_SKIP_LOWER_RE.search(src.lower()) if src.isascii() else _IMG_SKIP_RE.search(src)):
        return None
    for attr in ("width", "height"):
        v = img.get(attr)
        if v and v.isdigit() and int(v) < 60:
            return None
    return urljoin(base, src) if base else src


#: (class, id) -> whether they look like a caption's (_CAPTION_HINT_RE), memoised
_CAPTION_VERDICTS: dict[tuple[str | None, str | None], bool] = {}


def _caption_verdict(cls: str | None, ident: str | None) -> bool:
    verdict = _CAPTION_HINT_RE.search(f"{cls or ''} {ident or ''}".lower()) is not None
    if len(_CAPTION_VERDICTS) >= 8192:
        _CAPTION_VERDICTS.clear()
    _CAPTION_VERDICTS[(cls, ident)] = verdict
    return verdict


def _blocks(nodes: list[Any], base: str | None) -> list[_Block]:
    out: list[_Block] = []
    buf: list[str] = []
    # (buf empty => no link characters counted since the last flush: flush() runs only if buf)
    state = {"link": 0}
    ctx: list[tuple[bool, bool]] = [(False, False)]
    caption_verdicts = _CAPTION_VERDICTS

    def flush() -> None:
        text = normalize_text("".join(buf))
        if text:
            centered, captionish = ctx[-1]
            out.append(_Block(text=text, link=state["link"], centered=centered, captionish=captionish))
        buf.clear()
        state["link"] = 0

    def walk(el: Any, in_link: bool) -> None:
        tag = el.tag
        if tag.__class__ is not str:
            tail = el.tail
            if tail:
                buf.append(tail)
            return
        pushed = False
        if tag in _BLOCK_TAGS:
            if buf:
                flush()
            centered, captionish = ctx[-1]
            align = el.get("align")
            align = align.lower() if align else ""
            style = el.get("style")
            style = style.lower().replace(" ", "") if style else ""
            if tag == "center" or align == "center" or "text-align:center" in style:
                centered = True
            elif align in ("left", "justify") or "text-align:left" in style or "text-align:justify" in style:
                centered = False
            if tag == "figcaption":
                captionish = True
            else:
                cls = el.get("class")
                ident = el.get("id")
                if cls is not None or ident is not None:
                    hinted = caption_verdicts.get((cls, ident))
                    if hinted is None:
                        hinted = _caption_verdict(cls, ident)
                    if hinted:
                        captionish = True
            ctx.append((centered, captionish))
            pushed = True
        if tag == "br":
            if buf:
                flush()
        elif tag == "img":
            src = _img_src(el, base)
            if src:
                if buf:
                    flush()
                out.append(_Block(src=src, alt=normalize_text(el.get("alt") or el.get("title") or "")))
        else:
            link_here = in_link or tag == "a"
            text = el.text
            if text:
                buf.append(text)
                if link_here:
                    state["link"] += _tlen(text)
            for child in el:
                walk(child, link_here)
        if pushed:
            if buf:
                flush()
            ctx.pop()
        tail = el.tail
        if tail:
            buf.append(tail)
            if in_link:
                state["link"] += _tlen(tail)

    for node in nodes:
        walk(node, False)
        if buf:
            flush()
    return out


# --------------------------------------------------------------------------- title


def _strip_site_suffix(title: str) -> str | None:
    if re.match(r"^\s*(?:_|-|\||｜|—)", title):
        return None  # "-铜雀历史网": the page left its own title empty
    parts = [p for p in _TITLE_SEP_RE.split(title) if p]
    if len(parts) > 1 and _tlen(parts[0]) >= 4:
        return parts[0].strip()
    return title.strip()


class _Ref:
    """A reference title (og:title, <title>) prepared for repeated comparisons."""

    def __init__(self, text: str) -> None:
        self.key = compact(text)
        self.grams = {self.key[i : i + 2] for i in range(len(self.key) - 1)}

    def sim(self, text: str) -> float:
        """Containment-aware bigram similarity (Dice) of ``text`` to the reference."""
        a, b = compact(text), self.key
        if not a or not b:
            return 0.0
        if a == b:
            return 1.0
        la, lb = len(a), len(b)
        if a in b or b in a:
            return min(la, lb) / max(la, lb) * 0.5 + 0.5
        if 2 * min(la, lb) < 0.5 * (la + lb):
            return 0.0  # too different in length to reach the threshold
        ga = {a[i : i + 2] for i in range(la - 1)}
        if not ga or not self.grams:
            return 0.0
        return 2 * len(ga & self.grams) / (len(ga) + len(self.grams))


def _title(body: Any, meta: _Meta, title_elements: list[Any] | None = None) -> tuple[str | None, Any]:
    """``title_elements``: the candidate elements, if :func:`_clean_tree` collected them (else
    they are found here)."""
    og = normalize_text(meta.metas.get("og:title") or meta.metas.get("twitter:title") or "") or None
    tt = meta.title_tag
    refs = [_Ref(r) for r in (og, meta.ld_title, tt) if r]
    candidates: list[tuple[Any, str]] = []
    if title_elements is None:
        title_elements = [
            el
            for el in body.iter("h1", "h2", "h3", *_TITLE_HINTED_TAGS)
            if el.tag in _TITLE_HEADINGS or "title" in _hints(el)
        ]
    for el in title_elements:
        text = _text_within(el, 120)
        if text is not None and _tlen(text) >= 4:
            candidates.append((el, text))
            if len(candidates) > 60:
                break
    best_el, best_text, best_sim = None, None, 0.0
    for el, text in candidates:
        sim = max((r.sim(text) for r in refs), default=0.0)
        if el.tag == "h1":
            sim += 0.05
        if sim > best_sim:
            best_el, best_text, best_sim = el, text, sim
    if best_text is not None and best_sim >= 0.6:
        return best_text, best_el
    if og:
        return _strip_site_suffix(og), None
    if meta.ld_title:
        return meta.ld_title, None
    if tt:
        return _strip_site_suffix(tt), None
    for el, text in candidates:
        if el.tag == "h1":
            return text, el
    return None, None


def _heading_before(node: Any) -> tuple[Any, str] | None:
    """The nearest heading-like element (``h1``–``h3``, ``*title*`` class/id) above ``node``, if
    little text separates them."""
    candidates = node.xpath(
        "preceding::*[self::h1 or self::h2 or self::h3"
        " or contains(@class, 'title') or contains(@id, 'title')][position() <= 3]"
    )
    for el in reversed(candidates):
        text = normalize_text(_text(el))
        if not 6 <= _tlen(text) <= 80 or el.xpath("ancestor-or-self::a"):
            continue
        between = el.xpath("following::text()[position() <= 30]")
        gap = 0
        for seg in between:
            if seg.getparent() is node or _is_descendant(seg.getparent(), node):
                break
            gap += _tlen(str(seg))
        if gap <= 300 and boilerplate_reason(text) is None:
            return el, text
    return None


# --------------------------------------------------------------------------- dates and info line


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


def _info_block_text(seg_el: Any, limit: int = 240) -> str:
    """The text of the largest small block (≤ ``limit`` characters) around an info-line node."""
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
    return text


def _near_title(anchor: Any, content_nodes: list[Any]) -> tuple[ParsedDate | None, str]:
    """The first date written after the title (before the body is well under way) and the text
    of the small block it sits in (the info line)."""
    if anchor is not None:
        segments = anchor.xpath("following::text()[position() <= 80]")
        if anchor.tag not in ("h1", "h2", "h3", "h4"):
            # a title block may hold its own info line (<div class=title><div>…</div><ul>来源…</ul>)
            segments = anchor.xpath("descendant::text()")[1:] + segments
    elif content_nodes:
        # no title element: the closest date above the content, else its first lines
        before = content_nodes[0].xpath("preceding::text()[position() <= 40]")
        for seg in reversed(before):
            found = _date_in_segment(seg)
            if found[0] is not None:
                return found
        segments = content_nodes[0].xpath(".//text()[position() <= 20]")
    else:
        return None, ""
    chars = 0
    for seg in segments:
        text = str(seg)
        n = _tlen(text)
        if not n:
            continue
        chars += n
        if n <= 120:  # an info line is short; a date inside a long sentence is content
            found = _date_in_segment(seg)
            if found[0] is not None:
                return found
        if chars > 600:
            break
    return None, ""


#: Publication dates outside [1995, next year] are not plausible for a web page (birth dates,
#: historical dates in an infobox).
_MIN_YEAR = 1995
_MAX_YEAR = datetime.date.today().year + 1


def _plausible(parsed: ParsedDate | None) -> bool:
    return parsed is not None and _MIN_YEAR <= int(parsed.iso[:4]) <= _MAX_YEAR


def _date_in_segment(seg: Any) -> tuple[ParsedDate | None, str]:
    parsed = parse_date(str(seg))
    owner = seg.getparent()
    if parsed is None or owner is None or not _plausible(parsed):
        return None, ""
    if seg.is_tail and owner.getparent() is not None:
        owner = owner.getparent()
    info_text = _info_block_text(owner)
    better = parse_date(info_text)
    same_day = better is not None and better.iso.startswith(parsed.iso[:10])
    if better is not None and same_day and len(better.iso) > len(parsed.iso):
        parsed = better
    return parsed, info_text


_LABEL_HINT_RE = re.compile(r"来源|作者|记者|编辑|责编|通讯员|撰稿|摄影")


def _labelled_lines_after(node: Any, limit: int = 40) -> list[str]:
    """Small blocks right after ``node`` that carry 来源/作者/编辑 labels (a footer info line)."""
    out: list[str] = []
    seen: set[Any] = set()
    chars = 0
    for seg in node.xpath(f"following::text()[position() <= {limit}]"):
        text = str(seg)
        chars += _tlen(text)
        if chars > 600:
            break
        if not _LABEL_HINT_RE.search(text):
            continue
        owner = seg.getparent()
        if owner is None:
            continue
        if seg.is_tail and owner.getparent() is not None:
            owner = owner.getparent()
        if owner in seen:
            continue
        seen.add(owner)
        block = _info_block_text(owner, limit=120)
        if block and len(block) <= 120 and block not in out:
            out.append(block)
    return out


def _is_descendant(el: Any, ancestor: Any) -> bool:
    p = el.getparent()
    depth = 0
    while p is not None and depth < 60:
        if p is ancestor:
            return True
        p = p.getparent()
        depth += 1
    return False


def _meta_date(meta: _Meta) -> ParsedDate | None:
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
    while el is not None and hops < 2 and not out:
        nxt = el.getnext()
        for _ in range(5):
            if nxt is None:
                break
            t = _text_within(nxt, 240)
            if t is None:
                break  # (a large block: the article itself, not an info line)
            if t and len(t) <= 240 and (_LABEL_HINT_RE.search(t) or split_trailing_byline(t)[1]):
                out.append(t)
            nxt = nxt.getnext()
        el = el.getparent()
        hops += 1
    return out


# --------------------------------------------------------------------------- assembly


def _is_caption_block(block: _Block) -> bool:
    """Whether the text block right after an image is its caption: a figcaption/caption-class
    block, a line starting with 图为/▲, a line ending with a photo credit, or a centred line that
    reads like a sentence (a centred line without punctuation is more likely a subheading)."""
    text = block.text
    if block.is_image or len(text) > 200:
        return False
    if block.captionish or text.startswith(("图为", "图：", "图:", "▲", "△", "上图", "下图")):
        return True
    if _CREDIT_END_RE.search(text):
        return True
    return block.centered and len(text) <= 120 and bool(_SENTENCE_END_RE.search(text))


_CREDIT_END_RE = re.compile(r"(?:摄|摄影|供图|[社网]发|图片来源[:：].{1,20}|资料图片?)\s*[)）]?\s*$")
_SENTENCE_END_RE = re.compile(r"[。！？；）)」”]\s*$|[，、]")


def extract_generic(html: str, url: str | None = None) -> dict[str, Any]:
    """Extract an article from HTML with no site knowledge.

    Returns ``title, original_title, published_at, published_at_raw, source, editor, authors,
    images ([{url, caption, credit}]), body`` (``"\\n"``-joined paragraphs).
    """
    return _extract(_parse(html), url)


def _extract(root: Any, url: str | None) -> dict[str, Any]:
    meta = _read_meta(root)
    base = url
    for b in root.iter("base"):
        if b.get("href"):
            base = urljoin(url or "", b.get("href"))
            break
    title_elements: list[Any] = []
    body = _clean_tree(root, title_elements)
    title, title_el = _title(body, meta, title_elements)

    nodes, _ = _main_nodes(body, title_el)
    if title_el is None and nodes:
        # no heading matches <title>/og:title (which may be just the site's name): the reader's
        # title is the heading right above the content
        heading = _heading_before(nodes[0])
        if heading is not None:
            head_key = compact(heading[1])
            title_key = compact(_TITLE_SEP_RE.split(title)[0]) if title else ""
            if not title_key or (head_key not in compact(title or "") and title_key not in head_key):
                title = heading[1]
            title_el = heading[0]
    if title_el is not None:
        # the heading is not content: keep it out of the blocks if it sits inside the content node
        nodes = [n for n in nodes if n is not title_el]
    blocks = _blocks(nodes, base)

    # images + captions, link-dense blocks, end markers
    paragraphs: list[str] = []
    images: list[dict[str, Any]] = []
    last_image: dict[str, Any] | None = None
    body_chars = 0
    seen_images: set[str] = set()
    for block in blocks:
        if block.is_image:
            if block.src and block.src not in seen_images:
                seen_images.add(block.src)
                last_image = {"url": block.src, "caption": block.alt or None, "credit": None}
                images.append(last_image)
            continue
        text = block.text
        if body_chars == 0 and title_el is not None and title and compact(text) == compact(title):
            continue
        if last_image is not None and _is_caption_block(block):
            caption, credit = split_caption_credit(text)
            last_image["caption"] = caption or last_image["caption"]
            last_image["credit"] = credit
            last_image = None
            continue
        last_image = None
        tl = _tlen(text)
        if tl and block.link / tl > 0.55:
            continue
        # (block texts are normalised: the *_normalized helpers skip normalising them again)
        reason = _reason_normalized(text) if body_chars >= 150 else None
        is_end = body_chars >= 150 and (_END_MARKER_RE.match(text) or _is_disclaimer_heading_normalized(text))
        short_marker = not _PUNCT_RE.search(text[:30]) or len(text) < 40
        if (is_end and (reason == "editor" or short_marker)) or reason == "disclaimer":
            if reason == "editor":
                paragraphs.append(text)  # clean_paragraphs removes it; the editor's name is kept
            break
        paragraphs.append(text)
        body_chars += tl

    cleaned = clean_paragraphs(paragraphs, title=title)
    body_paras = cleaned.paragraphs
    # stray fragments after the last paragraph (图集, +1, 收起)
    while body_paras and _tlen(body_paras[-1]) <= 4 and not _PUNCT_RE.search(body_paras[-1]):
        body_paras.pop()

    # the info line near the title: date, source, editor, authors
    published, info_text = _near_title(title_el, nodes)
    info = parse_info_line(info_text) if info_text else InfoLine()
    beside_source, beside_author = (
        source_beside_time(info_text, published.raw, title) if published is not None else (None, None)
    )
    extra_lines: list[str] = []
    if title_el is not None:
        extra_lines.extend(_lines_after_title(title_el))
    # editor / source / info lines found (and removed) in the body, then a footer info line
    extra_lines.extend(text for reason, text in cleaned.removed if reason in ("editor", "source", "info"))
    if nodes:
        extra_lines.extend(_labelled_lines_after(nodes[-1]))
    for line in extra_lines:
        if not line:
            continue
        more = parse_info_line(line)
        if not more.authors:
            more.authors = split_trailing_byline(line)[1]
        info.source = info.source or more.source
        info.editor = info.editor or more.editor
        for a in more.authors:
            if all(a["name"] != x["name"] for x in info.authors):
                info.authors.append(a)
    if published is None:
        published = _meta_date(meta)
    if published is None and url:
        from_url = date_from_url(url)
        published = from_url if _plausible(from_url) else None

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
    authors.extend(cleaned.authors)
    # photographers credited under the pictures (新华社记者 李梦馨 摄)
    credits = [img["credit"] for img in images if img.get("credit")]
    credits += [
        c
        for reason, text in cleaned.removed
        if reason == "caption"
        for c in [split_caption_credit(text)[1]]
        if c
    ]
    authors.extend(photographers(credits))
    if beside_author is not None:
        authors.append(beside_author)  # (last: a labelled byline of the same name says more)
    editor = info.editor
    source = info.source or beside_source
    if source is None:
        src_meta = meta.metas.get("source") or meta.metas.get("contentsource")
        source = normalize_text(src_meta) or None if src_meta else None
    merged: list[dict[str, str]] = []
    seen: set[str] = set()
    for a in authors:
        name = a.get("name")
        if not name or name in seen or name == source:
            continue
        seen.add(name)
        merged.append(a)

    return {
        "title": title,
        "original_title": cleaned.original_title,
        "published_at": published.iso if published else None,
        "published_at_raw": published.raw if published else None,
        "source": source,
        "editor": editor,
        "authors": merged,
        "images": images,
        "body": "\n".join(body_paras),
    }


def extract_generic_bytes(
    body: bytes, headers: Mapping[str, Any] | None = None, url: str | None = None
) -> dict[str, Any]:
    """Decode (see :func:`~newscrawler.extraction.decoding.decode_html`) and :func:`extract_generic`;
    the result also carries ``encoding``."""
    text, encoding = decode_html(body, headers)
    result = extract_generic_decoded(body, text, encoding, url)
    result["encoding"] = encoding
    return result


def extract_generic_decoded(body: bytes, text: str, encoding: str, url: str | None = None) -> dict[str, Any]:
    """:func:`extract_generic` of ``text``, the page ``body`` decoded as ``encoding`` (by
    :func:`~newscrawler.extraction.decoding.decode_html`)."""
    root = None
    if encoding in _PARSE_BYTES_AS and "\ufffd" not in text and not body.startswith(_BOM_UTF8):
        # lxml parses the bytes directly (it would re-encode a str first); the decoding has
        # already checked that they are clean in this encoding
        try:
            root = etree.fromstring(body, parser=_bytes_parser(encoding))
        except (etree.ParserError, etree.XMLSyntaxError, ValueError, LookupError):
            root = None
    return _extract(root if root is not None else _parse(text), url)


_BOM_UTF8 = b"\xef\xbb\xbf"
_PARSE_BYTES_AS = {"utf-8": "utf-8", "gb18030": "gb18030"}
_BYTES_PARSERS: dict[str, Any] = {}


def _bytes_parser(encoding: str) -> Any:
    parser = _BYTES_PARSERS.get(encoding)
    if parser is None:
        parser = etree.HTMLParser(
            remove_comments=True,
            remove_pis=True,
            default_doctype=False,
            collect_ids=False,
            encoding=_PARSE_BYTES_AS[encoding],
        )
        _BYTES_PARSERS[encoding] = parser
    return parser


def iter_paragraph_texts(html: str) -> Iterator[str]:
    """Debug helper: every text block of the page's main content, before cleaning."""
    root = _parse(html)
    body = _clean_tree(root)
    nodes, _ = _main_nodes(body)
    for block in _blocks(nodes, None):
        if not block.is_image:
            yield block.text
