"""Atomic claims: every backend (memory, SQLite, Redis) claims, confirms, releases and expires the
same way, and two stores sharing one location see each other's live claims."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newscrawler.dedupe.fingerprint import fingerprint_body
from newscrawler.dedupe.store import MAX_NEAR_CANDIDATES, BaseStore, StoreError
from newscrawler.dedupe.stores import open_store
from tests.test_store import ARTICLE, OTHER, REPRINT, URL, URL2, redis_url  # noqa: F401  (fixture)

Opener = Callable[..., BaseStore]
_counter = iter(range(10**6))


@pytest.fixture(params=["sqlite", "redis"])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens stores sharing one location (as several crawl processes do)."""
    if request.param == "sqlite":
        spec = str(tmp_path / "seen.sqlite3")
    else:
        spec = f"{request.getfixturevalue('redis_url')}?prefix=claims{next(_counter)}"
    opened: list[BaseStore] = []

    def open_(**kwargs: object) -> BaseStore:
        store = open_store(spec, **kwargs)  # type: ignore[arg-type]
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


def _claim(store: BaseStore, url: str, body: str, portal: str = "p"):  # type: ignore[no-untyped-def]
    return store.claim(url=url, canonical_url=url, body=body, portal=portal)


def test_memory_store_claims() -> None:
    store = open_store(None)
    first = _claim(store, URL, ARTICLE)
    assert first.match is None and first.article_id is not None
    again = _claim(store, URL + "?x", ARTICLE.replace("，", ","))  # a second item of this crawl
    assert again.match is not None and again.match.claimed and again.match.kind == "content"
    assert not store.has_url(URL) and len(store) == 0  # a claim is not a record yet
    store.confirm(first)
    assert store.has_url(URL) and len(store) == 1


def test_live_claim_is_a_duplicate_for_another_crawl(shared: Opener) -> None:
    a, b = shared(), shared()
    claim = _claim(a, URL, ARTICLE, "jl_cri")
    assert claim.match is None
    for url, body, kind in [(URL, OTHER, "url"), (URL2, ARTICLE, "content"), (URL2, REPRINT, "near")]:
        other = _claim(b, url, body, "cnjiwang")
        assert other.match is not None, kind
        assert (other.match.kind, other.match.claimed, other.match.first_url) == (kind, True, URL)
        assert other.article_id is None  # nothing to record for the copy: the first is not stored yet
    assert b.find_duplicate(URL2, ARTICLE) is None  # (read only: stored articles)
    a.confirm(claim)
    assert len(b) == 1 and b.has_url(URL)
    dup = _claim(b, URL2, REPRINT, "cnjiwang")
    assert dup.match is not None and not dup.match.claimed and dup.article_id is not None
    b.confirm(dup)  # the copy's URL becomes an alias
    assert b.has_url(URL2) and len(a) == 1
    record = a.get(URL2)
    assert record is not None and record.first_url == URL and record.portal == "jl_cri"


def test_released_claim_leaves_nothing(shared: Opener) -> None:
    a, b = shared(), shared()
    claim = _claim(a, URL, ARTICLE)
    a.release(claim)
    assert len(a) == 0 and not a.has_url(URL)
    again = _claim(b, URL2, REPRINT)  # neither by URL, content nor bands
    assert again.match is None
    b.confirm(again)
    assert len(a) == 1 and a.get(URL2) is not None and a.get(URL) is None


def test_expired_claim_is_taken_over(shared: Opener) -> None:
    crashed, other = shared(lease_seconds=0.2), shared()
    lost = _claim(crashed, URL, ARTICLE)
    assert _claim(other, URL2, ARTICLE).match is not None  # live
    time.sleep(0.3)
    taken = _claim(other, URL2, ARTICLE)
    assert taken.match is None
    other.confirm(taken)
    crashed.confirm(lost)  # too late: the other crawl's copy is the record, nothing doubles
    assert len(other) == 1
    record = other.get(URL2)
    assert record is not None and record.first_url == URL2


def test_late_confirm_stores_a_claim_nobody_took(shared: Opener) -> None:
    slow = shared(lease_seconds=0.2)
    claim = _claim(slow, URL, ARTICLE)
    time.sleep(0.3)
    _claim(shared(), URL2, OTHER)  # (drops the expired claim)
    slow.confirm(claim)
    assert slow.has_url(URL) and len(slow) == 1  # the late article is stored, once


def test_resumed_crawl_takes_over_its_own_claims(shared: Opener) -> None:
    killed = shared(crawl_id="job-1")
    _claim(killed, URL, ARTICLE)
    stranger = shared(crawl_id="job-2")
    assert _claim(stranger, URL, ARTICLE).match is not None  # another crawl's claim holds
    resumed = shared(crawl_id="job-1")  # same crawl id, new session: the old claims are dead
    claim = _claim(resumed, URL, ARTICLE)
    assert claim.match is None
    resumed.confirm(claim)
    assert len(resumed) == 1


def test_add_is_claim_and_confirm_in_one_step(shared: Opener) -> None:
    a = shared()
    a.add(url=URL, canonical_url=URL, body=ARTICLE, portal="p")
    a.add(url=URL2, canonical_url=URL2, body=REPRINT, portal="q")
    assert len(a) == 1 and a.has_url(URL2)


def _notice(i: int) -> str:
    """A templated notice: 200 characters every notice shares, then 200 of its own (any two have a
    Jaccard near 0.33: below the threshold, but half the pairs share an LSH band)."""
    import random

    shared = random.Random(0)
    own = random.Random(i + 1)
    common = "".join(chr(0x4E00 + shared.randrange(20000)) for _ in range(200))
    return common + "".join(chr(0x4E00 + own.randrange(20000)) for _ in range(200))


def test_candidates_are_capped_and_the_best_one_still_wins(shared: Opener) -> None:
    """A templated portal: most stored notices share bands with a new one; the lookup verifies at
    most MAX_NEAR_CANDIDATES (those sharing the most bands) and still finds the true copy."""
    store = shared()
    n = MAX_NEAR_CANDIDATES * 4
    for i in range(n):
        store.add(url=f"http://x.cn/{i}", canonical_url=f"http://x.cn/{i}", body=_notice(i), portal="p")
    assert len(store) > n * 0.9  # (hardly any near-duplicates of each other: MinHash estimates vary)
    k = next(i for i in range(57, n) if store.get(f"http://x.cn/{i}").first_url == f"http://x.cn/{i}")  # type: ignore[union-attr]
    copy = _notice(k) + "（完）本文来源：气象台"
    fp = fingerprint_body(copy)
    sharing = [i for i in range(n) if set(fingerprint_body(_notice(i)).bands) & set(fp.bands)]
    assert len(sharing) > MAX_NEAR_CANDIDATES * 3 // 2  # the cap is exercised
    match = store.find_duplicate("http://y.cn/new", copy, fingerprint=fp)
    assert match is not None and match.kind == "near" and match.first_url == f"http://x.cn/{k}"
    claim = _claim(store, "http://y.cn/new", copy)
    assert claim.match == match


def test_bad_specs_are_one_line_store_errors(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    for spec in ["", "ftp://host/x", str(tmp_path / "file" / "seen.sqlite3")]:
        with pytest.raises(StoreError) as info:
            open_store(spec)
        assert "\n" not in str(info.value)
    with pytest.raises(StoreError, match="cannot open"):
        open_store("redis://127.0.0.1:1/0")
