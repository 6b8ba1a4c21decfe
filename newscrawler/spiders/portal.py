"""One spider for every portal: home page → sections (from the navigation) → list pages (with
pagination) → article pages (with their 下一页 pages), driven by a portal definition."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar
from urllib.parse import urljoin

from scrapy import Request, Spider, signals
from scrapy.exceptions import CannotResolveHostError, DontCloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from newscrawler.dedupe.fingerprint import canonical_url
from newscrawler.discovery import discover_sections, generic_portal
from newscrawler.discovery import is_article_url as discovery_is_article_url
from newscrawler.extraction.page import PageExtract, article_verdict, extract_page
from newscrawler.extraction.text import normalize_text
from newscrawler.incremental import ARTICLE, LIST_PAGE, NEXT_LIST_PAGE
from newscrawler.items import article_item
from newscrawler.portals import PortalDefinition, get_portal
from newscrawler.record import Article
from newscrawler.seen import seen_store
from newscrawler.spiders.discovering import DiscoveryMixin

logger = logging.getLogger(__name__)

STAT = "newscrawler"


class PortalSpider(DiscoveryMixin, Spider):
    """Crawl one portal. Subclasses made by :meth:`for_portal` carry the portal's name, which is
    what ``scrapy list`` shows and ``scrapy crawl NAME`` runs."""

    name = "portal"
    portal: ClassVar[PortalDefinition | None] = None

    def __init__(self, *args: Any, portal: str | None = None, url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: generic mode: any portal from its home URL, sections and articles discovered
        self.generic = False
        if portal is not None:
            self.portal_def = get_portal(portal)
        elif type(self).portal is not None:
            self.portal_def = type(self).portal  # type: ignore[assignment]
        elif url is not None:
            self.portal_def = generic_portal(url)
            self.generic = True
        else:
            raise ValueError("give a portal: scrapy crawl <portal>, or scrapy crawl portal -a url=HOME_URL")
        self.allowed_domains = list(self.portal_def.domains)
        self._init_discovery()
        #: article pages read with the portal's selectors, and per field the pages where its
        #: selector matched nothing (the definition drifts: see warn_selector_misses)
        self._selector_pages = 0
        self._selector_misses: dict[str, tuple[str, int]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> PortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.warn_selector_misses, signal=signals.spider_closed)
        return spider

    def warn_selector_misses(self, spider: Spider) -> None:
        """Once per field per crawl: a portal selector that matched nothing on some article
        pages (the generic extractor filled the field there)."""
        for name, (selector, missed) in sorted(self._selector_misses.items()):
            logger.warning(
                "%s: selector %r (%s) matched nothing on %d of %d article pages (%.0f%%); the generic "
                "extractor filled the field there: the portal definition may need an update",
                self.portal_def.name,
                selector,
                name,
                missed,
                self._selector_pages,
                100.0 * missed / max(self._selector_pages, 1),
            )

    def spider_idle(self, spider: Spider) -> None:
        """Everything else is done: fetch the candidates that no section listed (home page
        headlines, side boxes, sitemap and feed entries; the dupe filter drops those already
        fetched)."""
        pending = self.idle_requests()
        if pending and self.crawler is not None and self.crawler.engine is not None:
            for request in pending:
                self.crawler.engine.crawl(request)
            raise DontCloseSpider

    @classmethod
    def for_portal(cls, portal: PortalDefinition) -> type[PortalSpider]:
        """A spider class named after ``portal``."""
        attrs = {"name": portal.name, "portal": portal, "__module__": cls.__module__}
        return type(f"{cls.__name__}_{portal.name}", (cls,), attrs)

    # -- stats -----------------------------------------------------------------------------
    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"{STAT}/{key}", count)

    # -- home and sections -------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        yield Request(
            self.portal_def.home_url, callback=self.parse_home, errback=self.home_failed, dont_filter=True
        )
        for request in self.listing_start_requests():
            yield request

    def section_urls(self, response: Response | None) -> list[tuple[str, str]]:
        """(section name, first list page URL) for every section: the navigation bar's link
        when the home page has one with the section's name, else the definition's URL."""
        if self.generic:
            if not isinstance(response, TextResponse):
                return []
            return discover_sections(response.text, response.url, self.portal_def)
        nav: dict[str, str] = {}
        if isinstance(response, TextResponse) and self.portal_def.nav_links:
            for anchor in response.css(self.portal_def.nav_links):
                text = normalize_text("".join(anchor.css("::text").getall()))
                href = anchor.attrib.get("href")
                if text and href and text not in nav:
                    url = response.urljoin(href)
                    if self.portal_def.owns_url(url):
                        nav[text] = url
        return [(s.name, nav.get(s.name, s.url)) for s in self.portal_def.sections]

    def _section_requests(self, response: Response | None) -> Iterator[Request]:
        for name, url in self.section_urls(response):
            yield Request(
                url,
                callback=self.parse_list,
                errback=self.request_failed,
                cb_kwargs={"section": name, "page": 1},
                meta={LIST_PAGE: True},
            )

    def parse_home(self, response: Response) -> Iterator[Request]:
        self._inc("pages/home")
        sections = list(self._section_requests(response))
        yield from sections
        if self.generic and isinstance(response, TextResponse):
            # a home page lists articles too: fetch those that no section lists, at the end, so
            # that an article's section is the section that lists it
            yield from self.discover_on_home(response, bool(sections))

    def home_failed(self, failure: Failure) -> Iterator[Request]:
        self.request_failed(failure)
        if failure.check(CannotResolveHostError, DNSLookupError):
            # the portal's host does not resolve (no network?): its sections will not either
            logger.error("cannot resolve %s: is the network up?", self.portal_def.home_url)
            return
        logger.warning("home page failed; using the definition's section URLs")
        yield from self._section_requests(None)

    # -- list pages --------------------------------------------------------------------------
    def article_links(self, response: TextResponse) -> list[str]:
        """Article URLs of a list page, in page order, without repeats."""
        container = self.portal_def.list_container
        scope = response.css(container) if container else None
        anchors = scope.css("a[href]") if scope else response.css("a[href]")
        links: dict[str, None] = {}
        for anchor in anchors:
            url = response.urljoin(anchor.attrib["href"]).split("#", 1)[0]
            if self._is_article_url(url):
                links.setdefault(url)
        return list(links)

    def _is_article_url(self, url: str) -> bool:
        if self.generic:
            return discovery_is_article_url(url, self.portal_def)
        return self.portal_def.is_article_url(url)

    def _article_requests(self, response: TextResponse, section: str | None) -> Iterator[Request]:
        for url in self.article_links(response):
            yield self.article_request(url, section)

    def next_list_page(self, response: TextResponse) -> str | None:
        css = self.portal_def.list_next_page or "a"
        for anchor in response.css(css):
            text = normalize_text("".join(anchor.css("::text").getall()))
            href = anchor.attrib.get("href")
            if href and text in self.portal_def.next_page_texts:
                url = urljoin(response.url, href)
                if url != response.url and self.portal_def.owns_url(url):
                    return url
        return None

    def parse_list(
        self, response: Response, section: str | None, page: int, main_paths: tuple[str, ...] = ()
    ) -> Iterator[Request]:
        self._inc("pages/list")
        if not isinstance(response, TextResponse):
            logger.warning("list page %s is not HTML; skipped", response.url)
            return
        if self.generic:
            yield from self.generic_list(response, section, page, main_paths)
            return
        yield from self._article_requests(response, section)
        next_url = self.next_list_page(response)
        if next_url:
            yield Request(
                next_url,
                callback=self.parse_list,
                errback=self.request_failed,
                cb_kwargs={"section": section, "page": page + 1},
                meta={LIST_PAGE: True, NEXT_LIST_PAGE: True},
            )

    # -- articles ----------------------------------------------------------------------------
    def _extract(self, response: Response) -> PageExtract | None:
        """The page's raw article, or None (logged and counted) when extraction fails."""
        try:
            return extract_page(response.body, response.headers, response.url, self.portal_def)
        except Exception:
            logger.exception("could not extract %s", response.url)
            self._inc("errors/extraction")
            return None

    def parse_article(self, response: Response, section: str | None) -> Iterator[Any]:
        self._inc("pages/article")
        page = self._extract(response)
        if page is None:
            return
        if not self.generic:
            self._count_selector_misses(page)
        reason = article_verdict(page)
        if reason is not None:
            self._not_an_article(response.url, "no article body" if reason == "no_article_body" else reason)
            return
        if self.generic:
            self.learn_article_url(response.request.url if response.request else response.url)
        item = article_item(page, self.portal_def, section)
        yield self._continue(item, page)

    def _count_selector_misses(self, page: PageExtract) -> None:
        if not page.is_article and not page.selector_misses:
            return  # (a page the non-article marker refused: its selectors were not read)
        self._selector_pages += 1
        for name, selector in page.selector_misses:
            self._inc(f"selector_miss/{name}")
            missed = self._selector_misses.get(name, (selector, 0))[1]
            self._selector_misses[name] = (selector, missed + 1)

    def _continue(self, item: Article, page: PageExtract) -> Any:
        """The request for the article's next page, or the item when this page is the last."""
        seen = item.page_urls
        next_url = page.next_page_url
        if next_url and next_url not in seen and self.portal_def.owns_url(next_url) and len(seen) < 50:
            seen.append(next_url)
            return Request(
                next_url,
                callback=self.parse_article_page,
                errback=self.article_page_failed,
                cb_kwargs={"item": item},
                dont_filter=True,
            )
        return item

    def parse_article_page(self, response: Response, item: Article) -> Iterator[Any]:
        self._inc("pages/article_continuation")
        page = self._extract(response)
        if page is not None and page.is_article:
            item.page_blocks.append(page.blocks)
            yield self._continue(item, page)
        else:
            self._inc("errors/article_continuation")
            yield item

    def article_page_failed(self, failure: Failure) -> Iterator[Any]:
        """A later page of a multi-page article failed: export what the earlier pages gave."""
        self.request_failed(failure)
        item = failure.request.cb_kwargs["item"]  # type: ignore[attr-defined]
        logger.warning("exporting %s with %d page(s) only", item["url"], len(item.page_blocks))
        yield item

    def _not_an_article(self, url: str, reason: str) -> None:
        self._inc("non_article")
        logger.info("not an article (%s): %s", reason, url)
        self._remember(url, "non_article")

    def _remember(self, url: str, reason: str) -> None:
        """An article link that gives no article: the next incremental run does not fetch it."""
        if self.crawler is not None:
            seen_store(self.crawler).mark_seen(canonical_url(url), reason)

    # -- errors ------------------------------------------------------------------------------
    def request_failed(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if failure.check(HttpError):
            status = failure.value.response.status
            self._inc(f"errors/http_{status}")
            logger.warning("HTTP %s for %s", status, url)
            if status in (404, 410) and request is not None and request.meta.get(ARTICLE):
                self._remember(url, f"http_{status}")
        elif failure.check(IgnoreRequest):  # robots.txt forbids it, or --max-pages was reached
            self._inc("ignored")
            logger.info("not fetched: %s (%s)", url, failure.getErrorMessage())
        else:
            self._inc(f"errors/{failure.type.__name__ if failure.type else 'unknown'}")
            logger.warning("failed to fetch %s: %s", url, failure.getErrorMessage())
