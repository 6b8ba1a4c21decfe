"""From one fetched page (raw bytes + headers + URL) to a raw article, with or without a portal
definition. Pure: no Scrapy. The spider, ``newscrawler extract`` and the tests all call
:func:`extract_page`; the clean pipeline (:mod:`newscrawler.extraction.assemble`) turns the raw
article into the exported record's fields.

One pipeline: decode → parse once (:func:`~newscrawler.extraction.tree.parse_html`) → the
portal's selectors where it has them → the generic extractor (on the same tree) for every field
they leave empty → blocks (:func:`~newscrawler.extraction.blocks.collect_blocks`, the one block
walker) → one cleaning pass (:func:`~newscrawler.extraction.assemble.assemble`, or the generic
extractor's own when it gave the body).

A raw article keeps a portal body as *blocks* (paragraph texts and images, in page order, one
list per page of a multi-page article) so that captions, bylines and boilerplate are recognised
in one place, after all pages are in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from newscrawler.discovery import article_rejection
from newscrawler.extraction.assemble import texts_and_images
from newscrawler.extraction.blocks import Block, collect_blocks
from newscrawler.extraction.boilerplate import CleanResult, clean_paragraphs
from newscrawler.extraction.bylines import photographers
from newscrawler.extraction.dates import parse_date, parse_relative, reference_time
from newscrawler.extraction.decoding import decode_html
from newscrawler.extraction.generic import extract_generic_metadata, extract_generic_tree
from newscrawler.extraction.infoline import parse_info_line
from newscrawler.extraction.selectors import PageSelectors
from newscrawler.extraction.text import normalize_text
from newscrawler.extraction.title import strip_site_suffix
from newscrawler.extraction.tree import DROP_TAGS, drop_element, parse_html
from newscrawler.portals.base import ArticleSelectors, PortalDefinition

__all__ = ["SELECTOR_FIELDS", "Block", "PageExtract", "article_verdict", "extract_page"]

#: The article selectors whose miss on a page counts as drift (``next_page`` and
#: ``body_exclude`` legitimately match nothing on most pages).
SELECTOR_FIELDS = ("title", "info", "published", "source", "editor", "body", "breadcrumb_section")


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
    #: ``blocks`` cleaned with the page's title and the portal's boilerplate patterns, when the
    #: extraction needed it (is the byline there?): the clean step reuses it for page 1
    cleaned: CleanResult | None = None
    next_page_url: str | None = None
    #: set when the generic extractor produced the body (then ``blocks`` is empty)
    generic: dict[str, Any] | None = None
    encoding: str = "utf-8"
    #: (field, selector) of the portal's selectors that matched nothing on this page
    selector_misses: list[tuple[str, str]] = field(default_factory=list)


def _text_of(el: Any) -> str:
    return normalize_text(" ".join(el.itertext()))


def _strip_known_suffix(title: str, suffixes: tuple[str, ...]) -> str | None:
    for suffix in suffixes:
        if title.endswith(suffix):
            return title[: -len(suffix)].strip()
    return strip_site_suffix(title)


def _next_page_url(nodes: list[Any], texts: tuple[str, ...], base_url: str) -> str | None:
    for anchor in nodes:
        href = anchor.get("href")
        if href and _text_of(anchor) in texts:
            url = urljoin(base_url, href)
            return url if url != base_url else None
    return None


def _portal_fields(selectors: PageSelectors, spec: ArticleSelectors) -> dict[str, list[Any]]:
    """Every selector of ``spec`` evaluated once on the page: field → matched elements."""
    return {name: selectors.select(getattr(spec, name)) for name in (*SELECTOR_FIELDS, "next_page")}


def extract_page(
    body: bytes,
    headers: Mapping[str, Any] | None,
    url: str,
    portal: PortalDefinition | None = None,
) -> PageExtract:
    """Extract one page. With a portal definition, its selectors decide; any field they leave
    empty (and the whole page, without a definition or when its body selector misses) comes
    from the generic extractor."""
    text, encoding = decode_html(body, headers)
    now = reference_time(headers)  # (what a relative time such as 3小时前 counts from)
    root = parse_html(text)
    page = PageExtract(url=url, is_article=True, encoding=encoding)
    if portal is None:
        _fill_from_generic(page, extract_generic_tree(root, url, now), body=True)
        return page
    selectors = PageSelectors(root)  # (the portal's selectors, evaluated together)
    if portal.non_article_marker and selectors.select(portal.non_article_marker):
        page.is_article = False
        return page

    spec = portal.article
    found = _portal_fields(selectors, spec)
    page.selector_misses = [
        (name, getattr(spec, name)) for name in SELECTOR_FIELDS if getattr(spec, name) and not found[name]
    ]
    first_text = {
        name: (_text_of(nodes[0]) or None) if nodes else None
        for name, nodes in found.items()
        if name != "body"
    }

    page.title = first_text["title"]
    if not page.title:
        title_tag = root.find(".//title")
        tag_text = _text_of(title_tag) if title_tag is not None else ""
        page.title = _strip_known_suffix(tag_text, portal.title_suffixes) if tag_text else None
    info = parse_info_line(first_text["info"] or "")
    published_text = first_text["published"]
    published = (
        (parse_date(published_text) or parse_relative(published_text, now)) if published_text else None
    )
    published = published or info.published
    if published is not None:
        page.published_at, page.published_at_raw = published.iso, published.raw
        page.published_at_source = "page"
    source_text = first_text["source"]
    page.source = (parse_info_line(source_text).source if source_text else None) or info.source
    editor_text = first_text["editor"]
    page.editor = (parse_info_line(editor_text).editor if editor_text else None) or info.editor
    page.authors = list(info.authors)
    page.section = first_text["breadcrumb_section"]
    page.next_page_url = _next_page_url(found["next_page"], portal.next_page_texts, url)

    # what the portal says is never content (its statement, share bars): left out of the body,
    # and out of the generic extractor's reading (a disclaimer's 凡本网注明“来源：…” is no source)
    excluded = [el for css in spec.body_exclude for el in selectors.select(css)]
    if found["body"]:
        container = found["body"][0]
        etree.strip_elements(container, *DROP_TAGS, with_tail=False)
        page.blocks = collect_blocks([container], url, set(excluded))
    if not (found["body"] and found["title"] and page.title):
        # no body or no title element: the generic extractor reads the page (same tree) for
        # every field the selectors left empty
        for el in excluded:
            drop_element(el)
        _fill_from_generic(page, extract_generic_tree(root, url, now), body=not found["body"])
        return page
    labelled = page.published_at and page.source and page.editor
    if labelled and page.authors:
        return page
    texts, images = texts_and_images(page.blocks)
    cleaned = clean_paragraphs(texts, title=page.title, extra_patterns=portal.boilerplate_patterns)
    page.cleaned = cleaned
    if labelled and (cleaned.authors or photographers(image["credit"] or "" for image in images)):
        return page  # (the byline or the photo credits name the authors: assemble reads them)
    # the generic metadata rules fill the fields left empty, on the portal's body and title
    for el in excluded:
        drop_element(el)
    result = extract_generic_metadata(
        root,
        url,
        now,
        content=container,
        title_el=found["title"][0],
        title=page.title,
        cleaned=cleaned,
    )
    _fill_from_generic(page, result, body=False)
    return page


def _fill_from_generic(page: PageExtract, result: dict[str, Any], *, body: bool) -> None:
    """Fill ``page``'s empty fields from the generic extractor's ``result``; ``body``: its body
    and images too (the page had none)."""
    page.title = page.title or result.get("title")
    if page.published_at is None:
        page.published_at = result.get("published_at")
        page.published_at_raw = result.get("published_at_raw")
        page.published_at_source = result.get("published_at_source")
    page.source = page.source or result.get("source")
    page.editor = page.editor or result.get("editor")
    if not page.authors:
        authors = list(result.get("authors") or [])
        if not body:
            # a portal body keeps its images' photo credits as credits (see assemble), not authors
            credits = {image.get("credit") for image in result.get("images") or []}
            authors = [a for a in authors if not (a.get("role") == "photographer" and a["name"] in credits)]
        page.authors = authors
    if body:
        page.generic = result
        page.is_article = bool(result.get("body"))


def article_verdict(page: PageExtract) -> str | None:
    """Why the crawl does not export ``page`` (``no_article_body``, or a reason of
    :func:`newscrawler.discovery.article_rejection` when the generic extractor read the body),
    None when it does. The spider and ``newscrawler extract`` both ask this."""
    if not page.is_article:
        return "no_article_body"
    if page.generic is not None:
        return article_rejection(page.generic)
    return None
