"""Item pipelines: each does one thing, over the Scrapy-free steps in :mod:`newscrawler.steps`
and the seen-store of :mod:`newscrawler.dedupe`.

clean → validate → fingerprint → dedupe → limit → finalize. ``newscrawler extract`` runs the same
steps (without the seen-store) through :func:`newscrawler.steps.build_record`.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from newscrawler import steps
from newscrawler.dedupe.store import BaseStore, Match, SeenStore
from newscrawler.record import Article
from newscrawler.seen import seen_store

logger = logging.getLogger(__name__)

STAT = "newscrawler"


class _StatsMixin:
    crawler: Crawler | None = None

    def _inc(self, key: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"{STAT}/{key}")


class CleanPipeline:
    """Blocks of every page → body, images, authors, original title (:func:`steps.clean`)."""

    def process_item(self, item: Article) -> Article:
        return steps.clean(item)


class ValidatePipeline(_StatsMixin):
    """Drop a record without a title or a body, with the reason in the log and the stats."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        pipe = cls()
        pipe.crawler = crawler
        return pipe

    def process_item(self, item: Article) -> Article:
        try:
            return steps.validate(item)
        except steps.Rejected as exc:
            self._inc(f"dropped/{exc.reason}")
            raise DropItem(str(exc)) from None


class FingerprintPipeline:
    """canonical_url, content_hash, simhash (:func:`steps.fingerprint`)."""

    def process_item(self, item: Article) -> Article:
        return steps.fingerprint(item)


class DedupePipeline(_StatsMixin):
    """Export an article once: same canonical URL, same content, or a near-duplicate of one
    exported before (this crawl, or earlier ones with a persistent ``DEDUPE_STORE``).
    ``DEDUPE_KEEP_DUPLICATES``: export later copies with ``duplicate_of`` instead of dropping them.

    A new article enters the seen-store only once it is exported (``item_scraped``, after the
    feed has written its line): a crawl killed in between exports it again on resume rather than
    never. Until then it is *pending*, and later copies in this crawl are checked against it too.
    A dropped copy's URL is remembered at once, so the next run does not download it again.
    """

    def __init__(self, store: SeenStore, keep_duplicates: bool = False) -> None:
        self.store = store
        self.keep_duplicates = keep_duplicates
        self._pending_urls: dict[str, dict[str, Any]] = {}
        self._pending_hashes: dict[str, str] = {}
        #: with no crawler signals (a bare pipeline in a test), store at once
        self._deferred = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        pipe = cls(seen_store(crawler), crawler.settings.getbool("DEDUPE_KEEP_DUPLICATES"))
        pipe.crawler = crawler
        pipe._deferred = True
        crawler.signals.connect(pipe.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(pipe.item_left, signal=signals.item_dropped)
        crawler.signals.connect(pipe.item_left, signal=signals.item_error)
        return pipe

    def _pending_match(self, item: Article) -> Match | None:
        pending = self._pending_urls.get(item["canonical_url"])
        if pending is not None:
            return Match("url", pending["url"], pending["portal"], 1.0)
        fingerprint = item.fingerprint
        if fingerprint is not None and not BaseStore.content_matchable(fingerprint):
            return None  # a stub body ("视频"): matched by URL only, as in the store
        first = self._pending_hashes.get(item["content_hash"])
        if first is not None:
            return Match("content", first, item.get("portal") or "", 1.0)
        return None

    def process_item(self, item: Article) -> Article:
        fingerprint = item.fingerprint
        canon = item["canonical_url"]
        match = self._pending_match(item) or self.store.find_duplicate(
            canon, item["body"], fingerprint=fingerprint
        )
        entry = {
            "url": item["url"],
            "canonical_url": canon,
            "body": item["body"],
            "portal": item.get("portal") or "",
            "fingerprint": fingerprint,
        }
        if match is not None:
            self._inc(f"duplicates/{match.kind}")
            if not self.keep_duplicates:
                if match.kind != "url":  # remember the copy's URL: not downloaded next time
                    self.store.add(**entry)
                reason = f"duplicate ({match.kind}) of {match.first_url}: {item['url']}"
                raise DropItem(reason, log_level="INFO")
            item["duplicate_of"] = match.first_url
        if not self._deferred:
            self.store.add(**entry)
        elif canon not in self._pending_urls:
            self._pending_urls[canon] = entry
            if match is None:
                self._pending_hashes[item["content_hash"]] = item["url"]
        return item

    def _settle(self, item: Any, export: bool) -> None:
        # (an Article when dropped, the exported record dict once scraped)
        adapter = ItemAdapter(item) if ItemAdapter.is_item(item) else None
        if adapter is None or adapter.get("canonical_url") is None:
            return
        entry = self._pending_urls.pop(adapter["canonical_url"], None)
        if entry is None:
            return
        self._pending_hashes.pop(adapter.get("content_hash") or "", None)
        if export:
            self.store.add(**entry)

    def item_scraped(self, item: Any, spider: Any = None) -> None:
        self._settle(item, export=True)

    def item_left(self, item: Any, spider: Any = None, **kwargs: Any) -> None:
        self._settle(item, export=False)


class LimitPipeline(_StatsMixin):
    """``MAX_ARTICLES`` (``--max-articles``): export at most that many records, then close the
    spider. (Scrapy's CLOSESPIDER_ITEMCOUNT alone lets the records already in flight through.)"""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.exported = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LimitPipeline:
        pipe = cls(crawler.settings.getint("MAX_ARTICLES"))
        pipe.crawler = crawler
        return pipe

    def process_item(self, item: Article) -> Article:
        if self.limit <= 0:
            return item
        if self.exported >= self.limit:
            self._inc("dropped/max_articles")
            raise DropItem(f"--max-articles {self.limit} reached: {item.get('url')}", log_level="DEBUG")
        self.exported += 1
        if self.exported == self.limit and self.crawler is not None and self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="max_articles"))
        return item


class FinalizePipeline:
    """Every field of the record, in export order, with ``crawled_at``; nothing else."""

    def process_item(self, item: Article) -> dict[str, Any]:
        return steps.finalize(item).record()
