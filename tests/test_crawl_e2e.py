"""End to end: crawl the jl_cri fixture mirror over loopback HTTP and check every record."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from newscrawler.record import FIELDS
from newscrawler.validation import shipped_schema
from tests.conftest import FIXTURES, REPO, VOLATILE, load_json, read_jsonl, run_cli

#: crawls in real processes: the slow tier (pytest -m e2e)
pytestmark = pytest.mark.e2e

MIRROR = FIXTURES / "jl_cri"
REFERENCE_TITLE = "百日会战 只争朝夕 通化医药高新区为高质量发展增动力"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("crawl") / "out.jsonl"
    proc = run_cli("crawl", "jl_cri", "--offline", "-O", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {"out": out, "records": read_jsonl(out), "stderr": proc.stderr, "raw": out.read_bytes()}


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    articles = {}
    for path in sorted((MIRROR / "expected" / "articles").glob("*.json")):
        record = load_json(path)
        articles[record["url"]] = record
    return {"articles": articles, "crawl": load_json(MIRROR / "expected" / "crawl.json")}


def test_jsonl_is_utf8_one_complete_record_per_line_in_field_order(crawl: dict[str, Any]) -> None:
    text = crawl["raw"].decode("utf-8")
    assert "\\u" not in text, "Chinese must be written as UTF-8, not \\u escapes"
    for line in text.splitlines():
        record = json.loads(line)
        assert list(record) == list(FIELDS)


def test_records_match_the_json_schema(crawl: dict[str, Any]) -> None:
    import jsonschema  # (a test dependency: the oracle beside the crawl's own check)

    schema = shipped_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for record in crawl["records"]:
        errors = [e.message for e in validator.iter_errors(record)]
        assert not errors, (record["url"], errors)


def _resolve(expected: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """expected URL -> exported record (an expected record with alternates matches any of them)."""
    by_url = {r["url"]: r for r in records}
    found = {}
    for url, exp in expected["articles"].items():
        for candidate in [url, *exp.get("alternates", [])]:
            if candidate in by_url:
                found[url] = by_url[candidate]
                break
    return found


def test_exports_every_expected_article_once_and_nothing_else(
    crawl: dict[str, Any], expected: dict[str, Any]
) -> None:
    records = crawl["records"]
    urls = [r["url"] for r in records]
    assert len(urls) == len(set(urls)), "an article was exported twice"
    assert len({r["content_hash"] for r in records}) == len(records), "same text exported twice"
    exported = set(expected["crawl"]["exported"])
    alternates = {alt for exp in expected["articles"].values() for alt in exp.get("alternates", [])}
    unexpected = set(urls) - exported - alternates
    assert not unexpected, f"exported but not expected: {sorted(unexpected)}"
    resolved = _resolve(expected, records)
    missing = [url for url in exported if url in expected["articles"] and url not in resolved]
    assert not missing, f"expected but not exported: {missing}"
    assert len(records) == len(exported)
    for url in expected["crawl"]["not_exported"]:
        assert url in alternates or url not in urls


def test_every_record_matches_its_expected_json(crawl: dict[str, Any], expected: dict[str, Any]) -> None:
    resolved = _resolve(expected, crawl["records"])
    for url, exp in expected["articles"].items():
        if url not in resolved:
            continue
        record = resolved[url]
        want = {k: v for k, v in exp.items() if k not in VOLATILE and not k.startswith("alternate")}
        if exp.get("alternates"):  # the same text under several URLs: any one of them is right
            want["url"] = want["canonical_url"] = record["url"]
            want["section"] = exp.get("alternate_sections", {}).get(record["url"], exp["section"])
        for key, value in want.items():
            assert record[key] == value, f"{url}: field {key!r}"


def test_reference_page_record(crawl: dict[str, Any]) -> None:
    [ref] = [r for r in crawl["records"] if r["title"] == REFERENCE_TITLE]
    assert ref["original_title"] == REFERENCE_TITLE
    assert ref["published_at"] == "2020-06-04T09:34:01+08:00"
    assert ref["published_at_raw"] == "2020-06-04 09:34:01"
    assert ref["source"] == "吉林日报"
    assert ref["editor"] == "赵宇静"
    assert ref["authors"] == [
        {"name": "王忠先", "role": "reporter", "org": "吉林日报"},
        {"name": "朱传刚", "role": "correspondent"},
    ]
    [image] = ref["images"]
    assert image["caption"].startswith("位于通化医药高新区西区")
    assert image["credit"] == "朱传刚"
    paragraphs = ref["body"].split("\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("热火朝天的建设工地")
    assert paragraphs[-1].endswith("提高了审批效率。")
    for banned in [
        "国际在线",
        "原题",
        "朱传刚 摄",
        "吉林日报记者",
        "要闻",
        "城市远洋",
        "老外在吉林",
        "市州新闻",
    ]:
        assert banned not in ref["body"], banned
    assert ref["portal"] == "jl_cri" and ref["portal_name"] == "国际在线吉林频道"
    assert ref["section"] == "市州新闻"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", ref["crawled_at"])


def test_multipage_article_is_merged(crawl: dict[str, Any]) -> None:
    multi = [r for r in crawl["records"] if r["pages"] > 1]
    assert len(multi) == 1
    assert not any(re.search(r"_\d+\.html$", r["url"]) for r in crawl["records"])


def test_summary_counts_errors_retries_and_non_articles(
    crawl: dict[str, Any], expected: dict[str, Any]
) -> None:
    stderr = crawl["stderr"]
    assert "crawl finished (finished)" in stderr
    assert re.search(rf"articles exported: {len(crawl['records'])}\b", stderr)
    assert re.search(r"errors:\s+1 \(http_404: 1\)", stderr), stderr[-2000:]
    assert re.search(r"retries:\s+[1-9]", stderr)
    assert re.search(r"not articles:\s+1\b", stderr)
    assert f"output:            {crawl['out']}" in stderr
    assert "Traceback" not in stderr


def test_scrapy_crawl_through_scrapy_itself(tmp_path: Path, crawl: dict[str, Any]) -> None:
    import subprocess
    import sys

    out = tmp_path / "scrapy.jsonl"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "jl_cri",
            "-s",
            f"MIRROR_DIR={MIRROR}",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            "-O",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    # the same articles (by text: of two URLs with the same text either one may come first)
    assert sorted(r["content_hash"] for r in read_jsonl(out)) == sorted(
        r["content_hash"] for r in crawl["records"]
    )


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["nosuch"], "no spider 'nosuch'"),
        (["jl_cri", "-s", "CONCURRENT_REQUESTS=abc"], "CONCURRENT_REQUESTS='abc': give a whole number"),
        (["jl_cri", "-s", "LOG_LEVEL=BOGUS"], "log level 'BOGUS'"),
        (["jl_cri", "-s", "MIRROR_DIR={tmp}"], "is not a mirror"),
        (["jl_cri", "-s", f"MIRROR_DIR={MIRROR}", "-O", "{tmp}/no/such/dir/out.jsonl"], "does not exist"),
    ],
)
def test_scrapy_crawl_mistakes_are_one_line_not_a_traceback(
    tmp_path: Path, argv: list[str], says: str
) -> None:
    import subprocess
    import sys

    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", *argv], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert says in proc.stderr.splitlines()[-1], proc.stderr[-2000:]  # (scrapy: error: …)
    assert not list(tmp_path.rglob("*.jsonl"))  # (nothing written)


def test_scrapy_list_shows_the_portals() -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "jl_cri" in proc.stdout.split()
