"""The health store: each run's figures (its crawl summary, with the health figures), keyed by
portal and run id, kept for the check and the report.

Where: ``HEALTH_STORE`` = ``"default"`` keeps it beside the seen-store: ``health.sqlite3`` in the
seen-store's folder, or in the seen-store's Redis database (keys ``newscrawler:health:*``); a
crawl with an in-memory seen-store keeps none. A path (SQLite) or a ``redis://`` URL puts it
there; ``"off"`` keeps none.
"""

from __future__ import annotations

import json
import sqlite3
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newscrawler.dedupe.store import default_store_path

HEALTH_FILE = "health.sqlite3"
REDIS_PREFIX = "newscrawler:health"
_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
_OFF = frozenset({"", "off", "none", ":memory:"})


class HealthStoreError(Exception):
    """A health store that cannot be opened or read (one line for the user)."""


def default_health_path() -> Path:
    """``health.sqlite3`` beside the default seen-store (``$XDG_DATA_HOME/newscrawler/``)."""
    return default_store_path().with_name(HEALTH_FILE)


def health_store_spec(health: str | None, seen: str | None) -> str | None:
    """Where a crawl keeps its health: from the ``HEALTH_STORE`` and ``DEDUPE_STORE`` values;
    None when it keeps none."""
    from newscrawler.seen import MEMORY, store_spec  # (imports Scrapy: only when a crawl asks)

    value = "default" if health is None else str(health).strip()
    if value.lower() in _OFF:
        return None
    if value != "default":
        return value
    seen_location = store_spec(seen)
    if seen_location == MEMORY:
        return None
    if seen_location.startswith(_REDIS_SCHEMES):
        return seen_location
    return str(Path(seen_location).expanduser().with_name(HEALTH_FILE))


def total(value: Any) -> int:
    """A count, or the sum of a count-by-kind dict."""
    if isinstance(value, dict):
        return sum(v for v in value.values() if isinstance(v, int))
    return value if isinstance(value, int) else 0


def run_entry(
    portal: str, run_id: str, started_at: str, summary: dict[str, Any], status: str = "ok"
) -> dict[str, Any]:
    """A run as the health store keeps it: the keys of a ``runs.jsonl`` line (counts as totals)
    and the health figures."""
    return {
        "portal": portal,
        "run_id": run_id,
        "started_at": started_at,
        "status": status,
        "finish_reason": summary.get("finish_reason"),
        "articles_exported": summary.get("articles_exported"),
        "pages_fetched": summary.get("pages_fetched"),
        "errors": total(summary.get("errors")),
        "duplicates": total(summary.get("duplicates")),
        "dropped": total(summary.get("dropped")),
        "health": summary.get("health"),
    }


class HealthStore(ABC):
    """Runs by portal, oldest first. A run is a JSON object with at least ``portal``, ``run_id``
    and ``started_at`` (ISO 8601 UTC); adding a run with a known (portal, run id) replaces it."""

    location: str

    @abstractmethod
    def add_run(self, run: dict[str, Any]) -> None: ...

    @abstractmethod
    def runs(self, portal: str, limit: int) -> list[dict[str, Any]]:
        """The last ``limit`` runs of ``portal``, oldest first."""

    @abstractmethod
    def portals(self) -> list[str]: ...

    def close(self) -> None:  # noqa: B027 (nothing to close by default)
        pass


def _key(run: dict[str, Any]) -> tuple[str, str, str]:
    try:
        return str(run["portal"]), str(run["run_id"]), str(run["started_at"])
    except KeyError as exc:
        raise ValueError(f"a health run needs portal, run_id and started_at: {exc} missing") from None


class SQLiteHealthStore(HealthStore):
    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.location = str(path)
        if not create and not path.is_file():
            raise HealthStoreError(
                f"no health store at {path} (it is made by the first crawl that keeps one)"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(path, isolation_level=None, timeout=10)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS runs (portal TEXT NOT NULL, run_id TEXT NOT NULL,"
                " started_at TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (portal, run_id))"
            )
        except sqlite3.DatabaseError as exc:
            raise HealthStoreError(f"cannot open the health store {path}: {exc}") from None

    def add_run(self, run: dict[str, Any]) -> None:
        portal, run_id, started = _key(run)
        data = json.dumps(run, ensure_ascii=False)
        self._conn.execute(
            "INSERT OR REPLACE INTO runs (portal, run_id, started_at, data) VALUES (?, ?, ?, ?)",
            (portal, run_id, started, data),
        )

    def runs(self, portal: str, limit: int) -> list[dict[str, Any]]:
        rows = self._conn.execute(
            "SELECT data FROM runs WHERE portal = ? ORDER BY started_at DESC, run_id DESC LIMIT ?",
            (portal, limit),
        ).fetchall()
        return [json.loads(data) for (data,) in reversed(rows)]

    def portals(self) -> list[str]:
        return [p for (p,) in self._conn.execute("SELECT DISTINCT portal FROM runs ORDER BY portal")]

    def close(self) -> None:
        self._conn.close()


class RedisHealthStore(HealthStore):
    """Keys (``P`` = ``newscrawler:health``, or ``NAME:health`` for a ``?prefix=NAME`` URL):
    ``P:portals`` set; ``P:runs:<portal>`` hash run id -> JSON; ``P:order:<portal>`` sorted set of
    run ids by start time."""

    def __init__(self, url: str, client: Any = None) -> None:
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        base = query.pop("prefix", None)
        self.prefix = (f"{base.rstrip(':')}:health" if base else REDIS_PREFIX) + ":"
        netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
        self.location = urlunsplit(parts._replace(netloc=netloc))
        if client is None:
            try:
                import redis
            except ImportError:
                raise HealthStoreError(
                    "a Redis health store needs the redis extra: pip install 'newscrawler[redis]'"
                ) from None

            client = redis.Redis.from_url(urlunsplit(parts._replace(query=urlencode(query))))
        self.client = client
        try:
            client.ping()
        except Exception as exc:  # redis.ConnectionError and friends
            raise HealthStoreError(f"cannot reach the health store {self.location}: {exc}") from None

    def add_run(self, run: dict[str, Any]) -> None:
        from datetime import datetime

        portal, run_id, started = _key(run)
        score = datetime.fromisoformat(started.replace("Z", "+00:00")).timestamp()
        pipe = self.client.pipeline()
        pipe.sadd(self.prefix + "portals", portal)
        pipe.hset(self.prefix + "runs:" + portal, run_id, json.dumps(run, ensure_ascii=False))
        pipe.zadd(self.prefix + "order:" + portal, {run_id: score})
        pipe.execute()

    def runs(self, portal: str, limit: int) -> list[dict[str, Any]]:
        ids = self.client.zrevrange(self.prefix + "order:" + portal, 0, limit - 1)
        if not ids:
            return []
        rows = self.client.hmget(self.prefix + "runs:" + portal, ids)
        return [json.loads(row) for row in reversed(rows) if row is not None]

    def portals(self) -> list[str]:
        members = self.client.smembers(self.prefix + "portals")
        return sorted(m.decode("utf-8") if isinstance(m, bytes) else m for m in members)

    def close(self) -> None:
        self.client.close()


def open_health_store(spec: str | Path, *, create: bool = True) -> HealthStore:
    """A SQLite file path or a redis:// URL. ``create=False``: a missing file is an error (the
    check reads a store, it does not make an empty one)."""
    text = str(spec)
    if text.startswith(_REDIS_SCHEMES):
        return RedisHealthStore(text)
    return SQLiteHealthStore(Path(text).expanduser(), create=create)
