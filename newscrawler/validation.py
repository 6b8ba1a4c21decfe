"""Every record checked against the shipped JSON Schema (``newscrawler/schema/article.schema.json``)
before export: an invalid one is dropped, never exported half-wrong, with the failing path in the
log and the count in the stats (``newscrawler/dropped/schema``, ``dropped: schema`` in the summary).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

STAT = "newscrawler/dropped/schema"


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    text = resources.files("newscrawler").joinpath("schema/article.schema.json").read_text("utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_error(record: dict[str, Any]) -> str | None:
    """None for a valid record, else the first failure: ``$.authors[0].role: 'boss' is not one
    of [...]``."""
    error = next(iter(_validator().iter_errors(record)), None)
    if error is None:
        return None
    path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return f"{path}: {error.message}"


class SchemaPipeline:
    """The last pipeline: drop a record the schema rejects (reason ``schema``)."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler
        _validator()  # a broken schema fails at start, not at the first record

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SchemaPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        # (the typed Article is checked as the record it exports: its fields, in order)
        error = schema_error(item.record() if hasattr(item, "record") else item)
        if error is None:
            return item
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(STAT)
        raise DropItem(f"invalid record (schema) at {error}: {item.get('url')}", log_level="ERROR")
