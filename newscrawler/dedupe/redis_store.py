"""A seen-store in Redis, to share one store between processes or machines.

Needs the ``redis`` extra (``pip install 'newscrawler[redis]'``). Open it with
``open_store("redis://host:6379/0")``; an optional ``?prefix=NAME`` query parameter (default
``newscrawler:seen``) namespaces the keys so several stores can share one database.

Keys (``P`` = prefix):

* ``P:urls`` hash: canonical URL -> article id (first copies and duplicates alike)
* ``P:seen`` hash: canonical URL -> reason, for links that gave no article (``mark_seen``)
* ``P:hashes`` hash: content hash -> article id
* ``P:a:<id>`` hash: the article's record (``fingerprint`` is the binary signature)
* ``P:nextid``: the last article id (also the number of articles)
* ``P:b:<bucket>`` hashes: LSH band key (8 bytes) -> comma-separated article ids. Band keys are
  spread over ``BAND_BUCKETS`` hashes by their first 18 bits, so each stays small (Redis' compact
  listpack encoding up to ~1.5M articles with the default ``hash-max-listpack-entries 128``;
  beyond, the hashes switch to Redis' regular encoding: same lookups, more memory).

Each add and each lookup is one Lua script call (one round trip; atomic, so two crawlers adding
the same URL or body at once still store one article). Lookup cost is a fixed number of hash
probes, independent of the store's size, plus the network round trip. Durability is the Redis
server's (configure ``appendonly yes`` for a store that must survive a server restart).
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .fingerprint import BodyFingerprint, Signature, fingerprint_body
from .store import (
    MIN_CONTENT_SHINGLES,
    MIN_NEAR_SHINGLES,
    NEAR_DUPLICATE_THRESHOLD,
    BaseStore,
    Match,
    SeenRecord,
)

if TYPE_CHECKING:
    import redis

__all__ = ["BAND_BUCKETS", "DEFAULT_PREFIX", "RedisStore"]

DEFAULT_PREFIX = "newscrawler:seen"
BAND_BUCKETS = 1 << 18

# The bucket of an 8-byte band key: its first 18 bits (BAND_BUCKETS = 2**18 hashes).
_BUCKET = """
local function bucket(key)
  return string.byte(key, 1) * 1024 + string.byte(key, 2) * 4 + math.floor(string.byte(key, 3) / 64)
end
"""

# ARGV: prefix, canonical URL ('' = skip), content hash ('' = skip), '1'/'0' (near lookup), then
# the band keys packed as 8-byte strings. Returns {2, id, first_url, portal} (URL known),
# {1, ...} (same content) or {0, id, fingerprint, first_url, portal, ...} (near-duplicate
# candidates, maybe none).
_LOOKUP = (
    _BUCKET
    + """
local p = ARGV[1]
if ARGV[2] ~= '' then
  local id = redis.call('HGET', p .. 'urls', ARGV[2])
  if id then
    local a = redis.call('HMGET', p .. 'a:' .. id, 'first_url', 'portal')
    return {2, id, a[1], a[2]}
  end
end
if ARGV[3] ~= '' then
  local id = redis.call('HGET', p .. 'hashes', ARGV[3])
  if id then
    local a = redis.call('HMGET', p .. 'a:' .. id, 'first_url', 'portal')
    return {1, id, a[1], a[2]}
  end
end
local out = {0}
if ARGV[4] ~= '1' then return out end
local seen = {}
local blob = ARGV[5]
for i = 1, #blob, 8 do
  local key = string.sub(blob, i, i + 7)
  local ids = redis.call('HGET', p .. 'b:' .. bucket(key), key)
  if ids then
    for cid in string.gmatch(ids, '[^,]+') do
      if not seen[cid] then
        seen[cid] = true
        local a = redis.call('HMGET', p .. 'a:' .. cid, 'fingerprint', 'first_url', 'portal')
        table.insert(out, cid)
        table.insert(out, a[1])
        table.insert(out, a[2])
        table.insert(out, a[3])
      end
    end
  end
end
return out
"""
)

_ADD = (
    _BUCKET
    + """
local p = ARGV[1]
if redis.call('HEXISTS', p .. 'urls', ARGV[2]) == 1 then return 0 end
local by_content = ARGV[9] == '1'
if by_content then
  local existing = redis.call('HGET', p .. 'hashes', ARGV[3])
  if existing then
    redis.call('HSET', p .. 'urls', ARGV[2], existing)
    return 1
  end
end
local id = redis.call('INCR', p .. 'nextid')
redis.call('HSET', p .. 'a:' .. id, 'canonical_url', ARGV[2], 'content_hash', ARGV[3],
  'fingerprint', ARGV[4], 'portal', ARGV[5], 'first_url', ARGV[6], 'first_seen', ARGV[7])
redis.call('HSET', p .. 'urls', ARGV[2], id)
if by_content then redis.call('HSET', p .. 'hashes', ARGV[3], id) end
local blob = ARGV[8]
for i = 1, #blob, 8 do
  local key = string.sub(blob, i, i + 7)
  local k = p .. 'b:' .. bucket(key)
  local cur = redis.call('HGET', k, key)
  if cur then
    redis.call('HSET', k, key, cur .. ',' .. id)
  else
    redis.call('HSET', k, key, id)
  end
end
return 2
"""
)


def _import_redis() -> Any:
    try:
        import redis
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "the Redis seen-store needs the redis package: pip install 'newscrawler[redis]'"
        ) from exc
    return redis


def _band_blob(bands: list[int]) -> bytes:
    """The band keys as one argument: 8 bytes each (signed little-endian); Lua splits them."""
    return struct.pack(f"<{len(bands)}q", *bands)


def _s(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


class RedisStore(BaseStore):
    """Seen-store in a Redis database at ``url`` (``redis://host:port/db[?prefix=NAME]``).

    ``client``: an existing ``redis.Redis`` (binary responses) to use instead of connecting.
    ``location`` is the URL without its password.
    """

    def __init__(
        self,
        url: str,
        *,
        threshold: float = NEAR_DUPLICATE_THRESHOLD,
        min_near_shingles: int = MIN_NEAR_SHINGLES,
        prefix: str | None = None,
        client: redis.Redis | None = None,
    ) -> None:
        super().__init__(threshold=threshold, min_near_shingles=min_near_shingles)
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        prefix = prefix or query.pop("prefix", DEFAULT_PREFIX)
        self.prefix = prefix.rstrip(":") + ":"
        conn_url = urlunsplit(parts._replace(query=urlencode(query)))
        netloc = parts.hostname or ""
        if parts.port:
            netloc += f":{parts.port}"
        shown_query = "" if prefix == DEFAULT_PREFIX else f"prefix={prefix}"
        self.location = urlunsplit(parts._replace(netloc=netloc, query=shown_query))
        if client is None:
            client = _import_redis().Redis.from_url(conn_url, decode_responses=False)
        self._client: redis.Redis | None = client
        client.ping()
        self._lookup_script = client.register_script(_LOOKUP)
        self._add_script = client.register_script(_ADD)

    @property
    def client(self) -> redis.Redis:
        if self._client is None:
            raise RuntimeError(f"seen-store {self.location} is closed")
        return self._client

    # -- reads ----------------------------------------------------------------------------------
    def _lookup(self, canonical_url: str, content_hash: str, bands: list[int] | None) -> list[Any]:
        self.client  # noqa: B018 - raises when closed
        args: list[str | bytes] = [self.prefix, canonical_url, content_hash, "0" if bands is None else "1"]
        if bands is not None:
            args.append(_band_blob(bands))
        return list(self._lookup_script(args=args))

    @staticmethod
    def _hit(res: list[Any]) -> tuple[int, str, str]:
        return int(res[1]), _s(res[2]), _s(res[3])

    def _url_hit(self, canonical_url: str) -> tuple[int, str, str] | None:
        res = self._lookup(canonical_url, "", None)
        return self._hit(res) if res[0] == 2 else None

    def _content_hit(self, content_hash: str) -> tuple[int, str, str] | None:
        res = self._lookup("", content_hash, None)
        return self._hit(res) if res[0] == 1 else None

    def _band_candidates(self, bands: list[int]) -> list[tuple[int, Signature, str, str]]:
        return self._candidates(self._lookup("", "", bands)[1:])

    @staticmethod
    def _candidates(flat: list[Any]) -> list[tuple[int, Signature, str, str]]:
        out = []
        for i in range(0, len(flat), 4):
            art_id, fp, first_url, portal = flat[i : i + 4]
            if fp:
                out.append((int(art_id), Signature.from_bytes(fp), _s(first_url), _s(portal)))
        out.sort(key=lambda c: c[0])
        return out

    def _content_match(self, fp: BodyFingerprint) -> tuple[tuple[int, str, str] | None, Match | None]:
        """Content hash and LSH candidates in one round trip."""
        if not self.content_matchable(fp):
            return None, None
        near = fp.signature.size >= self.min_near_shingles
        res = self._lookup("", fp.content_hash, fp.bands if near else None)
        if res[0] == 1:
            hit = self._hit(res)
            return hit, Match("content", hit[1], hit[2], 1.0)
        return self._best_near(fp, self._candidates(res[1:]))

    def find_duplicate(
        self, canonical_url: str, body: str, *, fingerprint: BodyFingerprint | None = None
    ) -> Match | None:
        """As :meth:`BaseStore.find_duplicate`, in one round trip (URL, content and LSH probes in
        one script call; the body is fingerprinted first, even when the URL is known)."""
        fp = fingerprint or fingerprint_body(body)
        matchable = self.content_matchable(fp)
        near = matchable and fp.signature.size >= self.min_near_shingles
        res = self._lookup(canonical_url, fp.content_hash if matchable else "", fp.bands if near else None)
        if res[0] == 2:
            self._last = None
            hit = self._hit(res)
            return Match("url", hit[1], hit[2], 1.0)
        if res[0] == 1:
            chit: tuple[int, str, str] | None = self._hit(res)
            match: Match | None = Match("content", chit[1], chit[2], 1.0)  # type: ignore[index]
        else:
            chit, match = self._best_near(fp, self._candidates(res[1:]))
        self._last = (canonical_url, body, fp, chit, match)
        return match

    def has_url(self, canonical_url: str) -> bool:
        pipe = self.client.pipeline(transaction=False)
        pipe.hexists(self.prefix + "urls", canonical_url)
        pipe.hexists(self.prefix + "seen", canonical_url)
        return any(pipe.execute())

    def mark_seen(self, canonical_url: str, reason: str) -> None:
        self.client.hsetnx(self.prefix + "seen", canonical_url, reason)

    def get(self, canonical_url: str) -> SeenRecord | None:
        art_id = self.client.hget(self.prefix + "urls", canonical_url)
        if art_id is None:
            return None
        row = self.client.hgetall(self.prefix + "a:" + _s(art_id))
        f = {_s(k): v if isinstance(v, bytes) else v.encode("utf-8") for k, v in row.items()}
        return SeenRecord(
            canonical_url=_s(f["canonical_url"]),
            content_hash=_s(f["content_hash"]),
            fingerprint=Signature.from_bytes(f["fingerprint"]).to_hex(),
            portal=_s(f["portal"]),
            first_url=_s(f["first_url"]),
            first_seen=_s(f["first_seen"]),
        )

    def __len__(self) -> int:
        return int(self.client.get(self.prefix + "nextid") or 0)

    # -- writes ---------------------------------------------------------------------------------
    def _insert_article(self, record: SeenRecord, signature: Signature, bands: list[int]) -> None:
        self.client  # noqa: B018 - raises when closed
        self._add_script(
            args=[
                self.prefix,
                record.canonical_url,
                record.content_hash,
                signature.to_bytes(),
                record.portal,
                record.first_url,
                record.first_seen,
                _band_blob(bands),
                "1" if signature.size >= MIN_CONTENT_SHINGLES else "0",
            ]
        )

    def _insert_alias(self, canonical_url: str, article_id: int) -> None:
        self.client.hsetnx(self.prefix + "urls", canonical_url, article_id)

    def clear(self) -> None:
        """Delete every key of this store (its prefix) from the database."""
        keys = list(self.client.scan_iter(match=self.prefix + "*", count=10_000))
        for i in range(0, len(keys), 10_000):
            self.client.delete(*keys[i : i + 10_000])

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
