"""The exported record: one article, one JSON Lines line.

The field order below is the order of the keys in every exported line. The JSON Schema of the
record ships in ``newscrawler/schema/article.schema.json``; README.md documents each field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Every exported field, in export order.
FIELDS: tuple[str, ...] = (
    "url",
    "canonical_url",
    "portal",
    "portal_name",
    "section",
    "title",
    "original_title",
    "published_at",
    "published_at_raw",
    "published_at_source",
    "source",
    "editor",
    "authors",
    "images",
    "body",
    "language",
    "pages",
    "crawled_at",
    "content_hash",
    "simhash",
    "duplicate_of",
)

#: Fields whose "absent" value is an empty list rather than null.
LIST_FIELDS = frozenset({"authors", "images"})


def empty_record() -> dict[str, Any]:
    """A record with every field present and empty (null or [])."""
    return {name: ([] if name in LIST_FIELDS else None) for name in FIELDS}


def ordered(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record's exported fields in export order; missing fields become null or []."""
    out = empty_record()
    for name in FIELDS:
        if name in record:
            out[name] = record[name]
    return out
