"""End to end: the generic crawl (``newscrawler crawl --url HOME``) of the fixture portal 华岭网.

The portal (``fixtures/generic_portal``, built by its ``build.py``) has no definition: sections
come from the home page's navigation, articles from URL patterns plus the page itself. A crawl
must export its 13 articles exactly once and nothing else (no list, index, video, about, topic or
digest page), stay on ``hualing-daily.example``, obey robots.txt, and honour the limits.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import FIXTURES, REPO, load_json, read_jsonl, run_cli

MIRROR = FIXTURES / "generic_portal"
EXPECTED = load_json(MIRROR / "expected" / "crawl.json")
HOME = EXPECTED["home_url"]
DOMAIN = EXPECTED["domains"][0]
CRAWLED_RE = re.compile(r"Crawled \((\d{3})\) <GET (\S+)>")


pytestmark = pytest.mark.e2e


def _crawl(out_dir: Path, *extra: str) -> dict[str, Any]:
    """Crawl the mirror from its home URL; the records, the summary and every fetched URL."""
    out, summary = out_dir / "out.jsonl", out_dir / "summary.json"
    proc = run_cli(
        "crawl", "--url", HOME, "--mirror", str(MIRROR), "-O", str(out),
        "-s", f"SUMMARY_FILE={summary}", "--log-level", "DEBUG", *extra,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    crawled = [(int(s), url) for s, url in CRAWLED_RE.findall(proc.stderr)]
    return {
        "records": read_jsonl(out),
        "summary": load_json(summary),
        "crawled": crawled,
        "pages": [url for _, url in crawled if not url.endswith("/robots.txt")],
    }


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _crawl(tmp_path_factory.mktemp("generic_crawl"))


@pytest.fixture(scope="module")
def articles() -> dict[str, dict[str, Any]]:
    records = (load_json(p) for p in sorted((MIRROR / "expected" / "articles").glob("*.json")))
    return {r["url"]: r for r in records}


def _on_domain(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host == DOMAIN or host.endswith("." + DOMAIN)


def test_fixture_is_consistent(articles: dict[str, dict[str, Any]]) -> None:
    assert sorted(articles) == EXPECTED["exported"]
    assert len(articles) == EXPECTED["counts"]["articles"] >= 10
    not_exported = {d["url"] for d in EXPECTED["not_exported"]}
    assert not not_exported & set(articles)


def test_exports_every_article_exactly_once_and_nothing_else(crawl: dict[str, Any]) -> None:
    urls = [r["url"] for r in crawl["records"]]
    assert len(urls) == len(set(urls)), f"exported twice: {sorted(u for u in urls if urls.count(u) > 1)}"
    missing = sorted(set(EXPECTED["exported"]) - set(urls))
    extra = sorted(set(urls) - set(EXPECTED["exported"]))
    assert not missing, f"expected articles not exported: {missing}"
    assert not extra, f"exported but not articles: {extra}"
    reasons = {d["url"]: d["reason"] for d in EXPECTED["not_exported"]}
    leaked = {u: reasons[u] for u in urls if u in reasons}
    assert not leaked, f"pages that must never be exported were: {leaked}"
    assert crawl["summary"]["articles_exported"] == len(EXPECTED["exported"])


def test_titles_and_dates_match(crawl: dict[str, Any], articles: dict[str, dict[str, Any]]) -> None:
    for record in crawl["records"]:
        exp = articles[record["url"]]
        got = {k: record[k] for k in ("title", "published_at", "published_at_raw")}
        assert got == {k: exp[k] for k in got}, record["url"]
        assert record["portal"] == exp["portal"]
        assert record["section"] in (None, *exp["sections"]), (record["url"], record["section"])


def test_body_editor_and_authors_match(crawl: dict[str, Any], articles: dict[str, dict[str, Any]]) -> None:
    for record in crawl["records"]:
        exp = articles[record["url"]]
        assert record["body"] == exp["body"], record["url"]
        assert record["editor"] == exp["editor"], record["url"]
        assert record["authors"] == exp["authors"], record["url"]


def test_source_matches(crawl: dict[str, Any], articles: dict[str, dict[str, Any]]) -> None:
    wrong = {r["url"]: r["source"] for r in crawl["records"] if r["source"] != articles[r["url"]]["source"]}
    assert not wrong


def test_stays_on_the_portal_domain_and_obeys_robots(crawl: dict[str, Any]) -> None:
    off = [url for _, url in crawl["crawled"] if not _on_domain(url)]
    assert not off, f"requests left {DOMAIN}: {off}"
    assert all(_on_domain(r["url"]) for r in crawl["records"])
    fetched = {url for _, url in crawl["crawled"]}
    never = [url for url in EXPECTED["never_requested"] if url in fetched]
    assert not never, f"off-domain or robots-disallowed pages fetched: {never}"


def test_walks_every_section_and_its_pagination(crawl: dict[str, Any]) -> None:
    fetched = set(crawl["pages"])
    lists = [lp["url"] for lp in EXPECTED["list_pages"]]
    assert not [u for u in lists if u not in fetched], "list pages (下一页) not walked"
    sections = {r["section"] for r in crawl["records"]} - {None}
    assert sections <= {name for name, _ in EXPECTED["sections"]}


def test_non_articles_with_article_urls_are_fetched_and_rejected(crawl: dict[str, Any]) -> None:
    """The video page and the daily digest are items of section lists with article-like URLs:
    they are fetched and the page itself (article_rejection) turns them down. The footer's 关于我们
    link is no list item (its text is no headline): it is not even fetched."""
    fetched = set(crawl["pages"])
    kinds = {d["url"]: d["kind"] for d in EXPECTED["not_exported"]}
    judged = [u for u, kind in kinds.items() if kind in ("video", "list") and u in fetched]
    assert {kinds[u] for u in judged} == {"video", "list"}, judged
    about = [u for u, kind in kinds.items() if kind == "about"]
    assert about and not set(about) & fetched
    exported = {r["url"] for r in crawl["records"]}
    assert not exported & set(judged)
    assert crawl["summary"]["non_articles"] >= 2


def test_max_articles_limits_the_export(tmp_path: Path) -> None:
    result = _crawl(tmp_path, "--max-articles", "3")
    urls = [r["url"] for r in result["records"]]
    assert len(urls) == 3, f"--max-articles 3 exported {len(urls)} articles"
    assert set(urls) <= set(EXPECTED["exported"])


def test_max_pages_limits_the_fetches(tmp_path: Path) -> None:
    # the README: "--max-pages and --max-articles are exact limits" (robots.txt not counted)
    result = _crawl(tmp_path, "--max-pages", "6")
    assert len(result["pages"]) == 6, f"--max-pages 6 fetched {len(result['pages'])} pages"
    assert len(result["records"]) < len(EXPECTED["exported"])


def test_scrapy_crawl_portal_with_a_url(tmp_path: Path) -> None:
    """``scrapy crawl portal -a url=HOME`` runs the same generic crawl."""
    out = tmp_path / "out.jsonl"
    settings = {
        "MIRROR_DIR": str(MIRROR),
        "DEDUPE_STORE": ":memory:",  # never the user's seen-store
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
    }
    argv = [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"url={HOME}", "-O", str(out)]
    for name, value in settings.items():
        argv += ["-s", f"{name}={value}"]
    proc = subprocess.run(
        [*argv, "-L", "WARNING"], cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=180
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(r["url"] for r in read_jsonl(out)) == EXPECTED["exported"]
