"""Incremental crawling: fetch only what is new.

A spider middleware over the list pages' output. With a persistent seen-store (``DEDUPE_STORE``):
  - an article request whose canonical URL is in the store is not sent (it was exported, or
    recognised as a duplicate, on an earlier run);
  - when every article link of a list page is known, the list's next page is not followed: a
    section's newest items come first, so the rest is older and known too. Except, in a crawl
    resumed after a crash, a next page the interrupted run had already scheduled (see
    :func:`exempt_from_stop`): that run may have died before exporting what that page lists.
``FULL_RECRAWL = True`` (``newscrawler crawl --full``) turns both off for one run; records are
still deduplicated against the store by the pipeline.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from newscrawler.dedupe.fingerprint import canonical_url
from newscrawler.seen import is_persistent, seen_store

logger = logging.getLogger(__name__)

#: request.meta keys the spider sets
ARTICLE = "nc_article"
LIST_PAGE = "nc_list_page"
NEXT_LIST_PAGE = "nc_next_list_page"

#: crawler -> next-page URLs that the pagination stop does not apply to in this crawl
_EXEMPT: WeakKeyDictionary[Crawler, frozenset[str]] = WeakKeyDictionary()


def exempt_from_stop(crawler: Crawler, urls: Iterable[str]) -> None:
    """Follow these list pages in this crawl even when the page linking to them is all known
    (:class:`newscrawler.resume.ResumeState`: the pages an interrupted run had queued)."""
    _EXEMPT[crawler] = frozenset(urls)


class IncrementalMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        if not is_persistent(crawler) or crawler.settings.getbool("FULL_RECRAWL"):
            raise NotConfigured
        return cls(crawler)

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None and count:
            self.crawler.stats.inc_value(f"newscrawler/incremental/{key}", count)

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        if not response.meta.get(LIST_PAGE):
            async for obj in result:
                yield obj
            return
        outputs = [obj async for obj in result]
        store = seen_store(self.crawler)
        articles = [o for o in outputs if isinstance(o, Request) and o.meta.get(ARTICLE)]
        known = {id(r) for r in articles if store.has_url(canonical_url(r.url))}
        all_known = bool(articles) and len(known) == len(articles)
        self._inc("known_articles_skipped", len(known))
        exempt = _EXEMPT.get(self.crawler, frozenset())
        for obj in outputs:
            if id(obj) in known:
                continue
            if all_known and isinstance(obj, Request) and obj.meta.get(NEXT_LIST_PAGE):
                if obj.url in exempt:
                    self._inc("pagination_resumed")
                    logger.info("%s is all known, but the interrupted run queued %s", response.url, obj.url)
                    yield obj
                    continue
                self._inc("pagination_stopped")
                logger.info("every article of %s is known: not following %s", response.url, obj.url)
                continue
            yield obj
