"""Blocks for the generic extractor: the content nodes become a list of text blocks and images
in page order (a block element or a ``<br>`` ends a block), each block knowing its link text, whether
it is centred and whether it sits in a caption-like element."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from .text import normalize_text
from .tree import BLOCK_TAGS, hints, tlen

__all__ = ["TextBlock", "collect_blocks", "image_src"]

_CAPTION_HINT_RE = re.compile(r"caption|pic|img|image|photo|tupian|\btu\b|picture|figure|desc|zhu")
_IMG_SKIP_RE = re.compile(
    r"icon|logo|share|qrcode|erweima|ewm|blank|spacer|pixel|loading|avatar|button|\bbtn|arrow|weixin|weibo"
    r"|wechat|code\.|/ad/|banner|\.svg",
    re.I,
)
#: the same without re.I, for lower-cased ASCII URLs (nearly all; re.I on this alternation is slow)
_IMG_SKIP_LOWER_RE = re.compile(_IMG_SKIP_RE.pattern)
#: An image with a declared width or height below this (pixels) is an icon or a spacer
MIN_IMAGE_SIDE = 60


@dataclass
class TextBlock:
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


def collect_blocks(nodes: list[Any], base: str | None) -> list[TextBlock]:
    out: list[TextBlock] = []
    buf: list[str] = []
    # (buf empty => no link characters counted since the last flush: flush() runs only if buf)
    state = {"link": 0}
    ctx: list[tuple[bool, bool]] = [(False, False)]

    def flush() -> None:
        text = normalize_text("".join(buf))
        if text:
            centered, captionish = ctx[-1]
            out.append(TextBlock(text=text, link=state["link"], centered=centered, captionish=captionish))
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
        if tag in BLOCK_TAGS:
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
            if tag == "figcaption" or _CAPTION_HINT_RE.search(hints(el)):
                captionish = True
            ctx.append((centered, captionish))
            pushed = True
        if tag == "br":
            if buf:
                flush()
        elif tag == "img":
            src = image_src(el, base)
            if src:
                if buf:
                    flush()
                out.append(TextBlock(src=src, alt=normalize_text(el.get("alt") or el.get("title") or "")))
        else:
            link_here = in_link or tag == "a"
            text = el.text
            if text:
                buf.append(text)
                if link_here:
                    state["link"] += tlen(text)
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
                state["link"] += tlen(tail)

    for node in nodes:
        walk(node, False)
        if buf:
            flush()
    return out
