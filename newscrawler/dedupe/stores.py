"""Open a seen-store from a setting or command-line value (the one place that knows every backend)."""

from __future__ import annotations

import os
from pathlib import Path

from .sqlite_store import MemoryStore, SQLiteStore
from .store import CLAIM_LEASE_SECONDS, MIN_NEAR_SHINGLES, NEAR_DUPLICATE_THRESHOLD, BaseStore, StoreError

__all__ = ["REDIS_SCHEMES", "MemoryStore", "SQLiteStore", "StoreError", "open_store"]

#: URL schemes of a Redis store (``unix://`` is a Redis unix socket).
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def open_store(
    spec: str | os.PathLike[str] | None,
    *,
    threshold: float = NEAR_DUPLICATE_THRESHOLD,
    min_near_shingles: int = MIN_NEAR_SHINGLES,
    lease_seconds: float = CLAIM_LEASE_SECONDS,
    crawl_id: str | None = None,
) -> BaseStore:
    """Open a seen-store.

    ``None`` or ``":memory:"`` -> :class:`MemoryStore`; ``"redis://..."``/``"rediss://..."``/
    ``"unix://..."`` -> :class:`~newscrawler.dedupe.redis_store.RedisStore` (needs the ``redis``
    extra); anything else is a file path -> :class:`SQLiteStore` (parent directories are created;
    ``~`` is expanded). Keyword arguments go to the store (see :class:`BaseStore`). Callers wanting
    the persistent default pass :func:`~newscrawler.dedupe.store.default_store_path`.

    Raises :class:`StoreError` (one line) when the store cannot be opened.
    """
    if spec is None or str(spec) == ":memory:":
        return MemoryStore(
            threshold=threshold,
            min_near_shingles=min_near_shingles,
            lease_seconds=lease_seconds,
            crawl_id=crawl_id,
        )
    text = str(spec)
    if not text.strip():
        raise StoreError("empty seen-store location: give a file path, a redis:// URL or :memory:")
    if text.startswith(REDIS_SCHEMES):
        from .redis_store import RedisStore

        return RedisStore(
            text,
            threshold=threshold,
            min_near_shingles=min_near_shingles,
            lease_seconds=lease_seconds,
            crawl_id=crawl_id,
        )
    if "://" in text:
        raise StoreError(
            f"unknown seen-store URL {text!r}: give a file path, redis://HOST:PORT/DB or :memory:"
        )
    return SQLiteStore(
        Path(text).expanduser(),
        threshold=threshold,
        min_near_shingles=min_near_shingles,
        lease_seconds=lease_seconds,
        crawl_id=crawl_id,
    )
