"""A site-agnostic article extractor for Chinese news pages: one lxml parse, then

* :mod:`.tree` — drop scripts, styles, hidden elements and video players;
* :mod:`.title` — the title and its heading element;
* :mod:`.scoring` — the main content's nodes (a readability-style vote);
* :mod:`.blocks` — the content as text blocks and images;
* here — assembly: images with their captions (the short block right after an image: a
  ``<figcaption>``, a centred line, or a line ending with a photo credit, split into caption and
  credit; captions are not part of the body), dropping link-dense blocks (related-news lists),
  boilerplate and everything after an end-of-article marker (责任编辑, 相关新闻, 上一篇, a
  disclaimer …);
* :mod:`.meta` — publication time, source, editor, authors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from .blocks import collect_blocks, is_caption
from .boilerplate import CleanResult, _is_disclaimer_heading_normalized, _reason_normalized, clean_paragraphs
from .bylines import split_caption_credit
from .dates import reference_time
from .decoding import decode_html
from .meta import find_metadata, read_page_meta
from .scoring import main_nodes
from .text import compact
from .title import TITLE_SEP_RE, find_title, heading_before
from .tree import DROP_TAGS, PUNCT_RE, clean_tree, parse_html, tlen

__all__ = ["extract_generic", "extract_generic_bytes", "extract_generic_metadata"]

_END_MARKER_RE = re.compile(
    r"^[【\[（(]?\s*(?:责任编辑|责编|编辑|相关新闻|相关阅读|相关链接|相关文章|推荐阅读|延伸阅读|热点推荐|热门推荐|猜你喜欢"
    r"|为您推荐|精彩推荐|上一篇|下一篇|分享到|网友评论|发表评论|我要评论|纠错|返回搜狐|阅读下一篇|扫一扫)"
)

#: A bare 编辑 ("edit") with no colon and no name is a button (an encyclopedia's section headings
#: carry one), not the 编辑： credit that ends an article, nor body text
_EDIT_BUTTON_RE = re.compile(r"^[\[【]?\s*编辑\s*[\]】]?$")

#: A heading that is only a references label (参考文献, 参考资料, 外部链接; a wiki's may carry its
#: [编辑] link) starts the citation list that closes an encyclopedia entry or a popular-science
#: piece, not more article text (the whole block must be the label: "参考资料显示，…" is prose)
_REFERENCES_HEADING_RE = re.compile(
    r"^[【\[]?\s*(?:参考文献|参考资料|参考书目|外部链接)\s*[】\]]?\s*[:：]?\s*(?:\[\s*编辑\s*\])?$"
)

#: A block with a larger share of link text is a link list (related news), not body
MAX_BLOCK_LINK_SHARE = 0.55
#: End markers and boilerplate end the body only once this much body (characters) is in
END_MARKER_MIN_BODY_CHARS = 150
#: An end marker ends the body if its first this-many characters hold no punctuation ...
END_MARKER_HEAD_CHARS = 30
#: ... or it is shorter than this (a label line, not a sentence that starts with 编辑)
END_MARKER_SHORT_CHARS = 40
#: Trailing fragments this short without punctuation (图集, +1, 收起) are dropped
MAX_STRAY_CHARS = 4


def extract_generic(html: str, url: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Extract an article from HTML with no site knowledge (relative times such as ``3小时前``
    count from ``now``, else are not read).

    Returns ``title, original_title, published_at, published_at_raw, published_at_source,
    source, editor, authors, images ([{url, caption, credit}]), body`` (``"\\n"``-joined
    paragraphs).
    """
    return extract_generic_tree(parse_html(html), url, now)


def extract_generic_tree(root: Any, url: str | None, now: datetime | None = None) -> dict[str, Any]:
    """:func:`extract_generic` of a page parsed by :func:`~newscrawler.extraction.tree.parse_html`
    (the tree is cleaned in place)."""
    meta = read_page_meta(root)
    base = url
    for b in root.iter("base"):
        if b.get("href"):
            base = urljoin(url or "", b.get("href"))
            break
    title_elements: list[Any] = []
    body = clean_tree(root, title_elements)
    title, title_el = find_title(body, meta, title_elements)

    nodes, _ = main_nodes(body, title_el)
    if title_el is None and nodes:
        # no heading matches <title>/og:title (which may be just the site's name): the reader's
        # title is the heading right above the content
        heading = heading_before(nodes[0])
        if heading is not None:
            head_key = compact(heading[1])
            title_key = compact(TITLE_SEP_RE.split(title)[0]) if title else ""
            if not title_key or (head_key not in compact(title or "") and title_key not in head_key):
                title = heading[1]
            title_el = heading[0]
    if title_el is not None:
        # the heading is not content: keep it out of the blocks if it sits inside the content node
        nodes = [n for n in nodes if n is not title_el]
    blocks = collect_blocks(nodes, base)

    # images + captions, link-dense blocks, end markers
    paragraphs: list[str] = []
    images: list[dict[str, Any]] = []
    last_image: dict[str, Any] | None = None
    body_chars = 0
    seen_images: set[str] = set()
    reasons: dict[str, str | None] = {}  # (what the rules said of a block: clean_paragraphs reuses it)
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
        if last_image is not None and is_caption(block):
            caption, credit = split_caption_credit(text)
            last_image["caption"] = caption or last_image["caption"]
            last_image["credit"] = credit
            last_image = None
            continue
        last_image = None
        tl = tlen(text)
        if (tl and block.link / tl > MAX_BLOCK_LINK_SHARE) or _EDIT_BUTTON_RE.match(text):
            continue
        # (block texts are normalised: the *_normalized helpers skip normalising them again)
        reason = None
        if body_chars >= END_MARKER_MIN_BODY_CHARS:
            reason = reasons[text] = _reason_normalized(text)
        is_end = body_chars >= END_MARKER_MIN_BODY_CHARS and (
            _END_MARKER_RE.match(text)
            or _is_disclaimer_heading_normalized(text)
            or _REFERENCES_HEADING_RE.match(text)
        )
        short_marker = not PUNCT_RE.search(text[:END_MARKER_HEAD_CHARS]) or len(text) < END_MARKER_SHORT_CHARS
        if (is_end and (reason == "editor" or short_marker)) or reason == "disclaimer":
            if reason == "editor":
                paragraphs.append(text)  # clean_paragraphs removes it; the editor's name is kept
            break
        paragraphs.append(text)
        body_chars += tl

    cleaned = clean_paragraphs(paragraphs, title=title, known_reasons=reasons)
    body_paras = cleaned.paragraphs
    # stray fragments after the last paragraph (图集, +1, 收起)
    while body_paras and tlen(body_paras[-1]) <= MAX_STRAY_CHARS and not PUNCT_RE.search(body_paras[-1]):
        body_paras.pop()

    found = find_metadata(
        meta, title_el, nodes, cleaned, body_paras, url, title=title, images=images, now=now
    )
    return {
        "title": title,
        "original_title": cleaned.original_title,
        "published_at": found["published_at"],
        "published_at_raw": found["published_at_raw"],
        "published_at_source": found["published_at_source"],
        "source": found["source"],
        "editor": found["editor"],
        "authors": found["authors"],
        "images": images,
        "body": "\n".join(body_paras),
    }


def extract_generic_metadata(
    root: Any,
    url: str | None,
    now: datetime | None,
    *,
    content: Any,
    title_el: Any,
    title: str,
    cleaned: CleanResult,
) -> dict[str, Any]:
    """The generic extractor's metadata of a page whose content element, title element and
    cleaned body paragraphs are already known (a portal's selectors found them): the same
    :func:`~newscrawler.extraction.meta.find_metadata` as :func:`extract_generic_tree`, without
    looking for the title and the content again, nor at the images (their photo credits are the
    clean step's). Returns ``published_at, published_at_raw, published_at_source, source, editor,
    authors``."""
    meta = read_page_meta(root)
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    return find_metadata(meta, title_el, [content], cleaned, cleaned.paragraphs, url, title=title, now=now)


def extract_generic_bytes(
    body: bytes, headers: Mapping[str, Any] | None = None, url: str | None = None
) -> dict[str, Any]:
    """Decode (see :func:`~newscrawler.extraction.decoding.decode_html`) and :func:`extract_generic`;
    the result also carries ``encoding``."""
    text, encoding = decode_html(body, headers)
    result = extract_generic(text, url, reference_time(headers))
    result["encoding"] = encoding
    return result


def iter_paragraph_texts(html: str) -> Iterator[str]:
    """Debug helper: every text block of the page's main content, before cleaning."""
    root = parse_html(html)
    body = clean_tree(root)
    nodes, _ = main_nodes(body)
    for block in collect_blocks(nodes, None):
        if not block.is_image:
            yield block.text
