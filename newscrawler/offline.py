"""Records from saved pages, without a crawl: the same extraction and record steps as the
spider's pipelines. Used by ``newscrawler extract``/``extract-batch`` and the fixture tests;
imports no Scrapy."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from newscrawler.extraction.page import article_verdict, extract_page
from newscrawler.items import article_item
from newscrawler.portals.base import PortalDefinition
from newscrawler.steps import Rejected, build_record

#: fetch(url) -> (raw bytes, headers), or None when the page cannot be had
Fetch = Callable[[str], tuple[bytes, Mapping[str, Any]] | None]

MAX_PAGES = 50


def extract_record(
    body: bytes,
    url: str | None,
    portal: PortalDefinition | None = None,
    *,
    headers: Mapping[str, Any] | None = None,
    section: str | None = None,
    fetch: Fetch | None = None,
) -> dict[str, Any]:
    """The record the pipelines export for a page (and, given ``fetch``, its 下一页 pages).

    Raises :class:`newscrawler.steps.Rejected` when the crawl would not export it: the page is
    not an article (the crawl's verdict, reason ``non_article``) or the record fails validation.
    """
    record, verdict = extract_with_verdict(body, url, portal, headers=headers, section=section, fetch=fetch)
    if verdict is not None:
        raise Rejected("non_article", f"not an article ({verdict}): the crawl does not export this page")
    return record


def extract_with_verdict(
    body: bytes,
    url: str | None,
    portal: PortalDefinition | None = None,
    *,
    headers: Mapping[str, Any] | None = None,
    section: str | None = None,
    fetch: Fetch | None = None,
) -> tuple[dict[str, Any], str | None]:
    """The record of a page and the crawl's verdict on it (None: the crawl exports it; else why
    not, see :func:`newscrawler.extraction.page.article_verdict`). Raises
    :class:`newscrawler.steps.Rejected` when there is no record at all (no article body, no title)."""
    page = extract_page(body, headers or {}, url or "about:blank", portal)
    verdict = article_verdict(page)
    if not page.is_article:
        raise Rejected("non_article", "not an article page (no article body found)")
    item = article_item(page, portal, section)
    if not url:
        item.url = None  # (not "about:blank": a page without a URL has no canonical URL)
    seen = [page.url]
    while (
        fetch is not None and page.next_page_url and page.next_page_url not in seen and len(seen) < MAX_PAGES
    ):
        fetched = fetch(page.next_page_url)
        if fetched is None:
            break
        next_page = extract_page(fetched[0], fetched[1], page.next_page_url, portal)
        if not next_page.is_article:
            break
        item.page_blocks.append(next_page.blocks)
        seen.append(next_page.url)
        page = next_page
    record = build_record(item)
    if not url:
        record["url"] = record["canonical_url"] = None
    return record, verdict
