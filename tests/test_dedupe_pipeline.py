"""DedupePipeline: one claim per item, confirmed when the item is exported, released when a later
step drops it; a copy dropped here holds no claim."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.exceptions import DropItem

from newscrawler.dedupe.fingerprint import fingerprint_body
from newscrawler.dedupe.stores import open_store
from newscrawler.pipelines import DedupePipeline, Duplicate
from newscrawler.record import Article
from tests.test_store import ARTICLE, REPRINT, URL, URL2


def _item(url: str, body: str) -> Article:
    item = Article(url=url, canonical_url=url, body=body, portal="p")
    item.fingerprint = fingerprint_body(body)
    return item


def _pipeline(store: Any) -> DedupePipeline:
    pipe = DedupePipeline(store)
    pipe._deferred = True  # (as from_crawler sets it: confirm on item_scraped)
    return pipe


def test_exported_item_is_stored_and_copies_are_dropped() -> None:
    store = open_store(None)
    pipe = _pipeline(store)
    first = pipe.process_item(_item(URL, ARTICLE))
    with pytest.raises(Duplicate, match="live claim"):  # a copy while the first is in flight
        pipe.process_item(_item(URL2, REPRINT))
    pipe.item_left(_item(URL2, REPRINT), exception=Duplicate("x"))  # its own drop: no claim to release
    assert len(store) == 0
    pipe.item_scraped(first.record())  # (the feed's view of the item)
    assert len(store) == 1 and store.has_url(URL)
    with pytest.raises(Duplicate, match=r"duplicate \(near\) of http"):
        pipe.process_item(_item(URL2, REPRINT))
    assert store.has_url(URL2)  # the copy's URL is remembered at once (not downloaded next time)


def test_item_dropped_after_dedupe_releases_its_claim() -> None:
    store = open_store(None)
    pipe = _pipeline(store)
    pipe.process_item(_item(URL, ARTICLE))
    pipe.item_left({"url": URL}, exception=DropItem("--max-articles reached"))
    assert len(store) == 0
    again = store.claim(url=URL, canonical_url=URL, body=ARTICLE, portal="p")
    assert again.match is None  # the article is free again


def test_unexported_claims_are_released_at_close() -> None:
    store = open_store(None)
    pipe = _pipeline(store)
    pipe.process_item(_item(URL, ARTICLE))
    pipe.close_spider()
    assert store.claim(url=URL2, canonical_url=URL2, body=ARTICLE, portal="p").match is None
