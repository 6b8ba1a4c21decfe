"""Seen-store benchmark: insert and near-duplicate lookup cost at 10k, 100k and 1M articles.

Run: ``python benchmarks/bench_store.py`` (all sizes, SQLite and Redis; a few minutes) or
``python benchmarks/bench_store.py --sizes 10000,100000 --backends sqlite`` for a quick run.
Redis needs ``redis-server`` on PATH (a temporary server is started on 127.0.0.1 for each size) and
the ``redis`` extra; without them the Redis rows are skipped with a note.

Each (backend, size) is built by one process (bulk load) and measured by another, which opens the
store as a crawl would (so its peak RSS is a crawl's). Records are synthetic: URLs and
content hashes from the record number, MinHash signatures drawn at random with a few bins taken
from small per-bin pools (the minima that common phrases such as 记者从…获悉 produce in real
texts), so fingerprints cost nothing to generate. Fingerprinting a real body is measured once,
apart (``fingerprint_body`` on a ~1,100-character Chinese text): it is the same at any size.

Columns:

Times are µs per item.

* ``load``: bulk load of the N records (batched transactions / pipelined script calls) per
  record: the way to build a large store, not the crawl's path.
* ``add``: what the crawl pays per new article at that size: ``find_duplicate`` (a miss) +
  ``add``, with the default durability (SQLite: one committed transaction per add, WAL,
  synchronous=NORMAL). ``batch``: the same with ``commit_every=100`` (a kill loses up to 99
  adds). ``FULL``: one transaction per add with synchronous=FULL (an fsync per article).
* ``miss``: ``find_duplicate`` of a new article (URL, content hash and LSH probes, no match):
  the common case; timed after as many warm-up lookups. ``near``: ``find_duplicate`` of a
  near-duplicate of a stored article (candidates fetched and verified); ``found``: share of those recognised.
* ``size``: SQLite file (+ WAL); Redis ``used_memory``. ``RSS``: peak RSS of the measuring
  process (for SQLite it includes the memory-mapped file pages that lookups touched: page cache,
  shared and reclaimable). ``server``: redis-server's peak memory.

Measured on the project machine (2 cores, 24 GiB, shared with other work, so ±20%; 2026-11-27),
``python benchmarks/bench_store.py`` (4 minutes)::

    fingerprint_body of a 1098-character body: 360 µs (any store size)
    backend   records   load    add  batch   FULL   miss   near found      size       RSS    server
    -----------------------------------------------------------------------------------------------
    sqlite     10,000   53.9  204.9  137.8  490.8   15.5   33.1  100%  11.2 MiB  69.5 MiB         -
    sqlite    100,000   62.2  365.3  302.8  600.8   23.8   43.3  100%  92.8 MiB 180.1 MiB         -
    sqlite  1,000,000   91.8  597.5  493.9  792.6   44.7   63.2  100% 929.6 MiB 799.3 MiB         -
    redis      10,000   89.8  221.5      -      -   89.6  146.7  100%  33.9 MiB  61.2 MiB  33.9 MiB
    redis     100,000   99.3  236.1      -      -  155.9  134.2  100% 181.7 MiB  61.3 MiB 181.7 MiB
    redis   1,000,000  128.6  648.2      -      -  128.6  165.4  100%   1.5 GiB  61.2 MiB   1.5 GiB

Reading it: a new article's lookup (``miss``) costs 16 / 24 / 45 µs at 10k / 100k / 1M in SQLite:
a fixed number of B-tree probes (URL, content hash, 21 LSH bands) in one statement, growing with
the tree's depth and cache misses, not with the number of records scanned; the store is read
through a memory map (SQLite caps it at 2 GiB, about 2M articles at ~930 bytes each). Redis costs
one round trip, 90-160 µs whatever the size (a bare PING is ~110 µs from Python here). Adding an
article to SQLite costs 0.2-0.6 ms (random inserts into the band index plus one WAL commit);
batching 100 adds per transaction saves little, so the default stays one transaction per add.
Fingerprinting the body (~0.4 ms) costs as much as the store, at any size.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newscrawler.dedupe.fingerprint import NUM_BINS, BodyFingerprint, Signature, fingerprint_body  # noqa: E402
from newscrawler.dedupe.store import BaseStore  # noqa: E402
from newscrawler.dedupe.stores import open_store  # noqa: E402

POOL_PER_BIN = 64
COMMON_BINS_PER_RECORD = 6
_POOL_RNG = random.Random(20261127)
POOLS = [[_POOL_RNG.getrandbits(32) for _ in range(POOL_PER_BIN)] for _ in range(NUM_BINS)]
PORTALS = ["jl_cri", "cnjiwang", "chinajilin", "jlntv", "changchun", "yanbian", "jilin_daily"]

SAMPLE_TEXT = (
    "7月8日，记者从中国一汽获悉，今年上半年，一汽集团累计销售整车160.5万辆，同比增长8.3%，"
    "其中自主品牌红旗销量达到15.2万辆，同比增长近四成，继续保持高速增长态势。\n"
    "据了解，面对芯片短缺、原材料价格上涨等多重压力，一汽集团坚持“稳产保供”，通过优化排产计划、"
    "加强与供应商协同，确保了各主要生产基地平稳运行。长春本部各整车工厂上半年累计开工天数超过140天。\n"
) * 6


def synthetic_fingerprint(i: int, rng: random.Random) -> BodyFingerprint:
    """A cheap, plausible fingerprint for record ``i``."""
    values = list(struct.unpack(f"<{NUM_BINS}I", rng.randbytes(4 * NUM_BINS)))
    for b in rng.sample(range(NUM_BINS), COMMON_BINS_PER_RECORD):
        values[b] = POOLS[b][rng.randrange(POOL_PER_BIN)]
    sig = Signature(values=tuple(values), size=200 + (i * 7919) % 600)
    chash = hashlib.sha1(i.to_bytes(8, "little")).hexdigest()
    return BodyFingerprint(content_hash=chash, simhash="0" * 16, signature=sig)


def perturb(fp: BodyFingerprint, rng: random.Random, bins: int = 10) -> BodyFingerprint:
    """A near-duplicate of ``fp``: ``bins`` of 64 bins changed (estimated Jaccard ~0.84)."""
    values = list(fp.signature.values)
    for b in rng.sample(range(NUM_BINS), bins):
        values[b] = rng.getrandbits(32)
    sig = Signature(values=tuple(values), size=fp.signature.size)
    return BodyFingerprint(content_hash="x" + fp.content_hash[1:], simhash="0" * 16, signature=sig)


def url_of(i: int) -> str:
    return f"https://www.portal{i % 7}.example.cn/news/{i // 1000}/{i}.html"


# --------------------------------------------------------------------------------------------
# Bulk loading (benchmark only: reaches into the backends' storage)


def bulk_load_sqlite(store: Any, n: int, rng: random.Random, keep_every: int) -> list[BodyFingerprint]:
    conn = store.conn
    conn.execute("PRAGMA cache_size = -1048576")  # 1 GiB while loading
    kept = []
    batch = 20_000
    for start in range(0, n, batch):
        articles, urls, bands = [], [], []
        for i in range(start, min(n, start + batch)):
            fp = synthetic_fingerprint(i, rng)
            if i % keep_every == 0:
                kept.append(fp)
            art_id = i + 1
            url = url_of(i)
            articles.append(
                (
                    art_id,
                    url,
                    fp.content_hash,
                    fp.signature.to_bytes(),
                    PORTALS[i % 7],
                    url,
                    "2026-11-27T00:00:00+00:00",
                )
            )
            urls.append((url, art_id))
            bands.extend((key, art_id) for key in fp.bands)
        bands.sort()
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO articles (id, canonical_url, content_hash, fingerprint, portal, first_url,"
            " first_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
            articles,
        )
        conn.executemany("INSERT INTO urls (canonical_url, article_id) VALUES (?, ?)", urls)
        conn.executemany("INSERT OR IGNORE INTO bands (band, article_id) VALUES (?, ?)", bands)
        conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA cache_size = -65536")  # back to the store's default (64 MiB)
    return kept


def bulk_load_redis(store: Any, n: int, rng: random.Random, keep_every: int) -> list[BodyFingerprint]:
    kept = []
    batch = 2_000
    for start in range(0, n, batch):
        pipe = store.client.pipeline(transaction=False)
        for i in range(start, min(n, start + batch)):
            fp = synthetic_fingerprint(i, rng)
            if i % keep_every == 0:
                kept.append(fp)
            url = url_of(i)
            store._claim_script(args=store._args("store", url, url, fp, PORTALS[i % 7]), client=pipe)
        pipe.execute()
    return kept


# --------------------------------------------------------------------------------------------
# One measurement (runs in its own process)


def _timed(fn: Any, items: list[Any]) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return (time.perf_counter() - start) / max(1, len(items)) * 1e6


def _open(backend: str, size: int, workdir: Path, redis_url: str | None, **kwargs: Any) -> BaseStore:
    if backend == "sqlite":
        from newscrawler.dedupe.sqlite_store import SQLiteStore

        return SQLiteStore(workdir / f"seen-{size}.sqlite3", **kwargs)
    assert redis_url is not None
    return open_store(redis_url)


def build(backend: str, size: int, workdir: Path, redis_url: str | None, lookups: int) -> dict[str, Any]:
    """Phase 1 (own process): bulk-load ``size`` records; keep a sample for near-duplicate queries."""
    store = _open(backend, size, workdir, redis_url)
    keep_every = max(1, size // lookups)
    t0 = time.perf_counter()
    loader = bulk_load_sqlite if backend == "sqlite" else bulk_load_redis
    kept = loader(store, size, random.Random(size), keep_every)
    load_us = (time.perf_counter() - t0) / size * 1e6
    assert len(store) == size, (len(store), size)
    store.close()
    sample = [(fp.signature.values, fp.signature.size, fp.content_hash) for fp in kept]
    (workdir / f"sample-{backend}-{size}.json").write_text(json.dumps(sample))
    return {"load_us": load_us, "load_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


def measure(
    backend: str, size: int, workdir: Path, redis_url: str | None, lookups: int, adds: int
) -> dict[str, Any]:
    """Phase 2 (own process, as a crawl would be): open the store, time lookups and adds."""
    sample_file = workdir / f"sample-{backend}-{size}.json"
    kept = [
        BodyFingerprint(content_hash=h, simhash="0" * 16, signature=Signature(values=tuple(v), size=n))
        for v, n, h in json.loads(sample_file.read_text())
    ]
    sample_file.unlink()
    store = _open(backend, size, workdir, redis_url)
    qrng = random.Random(7)

    def fresh(offset: int, n: int) -> list[tuple[str, BodyFingerprint]]:
        base = size + offset
        return [(url_of(base + j), synthetic_fingerprint(base + j, qrng)) for j in range(n)]

    misses = fresh(10_000_000, lookups)
    near = [(url_of(size + 20_000_000 + j), perturb(fp, qrng)) for j, fp in enumerate(kept[:lookups])]
    # Warm-up as long as the measurement: connection, script cache, and the memory map of the file
    # (a crawl that has run for a while has touched the pages; the first touch of each costs a
    # page fault).
    for url, fp in fresh(60_000_000, lookups):
        store.find_duplicate(url, "", fingerprint=fp)

    miss_us = _timed(lambda q: store.find_duplicate(q[0], "", fingerprint=q[1]), misses)
    found = []
    near_us = _timed(lambda q: found.append(store.find_duplicate(q[0], "", fingerprint=q[1])), near)
    near_found = sum(1 for m in found if m is not None and m.kind == "near") / max(1, len(found))
    false_hits = sum(
        1 for url, fp in misses[:200] if store.find_duplicate(url, "", fingerprint=fp) is not None
    )

    def find_add(q: tuple[str, BodyFingerprint]) -> None:
        url, fp = q
        if store.find_duplicate(url, "", fingerprint=fp) is None:
            store.add(url=url, canonical_url=url, body="", portal="bench", fingerprint=fp)

    result: dict[str, Any] = {
        "backend": backend,
        "size": size,
        "add_us": _timed(find_add, fresh(30_000_000, adds)),
        "miss_us": miss_us,
        "near_us": near_us,
        "near_recall": near_found,
        "false_hits": false_hits,
        "add_batch_us": None,
        "add_full_us": None,
        "server_peak": None,
    }
    store.close()
    if backend == "sqlite":
        store = _open(backend, size, workdir, redis_url, commit_every=100)
        result["add_batch_us"] = _timed(find_add, fresh(40_000_000, adds))
        store.close()
        store = _open(backend, size, workdir, redis_url, synchronous="FULL")
        result["add_full_us"] = _timed(find_add, fresh(50_000_000, min(adds, 300)))
        store.close()
        files = list(workdir.glob(f"seen-{size}.sqlite3*"))
        result["bytes"] = sum(p.stat().st_size for p in files if p.is_file())
        for p in files:
            p.unlink()
    else:
        client = _import_redis_client(redis_url)
        info = client.info("memory")
        result["bytes"] = int(info["used_memory"])
        result["server_peak"] = int(info["used_memory_peak"])
        client.close()
    result["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return result


def _import_redis_client(url: str | None) -> Any:
    import redis

    return redis.Redis.from_url(url or "")


# --------------------------------------------------------------------------------------------
# Driver


def _human(n: float | None) -> str:
    if n is None:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _fmt_us(v: float | None) -> str:
    return "-" if v is None else f"{v:.1f}"


def fingerprint_cost() -> float:
    n = 200
    start = time.perf_counter()
    for _ in range(n):
        fingerprint_body(SAMPLE_TEXT)
    return (time.perf_counter() - start) / n * 1e6


def format_table(rows: list[dict[str, Any]]) -> str:
    """The result table (times in µs per item)."""
    header = (
        f"{'backend':7} {'records':>9} {'load':>6} {'add':>6} {'batch':>6} {'FULL':>6} {'miss':>6} "
        f"{'near':>6} {'found':>5} {'size':>9} {'RSS':>9} {'server':>9}"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r['backend']:7} {r['size']:>9,} {r['load_us']:>6.1f} {r['add_us']:>6.1f} "
            f"{_fmt_us(r['add_batch_us']):>6} {_fmt_us(r['add_full_us']):>6} {r['miss_us']:>6.1f} "
            f"{r['near_us']:>6.1f} {r['near_recall']:>5.0%} {_human(r['bytes']):>9} "
            f"{_human(r['peak_rss']):>9} {_human(r.get('server_peak')):>9}"
        )
    return "\n".join(lines)


def run_child(
    backend: str, size: int, workdir: Path, redis_url: str | None, args: argparse.Namespace
) -> dict[str, Any]:
    """Build, then measure, each in a fresh process."""
    result: dict[str, Any] = {}
    for phase in ("build", "measure"):
        cmd = [sys.executable, __file__, "--child", phase, backend, str(size), "--workdir", str(workdir)]
        cmd += ["--lookups", str(args.lookups), "--adds", str(args.adds)]
        if redis_url:
            cmd += ["--redis-url", redis_url]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"{backend} {size} {phase} failed:\n{out.stderr}")
        result.update(json.loads(out.stdout.strip().splitlines()[-1]))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Seen-store benchmark (SQLite, Redis).")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated store sizes")
    parser.add_argument("--backends", default="sqlite,redis")
    parser.add_argument("--lookups", type=int, default=2000, help="lookups timed per size")
    parser.add_argument("--adds", type=int, default=1000, help="find+add timed per size")
    parser.add_argument(
        "--workdir", type=Path, default=None, help="where the SQLite files go (default: a temp dir)"
    )
    parser.add_argument("--child", nargs=3, metavar=("PHASE", "BACKEND", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--redis-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        phase, backend, size = args.child[0], args.child[1], int(args.child[2])
        if phase == "build":
            res = build(backend, size, args.workdir, args.redis_url, args.lookups)
        else:
            res = measure(backend, size, args.workdir, args.redis_url, args.lookups, args.adds)
        print(json.dumps(res))
        return 0

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    cost = fingerprint_cost()
    print(f"fingerprint_body of a {len(SAMPLE_TEXT)}-character body: {cost:.0f} µs (any store size)")
    notes: list[str] = []
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-store-", dir=args.workdir) as tmp:
        workdir = Path(tmp)
        for backend in backends:
            if backend == "redis":
                from newscrawler.dedupe.testing import redis_server, redis_server_path

                if redis_server_path() is None:
                    notes.append(
                        "redis: skipped, redis-server is not installed (apt-get install redis-server)"
                    )
                    continue
                try:
                    import redis  # noqa: F401
                except ImportError:
                    notes.append("redis: skipped, the redis package is missing (pip install '.[redis]')")
                    continue
                for size in sizes:
                    with redis_server(workdir / f"redis-{size}") as url:
                        rows.append(run_child("redis", size, workdir, url, args))
                    print(f"  done redis {size}", file=sys.stderr)
            elif backend == "sqlite":
                for size in sizes:
                    rows.append(run_child("sqlite", size, workdir, None, args))
                    print(f"  done sqlite {size}", file=sys.stderr)
            else:
                parser.error(f"unknown backend {backend}")

    print(format_table(rows))
    for r in rows:
        if r["false_hits"]:
            notes.append(
                f"{r['backend']} {r['size']}: {r['false_hits']} of 200 new articles matched something"
            )
    for note in notes:
        print("note:", note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
