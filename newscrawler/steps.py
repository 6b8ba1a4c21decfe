"""The record-building steps, free of Scrapy: the item pipelines wrap them, and
``newscrawler extract`` / ``extract-batch`` run them directly (without importing Scrapy, so a
batch starts fast).

clean → validate → fingerprint → (dedupe: needs a seen-store, see pipelines) → finalize.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from newscrawler.dedupe.fingerprint import canonical_url, content_hash, fingerprint_body, simhash
from newscrawler.extraction.assemble import assemble, merge_authors
from newscrawler.extraction.boilerplate import clean_paragraphs
from newscrawler.record import ordered

#: fields a record cannot be exported without
REQUIRED = ("title", "body")


class Rejected(Exception):
    """A record that must not be exported; ``reason`` is a short stats key (``no_body``)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def clean(item: Mapping[str, Any]) -> dict[str, Any]:
    """Blocks of every page → body, images (caption, credit), authors from the byline, original
    title; boilerplate (disclaimers, 原题, title repeat, share/QR prompts, editor lines) dropped."""
    data = dict(item)
    pages = data.pop("_pages", None) or []
    generic = data.pop("_generic", None)
    patterns = tuple(data.pop("_boilerplate", ()) or ())
    data.pop("_page_urls", None)
    data["pages"] = max(len(pages), 1)
    if generic is not None and not any(pages):
        # the generic extractor cleans with the shared rules; a portal's own patterns come on top
        data["body"] = generic.get("body") or ""
        data["images"] = list(generic.get("images") or [])
        data["original_title"] = generic.get("original_title")
        if patterns:
            paragraphs = [p for p in data["body"].split("\n") if p.strip()]
            cleaned = clean_paragraphs(paragraphs, title=data.get("title"), extra_patterns=patterns)
            data["body"] = "\n".join(cleaned.paragraphs)
            data["authors"] = merge_authors(data.get("authors") or [], cleaned.authors)
            data["original_title"] = data["original_title"] or cleaned.original_title
    else:
        title, authors = data.get("title"), data.get("authors") or []
        data.update(assemble(pages, title=title, authors=authors, extra_patterns=patterns))
    return data


def validate(item: dict[str, Any]) -> dict[str, Any]:
    """Raise :class:`Rejected` for a record without a title or a body."""
    for field in REQUIRED:
        if not (item.get(field) or "").strip():
            raise Rejected(f"no_{field}", f"no {field}: {item.get('url')}")
    return item


def fingerprint(item: dict[str, Any], *, for_dedupe: bool = True) -> dict[str, Any]:
    """canonical_url, content_hash and simhash. ``for_dedupe``: the whole fingerprint (with the
    MinHash signature the seen-store needs) rides along in ``_fingerprint``."""
    if item.get("url"):
        item["canonical_url"] = item.get("canonical_url") or canonical_url(item["url"])
    if for_dedupe:
        fp = fingerprint_body(item["body"])
        item["content_hash"], item["simhash"] = fp.content_hash, fp.simhash
        item["_fingerprint"] = fp
    else:
        item["content_hash"], item["simhash"] = content_hash(item["body"]), simhash(item["body"])
    return item


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def finalize(item: dict[str, Any]) -> dict[str, Any]:
    """Every field of the record, in export order, with ``crawled_at``; nothing else."""
    item.setdefault("crawled_at", utc_now())
    return ordered(item)


def build_record(item: Mapping[str, Any]) -> dict[str, Any]:
    """clean → validate → fingerprint → finalize (no seen-store). Raises :class:`Rejected`."""
    return finalize(fingerprint(validate(clean(item)), for_dedupe=False))
