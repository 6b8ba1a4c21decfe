"""Item pipelines: each does one thing, over the Scrapy-free steps in :mod:`newscrawler.steps`
and the seen-store of :mod:`newscrawler.dedupe`.

clean → validate → fingerprint → dedupe → limit → finalize. ``newscrawler extract`` runs the same
steps (without the seen-store) through :func:`newscrawler.steps.build_record`.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from newscrawler import steps
from newscrawler.dedupe.store import Claim, SeenStore
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


class Duplicate(DropItem):
    """A later copy of an article, dropped by :class:`DedupePipeline` (holds no claim)."""


class DedupePipeline(_StatsMixin):
    """Export an article once: same canonical URL, same content, or a near-duplicate of one
    exported before (this crawl, earlier ones with a persistent ``DEDUPE_STORE``, or another crawl
    sharing the store right now). ``DEDUPE_KEEP_DUPLICATES``: export later copies with
    ``duplicate_of`` instead of dropping them.

    One atomic claim per item (:meth:`~newscrawler.dedupe.store.BaseStore.claim`): a new article
    is claimed for this crawl and becomes a record once exported (``item_scraped``, after the feed
    has written its line); a drop or an error after this pipeline releases it, a crash lets it
    expire. A copy of a stored article has its URL remembered at once (when dropped) or when
    exported, so the next run does not download it again; a copy of another crawl's live claim is
    dropped as that article's duplicate.
    """

    def __init__(self, store: SeenStore, keep_duplicates: bool = False) -> None:
        self.store = store
        self.keep_duplicates = keep_duplicates
        #: claims waiting for their item's export, by the item's URL
        self._pending: dict[str, Claim] = {}
        #: with no crawler signals (a bare pipeline in a test), confirm at once
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

    def process_item(self, item: Article) -> Article:
        claim = self.store.claim(
            url=item["url"],
            canonical_url=item["canonical_url"],
            body=item["body"],
            portal=item.get("portal") or "",
            fingerprint=item.fingerprint,
        )
        match = claim.match
        if match is not None:
            self._inc(f"duplicates/{match.kind}")
            if match.claimed:
                # (counted once by kind above; this says how many met a claim not yet exported)
                self._inc("duplicates_of_live_claims")
            if not self.keep_duplicates:
                self.store.confirm(claim)  # (the copy's URL, as an alias of the stored article)
                first = "live claim " if match.claimed else ""
                raise Duplicate(
                    f"duplicate ({match.kind}) of {first}{match.first_url}: {item['url']}", log_level="INFO"
                )
            item["duplicate_of"] = match.first_url
        if not self._deferred:
            self.store.confirm(claim)
        elif item["url"] not in self._pending:
            self._pending[item["url"]] = claim
        return item

    def item_scraped(self, item: Any, spider: Any = None) -> None:
        claim = self._pending.pop(_url(item), None)
        if claim is not None:
            self.store.confirm(claim)

    def item_left(
        self, item: Any, spider: Any = None, exception: BaseException | None = None, **kw: Any
    ) -> None:
        if isinstance(exception, Duplicate):
            return  # (dropped here: it holds no claim; the claim under its URL is another item's)
        claim = self._pending.pop(_url(item), None)
        if claim is not None:
            self.store.release(claim)

    def close_spider(self) -> None:
        for claim in self._pending.values():  # (items never exported: let other crawls have them)
            self.store.release(claim)
        self._pending.clear()


def _url(item: Any) -> str:
    """The item's URL (an Article, or a dict from another pipeline), the key of its claim."""
    get = getattr(item, "get", None)
    return str(get("url") or "") if callable(get) else ""


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
