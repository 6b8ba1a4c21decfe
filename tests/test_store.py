"""The seen-store: same behaviour for the memory, SQLite and Redis backends."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawler.dedupe.fingerprint import canonical_url, fingerprint_body
from newscrawler.dedupe.store import BaseStore, Match, SeenStore, default_store_path
from newscrawler.dedupe.stores import MemoryStore, open_store
from newscrawler.dedupe.testing import redis_server, redis_server_path

ARTICLE = (
    "6月3日，记者从通化医药高新区获悉，今年以来，该区紧紧围绕医药健康产业发展，"
    "开展“百日会战”，全力推动项目建设，截至目前已开复工项目23个。\n"
    "在位于西区的修正药业集团新厂区，工人们正在紧张施工，塔吊林立，车辆穿梭。"
    "据介绍，该项目总投资12亿元，建成后年产值可达30亿元，可新增就业岗位800个。\n"
    "通化医药高新区相关负责人表示，将继续优化营商环境，为企业提供全程代办服务，"
    "确保项目早开工、早建成、早见效。"
)
REPRINT = (
    "原标题：通化医药高新区百日会战\n"
    + ARTICLE.replace("\n", "\n\n")
    + "\n（来源：吉林日报）本网转载此文仅为传递信息，不代表本网观点。"
)
OTHER = (
    "记者从省气象台获悉，受冷空气影响，预计6月5日至7日我省将出现一次明显降温降雨天气过程，"
    "中东部地区有中到大雨，局地暴雨，并伴有雷电和短时大风。\n"
    "气象部门提醒，各地要做好城市内涝、山洪和地质灾害防范工作，农民朋友要抓住降雨间隙开展田间管理，"
    "及时排除田间积水，防止作物受渍害。"
)
URL = "http://jl.cri.cn/20200604/abc.html"
URL2 = "http://www.cnjiwang.com/jlxw/202006/t20200604_1.html"


def _redis_available() -> bool:
    return redis_server_path() is not None


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not _redis_available():
        pytest.skip("redis-server is not installed (apt-get install redis-server); .ci/run installs it")
    pytest.importorskip("redis", reason="the redis extra is not installed: pip install '.[redis]'")
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


_redis_counter = iter(range(10**6))


@pytest.fixture(params=["memory", "sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BaseStore]:
    if request.param == "memory":
        s: BaseStore = open_store(None)
    elif request.param == "sqlite":
        s = open_store(tmp_path / "sub" / "seen.sqlite3")
    else:
        url = request.getfixturevalue("redis_url")
        s = open_store(f"{url}?prefix=test{next(_redis_counter)}")
    yield s
    s.close()


def test_store_satisfies_protocol(store: BaseStore) -> None:
    assert isinstance(store, SeenStore)
    assert store.location


def test_new_article_then_url_duplicate(store: BaseStore) -> None:
    canon = canonical_url(URL)
    assert not store.has_url(canon)
    assert store.find_duplicate(canon, ARTICLE) is None
    store.add(url=URL + "?utm_source=wx", canonical_url=canon, body=ARTICLE, portal="jl_cri")
    assert store.has_url(canon)
    assert len(store) == 1
    match = store.find_duplicate(canon, "whatever body")
    assert match == Match("url", URL + "?utm_source=wx", "jl_cri", 1.0)
    rec = store.get(canon)
    assert rec is not None
    assert rec.canonical_url == canon
    assert rec.first_url == URL + "?utm_source=wx"
    assert rec.portal == "jl_cri"
    assert rec.content_hash == fingerprint_body(ARTICLE).content_hash
    assert rec.fingerprint == fingerprint_body(ARTICLE).signature.to_hex()
    assert rec.first_seen.endswith("+00:00")
    assert store.get("http://nowhere/") is None


def test_exact_content_duplicate_on_another_url(store: BaseStore) -> None:
    store.add(url=URL, canonical_url=URL, body=ARTICLE, portal="jl_cri")
    reformatted = ARTICLE.replace("，", ",").replace("\n", "\n\n  ")
    match = store.find_duplicate(URL2, reformatted)
    assert match == Match("content", URL, "jl_cri", 1.0)
    store.add(url=URL2, canonical_url=URL2, body=reformatted, portal="cnjiwang")
    # the reprint URL is remembered (not downloaded next time) but the article is stored once
    assert store.has_url(URL2)
    assert len(store) == 1
    rec = store.get(URL2)
    assert rec is not None and rec.first_url == URL and rec.portal == "jl_cri"
    assert store.find_duplicate(URL2, reformatted) == Match("url", URL, "jl_cri", 1.0)


def test_near_duplicate_reprint(store: BaseStore) -> None:
    store.add(url=URL, canonical_url=URL, body=ARTICLE, portal="jl_cri")
    match = store.find_duplicate(URL2, REPRINT)
    assert match is not None
    assert match.kind == "near"
    assert match.first_url == URL
    assert match.portal == "jl_cri"
    assert 0.5 <= match.similarity < 1.0
    store.add(url=URL2, canonical_url=URL2, body=REPRINT, portal="cnjiwang")
    assert len(store) == 1
    assert store.has_url(URL2)


def test_distinct_article_is_new(store: BaseStore) -> None:
    store.add(url=URL, canonical_url=URL, body=ARTICLE, portal="jl_cri")
    assert store.find_duplicate(URL2, OTHER) is None
    store.add(url=URL2, canonical_url=URL2, body=OTHER, portal="jl_cri")
    assert len(store) == 2
    assert store.get(URL2) is not None and store.get(URL2).first_url == URL2  # type: ignore[union-attr]


def test_add_without_find_and_readd_is_noop(store: BaseStore) -> None:
    store.add(url=URL, canonical_url=URL, body=ARTICLE, portal="jl_cri")
    store.add(url=URL, canonical_url=URL, body=OTHER, portal="other")
    assert len(store) == 1
    rec = store.get(URL)
    assert rec is not None and rec.portal == "jl_cri"
    # near-duplicate added directly (no find_duplicate first) becomes an alias too
    store.add(url=URL2, canonical_url=URL2, body=REPRINT, portal="cnjiwang")
    assert len(store) == 1
    assert store.find_duplicate("http://x/3", REPRINT) is not None


def test_precomputed_fingerprint_is_used(store: BaseStore) -> None:
    fp = fingerprint_body(ARTICLE)
    assert store.find_duplicate(URL, ARTICLE, fingerprint=fp) is None
    store.add(url=URL, canonical_url=URL, body=ARTICLE, portal="p", fingerprint=fp)
    assert store.find_duplicate(URL2, ARTICLE, fingerprint=fp) == Match("content", URL, "p", 1.0)


def test_short_bodies_match_only_exactly(store: BaseStore) -> None:
    store.add(url=URL, canonical_url=URL, body="长春今天晴，最高气温25度。", portal="p")
    assert store.find_duplicate(URL2, "长春今天晴，最高气温26度。") is None
    assert store.find_duplicate(URL2, "长春今天晴 最高气温25度") is not None


def test_many_articles_no_false_matches(store: BaseStore) -> None:
    for i in range(200):
        body = f"第{i}号通报：" + OTHER.replace("6月5日", f"{i % 28 + 1}月{i}日") + f"编号{i * 7919}。" * 3
        body = body.replace("中东部", f"第{i}区域") + ARTICLE[: (i * 13) % 50]
        store.add(url=f"http://x.cn/{i}", canonical_url=f"http://x.cn/{i}", body=body, portal="p")
    # templated notices are near-duplicates of each other: stored once or a few times
    assert 1 <= len(store) < 200
    assert all(store.has_url(f"http://x.cn/{i}") for i in range(200))
    assert store.find_duplicate("http://y.cn/new", ARTICLE) is None


def test_closed_store_raises(tmp_path: Path) -> None:
    s = open_store(tmp_path / "s.sqlite3")
    s.close()
    s.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        s.has_url(URL)


def test_open_store_specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(open_store(None), MemoryStore)
    assert open_store(":memory:").location == ":memory:"
    path = tmp_path / "a" / "b" / "seen.sqlite3"
    with open_store(str(path)) as s:
        assert s.location == str(path)
    assert path.exists()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_store_path() == tmp_path / "xdg" / "newscrawler" / "seen.sqlite3"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_store_path() == tmp_path / "home" / ".local" / "share" / "newscrawler" / "seen.sqlite3"


def test_sqlite_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "seen.sqlite3"
    with open_store(path) as s:
        s.add(url=URL, canonical_url=URL, body=ARTICLE, portal="jl_cri")
    with open_store(path) as s:
        assert s.has_url(URL)
        assert s.find_duplicate(URL2, REPRINT) is not None
        assert len(s) == 1
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


_KILL_CHILD = """
import os, sys
from newscrawler.dedupe.stores import open_store
s = open_store(sys.argv[1])
for i in range(100000):
    s.add(url=f"http://x.cn/{i}", canonical_url=f"http://x.cn/{i}",
          body=f"第{i}篇文章正文内容，吉林省长春市新闻报道编号{i}。" * 4, portal="p")
    if i == 300:
        print("ready", flush=True)
"""


def test_sqlite_survives_sigkill_mid_write(tmp_path: Path) -> None:
    """Every add that returned is on disk after a SIGKILL, and the file is intact."""
    path = tmp_path / "seen.sqlite3"
    proc = subprocess.Popen([sys.executable, "-c", _KILL_CHILD, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    proc.kill()
    proc.wait()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with open_store(path) as s:
        n = len(s)
        assert n >= 301
        for i in range(n):  # articles are added in order: no gap, each with its URL
            assert s.has_url(f"http://x.cn/{i}")
        assert not s.has_url(f"http://x.cn/{n}")


def test_sqlite_batched_commits(tmp_path: Path) -> None:
    from newscrawler.dedupe.sqlite_store import SQLiteStore

    path = tmp_path / "seen.sqlite3"
    s = SQLiteStore(path, commit_every=50)
    for i in range(120):
        s.add(url=f"http://x.cn/{i}", canonical_url=f"http://x.cn/{i}", body=f"正文{i}" * 30, portal="p")
    other = sqlite3.connect(path)
    assert other.execute("SELECT count(*) FROM urls").fetchone()[0] == 100
    s.close()
    assert other.execute("SELECT count(*) FROM urls").fetchone()[0] == 120
    other.close()


def test_sqlite_shared_by_two_connections(tmp_path: Path) -> None:
    path = tmp_path / "seen.sqlite3"
    with open_store(path) as a, open_store(path) as b:
        a.add(url=URL, canonical_url=URL, body=ARTICLE, portal="jl_cri")
        assert b.has_url(URL)
        # b looked up before a added: its add must not store a second article
        assert b.find_duplicate(URL2, OTHER) is None
        a.add(url=URL2 + "#x", canonical_url=URL2, body=OTHER, portal="jl_cri")
        b.add(url=URL2, canonical_url=URL2, body=OTHER, portal="cnjiwang")
        assert len(a) == 2
        rec = a.get(URL2)
        assert rec is not None and rec.portal == "jl_cri"


@pytest.mark.skipif(not _redis_available(), reason="redis-server is not installed")
def test_redis_shared_between_clients(redis_url: str) -> None:
    a = open_store(f"{redis_url}?prefix=shared")
    b = open_store(f"{redis_url}?prefix=shared")
    other = open_store(f"{redis_url}?prefix=elsewhere")
    try:
        assert "prefix=shared" in a.location
        a.add(url=URL, canonical_url=URL, body=ARTICLE, portal="jl_cri")
        assert b.has_url(URL)
        assert not other.has_url(URL)
        assert b.find_duplicate(URL2, REPRINT) is not None
        assert b.find_duplicate(URL2, OTHER) is None
        a.add(url=URL2, canonical_url=URL2, body=OTHER, portal="jl_cri")
        b.add(url=URL2, canonical_url=URL2, body=OTHER, portal="cnjiwang")
        assert len(b) == 2
        rec = b.get(URL2)
        assert rec is not None and rec.portal == "jl_cri"
    finally:
        a.clear()
        for s in (a, b, other):
            s.close()


def test_redis_missing_package_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from newscrawler.dedupe import redis_store

    real_import = builtins.__import__

    def fake_import(name: str, *args: object, **kwargs: object) -> object:
        if name == "redis":
            raise ImportError("No module named 'redis'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(RuntimeError, match=r"newscrawler\[redis\]"):
        redis_store._import_redis()


def test_no_scrapy_import() -> None:
    code = (
        "import sys; import newscrawler.dedupe.store, newscrawler.dedupe.sqlite_store,"
        " newscrawler.dedupe.fingerprint; print('scrapy' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ}
    )
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("body", ["", "  \n ", "视频", "【组图】点击查看大图"])
def test_empty_or_tiny_bodies_only_match_by_url(store: BaseStore, body: str) -> None:
    """Image/video pages with no real text must not all collapse into the first one."""
    store.add(url=URL, canonical_url=URL, body=body, portal="p")
    assert store.has_url(URL)
    assert store.find_duplicate(URL2, body) is None
    store.add(url=URL2, canonical_url=URL2, body=body, portal="p")
    assert len(store) == 2
    assert store.find_duplicate(URL2, body) == Match("url", URL2, "p", 1.0)


def test_lookup_with_and_without_precomputed_fingerprint_agree(store: BaseStore) -> None:
    """Backends have a one-query path when the fingerprint is given: same answers."""
    store.add(url=URL, canonical_url=URL, body=ARTICLE, portal="jl_cri")
    store.add(url="http://x.cn/stub", canonical_url="http://x.cn/stub", body="视频", portal="p")
    cases = [
        (URL, "anything"),  # url
        (URL2, ARTICLE.replace("，", ",")),  # content
        (URL2, REPRINT),  # near
        (URL2, OTHER),  # new
        ("http://x.cn/stub2", "视频"),  # stub: url only
    ]
    for canon, body in cases:
        plain = store.find_duplicate(canon, body)
        given = store.find_duplicate(canon, body, fingerprint=fingerprint_body(body))
        assert plain == given, (canon, body[:10])
    assert [m.kind if m else None for m in (store.find_duplicate(c, b) for c, b in cases)] == [
        "url",
        "content",
        "near",
        None,
        None,
    ]
    # add after a fingerprinted lookup reuses it
    fp = fingerprint_body(REPRINT)
    assert store.find_duplicate(URL2, REPRINT, fingerprint=fp) is not None
    store.add(url=URL2, canonical_url=URL2, body=REPRINT, portal="cnjiwang", fingerprint=fp)
    assert len(store) == 2
    assert store.find_duplicate(URL2, OTHER, fingerprint=fingerprint_body(OTHER)) == Match(
        "url", URL, "jl_cri", 1.0
    )


def test_mark_seen_url_is_known_but_never_a_first_copy(store: BaseStore) -> None:
    store.mark_seen("http://x.cn/video.html", "non_article")
    store.mark_seen("http://x.cn/video.html", "http_404")  # first reason kept, no error
    assert store.has_url("http://x.cn/video.html")
    assert len(store) == 0
    assert store.get("http://x.cn/video.html") is None
    assert store.find_duplicate("http://x.cn/video.html", ARTICLE) is None
    # if it turns out to be an article after all, it can be stored
    store.add(url="http://x.cn/video.html", canonical_url="http://x.cn/video.html", body=ARTICLE, portal="p")
    assert len(store) == 1
    assert store.find_duplicate(URL2, ARTICLE) == Match("content", "http://x.cn/video.html", "p", 1.0)


def test_sqlite_mark_seen_persists(tmp_path: Path) -> None:
    path = tmp_path / "seen.sqlite3"
    with open_store(path) as s:
        s.mark_seen("http://x.cn/gone.html", "http_404")
    with open_store(path) as s:
        assert s.has_url("http://x.cn/gone.html")
        assert not s.has_url("http://x.cn/other.html")
