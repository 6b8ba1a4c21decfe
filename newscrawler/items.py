"""The raw item a spider yields for an article, before the pipelines make it a record."""

from __future__ import annotations

from typing import Any

from newscrawler.extraction.page import PageExtract
from newscrawler.portals.base import PortalDefinition


def article_item(
    page: PageExtract, portal: PortalDefinition | None, section: str | None = None
) -> dict[str, Any]:
    """The raw item of an article page: metadata fields plus private ``_``-keys that the clean
    pipeline consumes (the blocks of each page, the generic extractor's result, the portal's
    boilerplate patterns)."""
    return {
        "url": page.url,
        "portal": portal.name if portal else None,
        "portal_name": portal.display_name if portal else None,
        "section": page.section or section,
        "title": page.title,
        "published_at": page.published_at,
        "published_at_raw": page.published_at_raw,
        "published_at_source": page.published_at_source,
        "source": page.source,
        "editor": page.editor,
        "authors": page.authors,
        "language": portal.language if portal else "zh",
        "_pages": [page.blocks],
        "_generic": page.generic,
        "_boilerplate": portal.boilerplate_patterns if portal else (),
    }
