"""A seen-store in Redis, to share one store between processes or machines.

Needs the ``redis`` extra (``pip install 'newscrawler[redis]'``). Open it with
``open_store("redis://host:6379/0")``; an optional ``?prefix=NAME`` query parameter (default
``newscrawler:seen``) namespaces the keys so several stores can share one database.

Keys (``P`` = prefix):

* ``P:urls`` hash: canonical URL -> article id (first copies and duplicates alike)
* ``P:seen`` hash: canonical URL -> reason, for links that gave no article (``mark_seen``)
* ``P:hashes`` hash: content hash -> article id
* ``P:a:<id>`` hash: the article's record (``fingerprint`` is the binary signature); a claim
  also has ``claim_crawl``, ``claim_session``, ``claim_expires`` and ``bands`` (see below)
* ``P:claims`` sorted set: the ids of the live claims, scored by their expiry time
* ``P:nextid``: the last article id; ``P:stored``: the number of stored articles
* ``P:b:<bucket>`` hashes: LSH band key (8 bytes) -> comma-separated article ids. Band keys are
  spread over ``BAND_BUCKETS`` hashes by their first 18 bits, so each stays small (Redis' compact
  listpack encoding up to ~1.5M articles with the default ``hash-max-listpack-entries 128``;
  beyond, the hashes switch to Redis' regular encoding: same lookups, more memory).

Each claim, add and lookup is one Lua script call (one round trip, atomic: expired claims are
dropped, the URL, content hash and bands looked up, the best of at most ``MAX_NEAR_CANDIDATES``
candidates verified in the script, and a new article stored or claimed), so two crawlers meeting
the same URL or body at once still export and store one article. Lookup cost is a fixed number of
hash probes, independent of the store's size, plus the network round trip. Durability is the Redis
server's (configure ``appendonly yes`` for a store that must survive a server restart).
"""

from __future__ import annotations

import struct
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .fingerprint import NUM_BINS, BodyFingerprint, Signature, fingerprint_body
from .store import (
    CLAIM_LEASE_SECONDS,
    MAX_NEAR_CANDIDATES,
    MIN_NEAR_SHINGLES,
    NEAR_DUPLICATE_THRESHOLD,
    BaseStore,
    Claim,
    Match,
    MatchKind,
    SeenRecord,
    StoreError,
    utc_now_iso,
)

if TYPE_CHECKING:
    import redis

__all__ = ["BAND_BUCKETS", "DEFAULT_PREFIX", "RedisStore"]

DEFAULT_PREFIX = "newscrawler:seen"
BAND_BUCKETS = 1 << 18

# Lua helpers shared by the scripts. ``p`` is the key prefix. An article is the hash ``p a:<id>``;
# a claim is an article with the fields claim_crawl, claim_session, claim_expires and bands (its
# packed band keys, to undo its index entries), and its id in the sorted set ``p claims``.
_LIB = """
local function bucket(key)
  return string.byte(key, 1) * 1024 + string.byte(key, 2) * 4 + math.floor(string.byte(key, 3) / 64)
end
local function uint32(s, i)
  local a, b, c, d = string.byte(s, i, i + 3)
  return a + b * 256 + c * 65536 + d * 16777216
end
local function drop(p, id)
  local a = redis.call('HMGET', p .. 'a:' .. id, 'canonical_url', 'content_hash', 'bands')
  if a[1] and redis.call('HGET', p .. 'urls', a[1]) == id then redis.call('HDEL', p .. 'urls', a[1]) end
  if a[2] and redis.call('HGET', p .. 'hashes', a[2]) == id then redis.call('HDEL', p .. 'hashes', a[2]) end
  local blob = a[3] or ''
  for i = 1, #blob, 8 do
    local key = string.sub(blob, i, i + 7)
    local k = p .. 'b:' .. bucket(key)
    local cur = redis.call('HGET', k, key)
    if cur then
      local kept = {}
      for cid in string.gmatch(cur, '[^,]+') do
        if cid ~= id then table.insert(kept, cid) end
      end
      if #kept > 0 then
        redis.call('HSET', k, key, table.concat(kept, ','))
      else
        redis.call('HDEL', k, key)
      end
    end
  end
  redis.call('DEL', p .. 'a:' .. id)
  redis.call('ZREM', p .. 'claims', id)
end
-- (a store written before claims existed has no 'stored' count: every id was an article)
local function stored_count(p)
  if redis.call('EXISTS', p .. 'stored') == 0 then
    redis.call('SET', p .. 'stored', redis.call('GET', p .. 'nextid') or 0)
  end
end
"""

# ARGV: prefix, mode ('find': read only, stored articles; 'claim'; 'store'), canonical URL,
# content hash ('' = no content lookup), band keys packed 8 bytes each ('' = no near lookup),
# signature blob, portal, first URL, first_seen, crawl id, session, now, lease seconds, threshold,
# min_near_shingles, max candidates, number of bins.
# Returns {kind, id, first_url, portal, claimed, similarity*1e6} (kind 3 = url, 2 = content,
# 1 = near; id 0 when the match is a claim) or {0, id} (new: stored or claimed under id) or {0}.
_CLAIM = (
    _LIB
    + """
local p, mode, canon, chash, blob = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local now = tonumber(ARGV[12])
if mode ~= 'find' then
  stored_count(p)
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', p .. 'claims', '-inf', '(' .. ARGV[12])) do drop(p, id) end
end
local function found(kind, id, sim)
  local a = redis.call('HMGET', p .. 'a:' .. id, 'first_url', 'portal', 'claim_session')
  local claimed = a[3] and 1 or 0
  if claimed == 1 and mode == 'find' then return nil end
  return {kind, claimed == 1 and 0 or tonumber(id), a[1], a[2], claimed, sim}
end
if canon ~= '' then
  local id = redis.call('HGET', p .. 'urls', canon)
  if id then
    local r = found(3, id, 1000000)
    if r then return r end
  end
end
if chash ~= '' then
  local id = redis.call('HGET', p .. 'hashes', chash)
  if id then
    local r = found(2, id, 1000000)
    if r then return r end
  end
end
if blob ~= '' then
  local shared, ids = {}, {}
  for i = 1, #blob, 8 do
    local key = string.sub(blob, i, i + 7)
    local list = redis.call('HGET', p .. 'b:' .. bucket(key), key)
    if list then
      for cid in string.gmatch(list, '[^,]+') do
        if not shared[cid] then shared[cid] = 0; table.insert(ids, cid) end
        shared[cid] = shared[cid] + 1
      end
    end
  end
  table.sort(ids, function(x, y)
    if shared[x] ~= shared[y] then return shared[x] > shared[y] end
    return tonumber(x) < tonumber(y)
  end)
  local sig, threshold, min_near, bins = ARGV[6], tonumber(ARGV[14]), tonumber(ARGV[15]), tonumber(ARGV[17])
  local best, best_id, best_same = nil, nil, -1
  for n = 1, math.min(#ids, tonumber(ARGV[16])) do
    local cid = ids[n]
    local a = redis.call('HMGET', p .. 'a:' .. cid, 'fingerprint', 'claim_session')
    local other = a[1]
    if other and (mode ~= 'find' or not a[2]) and uint32(other, 1) >= min_near then
      local same = 0
      for i = 5, 4 * bins + 1, 4 do
        if string.sub(sig, i, i + 3) == string.sub(other, i, i + 3) then same = same + 1 end
      end
      local better = same > best_same or (same == best_same and tonumber(cid) < best_id)
      if same / bins >= threshold and better then
        best, best_id, best_same = cid, tonumber(cid), same
      end
    end
  end
  if best then return found(1, best, best_same) end
end
if mode == 'find' then return {0} end
local id = redis.call('INCR', p .. 'nextid')
local k = p .. 'a:' .. id
redis.call('HSET', k, 'canonical_url', canon, 'content_hash', chash, 'fingerprint', ARGV[6],
  'portal', ARGV[7], 'first_url', ARGV[8], 'first_seen', ARGV[9])
redis.call('HSET', p .. 'urls', canon, id)
if chash ~= '' then redis.call('HSET', p .. 'hashes', chash, id) end
local bands = ARGV[18]
for i = 1, #bands, 8 do
  local key = string.sub(bands, i, i + 7)
  local bk = p .. 'b:' .. bucket(key)
  local cur = redis.call('HGET', bk, key)
  if cur then redis.call('HSET', bk, key, cur .. ',' .. id) else redis.call('HSET', bk, key, id) end
end
if mode == 'claim' then
  local expires = now + tonumber(ARGV[13])
  redis.call('HSET', k, 'claim_crawl', ARGV[10], 'claim_session', ARGV[11], 'claim_expires', expires,
    'bands', bands)
  redis.call('ZADD', p .. 'claims', expires, id)
else
  redis.call('INCR', p .. 'stored')
end
return {0, id}
"""
)

# ARGV: prefix, article id, session, first_seen. The claim becomes a stored article: 1, or 0
# when it is not (or no longer) this session's claim.
_CONFIRM = (
    _LIB
    + """
local p, id = ARGV[1], ARGV[2]
local k = p .. 'a:' .. id
if redis.call('HGET', k, 'claim_session') ~= ARGV[3] then return 0 end
redis.call('HDEL', k, 'claim_crawl', 'claim_session', 'claim_expires', 'bands')
redis.call('HSET', k, 'first_seen', ARGV[4])
redis.call('ZREM', p .. 'claims', id)
redis.call('INCR', p .. 'stored')
return 1
"""
)

# ARGV: prefix, article id, session: this session's claim is dropped.
_RELEASE = (
    _LIB
    + """
local p, id = ARGV[1], ARGV[2]
if redis.call('HGET', p .. 'a:' .. id, 'claim_session') == ARGV[3] then drop(p, id) end
return 0
"""
)

# ARGV: prefix, crawl id, session: the claims of this crawl made by other sessions are dropped.
_DROP_PREDECESSORS = (
    _LIB
    + """
local p = ARGV[1]
for _, id in ipairs(redis.call('ZRANGE', p .. 'claims', 0, -1)) do
  local a = redis.call('HMGET', p .. 'a:' .. id, 'claim_crawl', 'claim_session')
  if a[1] == ARGV[2] and a[2] ~= ARGV[3] then drop(p, id) end
end
return 0
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


_KINDS: dict[int, MatchKind] = {3: "url", 2: "content", 1: "near"}


def _band_blob(bands: list[int]) -> bytes:
    """The band keys as one argument: 8 bytes each (signed little-endian); Lua splits them."""
    return struct.pack(f"<{len(bands)}q", *bands)


def _s(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


class RedisStore(BaseStore):
    """Seen-store in a Redis database at ``url`` (``redis://host:port/db[?prefix=NAME]``).

    ``client``: an existing ``redis.Redis`` (binary responses) to use instead of connecting.
    ``location`` is the URL without its password. See
    :class:`~newscrawler.dedupe.store.BaseStore` for the other arguments.
    """

    def __init__(
        self,
        url: str,
        *,
        threshold: float = NEAR_DUPLICATE_THRESHOLD,
        min_near_shingles: int = MIN_NEAR_SHINGLES,
        lease_seconds: float = CLAIM_LEASE_SECONDS,
        crawl_id: str | None = None,
        prefix: str | None = None,
        client: redis.Redis | None = None,
    ) -> None:
        super().__init__(
            threshold=threshold,
            min_near_shingles=min_near_shingles,
            lease_seconds=lease_seconds,
            crawl_id=crawl_id,
        )
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
        redis_lib = _import_redis()
        try:
            if client is None:
                client = redis_lib.Redis.from_url(conn_url, decode_responses=False)
            client.ping()
        except (ValueError, redis_lib.RedisError) as exc:
            raise StoreError(f"cannot open the seen-store {self.location}: {exc}") from exc
        self._client: redis.Redis | None = client
        self._claim_script = client.register_script(_CLAIM)
        self._confirm_script = client.register_script(_CONFIRM)
        self._release_script = client.register_script(_RELEASE)
        client.register_script(_DROP_PREDECESSORS)(args=[self.prefix, self.crawl_id, self.session])

    @property
    def client(self) -> redis.Redis:
        if self._client is None:
            raise RuntimeError(f"seen-store {self.location} is closed")
        return self._client

    # -- lookups and claims (one script call each) ------------------------------------------------
    def _args(self, mode: str, url: str, canonical_url: str, fp: BodyFingerprint, portal: str) -> list[Any]:
        """The claim script's arguments (see ``_CLAIM``)."""
        matchable = self.content_matchable(fp)
        args: list[str | bytes | float | int] = [
            self.prefix,
            mode,
            canonical_url,
            fp.content_hash if matchable else "",
            _band_blob(fp.bands) if self.near_matchable(fp) else b"",
            fp.signature.to_bytes(),
            portal,
            url,
            utc_now_iso(),
            self.crawl_id,
            self.session,
            repr(time.time()),
            repr(float(self.lease_seconds)),
            repr(float(self.threshold)),
            self.min_near_shingles,
            MAX_NEAR_CANDIDATES,
            NUM_BINS,
            _band_blob(fp.bands),
        ]
        return args

    def _run(self, mode: str, url: str, canonical_url: str, fp: BodyFingerprint, portal: str) -> list[Any]:
        self.client  # noqa: B018 - raises when closed
        return list(self._claim_script(args=self._args(mode, url, canonical_url, fp, portal)))

    @staticmethod
    def _match(res: list[Any]) -> tuple[Match, int | None]:
        kind = _KINDS[int(res[0])]
        claimed = bool(int(res[4]))
        similarity = 1.0 if kind != "near" else int(res[5]) / NUM_BINS
        art_id = int(res[1]) or None
        return Match(kind, _s(res[2]), _s(res[3]), similarity, claimed), None if kind == "url" else art_id

    def _claim(self, url: str, canonical_url: str, fp: BodyFingerprint, portal: str, *, lease: bool) -> Claim:
        res = self._run("claim" if lease else "store", url, canonical_url, fp, portal)
        if int(res[0]) == 0:
            return Claim(url, canonical_url, None, int(res[1]), fp, portal)
        match, art_id = self._match(res)
        return Claim(url, canonical_url, match, art_id, fp, portal)

    def find_duplicate(
        self, canonical_url: str, body: str, *, fingerprint: BodyFingerprint | None = None
    ) -> Match | None:
        """As :meth:`BaseStore.find_duplicate`, in one round trip."""
        res = self._run("find", "", canonical_url, fingerprint or fingerprint_body(body), "")
        return None if int(res[0]) == 0 else self._match(res)[0]

    def _confirm_new(self, claim: Claim) -> bool:
        self.client  # noqa: B018 - raises when closed
        return bool(
            self._confirm_script(args=[self.prefix, claim.article_id or 0, self.session, utc_now_iso()])
        )

    def release(self, claim: Claim) -> None:
        if claim.match is None and claim.article_id is not None:
            self.client  # noqa: B018 - raises when closed
            self._release_script(args=[self.prefix, claim.article_id, self.session])

    def has_url(self, canonical_url: str) -> bool:
        pipe = self.client.pipeline(transaction=False)
        pipe.hget(self.prefix + "urls", canonical_url)
        pipe.hexists(self.prefix + "seen", canonical_url)
        art_id, seen = pipe.execute()
        if seen:
            return True
        return art_id is not None and not self.client.hexists(
            self.prefix + "a:" + _s(art_id), "claim_session"
        )

    def mark_seen(self, canonical_url: str, reason: str) -> None:
        self.client.hsetnx(self.prefix + "seen", canonical_url, reason)

    def get(self, canonical_url: str) -> SeenRecord | None:
        art_id = self.client.hget(self.prefix + "urls", canonical_url)
        if art_id is None:
            return None
        row = self.client.hgetall(self.prefix + "a:" + _s(art_id))
        f = {_s(k): v if isinstance(v, bytes) else v.encode("utf-8") for k, v in row.items()}
        if not f or "claim_session" in f:
            return None
        return SeenRecord(
            canonical_url=_s(f["canonical_url"]),
            content_hash=_s(f["content_hash"]),
            fingerprint=Signature.from_bytes(f["fingerprint"]).to_hex(),
            portal=_s(f["portal"]),
            first_url=_s(f["first_url"]),
            first_seen=_s(f["first_seen"]),
        )

    def __len__(self) -> int:
        stored = self.client.get(self.prefix + "stored")
        return int(stored if stored is not None else self.client.get(self.prefix + "nextid") or 0)

    # -- writes -----------------------------------------------------------------------------------
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
