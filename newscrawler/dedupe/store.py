"""The seen-store: what has been exported before, across runs, portals and processes.

One record per *article* (:class:`SeenRecord`): canonical URL, content hash, near-duplicate
fingerprint, portal, first URL and first-seen time. Every URL ever added points at an article,
so an article reprinted under another URL (another portal, a tracking-parameter variant) is
remembered under both URLs but stored once.

Usage from a pipeline (several crawls may share the store)::

    store = open_store(settings.get("DEDUPE_STORE"))       # newscrawler.dedupe.stores; None: memory
    claim = store.claim(url=url, canonical_url=canon, body=body, portal=portal)
    if claim.match is None:        # new: claimed by this crawl, in one atomic step
        export(item)               # then, once its line is written:
        store.confirm(claim)       # the claim becomes a record (or store.release(claim) on error)
    else:                          # a duplicate of a stored article or of another crawl's live claim
        drop(item, duplicate_of=claim.match.first_url)
        store.confirm(claim)       # remembers the copy's URL (not downloaded next time)

``claim`` looks up, in this order, the canonical URL, the exact content hash (bodies of at least
:data:`MIN_CONTENT_SHINGLES` shingles), then near-duplicates (MinHash LSH bands: a fixed number
of index probes; the :data:`MAX_NEAR_CANDIDATES` candidates sharing the most bands are verified
against :data:`NEAR_DUPLICATE_THRESHOLD`), and when nothing matches it stores the article as a
*claim* -- all in one atomic step (SQLite: one ``BEGIN IMMEDIATE`` transaction; Redis: one Lua
script). A claim is a lease: it carries the crawl's id and expires after ``lease_seconds``
(:data:`CLAIM_LEASE_SECONDS`), so a crashed crawl's claims free up; a store opened again with the
same ``crawl_id`` (a resumed crawl) drops its predecessor's claims at once. Another crawl meeting a
live claim gets a :class:`Match` with ``claimed=True``: a duplicate of the claimant.

``add`` stores an article (or the alias of the article it duplicates) directly, in one step;
``find_duplicate`` is the read-only lookup (stored articles only). A link that gives no article (a
video page, a 404) is remembered with ``mark_seen(canonical_url, reason)``.

Backends: :class:`~newscrawler.dedupe.sqlite_store.SQLiteStore` (default, one file),
:class:`~newscrawler.dedupe.sqlite_store.MemoryStore` (SQLite in memory: this process only) and
:class:`~newscrawler.dedupe.redis_store.RedisStore` (shared). Pick one with
:func:`newscrawler.dedupe.stores.open_store`.
"""

from __future__ import annotations

import os
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from .fingerprint import BodyFingerprint, Signature, fingerprint_body

__all__ = [
    "CLAIM_LEASE_SECONDS",
    "MAX_NEAR_CANDIDATES",
    "MIN_CONTENT_SHINGLES",
    "MIN_NEAR_SHINGLES",
    "NEAR_DUPLICATE_THRESHOLD",
    "BaseStore",
    "Claim",
    "Match",
    "SeenRecord",
    "SeenStore",
    "StoreError",
    "default_store_path",
]

#: Estimated Jaccard similarity (3-character shingles) at or above which two bodies are the same
#: article. Chosen by ``benchmarks/eval_near_duplicates.py`` on ``fixtures/near_duplicates`` (41
#: labelled pairs): precision 1.00 / recall 0.95 on the whole plateau 0.40-0.60; 0.50 is its middle.
NEAR_DUPLICATE_THRESHOLD = 0.5

#: Bodies with fewer distinct shingles than this are only matched exactly (by URL or content
#: hash): a two-line brief shares too much with any other brief on the same topic.
MIN_NEAR_SHINGLES = 40

#: Bodies with fewer distinct shingles than this (about a dozen characters of text: "视频",
#: "【组图】点击查看大图", an empty body) are matched by URL only: image and video pages that share
#: such a stub are different articles.
MIN_CONTENT_SHINGLES = 10

#: Near-duplicate candidates verified per lookup, those sharing the most LSH bands first: a
#: templated portal (weather, stock notices) can put thousands of stored articles in one band,
#: and a lookup must not cost more as the store grows. A true near-duplicate (J >= 0.5) shares
#: 2.6 of the 21 bands on average, unrelated same-template pages rarely more than one.
MAX_NEAR_CANDIDATES = 32

#: How long a claim holds before another crawl may take the article over: an item is exported
#: within seconds of its claim, so only a crashed crawl's claims ever get this old.
CLAIM_LEASE_SECONDS = 600.0

MatchKind = Literal["url", "content", "near"]


class StoreError(Exception):
    """A seen-store that cannot be opened or used (bad location, server down, newer schema).
    The message is one line for the user."""


@dataclass(frozen=True)
class SeenRecord:
    """One stored article.

    ``fingerprint`` is the MinHash signature in its text form (:meth:`Signature.to_hex`);
    ``first_seen`` is ISO 8601 UTC (``2026-11-27T01:09:08+00:00``).
    """

    canonical_url: str
    content_hash: str
    fingerprint: str
    portal: str
    first_url: str
    first_seen: str


@dataclass(frozen=True)
class Match:
    """Why a body is a duplicate, and of what.

    ``kind``: ``"url"`` (canonical URL seen before), ``"content"`` (same normalized body) or
    ``"near"`` (near-duplicate). ``first_url``/``portal``: the first copy (use ``first_url`` as
    ``duplicate_of``). ``similarity``: 1.0 for url/content, else the estimated Jaccard similarity
    of the two bodies. ``claimed``: the first copy is a live claim (being exported by a crawl),
    not a stored article yet.
    """

    kind: MatchKind
    first_url: str
    portal: str
    similarity: float
    claimed: bool = False


@dataclass(frozen=True)
class Claim:
    """What :meth:`BaseStore.claim` decided. ``match`` None: the article is new and claimed by this
    crawl until :meth:`~BaseStore.confirm` or :meth:`~BaseStore.release`. Otherwise it is a
    duplicate; ``confirm`` then records the copy's URL as an alias of the stored article.

    ``article_id``: the claimed article, or the stored article matched (None for a URL match or a
    match of a live claim: nothing to record). ``fingerprint`` and ``portal`` let ``confirm``
    store the article anew if the claim expired meanwhile.
    """

    url: str
    canonical_url: str
    match: Match | None
    article_id: int | None
    fingerprint: BodyFingerprint = field(repr=False, compare=False)
    portal: str = ""


@runtime_checkable
class SeenStore(Protocol):
    """What the pipelines and spiders use. All backends implement it (see :class:`BaseStore`)."""

    location: str

    def has_url(self, canonical_url: str) -> bool: ...

    def mark_seen(self, canonical_url: str, reason: str) -> None: ...

    def find_duplicate(
        self, canonical_url: str, body: str, *, fingerprint: BodyFingerprint | None = None
    ) -> Match | None: ...

    def claim(
        self,
        *,
        url: str,
        canonical_url: str,
        body: str,
        portal: str,
        fingerprint: BodyFingerprint | None = None,
    ) -> Claim: ...

    def confirm(self, claim: Claim) -> None: ...

    def release(self, claim: Claim) -> None: ...

    def add(
        self,
        *,
        url: str,
        canonical_url: str,
        body: str,
        portal: str,
        fingerprint: BodyFingerprint | None = None,
    ) -> None: ...

    def get(self, canonical_url: str) -> SeenRecord | None: ...

    def close(self) -> None: ...


def utc_now_iso() -> str:
    """Current time, ISO 8601 UTC with offset, second precision."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Candidate:
    """A stored article or live claim sharing LSH bands with the body looked up."""

    article_id: int
    signature: Signature
    first_url: str
    portal: str
    claimed: bool


class BaseStore(ABC):
    """What every backend shares: the thresholds, the claim owner and the lookup rules.

    ``threshold``: near-duplicate threshold (estimated Jaccard); ``min_near_shingles``: bodies
    smaller than that are only matched exactly; ``lease_seconds``: how long a claim holds;
    ``crawl_id``: the claims' owner (a resumed crawl passes the same id; default: a new one).
    """

    location: str = ""

    def __init__(
        self,
        *,
        threshold: float = NEAR_DUPLICATE_THRESHOLD,
        min_near_shingles: int = MIN_NEAR_SHINGLES,
        lease_seconds: float = CLAIM_LEASE_SECONDS,
        crawl_id: str | None = None,
    ) -> None:
        self.threshold = threshold
        self.min_near_shingles = min_near_shingles
        self.lease_seconds = lease_seconds
        self.crawl_id = crawl_id or uuid.uuid4().hex
        #: this opening of the store: claims of the same crawl_id with another session are dead
        self.session = uuid.uuid4().hex

    # -- what a backend implements --------------------------------------------------------------
    @abstractmethod
    def _claim(self, url: str, canonical_url: str, fp: BodyFingerprint, portal: str, *, lease: bool) -> Claim:
        """Look up and, when new, store the article (as a claim when ``lease``) in one atomic step."""

    @abstractmethod
    def _confirm_new(self, claim: Claim) -> bool:
        """Turn this session's claim into a stored article; False when the claim is gone."""

    @abstractmethod
    def _insert_alias(self, canonical_url: str, article_id: int) -> None:
        """Point one more canonical URL at a stored article."""

    @abstractmethod
    def release(self, claim: Claim) -> None:
        """Give up a claim (the item was dropped or failed): nothing of it stays in the store."""

    @abstractmethod
    def find_duplicate(
        self, canonical_url: str, body: str, *, fingerprint: BodyFingerprint | None = None
    ) -> Match | None:
        """The first stored copy of this article, or None (read only; claims are not counted)."""

    @abstractmethod
    def has_url(self, canonical_url: str) -> bool:
        """True if this canonical URL was stored (as a first copy or as a duplicate) or marked seen
        (:meth:`mark_seen`). A URL only claimed is not known yet."""

    @abstractmethod
    def mark_seen(self, canonical_url: str, reason: str) -> None:
        """Remember a URL that is not an article (a video page, a link that answers 404), so an
        incremental crawl does not download it again. It is never a duplicate's "first copy"."""

    @abstractmethod
    def get(self, canonical_url: str) -> SeenRecord | None:
        """The article stored under this canonical URL (the first copy's record), if any."""

    @abstractmethod
    def __len__(self) -> int:
        """Number of stored articles (not URLs, not claims)."""

    @abstractmethod
    def close(self) -> None:
        """Flush and release the backend; the store is unusable afterwards."""

    # -- the interface ----------------------------------------------------------------------------
    def __enter__(self) -> BaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location!r})"

    def claim(
        self,
        *,
        url: str,
        canonical_url: str,
        body: str,
        portal: str,
        fingerprint: BodyFingerprint | None = None,
    ) -> Claim:
        """Claim the article for this crawl, or say what it duplicates (one atomic lookup)."""
        return self._claim(url, canonical_url, fingerprint or fingerprint_body(body), portal, lease=True)

    def confirm(self, claim: Claim) -> None:
        """The claimed article was exported: store it. For a duplicate of a stored article, record
        the copy's URL as its alias. A claim that expired meanwhile is stored anew if still new."""
        if claim.article_id is None:
            return
        if claim.match is not None:
            self._insert_alias(claim.canonical_url, claim.article_id)
        elif not self._confirm_new(claim):  # (expired and taken over: store it unless known now)
            self._claim(claim.url, claim.canonical_url, claim.fingerprint, claim.portal, lease=False)

    def add(
        self,
        *,
        url: str,
        canonical_url: str,
        body: str,
        portal: str,
        fingerprint: BodyFingerprint | None = None,
    ) -> None:
        """Remember ``canonical_url`` (and the article, if its body is new), in one step.

        Already-known URL: nothing changes. Body duplicating a stored article (exactly or nearly):
        the URL becomes an alias of that article. Otherwise a new :class:`SeenRecord` is stored
        with ``first_url=url`` and ``first_seen`` = now.
        """
        claim = self._claim(url, canonical_url, fingerprint or fingerprint_body(body), portal, lease=False)
        if claim.match is not None:
            self.confirm(claim)

    @staticmethod
    def content_matchable(fp: BodyFingerprint) -> bool:
        """False for stub bodies (see :data:`MIN_CONTENT_SHINGLES`): matched by URL only."""
        return fp.signature.size >= MIN_CONTENT_SHINGLES

    def near_matchable(self, fp: BodyFingerprint) -> bool:
        """True for bodies long enough for a near-duplicate lookup (:data:`MIN_NEAR_SHINGLES`)."""
        return fp.signature.size >= max(self.min_near_shingles, MIN_CONTENT_SHINGLES)

    def best_near(self, fp: BodyFingerprint, candidates: list[Candidate]) -> tuple[Candidate, float] | None:
        """The most similar candidate at or above the threshold (ties: the oldest article)."""
        sig = fp.signature
        best: tuple[Candidate, float] | None = None
        for cand in candidates:
            if cand.signature.size < self.min_near_shingles:
                continue
            score = sig.similarity(cand.signature)
            if score < self.threshold:
                continue
            if best is None or score > best[1] or (score == best[1] and cand.article_id < best[0].article_id):
                best = (cand, score)
        return best


def default_store_path() -> Path:
    """``$XDG_DATA_HOME/newscrawler/seen.sqlite3`` (``~/.local/share/...`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "newscrawler" / "seen.sqlite3"
