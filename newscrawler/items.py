"""The item a spider yields for an article: an :class:`~newscrawler.record.Article` made from
its first page, before the pipelines clean, validate and fingerprint it."""

from __future__ import annotations

from newscrawler.extraction.page import PageExtract
from newscrawler.portals.base import PortalDefinition
from newscrawler.record import Article


def article_item(page: PageExtract, portal: PortalDefinition | None, section: str | None = None) -> Article:
    """The article of a page: its metadata fields, and what the clean step consumes (the blocks
    of each page or the generic extractor's body, the portal's boilerplate patterns)."""
    article = Article(
        url=page.url,
        portal=portal.name if portal else None,
        portal_name=portal.display_name if portal else None,
        section=page.section or section,
        title=page.title,
        published_at=page.published_at,
        published_at_raw=page.published_at_raw,
        published_at_source=page.published_at_source,
        source=page.source,
        editor=page.editor,
        authors=page.authors,
        language=portal.language if portal else "zh",
    )
    article.page_blocks = [page.blocks]
    article.first_page_cleaned = page.cleaned
    article.generic = page.generic
    article.boilerplate = portal.boilerplate_patterns if portal else ()
    article.page_urls = [page.url]
    return article
