"""Downloader middlewares: the offline mirror as a proxy, the --max-pages limit, and the guards
against redirect loops, off-site redirects and pages over DOWNLOAD_MAXSIZE."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import NoReturn
from urllib.parse import urljoin

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.url import url_is_from_any_domain
from w3lib.url import safe_url_string

from newscrawler.mirror.server import MirrorServer

logger = logging.getLogger(__name__)


class MirrorProxyMiddleware:
    """With ``MIRROR_DIR`` set, serve that mirror on 127.0.0.1 for the crawl's lifetime and send
    every request through it as an HTTP proxy (``MIRROR_PROXY`` uses an already running one).
    URLs, redirects, robots.txt and records stay exactly as in a live crawl."""

    def __init__(self, proxy_url: str, server: MirrorServer | None = None) -> None:
        self.proxy_url = proxy_url
        self.server = server

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MirrorProxyMiddleware:
        proxy = crawler.settings.get("MIRROR_PROXY")
        mirror_dir = crawler.settings.get("MIRROR_DIR")
        if proxy:
            return cls(proxy)
        if not mirror_dir:
            raise NotConfigured
        server = MirrorServer(Path(mirror_dir)).start()
        logger.info("serving mirror %s at %s", mirror_dir, server.proxy_url)
        mw = cls(server.proxy_url, server)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def process_request(self, request: Request) -> None:
        request.meta.setdefault("proxy", self.proxy_url)
        return None

    def spider_closed(self, spider: Spider) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


class PageLimitMiddleware:
    """``MAX_PAGES`` (``newscrawler crawl --max-pages N``): send at most N page requests
    (robots.txt not counted), then close the spider. Scrapy's CLOSESPIDER_PAGECOUNT counts
    responses and lets the requests already in flight through; this is exact."""

    def __init__(self, crawler: Crawler, limit: int) -> None:
        self.crawler = crawler
        self.limit = limit
        self.sent = 0
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageLimitMiddleware:
        limit = crawler.settings.getint("MAX_PAGES")
        if limit <= 0:
            raise NotConfigured
        return cls(crawler, limit)

    def process_request(self, request: Request) -> None:
        if request.url.endswith("/robots.txt"):
            return None
        if self.sent >= self.limit:
            if not self.closing and self.crawler.engine is not None:
                self.closing = True
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="max_pages"))
            raise IgnoreRequest(f"--max-pages {self.limit} reached")
        self.sent += 1
        return None


#: HTTP statuses that RedirectMiddleware follows.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


class RedirectGuardMiddleware:
    """Drop a redirect that goes in a loop (to the URL itself or back to one already in its
    chain) or off the portal's site (outside the spider's ``allowed_domains``) before Scrapy's
    RedirectMiddleware follows it. Counted as ``newscrawler/redirects_dropped/<loop|off-site>``
    (the summary's ``redirects dropped`` line); the request's errback logs it, one INFO line.
    Scrapy alone would fetch a loop up to REDIRECT_MAX_TIMES times or have the dupe filter drop
    it unseen, and log nothing about an off-site redirect."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        if not crawler.settings.getbool("REDIRECT_ENABLED"):
            raise NotConfigured
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if (
            response.status not in REDIRECT_STATUSES
            or location is None
            or request.meta.get("dont_redirect")
            or request.meta.get("handle_httpstatus_all")
            or response.status in request.meta.get("handle_httpstatus_list", ())
        ):
            return response
        text = safe_url_string(location)
        if location.startswith(b"//"):
            text = f"{urlparse_cached(request).scheme}:{text}"
        target = _without_fragment(urljoin(request.url, text))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in {_without_fragment(u) for u in chain}:
            self._drop(request, "loop", f"redirect loop: {request.url} -> {target}")
        domains = getattr(self.crawler.spider, "allowed_domains", None)
        if domains and not url_is_from_any_domain(target, domains):
            self._drop(request, "off-site", f"off-site redirect: {request.url} -> {target}")
        return response

    def _drop(self, request: Request, kind: str, message: str) -> NoReturn:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"newscrawler/redirects_dropped/{kind}")
        raise IgnoreRequest(message)


class TooLargeMiddleware:
    """A page over ``DOWNLOAD_MAXSIZE`` (Scrapy cancels its download) is counted as
    ``newscrawler/dropped/too_large`` and reaches the errback as an ignored request, with the
    size in its message, instead of an error."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TooLargeMiddleware:
        return cls(crawler)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, DownloadCancelledError) and "max size" in str(exception):
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("newscrawler/dropped/too_large")
            limit = self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
            raise IgnoreRequest(f"page larger than DOWNLOAD_MAXSIZE ({limit} bytes)")
        return None
