"""The newscrawler command: user mistakes get one clear line and a non-zero exit, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

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
