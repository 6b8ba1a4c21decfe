"""Issue 13's limits, end to end on a copy of the jl_cri mirror: redirect loops, self-redirects
and off-site redirects are dropped and counted (one INFO line each); a page over
DOWNLOAD_MAXSIZE is dropped and counted ``too_large``; the rest of the crawl is unchanged."""

from __future__ import annotations

import json
import re
import shutil
from typing import Any

import pytest

from tests.conftest import FIXTURES, load_json, read_jsonl, run_cli

MIRROR = FIXTURES / "jl_cri"
#: DOWNLOAD_MAXSIZE for the test: far above any fixture page, far below the inflated one.
MAXSIZE = 300_000


def _expected_titles() -> dict[str, str]:
    """url -> title of the articles a crawl of the mirror exports (an article under several URLs,
    of which the crawl exports whichever it meets first, is left out: timing decides)."""
    crawl = load_json(MIRROR / "expected" / "crawl.json")
    alternates = {u for entry in crawl.get("alternates", {}).values() for u in entry["urls"]}
    titles = {}
    for path in (MIRROR / "expected" / "articles").glob("*.json"):
        record = load_json(path)
        if record["url"] in crawl["exported"] and record["url"] not in alternates:
            titles[record["url"]] = record["title"]
    return titles


def _expected_urls() -> list[str]:
    return sorted(_expected_titles())


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("limits")
    mirror = root / "mirror"
    shutil.copytree(MIRROR, mirror)
    manifest = json.loads((mirror / "mirror.json").read_text(encoding="utf-8"))
    by_url = {e["url"]: e for e in manifest["entries"]}
    single = [u for u in _expected_urls() if u in by_url and "_" not in u.rsplit("/", 1)[-1]]
    self_loop, two_step, off_site, too_large = single[:4]
    second = two_step.replace(".html", "-b.html")

    def redirect(url: str, to: str) -> None:
        entry = by_url.get(url)
        if entry is None:
            entry = {"url": url, "file": by_url[two_step]["file"]}
            manifest["entries"].append(entry)
        entry.update(status=301, headers={"Location": to, "Content-Type": "text/html"})

    redirect(self_loop, self_loop)
    redirect(two_step, second)
    redirect(second, two_step)
    redirect(off_site, "http://www.example.com/elsewhere.html")
    big = mirror / "big.html"
    page = (mirror / by_url[too_large]["file"]).read_bytes()
    big.write_bytes(page.replace(b"</body>", b"<!--" + b"x" * (MAXSIZE + 1000) + b"--></body>"))
    by_url[too_large]["file"] = "big.html"
    (mirror / "mirror.json").write_text(json.dumps(manifest), encoding="utf-8")

    out, summary = root / "out.jsonl", root / "summary.json"
    proc = run_cli(
        "crawl", "jl_cri", "--mirror", str(mirror), "-O", str(out), "--log-level", "INFO",
        "-s", f"DOWNLOAD_MAXSIZE={MAXSIZE}", "-s", f"SUMMARY_FILE={summary}",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {
        "stderr": proc.stderr,
        "records": read_jsonl(out),
        "summary": load_json(summary),
        "dropped_urls": {self_loop, two_step, off_site, too_large},
        "urls": {"self": self_loop, "two": two_step, "second": second, "off": off_site, "big": too_large},
    }


def test_redirects_dropped_are_counted_by_kind(crawl: dict[str, Any]) -> None:
    assert crawl["summary"]["redirects_dropped"] == {"loop": 2, "off-site": 1}
    assert re.search(r"redirects dropped: 3 \(loop: 2, off-site: 1\)", crawl["stderr"]), crawl["stderr"][
        -1500:
    ]


def test_each_dropped_redirect_is_one_info_line(crawl: dict[str, Any]) -> None:
    urls = crawl["urls"]
    lines = [
        ln
        for ln in crawl["stderr"].splitlines()
        if "redirect" in ln and " INFO: " in ln and "newscrawler summary:" not in ln
    ]
    assert len(lines) == 3, "\n".join(lines)
    assert sum(f"redirect loop: {urls['self']} -> {urls['self']}" in ln for ln in lines) == 1
    assert sum(f"redirect loop: {urls['second']} -> {urls['two']}" in ln for ln in lines) == 1
    assert sum(f"off-site redirect: {urls['off']} -> http://www.example.com/" in ln for ln in lines) == 1


def test_a_page_over_download_maxsize_is_dropped_too_large(crawl: dict[str, Any]) -> None:
    assert crawl["summary"]["dropped"].get("too_large") == 1
    assert re.search(r"dropped:\s+\d+ \(.*too_large: 1", crawl["stderr"])
    assert "Traceback" not in crawl["stderr"]


def test_the_other_articles_are_exported(crawl: dict[str, Any]) -> None:
    exported = {r["url"] for r in crawl["records"]}
    assert not exported & crawl["dropped_urls"]
    assert exported >= set(_expected_urls()) - crawl["dropped_urls"]
    exported_before = load_json(MIRROR / "expected" / "crawl.json")["exported"]
    assert len(exported) == len(exported_before) - len(crawl["dropped_urls"])
    titles = _expected_titles()
    dropped_titles = {titles[u] for u in crawl["dropped_urls"]}
    assert not dropped_titles & {r["title"] for r in crawl["records"]}
