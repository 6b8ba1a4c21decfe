"""Resume that cannot lose a page (issue 12): a crawl of the jl_cri mirror with a JOBDIR and a
persistent seen-store is stopped (SIGKILL at random and at chosen points of a slowed crawl,
SIGINT, ``--offline``), then run again to the end; across the outputs of both runs every article
is exported exactly once and every line is a complete record.

The mirror is slowed with its entries' ``delay`` (a copy of ``fixtures/jl_cri`` with delays
added to its ``mirror.json``). Every crawl serves the mirror on a new port, so a
resumed request also proves that the previous run's proxy in its meta is replaced.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, load_json, run_cli

#: crawls in real processes, killed and resumed: the slow tier
pytestmark = pytest.mark.e2e

MIRROR = FIXTURES / "jl_cri"
EXPECTED = load_json(MIRROR / "expected" / "crawl.json")
SECTIONS = MIRROR / "expected" / "sections"
MULTI_PAGE, CONTINUATION = EXPECTED["special_cases"]["multi_page"]
#: the random trials: each kills one crawl at a point drawn from its seed
RANDOM_KILLS = 20
#: a slowed crawl: every page answers this late (seconds); the whole crawl takes ~1-2 s then
SLOW = 0.1
#: a page that must still be pending when the crawl is stopped answers this late (seconds)
STUCK = 8.0
#: in the random trials, the deepest article (要闻 page 3) answers this late, so that the crawl
#: cannot end before a random point even when the test process gets no CPU for a while (seconds)
LAST = 3.0


def _group(url: str) -> str:
    """The article a URL stands for: the republished article's URLs are one article."""
    for alternate in EXPECTED["alternates"].values():
        if url in alternate["urls"]:
            return str(alternate["urls"][0])
    return url


ARTICLES = frozenset(_group(url) for url in EXPECTED["exported"])


def slowed_mirror(tmp: Path, default: float = 0.0, **late: float) -> Path:
    """A copy of the jl_cri mirror whose entries answer after ``default`` seconds, or after
    ``late[url]`` for the URLs given (as ``{url: seconds}`` through ``**``)."""
    data = load_json(MIRROR / "mirror.json")
    for entry in data["entries"]:
        delay = late.get(entry["url"], default)
        if delay:
            entry["delay"] = delay
    root = tmp / f"mirror-{len(list(tmp.glob('mirror-*')))}"
    shutil.copytree(MIRROR / "site", root / "site")  # (a mirror serves files inside its folder only)
    (root / "mirror.json").write_text(json.dumps(data), encoding="utf-8")
    return root


def crawl_args(tmp: Path, mirror: Path | None) -> list[str]:
    """A crawl with a JOBDIR and a SQLite seen-store (the incremental stop is on)."""
    where = ["--mirror", str(mirror)] if mirror is not None else ["--offline"]
    store = tmp / "seen.sqlite3"
    return ["crawl", "jl_cri", *where, "--store", str(store), "--jobdir", str(tmp / "job")]


def start(args: list[str], out: Path) -> subprocess.Popen[bytes]:
    with out.with_suffix(".log").open("wb") as log:  # (the crawl's stderr, for a failure's report)
        return subprocess.Popen(
            [sys.executable, "-m", "newscrawler", *args, "-O", str(out)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=log,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )


def exported_urls(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [json.loads(line)["url"] for line in path.read_bytes().split(b"\n")[:-1]]


def wait_until(
    done: Callable[[], bool], proc: subprocess.Popen[bytes], what: str, timeout: float = 90
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return
        if proc.poll() is not None:
            log = Path(str(proc.args[-1])).with_suffix(".log").read_text("utf-8", "replace")[-2000:]  # type: ignore[index]
            pytest.fail(f"the crawl ended (exit {proc.returncode}) before {what}: {log}")
        time.sleep(0.02)
    proc.kill()
    pytest.fail(f"not {what} within {timeout} s")


def stop(proc: subprocess.Popen[bytes], sig: signal.Signals) -> bool:
    """Send ``sig``; True if the crawl was still running then (a real interruption)."""
    running = proc.poll() is None
    if running:
        proc.send_signal(sig)
    proc.wait(timeout=60)
    return running


def resume(args: list[str], out: Path) -> bool:
    """Run the crawl again to its end; True if the stopped run had not stopped cleanly (its
    state in JOBDIR says so, and the resumed run must say that it restarts)."""
    jobdir = Path(args[args.index("--jobdir") + 1])
    unclean = not load_json(jobdir / "newscrawler.json")["clean"]
    done = run_cli(*args, "-O", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    assert ("did not stop cleanly" in done.stderr) == unclean, done.stderr[-3000:]
    return unclean


def assert_exactly_once(*outputs: Path) -> None:
    lines = [line for out in outputs if out.exists() for line in out.read_text("utf-8").splitlines()]
    records = [json.loads(line) for line in lines]  # every line a complete record
    counts = Counter(_group(record["url"]) for record in records)
    doubled = sorted(url for url, n in counts.items() if n > 1)
    assert not doubled, f"exported more than once: {doubled}"
    assert set(counts) <= ARTICLES, f"not articles: {sorted(set(counts) - ARTICLES)}"
    assert set(counts) == ARTICLES, f"lost: {sorted(ARTICLES - set(counts))}"


def _section_articles(name: str) -> list[str]:
    return list(load_json(SECTIONS / f"{name}.json")["articles"])


def random_trial_mirror(tmp: Path) -> Path:
    (deepest,) = _section_articles("yw_3")
    return slowed_mirror(tmp, SLOW, **{deepest: LAST})


@pytest.mark.parametrize("seed", range(RANDOM_KILLS))
def test_sigkill_at_a_random_point_then_resume(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    # (the last records come in a burst: a later point would often be after the end)
    records, pause = rng.randint(0, len(ARTICLES) - 8), rng.uniform(0, 0.15)
    args = crawl_args(tmp_path, random_trial_mirror(tmp_path))
    out1, out2 = tmp_path / "out1.jsonl", tmp_path / "out2.jsonl"
    proc = start(args, out1)
    wait_until(lambda: len(exported_urls(out1)) >= records, proc, f"{records} records")
    time.sleep(pause)
    stop(proc, signal.SIGKILL)
    interrupted = resume(crawl_args(tmp_path, slowed_mirror(tmp_path, SLOW)), out2)
    assert_exactly_once(out1, out2)
    assert interrupted, f"the crawl had ended before the kill ({records} records + {pause:.2f} s)"


def _after_a_first_list_page(tmp: Path, sig: signal.Signals) -> tuple[Path, Path]:
    """Stop the crawl once every article of 要闻's first list page is exported, while its
    second list page (not listing a single known article) is still pending."""
    page_2 = load_json(SECTIONS / "yw_1.json")["next_page"]
    args = crawl_args(tmp, slowed_mirror(tmp, **{page_2: STUCK}))
    out1, out2 = tmp / "out1.jsonl", tmp / "out2.jsonl"
    proc = start(args, out1)
    first = {_group(url) for url in _section_articles("yw_1")}
    wait_until(lambda: first <= {_group(u) for u in exported_urls(out1)}, proc, "要闻 page 1 exported")
    assert stop(proc, sig)
    assert not {_group(url) for url in _section_articles("yw_2")} <= {_group(u) for u in exported_urls(out1)}
    assert resume(crawl_args(tmp, MIRROR), out2) == (sig == signal.SIGKILL)
    return out1, out2


def _inside_the_multi_page_article(tmp: Path, sig: signal.Signals) -> tuple[Path, Path]:
    """Stop the crawl when every other article is exported and the two-page article waits
    for its second page (a graceful stop lets that download finish; a SIGKILL loses it)."""
    args = crawl_args(tmp, slowed_mirror(tmp, **{CONTINUATION: STUCK}))
    out1, out2 = tmp / "out1.jsonl", tmp / "out2.jsonl"
    proc = start(args, out1)
    others = ARTICLES - {MULTI_PAGE}
    wait_until(lambda: others <= {_group(u) for u in exported_urls(out1)}, proc, "every other article")
    time.sleep(0.3)
    assert stop(proc, sig)
    if sig == signal.SIGKILL:
        assert MULTI_PAGE not in exported_urls(out1)
    assert resume(crawl_args(tmp, MIRROR), out2) == (sig == signal.SIGKILL)
    return out1, out2


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_stop_after_a_first_list_page_then_resume(tmp_path: Path, sig: signal.Signals) -> None:
    """The resumed crawl finds 要闻's first page all known, and still fetches its second page
    (the stopped run had queued it): its articles are not lost to the pagination stop."""
    assert_exactly_once(*_after_a_first_list_page(tmp_path, sig))


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_stop_inside_a_multi_page_article_then_resume(tmp_path: Path, sig: signal.Signals) -> None:
    out1, out2 = _inside_the_multi_page_article(tmp_path, sig)
    assert_exactly_once(out1, out2)
    records = [json.loads(line) for out in (out1, out2) for line in out.read_text("utf-8").splitlines()]
    (merged,) = [record for record in records if record["url"] == MULTI_PAGE]
    assert merged["pages"] == 2


@pytest.mark.parametrize("seed", range(4))
def test_sigint_at_a_random_point_then_resume(tmp_path: Path, seed: int) -> None:
    """A graceful stop: Scrapy's queue in JOBDIR resumes the crawl, through a mirror on a new
    port (the queued requests' proxy is the stopped run's)."""
    rng = random.Random(1000 + seed)
    records, pause = rng.randint(0, len(ARTICLES) - 8), rng.uniform(0, 0.15)
    args = crawl_args(tmp_path, random_trial_mirror(tmp_path))
    out1, out2 = tmp_path / "out1.jsonl", tmp_path / "out2.jsonl"
    proc = start(args, out1)
    wait_until(lambda: len(exported_urls(out1)) >= records, proc, f"{records} records")
    time.sleep(pause)
    assert stop(proc, signal.SIGINT)
    assert not resume(crawl_args(tmp_path, slowed_mirror(tmp_path, SLOW)), out2)
    assert_exactly_once(out1, out2)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_offline_stop_then_resume(tmp_path: Path, sig: signal.Signals) -> None:
    """``--offline`` (the bundled mirror, on a new port each run), stopped after 10 records."""
    args = crawl_args(tmp_path, None)
    out1, out2 = tmp_path / "out1.jsonl", tmp_path / "out2.jsonl"
    proc = start(args, out1)
    wait_until(lambda: len(exported_urls(out1)) >= 10, proc, "10 records")
    assert stop(proc, sig)
    assert resume(args, out2) == (sig == signal.SIGKILL)
    assert_exactly_once(out1, out2)


def test_sigint_with_a_retry_queued_then_resume(tmp_path: Path) -> None:
    """A graceful stop while a retry of a failed page waits in the queue: the resumed crawl
    serves the mirror on another port, and the retry (whose meta holds the stopped run's proxy)
    must reach it, not the closed port."""
    failing = EXPECTED["special_cases"]["fail_first"]  # answers 500 once, then the page
    serial = ["-s", "CONCURRENT_REQUESTS=1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    args = crawl_args(tmp_path, slowed_mirror(tmp_path, SLOW))
    out1, out2 = tmp_path / "out1.jsonl", tmp_path / "out2.jsonl"
    proc = start([*args, *serial, "--log-level", "DEBUG"], out1)
    log = out1.with_suffix(".log")
    wait_until(lambda: f"Retrying <GET {failing}>" in log.read_text("utf-8", "replace"), proc, "a retry")
    assert stop(proc, signal.SIGINT)
    assert failing not in exported_urls(out1)
    assert not resume(crawl_args(tmp_path, slowed_mirror(tmp_path, SLOW)), out2)
    assert_exactly_once(out1, out2)
