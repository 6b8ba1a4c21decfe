"""The seen-store: what has been exported before, across runs, portals and processes.

One record per *article* (:class:`SeenRecord`): canonical URL, content hash, near-duplicate
fingerprint, portal, first URL and first-seen time. Every URL ever added points at an article,
so an article reprinted under another URL (another portal, a tracking-parameter variant) is
remembered under both URLs but stored once.

Usage from a pipeline (single-threaded, as in Scrapy)::

    store = open_store(settings.get("DEDUPE_STORE"))       # None -> in memory
    fp = fingerprint_body(body)                             # also gives content_hash / simhash
    match = store.find_duplicate(canon, body, fingerprint=fp)
    if match is None:
        export(item)
    elif keep_duplicates:
        export(item, duplicate_of=match.first_url)
    store.add(url=url, canonical_url=canon, body=body, portal=portal, fingerprint=fp)

``find_duplicate`` checks, in this order: the canonical URL, the exact content hash (bodies of
at least :data:`MIN_CONTENT_SHINGLES` shingles), then
near-duplicates (MinHash LSH bands: a fixed number of index probes, then the few candidates are
verified against :data:`NEAR_DUPLICATE_THRESHOLD`). ``add`` after ``find_duplicate`` on the same
body reuses that lookup, so the pair costs one lookup. ``add`` of a body that duplicates a
stored article only records the new URL as an alias of that article (``has_url`` is then true
for it, so the next run does not download it); the first record is never replaced. A link that
gives no article (a video page, a 404) is remembered with ``mark_seen(canonical_url, reason)``.

Backends: :class:`MemoryStore` (here), :class:`~newscrawler.dedupe.sqlite_store.SQLiteStore`
(default, one file) and :class:`~newscrawler.dedupe.redis_store.RedisStore` (shared). Pick one
with :func:`open_store`.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from .fingerprint import BodyFingerprint, Signature, fingerprint_body

__all__ = [
    "MIN_CONTENT_SHINGLES",
    "MIN_NEAR_SHINGLES",
    "NEAR_DUPLICATE_THRESHOLD",
    "BaseStore",
    "Match",
    "MemoryStore",
    "SeenRecord",
    "SeenStore",
    "default_store_path",
    "open_store",
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

MatchKind = Literal["url", "content", "near"]


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
    ``"near"`` (near-duplicate). ``first_url``/``portal``: the first stored copy (use
    ``first_url`` as ``duplicate_of``). ``similarity``: 1.0 for url/content, else the estimated
    Jaccard similarity of the two bodies.
    """

    kind: MatchKind
    first_url: str
    portal: str
    similarity: float


@runtime_checkable
class SeenStore(Protocol):
    """What the pipelines and spiders use. All backends implement it (see :class:`BaseStore`)."""

    location: str

    def has_url(self, canonical_url: str) -> bool: ...

    def mark_seen(self, canonical_url: str, reason: str) -> None: ...

    def find_duplicate(
        self, canonical_url: str, body: str, *, fingerprint: BodyFingerprint | None = None
    ) -> Match | None: ...

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


#: (article id, first_url, portal) as the backends return it.
_Hit = tuple[int, str, str]


class BaseStore(ABC):
    """The dedupe logic shared by all backends; a backend implements the ``_`` primitives.

    ``threshold``: near-duplicate threshold (estimated Jaccard); ``min_near_shingles``: bodies
    smaller than that are only matched exactly.
    """

    location: str = ""

    def __init__(
        self, *, threshold: float = NEAR_DUPLICATE_THRESHOLD, min_near_shingles: int = MIN_NEAR_SHINGLES
    ) -> None:
        self.threshold = threshold
        self.min_near_shingles = min_near_shingles
        # (canonical_url, body, fingerprint, hit, match) of the last find_duplicate, for add().
        self._last: tuple[str, str, BodyFingerprint, _Hit | None, Match | None] | None = None

    # -- backend primitives -------------------------------------------------------------------
    @abstractmethod
    def _url_hit(self, canonical_url: str) -> _Hit | None: ...

    @abstractmethod
    def _content_hit(self, content_hash: str) -> _Hit | None: ...

    @abstractmethod
    def _band_candidates(self, bands: list[int]) -> list[tuple[int, Signature, str, str]]:
        """Distinct articles sharing at least one band key: (id, signature, first_url, portal)."""

    @abstractmethod
    def _insert_article(self, record: SeenRecord, signature: Signature, bands: list[int]) -> None:
        """Store a new article (and its URL) atomically."""

    @abstractmethod
    def _insert_alias(self, canonical_url: str, article_id: int) -> None:
        """Point one more canonical URL at an existing article."""

    @abstractmethod
    def has_url(self, canonical_url: str) -> bool:
        """True if this canonical URL was added before (as a first copy or as a duplicate) or
        marked seen (:meth:`mark_seen`)."""

    @abstractmethod
    def mark_seen(self, canonical_url: str, reason: str) -> None:
        """Remember a URL that is not an article (a video page, a link that answers 404), so an
        incremental crawl does not download it again. It is never a duplicate's "first copy"."""

    @abstractmethod
    def get(self, canonical_url: str) -> SeenRecord | None:
        """The article stored under this canonical URL (the first copy's record), if any."""

    @abstractmethod
    def __len__(self) -> int:
        """Number of stored articles (not URLs)."""

    @abstractmethod
    def close(self) -> None:
        """Flush and release the backend; the store is unusable afterwards."""

    def __enter__(self) -> BaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location!r})"

    # -- the logic ----------------------------------------------------------------------------
    @staticmethod
    def content_matchable(fp: BodyFingerprint) -> bool:
        """False for stub bodies (see :data:`MIN_CONTENT_SHINGLES`): matched by URL only."""
        return fp.signature.size >= MIN_CONTENT_SHINGLES

    def _content_match(self, fp: BodyFingerprint) -> tuple[_Hit | None, Match | None]:
        if not self.content_matchable(fp):
            return None, None
        hit = self._content_hit(fp.content_hash)
        if hit is not None:
            return hit, Match("content", hit[1], hit[2], 1.0)
        if fp.signature.size < self.min_near_shingles:
            return None, None
        return self._best_near(fp, self._band_candidates(fp.bands))

    def _best_near(
        self, fp: BodyFingerprint, candidates: list[tuple[int, Signature, str, str]]
    ) -> tuple[_Hit | None, Match | None]:
        """The most similar candidate at or above the threshold (ties: the oldest article)."""
        sig = fp.signature
        best: tuple[float, int, str, str] | None = None
        for art_id, other, first_url, portal in candidates:
            if other.size < self.min_near_shingles:
                continue
            score = sig.similarity(other)
            if score >= self.threshold and (best is None or score > best[0]):
                best = (score, art_id, first_url, portal)
        if best is None:
            return None, None
        score, art_id, first_url, portal = best
        return (art_id, first_url, portal), Match("near", first_url, portal, score)

    def find_duplicate(
        self, canonical_url: str, body: str, *, fingerprint: BodyFingerprint | None = None
    ) -> Match | None:
        """The first stored copy of this article, or None if it is new.

        Checks the canonical URL, then the exact content hash, then near-duplicates. Pass
        ``fingerprint`` (from :func:`fingerprint_body`) if you already computed it.
        """
        hit = self._url_hit(canonical_url)
        if hit is not None:
            return Match("url", hit[1], hit[2], 1.0)
        fp = fingerprint or fingerprint_body(body)
        chit, match = self._content_match(fp)
        self._last = (canonical_url, body, fp, chit, match)
        return match

    def add(
        self,
        *,
        url: str,
        canonical_url: str,
        body: str,
        portal: str,
        fingerprint: BodyFingerprint | None = None,
    ) -> None:
        """Remember ``canonical_url`` (and the article, if its body is new).

        Already-known URL: nothing changes. Body duplicating a stored article (exactly or
        nearly): the URL becomes an alias of that article. Otherwise a new :class:`SeenRecord`
        is stored with ``first_url=url`` and ``first_seen`` = now.
        """
        last = self._last
        self._last = None
        if last is not None and last[0] == canonical_url and last[1] == body:
            fp, chit = last[2], last[3]
        else:
            if self._url_hit(canonical_url) is not None:
                return
            fp = fingerprint or fingerprint_body(body)
            chit, _ = self._content_match(fp)
        if chit is not None:
            self._insert_alias(canonical_url, chit[0])
            return
        record = SeenRecord(
            canonical_url=canonical_url,
            content_hash=fp.content_hash,
            fingerprint=fp.signature.to_hex(),
            portal=portal,
            first_url=url,
            first_seen=utc_now_iso(),
        )
        self._insert_article(record, fp.signature, fp.bands)


class MemoryStore(BaseStore):
    """A store that lives in this process only (tests, one-off crawls). ``location`` is ``:memory:``."""

    def __init__(
        self, *, threshold: float = NEAR_DUPLICATE_THRESHOLD, min_near_shingles: int = MIN_NEAR_SHINGLES
    ) -> None:
        super().__init__(threshold=threshold, min_near_shingles=min_near_shingles)
        self.location = ":memory:"
        self._records: list[SeenRecord] = []
        self._sigs: list[Signature] = []
        self._urls: dict[str, int] = {}
        self._seen: dict[str, str] = {}
        self._hashes: dict[str, int] = {}
        self._bands: dict[int, list[int]] = {}

    def _hit(self, art_id: int) -> _Hit:
        rec = self._records[art_id]
        return art_id, rec.first_url, rec.portal

    def _url_hit(self, canonical_url: str) -> _Hit | None:
        art_id = self._urls.get(canonical_url)
        return None if art_id is None else self._hit(art_id)

    def _content_hit(self, content_hash: str) -> _Hit | None:
        art_id = self._hashes.get(content_hash)
        return None if art_id is None else self._hit(art_id)

    def _band_candidates(self, bands: list[int]) -> list[tuple[int, Signature, str, str]]:
        ids = {art_id for key in bands for art_id in self._bands.get(key, ())}
        return [(i, self._sigs[i], *self._hit(i)[1:]) for i in sorted(ids)]

    def _insert_article(self, record: SeenRecord, signature: Signature, bands: list[int]) -> None:
        art_id = len(self._records)
        self._records.append(record)
        self._sigs.append(signature)
        self._urls[record.canonical_url] = art_id
        if signature.size >= MIN_CONTENT_SHINGLES:
            self._hashes.setdefault(record.content_hash, art_id)
        for key in bands:
            self._bands.setdefault(key, []).append(art_id)

    def _insert_alias(self, canonical_url: str, article_id: int) -> None:
        self._urls.setdefault(canonical_url, article_id)

    def has_url(self, canonical_url: str) -> bool:
        return canonical_url in self._urls or canonical_url in self._seen

    def mark_seen(self, canonical_url: str, reason: str) -> None:
        self._seen.setdefault(canonical_url, reason)

    def get(self, canonical_url: str) -> SeenRecord | None:
        art_id = self._urls.get(canonical_url)
        return None if art_id is None else self._records[art_id]

    def __len__(self) -> int:
        return len(self._records)

    def close(self) -> None:
        pass


def default_store_path() -> Path:
    """``$XDG_DATA_HOME/newscrawler/seen.sqlite3`` (``~/.local/share/...`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "newscrawler" / "seen.sqlite3"


def open_store(
    spec: str | os.PathLike[str] | None,
    *,
    threshold: float = NEAR_DUPLICATE_THRESHOLD,
    min_near_shingles: int = MIN_NEAR_SHINGLES,
) -> BaseStore:
    """Open a seen-store from a setting or command-line value.

    ``None`` or ``":memory:"`` -> :class:`MemoryStore`; ``"redis://..."``/``"rediss://..."``/
    ``"unix://..."`` -> :class:`~newscrawler.dedupe.redis_store.RedisStore` (needs the ``redis``
    extra); anything else is a file path -> :class:`~newscrawler.dedupe.sqlite_store.SQLiteStore`
    (parent directories are created; ``~`` is expanded). Keyword arguments (``threshold``,
    ``min_near_shingles``) go to the store. Callers wanting the persistent default pass
    ``default_store_path()``.
    """
    if spec is None or str(spec) == ":memory:":
        return MemoryStore(threshold=threshold, min_near_shingles=min_near_shingles)
    text = str(spec)
    if text.startswith(("redis://", "rediss://", "unix://")):
        from .redis_store import RedisStore

        return RedisStore(text, threshold=threshold, min_near_shingles=min_near_shingles)
    from .sqlite_store import SQLiteStore

    return SQLiteStore(Path(text).expanduser(), threshold=threshold, min_near_shingles=min_near_shingles)
