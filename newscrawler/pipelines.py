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
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawler.dedupe.fingerprint import canonical_url, content_hash, simhash
from newscrawler.dedupe.store import SeenStore
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
    """canonical_url, content_hash and simhash of the record."""

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        item["canonical_url"] = item.get("canonical_url") or canonical_url(item["url"])
        item["content_hash"] = content_hash(item["body"])
        item["simhash"] = simhash(item["body"])
        return item


class DedupePipeline(_StatsMixin):
    """Export an article once: same canonical URL, same content, or (with a persistent store) a
    near-duplicate already exported. ``DEDUPE_STORE``: None = this crawl only (in memory), a path
    (SQLite) or a redis:// URL. ``DEDUPE_KEEP_DUPLICATES``: export later copies with
    ``duplicate_of`` instead of dropping them."""

    def __init__(self, store: SeenStore, keep_duplicates: bool = False) -> None:
        self.store = store
        self.keep_duplicates = keep_duplicates

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        pipe = cls(seen_store(crawler), crawler.settings.getbool("DEDUPE_KEEP_DUPLICATES"))
        pipe.crawler = crawler
        return pipe

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        match = self.store.find_duplicate(item["canonical_url"], item["body"])
        if match is not None:
            self._inc(f"duplicates/{match.kind}")
            if not self.keep_duplicates:
                reason = f"duplicate ({match.kind}) of {match.first_url}: {item['url']}"
                raise DropItem(reason, log_level="INFO")
            item["duplicate_of"] = match.first_url
            return item
        self.store.add(
            url=item["url"],
            canonical_url=item["canonical_url"],
            body=item["body"],
            portal=item.get("portal") or "",
        )
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
