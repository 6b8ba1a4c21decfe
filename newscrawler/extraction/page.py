"""From one fetched page (raw bytes + headers + URL) to a raw article, with or without a portal
definition. Pure: no Scrapy. The spider, ``newscrawler extract`` and the tests all call
:func:`extract_page`; the clean pipeline (:mod:`newscrawler.extraction.assemble`) turns the raw
article into the exported record's fields.

A raw article keeps the body as *blocks* (paragraph texts and images, in page order, one list
per page of a multi-page article) so that captions, bylines and boilerplate are recognised in
one place, after all pages are in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from newscrawler.extraction.dates import parse_date, parse_relative, reference_time
from newscrawler.extraction.decoding import decode_html
from newscrawler.extraction.infoline import parse_info_line
from newscrawler.extraction.text import normalize_text
from newscrawler.portals.base import PortalDefinition

#: Elements whose text forms one paragraph when they hold no block element themselves.
BLOCK_TAGS = frozenset(
    "p div section article h1 h2 h3 h4 h5 h6 li blockquote center".split()
    + "table tr td figure figcaption pre dd dt".split()
)
SKIP_TAGS = frozenset("script style noscript iframe form button select textarea video audio object".split())


@dataclass
class Block:
    """One piece of an article body: a paragraph (``text``) or an image (``src``)."""

    text: str = ""
    src: str | None = None
    alt: str = ""
    centered: bool = False

    @property
    def is_image(self) -> bool:
        return self.src is not None

    def to_dict(self) -> dict[str, Any]:
        if self.is_image:
            return {"image": self.src, "alt": self.alt}
        return {"text": self.text, "centered": self.centered}


@dataclass
class PageExtract:
    """What one page gives before cleaning."""

    url: str
    is_article: bool
    title: str | None = None
    published_at: str | None = None
    published_at_raw: str | None = None
    #: where the time came from: ``page``, ``meta`` (tags), ``url``, or None
    published_at_source: str | None = None
    source: str | None = None
    editor: str | None = None
    authors: list[dict[str, str]] = field(default_factory=list)
    section: str | None = None
    blocks: list[Block] = field(default_factory=list)
    next_page_url: str | None = None
    #: set when the generic extractor produced the body (then ``blocks`` is empty)
    generic: dict[str, Any] | None = None
    encoding: str = "utf-8"


_HTML_PARSERS: list[Any] = []


def _html_parser() -> Any:
    """The lxml.html parser (lxml.html, like cssselect, is imported only for portal pages: the
    generic extractor needs neither)."""
    if not _HTML_PARSERS:
        from lxml import html as lxml_html

        _HTML_PARSERS.append(lxml_html.HTMLParser(recover=True, encoding="utf-8", collect_ids=False))
    return _HTML_PARSERS[0]


def parse_html(text: str, base_url: str | None = None) -> Any:
    """An lxml.html tree of a decoded page (an XML declaration or NUL bytes do not stop it)."""
    parser = _html_parser()
    data = text.replace("\x00", "").strip().encode("utf-8")
    root = None
    if data:
        try:
            root = etree.fromstring(data, parser=parser, base_url=base_url)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            root = None
    if root is None:
        root = etree.fromstring(b"<html><body></body></html>", parser=parser, base_url=base_url)
    return root


@lru_cache(maxsize=512)
def compile_css(css: str) -> etree.XPath:
    """A CSS selector compiled once to an lxml XPath (much cheaper per page than parsel's
    per-call translation)."""
    from cssselect import HTMLTranslator

    return etree.XPath(HTMLTranslator().css_to_xpath(css))


def select(root: Any, css: str | None) -> list[Any]:
    """Elements of ``root`` matching ``css`` (document order)."""
    return compile_css(css)(root) if css else []


def _text_of(el: Any) -> str:
    return normalize_text(" ".join(t for t in el.itertext() if isinstance(t, str)))


def _css_text(root: Any, css: str | None) -> str | None:
    nodes = select(root, css)
    return (_text_of(nodes[0]) or None) if nodes else None


def _is_centered(el: Any) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "text-align:center" in style or (el.get("align") or "").lower() == "center" or el.tag == "center"


def _image_src(el: Any, base_url: str) -> str | None:
    for attr in ("data-original", "data-src", "original", "src"):
        value = (el.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return urljoin(base_url, value)
    return None


def _leaf_lines(el: Any) -> Iterator[str]:
    """Text of a block element without block children, split at <br>."""
    parts: list[str] = []
    if el.text:
        parts.append(el.text)
    for child in el.iterchildren():
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            parts.append("\n")
        elif tag not in SKIP_TAGS and tag != "img":
            parts.append(child.text_content())
        if child.tail:
            parts.append(child.tail)
    for line in "".join(parts).split("\n"):
        text = normalize_text(line)
        if text:
            yield text


def iter_blocks(container: Any, base_url: str, exclude: set[Any] | None = None) -> Iterator[Block]:
    """Paragraphs and images of ``container`` (an lxml element) in document order."""
    exclude = exclude or set()

    def walk(el: Any, centered: bool) -> Iterator[Block]:
        pending: list[str] = []
        if el.text and el.text.strip():
            pending.append(el.text)
        for child in el.iterchildren():
            tag = child.tag if isinstance(child.tag, str) else ""
            if not tag or tag in SKIP_TAGS or child in exclude:
                if child.tail and child.tail.strip():
                    pending.append(child.tail)
                continue
            child_centered = centered or _is_centered(child)
            if tag == "img":
                yield from _flush(pending, centered)
                src = _image_src(child, base_url)
                if src:
                    yield Block(src=src, alt=normalize_text(child.get("alt") or ""), centered=child_centered)
            elif tag == "br":
                yield from _flush(pending, centered)
            elif tag in BLOCK_TAGS:
                yield from _flush(pending, centered)
                has_block_child = any(
                    isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in child.iterdescendants()
                )
                if has_block_child:
                    yield from walk(child, child_centered)
                else:
                    for img in child.iterdescendants("img"):
                        src = _image_src(img, base_url)
                        if src:
                            yield Block(
                                src=src, alt=normalize_text(img.get("alt") or ""), centered=child_centered
                            )
                    for line in _leaf_lines(child):
                        yield Block(text=line, centered=child_centered)
            else:  # inline element: part of the running paragraph
                for img in child.iterdescendants("img"):
                    src = _image_src(img, base_url)
                    if src:
                        yield from _flush(pending, centered)
                        yield Block(
                            src=src, alt=normalize_text(img.get("alt") or ""), centered=child_centered
                        )
                pending.append(child.text_content())
            if child.tail and child.tail.strip():
                pending.append(child.tail)
        yield from _flush(pending, centered)

    yield from walk(container, _is_centered(container))


def _flush(pending: list[str], centered: bool) -> Iterator[Block]:
    if pending:
        text = normalize_text("".join(pending))
        pending.clear()
        if text:
            yield Block(text=text, centered=centered)


def _strip_suffix(title: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if title.endswith(suffix):
            return title[: -len(suffix)].strip()
    return title


def _next_page_url(root: Any, css: str | None, texts: tuple[str, ...], base_url: str) -> str | None:
    for anchor in select(root, css):
        href = anchor.get("href")
        if href and normalize_text(anchor.text_content()) in texts:
            url = urljoin(base_url, href)
            return url if url != base_url else None
    return None


def extract_page(
    body: bytes,
    headers: Mapping[str, Any] | None,
    url: str,
    portal: PortalDefinition | None = None,
) -> PageExtract:
    """Extract one page. With a portal definition, its selectors decide; any field they leave
    empty (and the whole page, without a definition) comes from the generic extractor."""
    text, encoding = decode_html(body, headers)
    now = reference_time(headers)
    if portal is None:
        return _from_generic(body, text, url, encoding, now)
    root = parse_html(text, url)

    spec = portal.article
    if portal.non_article_marker and select(root, portal.non_article_marker):
        return PageExtract(url=url, is_article=False, encoding=encoding)
    if not spec.body:
        page = _from_generic(body, text, url, encoding, now)
        page.section = _css_text(root, spec.breadcrumb_section)
        return page
    body_nodes = select(root, spec.body)
    if not body_nodes:
        return PageExtract(url=url, is_article=False, encoding=encoding)

    page = PageExtract(url=url, is_article=True, encoding=encoding)
    title = _css_text(root, spec.title)
    if not title:
        title = _css_text(root, "title")
        title = _strip_suffix(title, portal.title_suffixes) if title else None
    page.title = title

    info = parse_info_line(_css_text(root, spec.info) or "")
    published_text = _css_text(root, spec.published)
    published = (
        (parse_date(published_text) or parse_relative(published_text, now)) if published_text else None
    )
    published = published or info.published
    if published is not None:
        page.published_at, page.published_at_raw = published.iso, published.raw
        page.published_at_source = "page"
    source_text = _css_text(root, spec.source)
    page.source = (parse_info_line(source_text).source if source_text else None) or info.source
    editor_text = _css_text(root, spec.editor)
    page.editor = (parse_info_line(editor_text).editor if editor_text else None) or info.editor
    page.authors = list(info.authors)
    page.section = _css_text(root, spec.breadcrumb_section)

    container = body_nodes[0]
    exclude: set[Any] = set()
    for css in spec.body_exclude:
        exclude.update(select(container, css))
    page.blocks = list(iter_blocks(container, url, exclude))
    page.next_page_url = _next_page_url(root, spec.next_page, portal.next_page_texts, url)

    if page.published_at is None or page.title is None:
        from newscrawler.extraction.generic import extract_generic

        fallback = extract_generic(text, url, now)
        page.title = page.title or fallback.get("title")
        if page.published_at is None:
            page.published_at = fallback.get("published_at")
            page.published_at_raw = fallback.get("published_at_raw")
            page.published_at_source = fallback.get("published_at_source")
    return page


def _from_generic(body: bytes, text: str, url: str, encoding: str, now: datetime) -> PageExtract:
    from newscrawler.extraction.generic import extract_generic_decoded

    result = extract_generic_decoded(body, text, encoding, url, now)
    return PageExtract(
        url=url,
        is_article=bool(result.get("body")),
        title=result.get("title"),
        published_at=result.get("published_at"),
        published_at_raw=result.get("published_at_raw"),
        published_at_source=result.get("published_at_source"),
        source=result.get("source"),
        editor=result.get("editor"),
        authors=list(result.get("authors") or []),
        generic=result,
        encoding=encoding,
    )
