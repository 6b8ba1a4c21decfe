"""The discovery half of :class:`~newscrawler.spiders.portal.PortalSpider`: list pages read by
their structure, pagination of every kind, sitemaps and feeds, ``--since``.

Generic mode (a portal without a definition) reads a list page's links from its structure
(:mod:`newscrawler.discovery.links`) and follows its pager (:mod:`newscrawler.discovery.pagination`);
both modes read the sitemaps and feeds they know of (the definition's ``sitemaps``/``feeds``; in
generic mode also robots.txt's ``Sitemap:`` lines, else ``/sitemap.xml``, and the home page's
``<link rel="alternate">`` feeds). Candidates found elsewhere than in a section's list (home page
headlines, side boxes, sitemap and feed entries) are fetched when the crawl is otherwise idle,
so that an article's section is the list that lists it; the fetched page decides.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from scrapy import Request
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from newscrawler.dedupe.fingerprint import canonical_url
from newscrawler.discovery import is_article_url, non_article_url_reason
from newscrawler.discovery.feeds import feed_links, older_than, parse_listing, parse_since, robots_sitemaps
from newscrawler.discovery.links import Link, base_url, list_links, parse_list_date, url_shape
from newscrawler.discovery.pagination import next_page_url
from newscrawler.extraction.tree import parse_html
from newscrawler.incremental import ARTICLE, LIST_PAGE, NEXT_LIST_PAGE
from newscrawler.seen import is_persistent, seen_store

logger = logging.getLogger(__name__)

#: list pages followed per section at most (a pager that never ends is a bug of the site)
MAX_LIST_PAGES = 500
#: sitemaps (index children included) read per crawl at most
MAX_SITEMAPS = 200
#: sitemap indexes nest at most this deep in practice
MAX_SITEMAP_DEPTH = 3
#: meta key of the sitemap/feed requests
LISTING = "nc_listing"


class DiscoveryMixin:
    """Mixed into PortalSpider; uses its ``portal_def``, ``generic``, ``crawler``, ``_inc``,
    ``parse_article``, ``request_failed``."""

    portal_def: Any
    generic: bool
    crawler: Any

    def _init_discovery(self) -> None:
        #: candidates to fetch when the crawl is idle (url -> request), in order found
        self._deferred: dict[str, Request] = {}
        #: home page headlines: fetched at idle when their URL looks like an article's
        self._home_links: list[Link] = []
        #: shapes of the URLs that gave articles (url_shape): the home page's prior
        self._article_shapes: set[str] = set()
        #: canonical URLs of the candidates requested (a link with another tracking query is no
        #: new candidate)
        self._requested: set[str] = set()
        self._sitemaps_read = 0
        self._list_signatures: dict[str, set[frozenset[str]]] = {}
        self._since: dt.datetime | None = None
        self._since_read = False

    # -- settings --------------------------------------------------------------------------
    @property
    def since(self) -> dt.datetime | None:
        """The ``CRAWL_SINCE`` cut-off (``--since``): older sitemap/feed/list entries are skipped."""
        if not self._since_read:
            self._since_read = True
            value = self.crawler.settings.get("CRAWL_SINCE") if self.crawler is not None else None
            if value:
                try:
                    self._since = parse_since(str(value))
                except ValueError as exc:
                    logger.error("%s; CRAWL_SINCE ignored", exc)
        return self._since

    def _inc(self, key: str, count: int = 1) -> None:  # pragma: no cover - PortalSpider's
        raise NotImplementedError

    # -- candidates ------------------------------------------------------------------------
    def candidate_reason(self, url: str) -> str | None:
        """Why a link of a list, sitemap or feed is not fetched (off the portal, an index, video,
        topic, about or login page, a file, page 2.. of an article), None when it is a candidate.
        In generic mode the URL's shape is not asked for (the page decides); a named portal's
        article patterns are exact, so its sitemap and feed entries must match them."""
        reason = non_article_url_reason(url, self.portal_def)
        if not self.generic:
            return reason
        return None if reason == "no_pattern" else reason

    def _looks_like_article_url(self, url: str) -> bool:
        return is_article_url(url, self.portal_def) or url_shape(url) in self._article_shapes

    def article_request(self, url: str, section: str | None) -> Request:
        """The request for an article candidate (remembered: a variant of it is not fetched)."""
        self._requested.add(canonical_url(url))
        return self._candidate(url, section)

    def _candidate(self, url: str, section: str | None) -> Request:
        return Request(
            url,
            callback=self.parse_article,  # type: ignore[attr-defined]
            errback=self.request_failed,  # type: ignore[attr-defined]
            cb_kwargs={"section": section},
            meta={ARTICLE: True},
        )

    def defer(self, url: str) -> None:
        """Fetch ``url`` as a candidate without a section once the crawl is idle."""
        if url not in self._deferred and self.candidate_reason(url) is None:
            self._deferred[url] = self._candidate(url, None)

    def learn_article_url(self, url: str) -> None:
        """A page at ``url`` was an article: its URL shape is an article shape of this portal."""
        self._article_shapes.add(url_shape(url))

    def idle_requests(self) -> list[Request]:
        """The deferred candidates, less those the seen-store knows (incremental crawls)."""
        pending = [r for r in self._deferred.values() if canonical_url(r.url) not in self._requested]
        self._deferred = {}
        for link in self._home_links:
            if (
                self._looks_like_article_url(link.url)
                and self.candidate_reason(link.url) is None
                and canonical_url(link.url) not in self._requested
            ):
                pending.append(self.article_request(link.url, None))
        self._home_links = []
        for request in pending:
            self._requested.add(canonical_url(request.url))
        if self.crawler is None or not pending:
            return pending
        if is_persistent(self.crawler) and not self.crawler.settings.getbool("FULL_RECRAWL"):
            store = seen_store(self.crawler)
            known = [r for r in pending if store.has_url(canonical_url(r.url))]
            if known:
                self._inc("incremental/known_articles_skipped", len(known))
            pending = [r for r in pending if not store.has_url(canonical_url(r.url))]
        return pending

    # -- home ------------------------------------------------------------------------------
    def discover_on_home(self, response: TextResponse, sections_found: bool = True) -> Iterator[Request]:
        """Generic mode: the home page's headlines (for later) and its feeds. Without sections,
        the home page is the only list: its main list's links are candidates whatever their URLs
        look like."""
        root = parse_html(response.text)
        main, other, _ = list_links(root, response.url, self.portal_def.owns_url, self._pattern)
        if not sections_found:
            logger.warning("no sections found in the navigation of %s: crawling its own lists", response.url)
            for link in main:
                self.defer(link.url)
            main = []
        self._home_links = main + other
        for feed in feed_links(root, base_url(root, response.url)):
            if self.portal_def.owns_url(feed):
                yield self.listing_request(feed)

    def _pattern(self, url: str) -> bool:
        return is_article_url(url, self.portal_def)

    # -- sitemaps and feeds ----------------------------------------------------------------
    def listing_start_requests(self) -> Iterator[Request]:
        """The definition's sitemaps and feeds; in generic mode robots.txt first."""
        for url in (*self.portal_def.sitemaps, *self.portal_def.feeds):
            yield self.listing_request(url)
        if self.generic:
            yield Request(
                urljoin(self.portal_def.home_url, "/robots.txt"),
                callback=self.parse_robots,
                errback=self.robots_failed,
                meta={LISTING: True},
            )

    def listing_request(self, url: str, depth: int = 0) -> Request:
        return Request(
            url,
            callback=self.parse_listing_page,
            errback=self.listing_failed,
            cb_kwargs={"depth": depth},
            meta={LISTING: True},
        )

    def parse_robots(self, response: Response) -> Iterator[Request]:
        text = (
            response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        )
        sitemaps = [u for u in robots_sitemaps(text, response.url) if self.portal_def.owns_url(u)]
        if not sitemaps:
            sitemaps = [urljoin(response.url, "/sitemap.xml")]
        for url in sitemaps:
            yield self.listing_request(url)

    def robots_failed(self, failure: Failure) -> Iterator[Request]:
        yield self.listing_request(urljoin(self.portal_def.home_url, "/sitemap.xml"))

    def listing_failed(self, failure: Failure) -> None:
        """A sitemap or feed that is not there: counted, logged at INFO (probing is normal)."""
        self._inc("listings/failed")
        request = getattr(failure, "request", None)
        logger.info("no sitemap/feed at %s: %s", getattr(request, "url", "?"), failure.getErrorMessage())

    def parse_listing_page(self, response: Response, depth: int = 0) -> Iterator[Request]:
        """A sitemap, sitemap index, RSS or Atom feed: child sitemaps now, entries at idle; an
        entry (or child sitemap) dated before ``--since`` is skipped without fetching it."""
        self._inc("pages/listing")
        listing = parse_listing(response.body, response.url)
        if listing.kind == "unknown":
            logger.info("%s is not a sitemap or feed; skipped", response.url)
            return
        since = self.since
        for child in listing.sitemaps:
            if older_than(child.published, since):
                self._inc("since/sitemaps_skipped")
                continue
            if (
                depth < MAX_SITEMAP_DEPTH
                and self._sitemaps_read < MAX_SITEMAPS
                and self.portal_def.owns_url(child.url)
            ):
                self._sitemaps_read += 1
                yield self.listing_request(child.url, depth + 1)
        for entry in listing.entries:
            if older_than(entry.published, since):
                self._inc("since/entries_skipped")
                logger.debug("older than --since (%s): %s", entry.published, entry.url)
                continue
            self.defer(entry.url.split("#", 1)[0])
        self._inc("listings/entries", len(listing.entries))

    # -- list pages (generic mode) ---------------------------------------------------------
    def generic_list(
        self, response: TextResponse, section: str | None, page: int, main_paths: tuple[str, ...]
    ) -> Iterator[Request]:
        """A list page read by its structure: its list's articles now (credited to the section),
        side-box headlines that look like articles at idle, then the next page unless this page
        repeats an earlier one, is the last, or (``--since``) lists only older items."""
        root = parse_html(response.text)
        main, other, paths = list_links(
            root, response.url, self.portal_def.owns_url, self._pattern, prefer_paths=main_paths
        )
        since = self.since
        dated = old = 0
        for link in main:
            if self.candidate_reason(link.url) is not None:
                continue
            date = parse_list_date(link.date)
            if date is not None:
                dated += 1
                if older_than(date, since):
                    old += 1
                    self._inc("since/entries_skipped")
                    continue
            yield self.article_request(link.url, section)
        for link in other:
            if self._pattern(link.url):
                self.defer(link.url)
        signature = frozenset(link.url for link in main)
        seen = self._list_signatures.setdefault(section or "", set())
        if signature and signature in seen:
            self._inc("pagination/repeated_page")
            logger.info("list page %s repeats an earlier page: pagination stops", response.url)
            return
        seen.add(signature)
        if since is not None and dated and old == dated:
            self._inc("pagination/since_stopped")
            return
        if page >= MAX_LIST_PAGES:
            return
        next_url = next_page_url(root, response.url, page, self.portal_def.owns_url)
        if next_url:
            yield Request(
                next_url,
                callback=self.parse_list,  # type: ignore[attr-defined]
                errback=self.request_failed,  # type: ignore[attr-defined]
                cb_kwargs={"section": section, "page": page + 1, "main_paths": main_paths or paths},
                meta={LIST_PAGE: True, NEXT_LIST_PAGE: True},
            )
