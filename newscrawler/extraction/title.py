"""Title finding for the generic extractor: the heading (``<h1>``, ``<h2>``, ``*title*``
classes) that best matches ``<title>`` / ``og:title``, else ``og:title``, the headline of the
structured data (JSON-LD, microdata), ``<title>`` with the site suffix (``_新华网``, ``--人民网``,
``-中国吉林网``) cut off."""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from .boilerplate import boilerplate_reason
from .meta import PageMeta
from .names import is_org
from .text import compact, normalize_text
from .tree import (
    TITLE_HEADINGS,
    TITLE_HINTED_TAGS,
    element_text,
    hints,
    is_descendant,
    text_within,
    texts_after,
    tlen,
)

__all__ = ["TITLE_SEP_RE", "find_title", "heading_before", "strip_site_suffix"]

#: Separators between a page's title and the site's name (a short last part after "-" or "·")
TITLE_SEP_RE = re.compile(r"\s*(?:_|--|——|\s-\s|-(?=[^-]{2,14}$)|\s–\s|\s—\s|\||｜|·(?=[^·]{2,12}$))\s*")

#: A title (or the part kept before a site suffix) has at least this many characters
MIN_TITLE_CHARS = 4
#: A heading longer than this (characters) is a paragraph, not a title
MAX_TITLE_CHARS = 120
#: Candidate headings read at most (a page's title is among its first headings)
MAX_TITLE_CANDIDATES = 60
#: Similarity bonus of an <h1> (the usual element of an article's title)
H1_BONUS = 0.05
#: A heading is the title when its similarity to a reference title reaches this
TITLE_MATCH_MIN = 0.6
#: Rank of a heading: a fuller heading replaces the best match only from the same rank or a
#: higher one (an <h2> does not displace the <h1>); ``*title*`` elements rank below them all
_RANKS = {"h1": 1, "h2": 2, "h3": 3}
_HINTED_RANK = 4
#: Headings above the content looked at by :func:`heading_before`
HEADING_LOOKBACK = 3
#: A heading above the content has this many characters at least ...
HEADING_MIN_CHARS = 6
#: ... and at most
HEADING_MAX_CHARS = 80
#: Text nodes after a heading read to find where the content starts
HEADING_GAP_NODES = 30
#: At most this much text (characters) separates a heading from the content below it
HEADING_MAX_GAP_CHARS = 300


def strip_site_suffix(title: str) -> str | None:
    if re.match(r"^\s*(?:_|-|\||｜|—)", title):
        return None  # "-铜雀历史网": the page left its own title empty
    parts = [p for p in TITLE_SEP_RE.split(title) if p]
    if len(parts) > 1 and is_org(compact(parts[0])):
        # the site's name first (理论中国网-2022年第4期): the headline is a longer part after it
        # (a headline that ends like an outlet, 建成全球最大5G网_新华网, is the longest part)
        longest = max(parts[1:], key=tlen)
        if tlen(longest) > tlen(parts[0]) and not is_org(compact(longest)):
            return longest.strip()
    if len(parts) > 1 and tlen(parts[0]) >= MIN_TITLE_CHARS:
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
            return 0.0  # too different in length to reach TITLE_MATCH_MIN
        ga = {a[i : i + 2] for i in range(la - 1)}
        if not ga or not self.grams:
            return 0.0
        return 2 * len(ga & self.grams) / (len(ga) + len(self.grams))


def find_title(body: Any, meta: PageMeta, title_elements: list[Any] | None = None) -> tuple[str | None, Any]:
    """The title and its element (None: the title comes from the meta tags): the heading that
    best matches ``<title>`` / ``og:title`` / JSON-LD, else ``og:title``, the JSON-LD or microdata
    headline, ``<title>`` with the site suffix cut off. ``title_elements``: the candidate elements, if
    :func:`~newscrawler.extraction.tree.clean_tree` collected them (else they are found here)."""
    og = normalize_text(meta.metas.get("og:title") or meta.metas.get("twitter:title") or "") or None
    tt = meta.title_tag
    refs = [_Ref(r) for r in (og, meta.ld_title, tt) if r]
    candidates: list[tuple[Any, str]] = []
    if title_elements is None:
        title_elements = [
            el
            for el in body.iter("h1", "h2", "h3", *TITLE_HINTED_TAGS)
            if el.tag in TITLE_HEADINGS or "title" in hints(el)
        ]
    for el in title_elements:
        text = text_within(el, MAX_TITLE_CHARS)
        if text is not None and tlen(text) >= MIN_TITLE_CHARS:
            candidates.append((el, text))
            if len(candidates) > MAX_TITLE_CANDIDATES:
                break
    best_el, best_text, best_sim = None, None, 0.0
    for el, text in candidates:
        sim = max((r.sim(text) for r in refs), default=0.0)
        if el.tag == "h1":
            sim += H1_BONUS
        if sim > best_sim:
            best_el, best_text, best_sim = el, text, sim
    if best_text is not None and best_sim >= TITLE_MATCH_MIN:
        return _fuller_heading(candidates, best_el, best_text)
    if og:
        return strip_site_suffix(og), None
    if meta.ld_title:
        return meta.ld_title, None
    headline = microdata_headline(body, tt)
    if headline:
        return headline, None  # (the element is left alone: a short one is no anchor for the body)
    if tt:
        return strip_site_suffix(tt), None
    for el, text in candidates:
        if el.tag == "h1":
            return text, el
    return None, None


def _fuller_heading(candidates: list[tuple[Any, str]], best_el: Any, best_text: str) -> tuple[str, Any]:
    """The best match, or a heading (``h1``–``h3``) of the same rank or higher above it that says
    it in full.

    ``<title>`` often carries only a short form of the headline (``理论中国网-2022年第4期``)
    that a sidebar repeats (``<h3>2022年第4期</h3>``) below the full headline
    (``<h3>《某某学报》2022年第4期</h3>``): the first heading that contains the best match's
    text, before it and apart from it, is the headline as displayed."""
    key = compact(best_text)
    rank = _RANKS.get(best_el.tag, _HINTED_RANK)
    for el, text in candidates:
        if el is best_el:
            break
        el_rank = _RANKS.get(el.tag)
        if el_rank is None or el_rank > rank:
            continue
        full = compact(text)
        if key in full and len(full) > len(key) and not is_descendant(best_el, el):
            return text, el  # (not a wrapper of the match: the same heading with its buttons)
    return best_text, best_el


#: schema.org types whose ``name`` is the headline, in microdata (``itemscope itemtype=…``).
_ARTICLE_TYPE_RE = re.compile(r"schema\.org/(?:\w*Article|BlogPosting|LiveBlogPosting)\b")


def microdata_headline(body: Any, title_tag: str | None = None) -> str | None:
    """The headline the page's schema.org microdata marks: ``itemprop="headline"``, or the
    ``name`` of an Article item (``<div itemscope itemtype="http://schema.org/Article"><h1
    itemprop="name">夜雨</h1>``; not the name of an item inside it, such as its author). With
    ``title_tag``, only a headline it contains (not a teaser of another article)."""
    key = compact(title_tag) if title_tag else None
    for el in body.xpath("//*[@itemprop]"):
        props = (el.get("itemprop") or "").split()
        if "headline" not in props:
            if "name" not in props:
                continue
            scope = el.getparent()
            while scope is not None and scope.get("itemscope") is None:
                scope = scope.getparent()
            if scope is None or not _ARTICLE_TYPE_RE.search(scope.get("itemtype") or ""):
                continue
        text = normalize_text(element_text(el))
        if text and tlen(text) <= MAX_TITLE_CHARS and (key is None or compact(text) in key):
            return text
    return None


#: A headline styled by hand (pages without <h1>: ``<td style="font-size:22px">``,
#: ``<font size="5">``, ``<b>``, ``class="biaoti"``): candidates of :func:`heading_before`.
_STYLED_XPATH = (
    " or self::b or self::strong or self::font[@size] or contains(@style, 'font-size')"
    " or contains(@style, 'bold') or contains(@class, 'biaoti') or contains(@class, 'headline')"
)
#: Large type: font-size in px (or pt) from this size, ``<font size>`` from this size.
HEADLINE_MIN_PX = 16
HEADLINE_MIN_FONT_SIZE = 4
_FONT_SIZE_RE = re.compile(r"font-size\s*:\s*(\d+(?:\.\d+)?)\s*(px|pt)", re.I)
#: A line of these is the info line under a headline, not the headline.
#: (or a breadcrumb, or a "today" widget).
_INFO_WORDS_RE = re.compile(
    r"来源|作者|记者|时间|日期|发布|编辑|责编|\d{4}[-/.年]\d{1,2}|农历|星期|天气|位置|[>›»]"
)


def _styled_as_headline(el: Any) -> bool:
    """Whether a non-heading candidate of :func:`heading_before` is set in large or bold type."""
    if el.tag in TITLE_HEADINGS or "title" in hints(el) or "biaoti" in hints(el) or "headline" in hints(el):
        return True
    if el.tag in ("b", "strong"):
        return True
    if el.tag == "font":
        size = (el.get("size") or "").strip().lstrip("+")
        return size.isdigit() and int(size) >= HEADLINE_MIN_FONT_SIZE
    style = el.get("style") or ""
    m = _FONT_SIZE_RE.search(style)
    if m:
        return float(m.group(1)) >= HEADLINE_MIN_PX
    return "bold" in style.lower()


def heading_before(node: Any) -> tuple[Any, str] | None:
    """The nearest heading-like element (``h1``–``h3``, ``*title*`` class/id, a line in large or
    bold type) above ``node``, if little text separates them."""
    candidates = node.xpath(
        "preceding::*[self::h1 or self::h2 or self::h3"
        f" or contains(@class, 'title') or contains(@id, 'title'){_STYLED_XPATH}]"
        f"[position() <= {HEADING_LOOKBACK}]"
    )
    for el in reversed(candidates):
        text = normalize_text(element_text(el))
        if not HEADING_MIN_CHARS <= tlen(text) <= HEADING_MAX_CHARS or el.xpath("ancestor-or-self::a"):
            continue
        styled_only = el.tag not in TITLE_HEADINGS and "title" not in hints(el)
        if not _styled_as_headline(el) or (styled_only and (_INFO_WORDS_RE.search(text) or el.xpath(".//a"))):
            continue
        gap = 0
        for seg in islice(texts_after(el), HEADING_GAP_NODES):
            if seg.owner is node or is_descendant(seg.owner, node):
                break
            gap += tlen(seg.text)
        if gap <= HEADING_MAX_GAP_CHARS and boilerplate_reason(text) is None:
            return el, text
    return None
