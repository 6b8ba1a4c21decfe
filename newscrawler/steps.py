"""The record-building steps, free of Scrapy: the item pipelines wrap them, and
``newscrawler extract`` / ``extract-batch`` run them directly (without importing Scrapy, so a
batch starts fast).

clean → validate → fingerprint → (dedupe: needs a seen-store, see pipelines) → finalize.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from newscrawler.dedupe.fingerprint import canonical_url, fingerprint_body, record_hashes
from newscrawler.extraction.assemble import assemble, merge_authors
from newscrawler.extraction.boilerplate import clean_paragraphs
from newscrawler.record import Article

#: fields a record cannot be exported without
REQUIRED = ("title", "body")


class Rejected(Exception):
    """A record that must not be exported; ``reason`` is a short stats key (``no_body``)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def clean(article: Article) -> Article:
    """Blocks of every page → body, images (caption, credit), authors from the byline, original
    title; boilerplate (disclaimers, 原题, title repeat, share/QR prompts, editor lines) dropped."""
    pages = article.page_blocks
    generic = article.generic
    patterns = article.boilerplate
    article.pages = max(len(pages), 1)
    if generic is not None and not any(pages):
        # the generic extractor cleans with the shared rules; a portal's own patterns come on top
        article.body = generic.get("body") or ""
        article.images = list(generic.get("images") or [])
        article.original_title = generic.get("original_title")
        if patterns:
            paragraphs = [p for p in article.body.split("\n") if p.strip()]
            cleaned = clean_paragraphs(paragraphs, title=article.title, extra_patterns=patterns)
            article.body = "\n".join(cleaned.paragraphs)
            article.authors = merge_authors(article.authors, cleaned.authors)
            article.original_title = article.original_title or cleaned.original_title
    else:
        content = assemble(
            pages,
            title=article.title,
            authors=article.authors,
            extra_patterns=patterns,
            first_cleaned=article.first_page_cleaned,
        )
        article.body = content["body"]
        article.images = content["images"]
        article.authors = content["authors"]
        article.original_title = content["original_title"]
    # (consumed: not held until export)
    article.page_blocks, article.generic, article.first_page_cleaned = [], None, None
    return article


def validate(article: Article) -> Article:
    """Raise :class:`Rejected` for a record without a title or a body."""
    for name in REQUIRED:
        if not (article[name] or "").strip():
            raise Rejected(f"no_{name}", f"no {name}: {article.url}")
    return article


def fingerprint(article: Article, *, for_dedupe: bool = True) -> Article:
    """canonical_url, content_hash and simhash. ``for_dedupe``: the whole fingerprint (with the
    MinHash signature the seen-store needs) in ``article.fingerprint``."""
    body = article.body or ""
    if article.url:
        article.canonical_url = article.canonical_url or canonical_url(article.url)
    if for_dedupe:
        fp = fingerprint_body(body)
        article.content_hash, article.simhash = fp.content_hash, fp.simhash
        article.fingerprint = fp
    else:
        article.content_hash, article.simhash = record_hashes(body)
    return article


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def finalize(article: Article) -> Article:
    """Stamp ``crawled_at`` (the pipeline then exports :meth:`Article.record`: the record's
    fields only, in order)."""
    if article.crawled_at is None:
        article.crawled_at = utc_now()
    article.fingerprint = None
    return article


def build_record(article: Article) -> dict[str, Any]:
    """clean → validate → fingerprint → finalize (no seen-store): the record's fields in export
    order. Raises :class:`Rejected`."""
    return finalize(fingerprint(validate(clean(article)), for_dedupe=False)).record()
