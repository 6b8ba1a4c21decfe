"""URLs that are not articles (video pages, 404 links) are remembered by every store backend."""

from __future__ import annotations

from pathlib import Path

from newscrawler.dedupe.store import BaseStore
from newscrawler.dedupe.stores import open_store
from tests.test_store import redis_url, store  # noqa: F401  (pytest fixtures)

BODY = "吉林省长春市今年新建改造城市道路一百余条，" * 20


def test_mark_seen_makes_has_url_true_without_making_a_duplicate(store: BaseStore) -> None:  # noqa: F811
    store.mark_seen("http://jl.cri.cn/2020-01-20/video.html", "non_article")
    assert store.has_url("http://jl.cri.cn/2020-01-20/video.html")
    assert not store.has_url("http://jl.cri.cn/2020-01-21/other.html")
    # a seen URL is no "first copy": an article later found there is not a duplicate of anything
    assert store.find_duplicate("http://jl.cri.cn/2020-01-20/video.html", BODY) is None
    assert store.get("http://jl.cri.cn/2020-01-20/video.html") is None
    store.mark_seen("http://jl.cri.cn/2020-01-20/video.html", "again")  # idempotent
    assert len(store) == 0


def test_mark_seen_persists_in_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "seen.sqlite3"
    with open_store(str(path)) as first:
        first.mark_seen("http://jl.cri.cn/404.html", "http_404")
    with open_store(str(path)) as again:
        assert again.has_url("http://jl.cri.cn/404.html")
