"""The newscrawler command: user mistakes get one clear line and a non-zero exit, no traceback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from newscrawler.cli import main
from tests.conftest import FIXTURES, load_json, run_cli


def assert_one_line_error(proc, *needles: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle in lines[0]


def test_unknown_portal() -> None:
    proc = run_cli("crawl", "no_such_portal", "--offline", "-O", "/tmp/x.jsonl")
    assert_one_line_error(proc, "unknown portal 'no_such_portal'", "jl_cri")


def test_unwritable_output(tmp_path: Path) -> None:
    proc = run_cli("crawl", "jl_cri", "--offline", "-O", str(tmp_path / "missing-dir" / "out.jsonl"))
    assert_one_line_error(proc, "cannot write", "does not exist")
    proc = run_cli("crawl", "jl_cri", "--offline", "-O", str(tmp_path))
    assert_one_line_error(proc, "is a directory")


def test_bad_mirror(tmp_path: Path) -> None:
    proc = run_cli("crawl", "jl_cri", "--mirror", str(tmp_path), "-O", str(tmp_path / "o.jsonl"))
    assert_one_line_error(proc, "is not a mirror")


def test_extract_missing_file() -> None:
    proc = run_cli("extract", "/nonexistent/page.html")
    assert_one_line_error(proc, "no such file")


def test_extract_unknown_portal(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_bytes(b"<html></html>")
    proc = run_cli("extract", str(page), "--portal", "nope")
    assert_one_line_error(proc, "unknown portal 'nope'")


def _reference_case() -> tuple[Path, str]:
    mirror = load_json(FIXTURES / "jl_cri" / "mirror.json")
    for path in (FIXTURES / "jl_cri" / "expected" / "articles").glob("*.json"):
        record = load_json(path)
        if record["title"].startswith("百日会战"):
            [entry] = [e for e in mirror["entries"] if e["url"] == record["url"]]
            return FIXTURES / "jl_cri" / entry["file"], record["url"]
    raise AssertionError("reference page not in the fixtures")


def test_extract_prints_the_record_the_crawl_exports() -> None:
    page, url = _reference_case()
    proc = run_cli("extract", str(page), "--url", url)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["url"] == url
    assert record["portal"] == "jl_cri"
    assert record["editor"] == "赵宇静"
    assert record["body"].startswith("热火朝天的建设工地")
    assert "国际在线" not in record["body"]


def test_extract_batch(tmp_path: Path) -> None:
    page, url = _reference_case()
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(
        json.dumps({"id": "ref", "path": str(page), "url": url})
        + "\n"
        + json.dumps({"id": "gone", "path": str(tmp_path / "missing.html"), "url": None})
        + "\n"
        + json.dumps({"id": "no-url", "path": str(page), "url": ""})
        + "\n",
        encoding="utf-8",
    )
    proc = run_cli("extract-batch", str(manifest))
    assert proc.returncode == 0, proc.stderr
    ref, gone, no_url = (json.loads(line) for line in proc.stdout.splitlines())
    assert ref["id"] == "ref" and ref["source"] == "吉林日报"
    assert ref["canonical_url"] == url
    assert gone["id"] == "gone" and "no such file" in gone["error"]
    assert no_url["title"] == ref["title"]
    assert no_url["url"] is None and no_url["canonical_url"] is None


# -- issue 13: every user mistake is one line, the right exit status, nothing written ----------
EXIT_USAGE, EXIT_FAILED = 2, 1
NOT_A_DB = b"this is not a database\n"


def free_port() -> int:
    """A 127.0.0.1 port nothing listens on (bound once, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def scratch(tmp: Path) -> dict[str, str]:
    """Files the rows refer to, made under ``tmp``: {name: path}."""
    (tmp / "folder").mkdir()
    (tmp / "a-file").write_text("x", encoding="utf-8")
    bad_json = tmp / "bad-mirror"
    bad_json.mkdir()
    (bad_json / "mirror.json").write_text("{not json", encoding="utf-8")
    escape = tmp / "escape-mirror"
    escape.mkdir()
    entries = [
        {"url": "http://jl.cri.cn/", "file": "index.html"},
        {"url": "http://jl.cri.cn/x.html", "file": "../../etc/passwd"},
    ]
    (escape / "mirror.json").write_text(json.dumps({"entries": entries}), encoding="utf-8")
    (tmp / "binary.jsonl").write_bytes(bytes(range(256)) * 8)
    (tmp / "not-json.jsonl").write_text('{"id": 1, "path": "p.html"}\nnot json\n', encoding="utf-8")
    (tmp / "no-path.jsonl").write_text('{"id": 1, "url": "http://jl.cri.cn/"}\n', encoding="utf-8")
    (tmp / "schedule.toml").write_text("[[job]]\nportal = 'nope'\nevery = '1h'\n", encoding="utf-8")
    (tmp / "not-a-db.sqlite3").write_bytes(NOT_A_DB * 200)
    names = {
        "folder": "folder",
        "afile": "a-file",
        "badmirror": "bad-mirror",
        "escapemirror": "escape-mirror",
        "binary": "binary.jsonl",
        "notjson": "not-json.jsonl",
        "nopath": "no-path.jsonl",
        "schedule": "schedule.toml",
        "notadb": "not-a-db.sqlite3",
    }
    return {key: str(tmp / name) for key, name in names.items()}


OUT = "{tmp}/out.jsonl"
OFFLINE = ("crawl", "jl_cri", "--offline", "-O", OUT)
# (row id, argv, expected exit status, words the one stderr line must hold, extra environment)
ROWS: list[tuple[str, tuple[str, ...], int, tuple[str, ...], dict[str, str]]] = [
    # seen-store
    ("redis-down", (*OFFLINE, "--store", "redis://127.0.0.1:{port}/0"), 1, ("redis-server",), {}),
    (
        "rediss-down",
        (*OFFLINE, "--store", "rediss://127.0.0.1:{port}/0"),
        1,
        ("seen-store", "redis-server"),
        {},
    ),
    ("redis-bad-port", (*OFFLINE, "--store", "redis://host:notaport"), 2, ("not a usable Redis URL",), {}),
    ("redis-by-setting", (*OFFLINE, "-s", "DEDUPE_STORE=redis://127.0.0.1:{port}/0"), 1, ("redis",), {}),
    ("store-is-folder", (*OFFLINE, "--store", "{folder}"), 2, ("is a folder",), {}),
    ("store-under-file", (*OFFLINE, "--store", "{afile}/seen.sqlite3"), 2, ("is a file, not a folder",), {}),
    ("store-in-proc", (*OFFLINE, "--store", "/proc/newscrawler/seen.sqlite3"), 2, ("seen-store",), {}),
    ("store-not-a-db", (*OFFLINE, "--store", "{notadb}"), 2, ("not a database",), {}),
    (
        "default-store-unwritable",
        ("crawl", "jl_cri", "-O", OUT),
        2,
        ("XDG_DATA_HOME", "--store"),
        {"XDG_DATA_HOME": "/proc/newscrawler-nope"},
    ),
    # start URL
    (
        "host-unknown",
        ("crawl", "--url", "http://no-such-host.invalid/", "-O", OUT, "--store", ":memory:"),
        1,
        ("cannot resolve no-such-host.invalid",),
        {},
    ),
    (
        "nothing-listening",
        ("crawl", "--url", "http://127.0.0.1:{port}/", "-O", OUT, "--store", ":memory:"),
        1,
        ("cannot connect to 127.0.0.1",),
        {},
    ),
    ("url-no-host", ("crawl", "--url", "http://", "-O", OUT), 2, ("no host name",), {}),
    ("url-bad-ipv6", ("crawl", "--url", "http://[::1/", "-O", OUT), 2, ("not a valid URL",), {}),
    ("url-not-http", ("crawl", "--url", "ftp://jl.cri.cn/", "-O", OUT), 2, ("not an http(s) URL",), {}),
    # settings
    ("timeout-abc", (*OFFLINE, "-s", "DOWNLOAD_TIMEOUT=abc"), 2, ("DOWNLOAD_TIMEOUT", "number"), {}),
    ("delay-fast", (*OFFLINE, "-s", "DOWNLOAD_DELAY=fast"), 2, ("DOWNLOAD_DELAY",), {}),
    ("retry-x", (*OFFLINE, "-s", "RETRY_TIMES=x"), 2, ("RETRY_TIMES", "whole number"), {}),
    ("max-pages-ten", (*OFFLINE, "-s", "MAX_PAGES=ten"), 2, ("MAX_PAGES",), {}),
    ("keep-maybe", (*OFFLINE, "-s", "DEDUPE_KEEP_DUPLICATES=maybe"), 2, ("true or false",), {}),
    ("log-level-setting", (*OFFLINE, "-s", "LOG_LEVEL=BOGUS"), 2, ("BOGUS", "INFO"), {}),
    ("log-level-option", (*OFFLINE, "--log-level", "BOGUS"), 2, ("BOGUS", "INFO"), {}),
    ("feeds-not-a-dict", (*OFFLINE, "-s", "FEEDS=notadict"), 2, ("FEEDS", "JSON object"), {}),
    ("concurrency-0", (*OFFLINE, "-s", "CONCURRENT_REQUESTS=0"), 2, ("CONCURRENT_REQUESTS", "1 or more"), {}),
    ("timeout-0", (*OFFLINE, "-s", "DOWNLOAD_TIMEOUT=0"), 2, ("more than 0",), {}),
    ("setting-no-equals", (*OFFLINE, "-s", "DOWNLOAD_DELAY"), 2, ("NAME=VALUE",), {}),
    ("proxy-down", (*OFFLINE, "-s", "MIRROR_PROXY=http://127.0.0.1:{port}"), 1, ("mirror proxy",), {}),
    ("proxy-no-port", (*OFFLINE, "-s", "MIRROR_PROXY=http://127.0.0.1"), 2, ("MIRROR_PROXY",), {}),
    ("summary-file-nowhere", (*OFFLINE, "-s", "SUMMARY_FILE={tmp}/no/s.json"), 2, ("does not exist",), {}),
    # mirror, job folder
    (
        "mirror-bad-json",
        ("crawl", "jl_cri", "--mirror", "{badmirror}", "-O", OUT),
        2,
        ("not valid JSON",),
        {},
    ),
    (
        "mirror-escapes",
        ("crawl", "jl_cri", "--mirror", "{escapemirror}", "-O", OUT),
        2,
        ("entry 2", "leaves the mirror folder"),
        {},
    ),
    ("mirror-missing", ("crawl", "jl_cri", "--mirror", "{folder}", "-O", OUT), 2, ("is not a mirror",), {}),
    ("jobdir-in-proc", (*OFFLINE, "--jobdir", "/proc/newscrawler-job"), 2, ("--jobdir",), {}),
    ("jobdir-is-file", (*OFFLINE, "--jobdir", "{afile}"), 2, ("it is a file",), {}),
    ("jobdir-under-file", (*OFFLINE, "--jobdir", "{afile}/job"), 2, ("is a file, not a folder",), {}),
    # extract-batch
    ("batch-binary", ("extract-batch", "{binary}"), 2, ("binary file",), {}),
    ("batch-unreadable", ("extract-batch", "/proc/self/mem"), 2, ("cannot read",), {}),
    ("batch-folder", ("extract-batch", "{folder}"), 2, ("is a directory",), {}),
    ("batch-missing", ("extract-batch", "{tmp}/nope.jsonl"), 2, ("no such manifest",), {}),
    ("batch-not-json", ("extract-batch", "{notjson}"), 2, ("line 2: not JSON",), {}),
    ("batch-no-path", ("extract-batch", "{nopath}"), 2, ("line 1: no path",), {}),
    # limits that were accepted silently
    ("max-pages-negative", (*OFFLINE, "--max-pages", "-5"), 2, ("--max-pages -5", "1 or more"), {}),
    ("max-articles-0", (*OFFLINE, "--max-articles", "0"), 2, ("--max-articles 0",), {}),
    ("output-empty", ("crawl", "jl_cri", "--offline", "-O", ""), 2, ("output file name is empty",), {}),
    ("store-empty", (*OFFLINE, "--store", ""), 2, ("--store is empty",), {}),
    # the ones that already worked
    ("unknown-portal", ("crawl", "no_such_portal", "--offline", "-O", OUT), 2, ("unknown portal",), {}),
    (
        "output-dir-missing",
        ("crawl", "jl_cri", "--offline", "-O", "{tmp}/no/out.jsonl"),
        2,
        ("does not exist",),
        {},
    ),
    ("output-is-folder", ("crawl", "jl_cri", "--offline", "-O", "{folder}"), 2, ("is a directory",), {}),
    (
        "output-under-file",
        ("crawl", "jl_cri", "--offline", "-O", "{afile}/o.jsonl"),
        2,
        ("not a directory",),
        {},
    ),
    ("extract-missing", ("extract", "{tmp}/missing.html"), 2, ("no such file",), {}),
    ("schedule-bad", ("schedule", "{schedule}"), 2, ("unknown portal 'nope'",), {}),
    ("schedule-missing", ("schedule", "{tmp}/none.toml"), 2, ("no such schedule file",), {}),
    ("argparse-int", (*OFFLINE, "--max-pages", "ten"), 2, ("invalid int value",), {}),
    ("argparse-unknown-option", (*OFFLINE, "--fast"), 2, ("unrecognized arguments",), {}),
    ("both-outputs", ("crawl", "jl_cri", "--offline", "-o", OUT, "-O", OUT), 2, ("not both",), {}),
]


def fill(argv: tuple[str, ...], files: dict[str, str], tmp: Path, port: int) -> list[str]:
    return [arg.format(tmp=tmp, port=port, **files) for arg in argv]


@pytest.mark.parametrize(("row", "argv", "status", "words", "env"), ROWS, ids=[r[0] for r in ROWS])
def test_a_mistake_is_one_line(
    row: str,
    argv: tuple[str, ...],
    status: int,
    words: tuple[str, ...],
    env: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = scratch(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        code = main(fill(argv, files, tmp_path, free_port()))
    except SystemExit as exc:  # argparse's own mistakes
        code = exc.code
    err = capsys.readouterr().err
    assert code == status, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err
    for word in words:
        assert word in lines[0], lines[0]
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing written, not even empty


@pytest.mark.parametrize(
    "argv",
    [
        ("crawl", "jl_cri", "--offline", "-s", "DOWNLOAD_TIMEOUT=abc"),
        ("crawl", "--url", "http://[::1/"),
        ("crawl", "jl_cri", "--offline", "--max-pages", "ten"),
    ],
)
def test_the_console_entry_prints_one_line_too(argv: tuple[str, ...]) -> None:
    proc = run_cli(*argv)
    assert proc.returncode == EXIT_USAGE
    assert_one_line_error(proc)


def read_only_run(folder: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """``python -m newscrawler ARGV`` with ``folder`` mounted read-only (a private mount
    namespace: as root, file modes alone do not stop a write)."""
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    return subprocess.run(
        [
            "unshare",
            "--mount",
            "sh",
            "-c",
            script,
            "sh",
            str(folder),
            sys.executable,
            "-m",
            "newscrawler",
            *argv,
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=FIXTURES.parent,
        timeout=120,
    )


@pytest.fixture
def read_only(tmp_path: Path) -> Path:
    folder = tmp_path / "ro"
    folder.mkdir()
    probe = subprocess.run(
        [
            "unshare",
            "--mount",
            "sh",
            "-c",
            f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}"',
        ],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0 and os.geteuid() != 0:
        pytest.skip(f"no read-only mount without root: {probe.stderr.strip()}")
    assert probe.returncode == 0, probe.stderr
    return folder


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("-O", "{ro}/out.jsonl"), ("cannot write", "Read-only")),
        (("--store", "{ro}/seen.sqlite3"), ("seen-store", "Read-only")),
        (("--store", "{ro}/existing.sqlite3"), ("seen-store", "Read-only")),
        (("--jobdir", "{ro}/job"), ("--jobdir", "Read-only")),
    ],
    ids=["output", "new-store", "existing-store", "jobdir"],
)
def test_a_read_only_place_is_one_line(
    read_only: Path, tmp_path: Path, argv: tuple[str, ...], words: tuple[str, ...]
) -> None:
    from newscrawler.seen import open_store

    open_store(read_only / "existing.sqlite3").close()
    before = sorted(p.name for p in read_only.iterdir())
    args = [a.format(ro=read_only) for a in argv]
    if "-O" not in args:
        args += ["-O", str(tmp_path / "out.jsonl")]
    proc = read_only_run(read_only, "crawl", "jl_cri", "--offline", *args)
    assert proc.returncode == EXIT_USAGE, proc.stderr
    assert_one_line_error(proc, *words)
    assert sorted(p.name for p in read_only.iterdir()) == before
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.e2e
def test_a_crawl_that_fetches_nothing_leaves_no_empty_output(tmp_path: Path) -> None:
    """Past the checks (a proxy that accepts connections, then hangs up on each), the crawl gets
    no page: exit 1, the last line says so, and the output file it made is gone again."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        port = server.getsockname()[1]
        stop = threading.Event()

        def hang_up() -> None:
            server.settimeout(0.2)
            while not stop.is_set():
                try:
                    conn, _ = server.accept()
                except OSError:
                    continue
                conn.close()

        thread = threading.Thread(target=hang_up, daemon=True)
        thread.start()
        try:
            out = tmp_path / "out.jsonl"
            proc = run_cli(
                "crawl", "jl_cri", "-O", str(out), "--store", ":memory:",
                "-s", f"MIRROR_PROXY=http://127.0.0.1:{port}", "-s", "RETRY_TIMES=0",
            )  # fmt: skip
        finally:
            stop.set()
            thread.join(timeout=5)
    assert proc.returncode == EXIT_FAILED, proc.stderr[-2000:]
    assert proc.stderr.strip().splitlines()[-1].startswith("error: the crawl fetched no page")
    assert not out.exists()


# -- the settings check on its own ---------------------------------------------------------------
def _settings(**values: Any) -> Any:
    from scrapy.settings import Settings

    from newscrawler import settings as project
    from newscrawler.settings_check import apply_settings

    settings = Settings()
    settings.setmodule(project, priority="project")
    apply_settings(settings, values)
    return settings


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"DOWNLOAD_TIMEOUT": "2.5", "DOWNLOAD_DELAY": "0", "RETRY_TIMES": "0", "MAX_PAGES": "10"},
        {"DEDUPE_KEEP_DUPLICATES": "true", "FULL_RECRAWL": "1", "ROBOTSTXT_OBEY": "False"},
        {"FEEDS": '{"o.jsonl": {"format": "jsonlines"}}', "CONCURRENT_REQUESTS": "1"},
        {"LOG_LEVEL": "debug"},
    ],
)
def test_usable_settings_pass(values: dict[str, str]) -> None:
    from newscrawler.settings_check import check_settings

    settings = _settings(**values)
    check_settings(settings)
    assert settings.get("LOG_LEVEL") == str(values.get("LOG_LEVEL", "INFO")).upper()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"CONCURRENT_ITEMS": "0"}, "CONCURRENT_ITEMS=0: must be 1 or more"),
        ({"DOWNLOAD_MAXSIZE": "-1"}, "DOWNLOAD_MAXSIZE=-1: must be 0 or more"),
        ({"AUTOTHROTTLE_TARGET_CONCURRENCY": "0"}, "must be more than 0"),
        ({"CLOSESPIDER_TIMEOUT": "soon"}, "CLOSESPIDER_TIMEOUT='soon'"),
        ({"RETRY_TIMES": "1.5"}, "whole number"),
        ({"FEEDS": '{"o.jsonl": "jsonlines"}'}, "the options of 'o.jsonl' must be an object"),
        ({"ITEM_PIPELINES": "[1]"}, "ITEM_PIPELINES='[1]': give a JSON object"),
        ({"LOG_LEVEL": "LOUD"}, "log level 'LOUD'"),
    ],
)
def test_unusable_settings_are_one_line(values: dict[str, str], message: str) -> None:
    from newscrawler.settings_check import SettingsError, check_settings

    with pytest.raises(SettingsError) as caught:
        check_settings(_settings(**values))
    assert message in str(caught.value) and "\n" not in str(caught.value)
