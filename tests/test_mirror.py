"""The mirror server: raw bytes and headers as saved, 404 for unknown URLs, 500-once entries."""

from __future__ import annotations

import http.client
import json
from pathlib import Path

import pytest

from newscrawler.mirror.server import Mirror, MirrorError, MirrorServer

GBK_PAGE = "<html><head><meta charset='gb2312'></head><body>吉林省长春市</body></html>".encode("gbk")


@pytest.fixture
def mirror_dir(tmp_path: Path) -> Path:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.html").write_bytes(GBK_PAGE)
    (tmp_path / "site" / "b.html").write_bytes(b"<html>b</html>")
    manifest = {
        "portal": "demo",
        "entries": [
            {
                "url": "http://demo.example/a.html",
                "file": "site/a.html",
                "status": 200,
                "headers": {"Content-Type": "text/html; charset=GBK"},
            },
            {
                "url": "http://demo.example/b.html",
                "file": "site/b.html",
                "status": 200,
                "headers": {"Content-Type": "text/html"},
                "fail_first": 1,
            },
            {"url": "http://demo.example", "file": "site/b.html", "status": 200, "headers": {}},
        ],
    }
    (tmp_path / "mirror.json").write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def proxy_get(server: MirrorServer, url: str) -> tuple[int, dict[str, str], bytes]:
    host, port = server.address
    conn = http.client.HTTPConnection(host, port, timeout=5)
    conn.request("GET", url)  # absolute-form request target, as a proxy client sends it
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, dict(resp.getheaders()), body


def test_serves_raw_bytes_and_headers_over_loopback(mirror_dir: Path) -> None:
    with MirrorServer(mirror_dir) as server:
        status, headers, body = proxy_get(server, "http://demo.example/a.html")
    assert status == 200
    assert body == GBK_PAGE  # never re-encoded
    assert headers["Content-Type"] == "text/html; charset=GBK"


def test_unknown_url_is_404_and_fail_first_gives_500_once(mirror_dir: Path) -> None:
    with MirrorServer(mirror_dir) as server:
        assert proxy_get(server, "http://demo.example/missing.html")[0] == 404
        assert proxy_get(server, "http://demo.example/b.html")[0] == 500
        assert proxy_get(server, "http://demo.example/b.html")[:1] == (200,)
        assert proxy_get(server, "http://demo.example/b.html")[2] == b"<html>b</html>"


def test_home_url_with_and_without_slash(mirror_dir: Path) -> None:
    mirror = Mirror(mirror_dir)
    assert mirror.respond("http://demo.example/")[0] == 200
    assert mirror.respond("http://DEMO.example#top")[0] == 200


def test_not_a_mirror_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MirrorError, match=r"mirror\.json does not exist"):
        Mirror(tmp_path)
    (tmp_path / "mirror.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(MirrorError, match="is not valid JSON"):
        Mirror(tmp_path)


def _write_entries(root: Path, entries: list) -> None:
    (root / "mirror.json").write_text(json.dumps({"entries": entries}), encoding="utf-8")


@pytest.mark.parametrize(
    "file", ["../../etc/passwd", "/etc/passwd", "site/../../outside.html", "..", "../x/../../y"]
)
def test_an_entry_leaving_the_mirror_folder_is_refused(tmp_path: Path, file: str) -> None:
    ok = {"url": "http://demo.example/", "file": "site/index.html"}
    _write_entries(tmp_path, [ok, {"url": "http://demo.example/a.html", "file": file}])
    with pytest.raises(MirrorError) as caught:
        Mirror(tmp_path)
    message = str(caught.value)
    assert "entry 2 (http://demo.example/a.html)" in message and "leaves the mirror folder" in message
    assert "\n" not in message


@pytest.mark.parametrize("file", ["site/index.html", "site/./a/../index.html", "a..b.html", "..hidden"])
def test_paths_inside_the_mirror_folder_load(tmp_path: Path, file: str) -> None:
    _write_entries(tmp_path, [{"url": "http://demo.example/", "file": file}])
    assert Mirror(tmp_path).entries["http://demo.example/"].path.parent.is_relative_to(tmp_path)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("[1, 2]", "not a mirror manifest"),
        ('{"entries": {}}', "not a mirror manifest"),
        ('{"entries": [1]}', "entry 1: not an object"),
        ('{"entries": [{"file": "a.html"}]}', "entry 1: url None is not an http(s) URL"),
        ('{"entries": [{"url": "http://a.example/"}]}', "file must be a path"),
        ('{"entries": [{"url": "http://a.example/", "file": "a", "status": "ok"}]}', "must be numbers"),
        ('{"entries": [{"url": "http://a.example/", "file": "a", "status": 999}]}', "status must be"),
        ('{"entries": [{"url": "http://a.example/", "file": "a", "headers": [1]}]}', "headers must be"),
    ],
)
def test_a_malformed_manifest_is_one_clear_error(tmp_path: Path, manifest: str, message: str) -> None:
    (tmp_path / "mirror.json").write_text(manifest, encoding="utf-8")
    with pytest.raises(MirrorError) as caught:
        Mirror(tmp_path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_delay_makes_an_entry_answer_late(mirror_dir: Path) -> None:
    import time

    manifest = json.loads((mirror_dir / "mirror.json").read_text(encoding="utf-8"))
    manifest["entries"][0]["delay"] = 0.3
    (mirror_dir / "mirror.json").write_text(json.dumps(manifest), encoding="utf-8")
    with MirrorServer(mirror_dir) as server:
        started = time.monotonic()
        assert proxy_get(server, "http://demo.example/a.html")[0] == 200
        assert time.monotonic() - started >= 0.3
