"""Blocks for the generic extractor: the content nodes become a list of text blocks and images
in page order (a block element or a ``<br>`` ends a block), each block knowing its link text, whether
it is centred and whether it sits in a caption-like element."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from .boilerplate import CREDIT_END_RE
from .text import normalize_text
from .tree import BLOCK_TAGS, hints, tlen

__all__ = ["Block", "collect_blocks", "image_src", "is_caption"]

_CAPTION_HINT_RE = re.compile(r"caption|pic|img|image|photo|tupian|\btu\b|picture|figure|desc|zhu")
_IMG_SKIP_RE = re.compile(
    r"icon|logo|share|qrcode|erweima|ewm|blank|spacer|pixel|loading|avatar|button|\bbtn|arrow|weixin|weibo"
    r"|wechat|code\.|/ad/|banner|\.svg",
    re.I,
)
#: the same without re.I, for lower-cased ASCII URLs (nearly all; re.I on this alternation is slow)
_IMG_SKIP_LOWER_RE = re.compile(_IMG_SKIP_RE.pattern)
#: A block longer than this (characters) is never an image's caption
CAPTION_MAX_CHARS = 200
#: A centred line under an image is its caption up to this length (longer: a paragraph)
CENTRED_CAPTION_MAX_CHARS = 120
_SENTENCE_END_RE = re.compile(r"[。！？；）)」”]\s*$|[，、]")
#: An image with a declared width or height below this (pixels) is an icon or a spacer
MIN_IMAGE_SIDE = 60


@dataclass
class Block:
    """One piece of an article body: a paragraph (``text``, ``link``: its link characters) or an
    image (``src``, ``alt``); ``centered`` and ``captionish`` (inside a caption-like element)
    help tell an image's caption."""

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


def image_src(img: Any, base: str | None) -> str | None:
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
        if v and v.isdigit() and int(v) < MIN_IMAGE_SIDE:
            return None
    return urljoin(base, src) if base else src


def _block_context(el: Any, centered: bool, captionish: bool) -> tuple[bool, bool]:
    """(centred, caption-like) inside block element ``el``, given its parent's."""
    align = el.get("align")
    align = align.lower() if align else ""
    style = el.get("style")
    style = style.lower().replace(" ", "") if style else ""
    if el.tag == "center" or align == "center" or "text-align:center" in style:
        centered = True
    elif align in ("left", "justify") or "text-align:left" in style or "text-align:justify" in style:
        centered = False
    if el.tag == "figcaption" or _CAPTION_HINT_RE.search(hints(el)):
        captionish = True
    return centered, captionish


class _Collector:
    """The running block: text pieces since the last block boundary and their link characters,
    under a stack of (centred, caption-like) contexts of the open block elements."""

    def __init__(self) -> None:
        self.out: list[Block] = []
        self.buf: list[str] = []
        self.link = 0
        self.ctx: list[tuple[bool, bool]] = [(False, False)]

    def add(self, text: str | None, in_link: bool) -> None:
        if text:
            self.buf.append(text)
            if in_link:
                self.link += tlen(text)

    def flush(self) -> None:
        if self.buf:
            text = normalize_text("".join(self.buf))
            if text:
                centered, captionish = self.ctx[-1]
                self.out.append(Block(text=text, link=self.link, centered=centered, captionish=captionish))
            self.buf.clear()
        self.link = 0


def collect_blocks(nodes: list[Any], base: str | None, exclude: Collection[Any] = ()) -> list[Block]:
    """Text blocks and images of ``nodes`` (and their subtrees, but not of ``exclude``d
    elements), in document order: a block element or a ``<br>`` ends a block. Iterative (no
    recursion limit on deeply nested pages)."""
    c = _Collector()
    for node in nodes:
        # per open element: (is a block element, inside a link: its own text's, its tail's)
        stack: list[tuple[bool, bool, bool]] = []
        walker = etree.iterwalk(node, events=("start", "end"))
        for event, el in walker:
            if event == "start":
                parent_link = stack[-1][1] if stack else False
                tag = el.tag
                if not isinstance(tag, str) or el in exclude:
                    walker.skip_subtree()
                    stack.append((False, parent_link, parent_link))
                    continue
                is_block = tag in BLOCK_TAGS
                if is_block:
                    c.flush()
                    c.ctx.append(_block_context(el, *c.ctx[-1]))
                link_here = parent_link or tag == "a"
                if tag == "br":
                    c.flush()
                    walker.skip_subtree()
                elif tag == "img":
                    walker.skip_subtree()
                    src = image_src(el, base)
                    if src:
                        c.flush()
                        c.out.append(
                            Block(src=src, alt=normalize_text(el.get("alt") or el.get("title") or ""))
                        )
                else:
                    c.add(el.text, link_here)
                stack.append((is_block, link_here, parent_link))
                continue
            is_block, _, tail_link = stack.pop()
            if is_block:
                c.flush()
                c.ctx.pop()
            c.add(el.tail, tail_link)
        c.flush()
    return c.out


def is_caption(block: Block) -> bool:
    """Whether the text block right after an image is its caption: a figcaption/caption-class
    block, a line starting with 图为/▲, a line ending with a photo credit, or a centred line that
    reads like a sentence (a centred line without punctuation is more likely a subheading)."""
    text = block.text
    if block.is_image or len(text) > CAPTION_MAX_CHARS:
        return False
    if block.captionish or text.startswith(("图为", "图：", "图:", "▲", "△", "上图", "下图")):
        return True
    if CREDIT_END_RE.search(text):
        return True
    return block.centered and len(text) <= CENTRED_CAPTION_MAX_CHARS and bool(_SENTENCE_END_RE.search(text))
