"""End to end over 127.0.0.1: the generic crawl of the second fixture portal (青川融媒,
``fixtures/generic_portal2``): no article URL matches a pattern of ``newscrawler.discovery``, each
section has another list markup and pager, non-articles share the article URL shapes, and some
articles are only in the sitemaps or the RSS feed. Exact counts: every article exported once,
nothing else, at most 1.5 article-page fetches per exported article; ``--since`` skips older
sitemap entries and list items without fetching them; a second incremental run fetches no
article again."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newscrawler.discovery import generic_portal, is_article_url
from tests.conftest import FIXTURES, REPO, load_json, read_jsonl, run_cli

#: crawls in real processes: the slow tier (pytest -m e2e)
pytestmark = pytest.mark.e2e

MIRROR = FIXTURES / "generic_portal2"
EXPECTED = load_json(MIRROR / "expected" / "crawl.json")
HOME = EXPECTED["home_url"]
CRAWLED_RE = re.compile(r"Crawled \((\d{3})\) <GET (\S+)>")
#: the issue's bar: article-page fetches per exported article (list pages, sitemaps excluded)
MAX_PAGES_PER_ARTICLE = 1.5


def _crawl(out_dir: Path, *extra: str) -> dict[str, Any]:
    out, summary = out_dir / "out.jsonl", out_dir / "summary.json"
    proc = run_cli(
        "crawl", "--url", HOME, "--mirror", str(MIRROR), "-O", str(out),
        "-s", f"SUMMARY_FILE={summary}", "--log-level", "DEBUG", *extra,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {
        "records": read_jsonl(out),
        "summary": load_json(summary),
        "fetched": {url for _, url in CRAWLED_RE.findall(proc.stderr)},
        "log": proc.stderr,
    }


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _crawl(tmp_path_factory.mktemp("generic_crawl2"))


def _stat(log: str, name: str) -> int:
    m = re.search(rf"'newscrawler/{re.escape(name)}': (\d+)", log)
    return int(m.group(1)) if m else 0


def test_the_fixture_is_built_from_its_script() -> None:
    proc = subprocess.run(
        [sys.executable, str(MIRROR / "build.py"), "--check"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr


def test_no_article_url_matches_a_known_pattern() -> None:
    """The portal is what the issue describes: the URL catalogue alone would find nothing."""
    portal = generic_portal(HOME)
    assert EXPECTED["counts"]["articles"] == len(EXPECTED["exported"]) == 37
    assert not [u for u in EXPECTED["exported"] if is_article_url(u, portal)]


def test_exports_every_article_once_and_nothing_else(crawl: dict[str, Any]) -> None:
    urls = [r["url"] for r in crawl["records"]]
    assert len(urls) == len(set(urls))
    assert sorted(urls) == EXPECTED["exported"]  # recall 37/37, no non-article
    assert crawl["summary"]["articles_exported"] == 37
    never = {d["url"] for d in EXPECTED["not_exported"]}
    assert not never & set(urls)


def test_records_match_the_data(crawl: dict[str, Any]) -> None:
    for record in crawl["records"]:
        exp = EXPECTED["articles"][record["url"]]
        assert record["title"] == exp["title"], record["url"]
        assert record["published_at"] == exp["published_at"], record["url"]
        assert record["section"] == exp["section"], record["url"]  # the list that lists it
        assert record["body"] == "\n".join(exp["paragraphs"]), record["url"]


def test_every_list_page_and_pager_kind_is_walked(crawl: dict[str, Any]) -> None:
    missing = [lp["url"] for lp in EXPECTED["list_pages"] if lp["url"] not in crawl["fetched"]]
    assert not missing, f"list pages not reached: {missing}"
    assert _stat(crawl["log"], "pages/list") == EXPECTED["counts"]["list_pages"] == 15


def test_sitemap_and_feed_entries_are_crawled(crawl: dict[str, Any]) -> None:
    exported = {r["url"]: r for r in crawl["records"]}
    for url in EXPECTED["sitemap_only"] + EXPECTED["feed_only"]:
        assert url in exported, url
        assert exported[url]["section"] is None
    for listing in ("robots.txt", "sitemap.xml", "sitemap-news.xml", "sitemap-1.xml", "rss.xml"):
        assert HOME + listing in crawl["fetched"]


def test_non_articles_in_lists_are_fetched_and_refused(crawl: dict[str, Any]) -> None:
    kinds = {d["url"]: d["kind"] for d in EXPECTED["not_exported"]}
    judged = {kinds[u] for u in kinds if u in crawl["fetched"]}
    assert {"video", "gallery", "topic", "search"} <= judged
    assert crawl["summary"]["non_articles"] == 4


def test_pages_fetched_per_exported_article(crawl: dict[str, Any]) -> None:
    article_pages = _stat(crawl["log"], "pages/article")
    assert article_pages / len(crawl["records"]) <= MAX_PAGES_PER_ARTICLE, article_pages


def test_since_skips_older_entries_without_fetching_them(tmp_path: Path) -> None:
    result = _crawl(tmp_path, "--since", EXPECTED["since"]["date"])
    assert sorted(r["url"] for r in result["records"]) == EXPECTED["since"]["exported"]
    old = EXPECTED["since"]["never_requested"]
    assert len(old) == 3 and not set(old) & result["fetched"]
    assert _stat(result["log"], "since/entries_skipped") == 3


def test_since_must_be_a_date(tmp_path: Path) -> None:
    proc = run_cli("crawl", "--url", HOME, "--mirror", str(MIRROR), "-O", str(tmp_path / "o.jsonl"),
                   "--since", "last week")  # fmt: skip
    assert proc.returncode != 0
    assert "--since 'last week'" in proc.stderr and "Traceback" not in proc.stderr


def test_second_incremental_run_fetches_no_article_again(tmp_path: Path) -> None:
    store = str(tmp_path / "seen.sqlite3")
    first = _crawl(tmp_path, "--store", store)
    assert len(first["records"]) == 37
    (tmp_path / "2").mkdir()
    second = _crawl(tmp_path / "2", "--store", store)
    assert second["records"] == []
    article_urls = set(EXPECTED["exported"]) | {d["url"] for d in EXPECTED["not_exported"]}
    assert not article_urls & second["fetched"]


NAMED_CRAWL = """
import json, sys
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings
from newscrawler.portals.base import PortalDefinition
from newscrawler.spiders.portal import PortalSpider

home, mirror, out = sys.argv[1:4]
portal = PortalDefinition(
    name="qingchuan_named", display_name="青川融媒", domains=("qingchuan-rm.example",), home_url=home,
    sections=(), article_url_patterns=(r"/(?:bd|zw|ms|jj|wt|xc)/.+",),
    sitemaps=(home + "sitemap.xml",), feeds=(home + "rss.xml",),
)
settings = get_project_settings()
settings.setdict({"MIRROR_DIR": mirror, "DEDUPE_STORE": ":memory:", "DOWNLOAD_DELAY": 0,
                  "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING",
                  "FEEDS": {out: {"format": "jsonlines", "encoding": "utf-8"}}}, priority="cmdline")
process = CrawlerProcess(settings)
process.crawl(PortalSpider.for_portal(portal))
process.start()
"""


def _listed(name: str, tag: str) -> set[str]:
    text = (MIRROR / "site" / "www.qingchuan-rm.example" / name).read_text(encoding="utf-8")
    return {html.unescape(u) for u in re.findall(rf"<{tag}>([^<]+)</{tag}>", text)}


def test_a_named_portal_reads_the_sitemaps_and_feeds_of_its_definition(tmp_path: Path) -> None:
    """sitemaps= and feeds= on PortalDefinition: a definition without sections crawls the entries
    of its sitemap index (a news and a plain sitemap) and of its RSS feed that match its article
    pattern (the plain sitemap's ``/bd/`` list page does not)."""
    out = tmp_path / "named.jsonl"
    proc = subprocess.run(
        [sys.executable, "-c", NAMED_CRAWL, HOME, str(MIRROR), str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    listed = _listed("sitemap-news.xml", "loc") | _listed("sitemap-1.xml", "loc") | _listed("rss.xml", "link")
    expected = listed - {HOME, HOME + "bd/"}
    assert len(expected) == 10
    assert sorted(r["url"] for r in read_jsonl(out)) == sorted(expected)


def test_a_home_page_without_navigation_is_crawled_as_its_own_list(tmp_path: Path) -> None:
    """No section in the navigation: the home page's main list is the list (URLs of no known
    shape), its links are fetched and the pages judged."""
    picks = [u for u in EXPECTED["exported"] if "/zw/item/" in u][:3]
    items = "".join(
        f'<li><a href="{u}">{EXPECTED["articles"][u]["title"]}</a> <span>2026-11-2{i}</span></li>'
        for i, u in enumerate(picks)
    )
    _mini_mirror(
        tmp_path,
        {HOME: f"<html><head><title>青川</title></head><body><ul class='l'>{items}</ul></body></html>"},
        picks,
    )
    out = tmp_path / "out.jsonl"
    proc = run_cli("crawl", "--url", HOME, "--mirror", str(tmp_path), "-O", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(r["url"] for r in read_jsonl(out)) == sorted(picks)
    assert "no sections found" in proc.stderr


def _mini_mirror(root: Path, pages: dict[str, str], articles: list[str]) -> None:
    """A loopback mirror of HTML ``pages`` (url -> html) and some generic_portal2 articles."""
    entries = {e["url"]: e for e in load_json(MIRROR / "mirror.json")["entries"]}
    out = []
    for i, (url, html_text) in enumerate(pages.items()):
        (root / f"p{i}.html").write_text(html_text, encoding="utf-8")
        out.append(
            {"url": url, "file": f"p{i}.html", "status": 200, "headers": {"Content-Type": "text/html"}}
        )
    for url in articles:
        target = root / entries[url]["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((MIRROR / entries[url]["file"]).read_bytes())
        out.append(entries[url])
    (root / "mirror.json").write_text(
        json.dumps({"portal": None, "home_url": HOME, "entries": out}), encoding="utf-8"
    )


def test_pagination_stops_on_a_page_that_repeats_the_previous_one(tmp_path: Path) -> None:
    picks = [u for u in EXPECTED["exported"] if "/zw/item/" in u][:3]

    def items(urls: list[str]) -> str:
        return "".join(
            f'<li><a href="{u}">{EXPECTED["articles"][u]["title"]}</a> 2026-11-20</li>' for u in urls
        )

    def page(urls: list[str], n: int) -> str:
        return f'<html><body><ul class="l">{items(urls)}</ul><a href="?page={n + 1}">下一页</a></body></html>'

    nav = '<html><body><div class="nav"><a href="/yw/">要闻</a><a href="/sz/">时政</a></div></body></html>'
    _mini_mirror(
        tmp_path,
        {
            HOME: nav,
            HOME + "yw/": page(picks[:2], 1),
            HOME + "yw/?page=2": page(picks[2:], 2),
            HOME + "yw/?page=3": page(picks[2:], 3),  # the CMS serves the last page again
            HOME + "yw/?page=4": page(picks[2:], 4),
        },
        picks,
    )
    out = tmp_path / "out.jsonl"
    proc = run_cli("crawl", "--url", HOME, "--mirror", str(tmp_path), "-O", str(out), "--log-level", "DEBUG")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(r["url"] for r in read_jsonl(out)) == sorted(picks)
    fetched = {url for _, url in CRAWLED_RE.findall(proc.stderr)}
    assert HOME + "yw/?page=3" in fetched and HOME + "yw/?page=4" not in fetched
    assert _stat(proc.stderr, "pagination/repeated_page") == 1
