"""Item pipelines: each does one thing, over the pure code in extraction/ and dedupe/.

clean → validate → fingerprint → dedupe → finalize. ``newscrawler extract`` runs the same chain
(without the seen-store) through :func:`process_offline`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from newscrawler.dedupe.fingerprint import canonical_url, fingerprint_body
from newscrawler.dedupe.store import Match, SeenStore
from newscrawler.extraction.assemble import assemble, merge_authors
from newscrawler.extraction.boilerplate import clean_paragraphs
from newscrawler.record import ordered
from newscrawler.seen import seen_store

logger = logging.getLogger(__name__)

STAT = "newscrawler"


class _StatsMixin:
    crawler: Crawler | None = None

    def _inc(self, key: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"{STAT}/{key}")


class CleanPipeline(_StatsMixin):
    """Blocks of every page → body, images (caption, credit), authors from the byline, original
    title; boilerplate (disclaimers, 原题, title repeat, share/QR prompts, editor lines) dropped."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        pipe = cls()
        pipe.crawler = crawler
        return pipe

    def process_item(self, item: Any) -> dict[str, Any]:
        data = dict(ItemAdapter(item).items())
        pages = data.pop("_pages", None) or []
        generic = data.pop("_generic", None)
        patterns = tuple(data.pop("_boilerplate", ()) or ())
        data.pop("_page_urls", None)
        data["pages"] = max(len(pages), 1)
        if generic is not None and not any(pages):
            paragraphs = [p for p in (generic.get("body") or "").split("\n") if p.strip()]
            cleaned = clean_paragraphs(paragraphs, title=data.get("title"), extra_patterns=patterns)
            data["body"] = "\n".join(cleaned.paragraphs)
            data["images"] = list(generic.get("images") or [])
            data["authors"] = merge_authors(data.get("authors") or [], cleaned.authors)
            data["original_title"] = generic.get("original_title") or cleaned.original_title
        else:
            data.update(
                assemble(
                    pages, title=data.get("title"), authors=data.get("authors") or [], extra_patterns=patterns
                )
            )
        return data


class ValidatePipeline(_StatsMixin):
    """Drop a record without a title or a body, with the reason in the log and the stats."""

    REQUIRED = ("title", "body")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        pipe = cls()
        pipe.crawler = crawler
        return pipe

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        for field in self.REQUIRED:
            if not (item.get(field) or "").strip():
                self._inc(f"dropped/no_{field}")
                raise DropItem(f"no {field}: {item.get('url')}")
        return item


class FingerprintPipeline:
    """canonical_url, content_hash and simhash of the record (the whole fingerprint, MinHash
    signature included, rides along in ``_fingerprint`` for the dedupe step)."""

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        item["canonical_url"] = item.get("canonical_url") or canonical_url(item["url"])
        fingerprint = fingerprint_body(item["body"])
        item["content_hash"] = fingerprint.content_hash
        item["simhash"] = fingerprint.simhash
        item["_fingerprint"] = fingerprint
        return item


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

    def _pending_match(self, item: dict[str, Any]) -> Match | None:
        pending = self._pending_urls.get(item["canonical_url"])
        if pending is not None:
            return Match("url", pending["url"], pending["portal"], 1.0)
        first = self._pending_hashes.get(item["content_hash"])
        if first is not None:
            return Match("content", first, item.get("portal") or "", 1.0)
        return None

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        fingerprint = item.get("_fingerprint")
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
        if not isinstance(item, dict) or "canonical_url" not in item:
            return
        entry = self._pending_urls.pop(item["canonical_url"], None)
        if entry is None:
            return
        self._pending_hashes.pop(item.get("content_hash") or "", None)
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

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
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

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        item.setdefault(
            "crawled_at", datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        )
        return ordered(item)


OFFLINE_CHAIN = (CleanPipeline, ValidatePipeline, FingerprintPipeline, FinalizePipeline)


def process_offline(item: dict[str, Any], chain: Iterable[type] = OFFLINE_CHAIN) -> dict[str, Any]:
    """Run ``item`` through the pipelines that need no crawl (no seen-store). Raises DropItem."""
    for cls in chain:
        item = cls().process_item(item)
    return item
