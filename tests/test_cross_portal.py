"""End to end, over loopback: two portals that reprint each other's stories, crawled one after the
other into ONE seen-store, export every shared story once.

``fixtures/cnjiwang/expected/reprints.json`` lists the cnjiwang articles that are jl_cri stories
(``verbatim``, ``edited_title``, ``extra_paragraph``, ``removed_paragraph``) and those that are
only on the same topic (``same_topic_distinct``: different text, both must be exported). Each crawl
is a ``python -m newscrawler crawl PORTAL --offline --store S`` subprocess, as a user runs it.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newscrawler.dedupe.fingerprint import fingerprint_body
from newscrawler.dedupe.store import NEAR_DUPLICATE_THRESHOLD
from newscrawler.portals import get_portal
from tests.conftest import FIXTURES, load_json, read_jsonl, run_cli

REPRINTS: list[dict[str, str]] = load_json(FIXTURES / "cnjiwang" / "expected" / "reprints.json")
SHARED = [r for r in REPRINTS if r["kind"] != "same_topic_distinct"]
DISTINCT = [r for r in REPRINTS if r["kind"] == "same_topic_distinct"]
#: reprints whose body is the jl_cri body exactly (the title or the page split differ, not the text)
SAME_TEXT_KINDS = {"verbatim", "edited_title"}


def _expected(portal: str) -> dict[str, dict[str, Any]]:
    records = (load_json(p) for p in sorted((FIXTURES / portal / "expected" / "articles").glob("*.json")))
    return {r["url"]: r for r in records}


EXPECTED = {"jl_cri": _expected("jl_cri"), "cnjiwang": _expected("cnjiwang")}
CRAWL = {p: load_json(FIXTURES / p / "expected" / "crawl.json") for p in EXPECTED}


@dataclass
class Run:
    portal: str
    records: list[dict[str, Any]]
    summary: dict[str, Any]
    stderr: str

    @property
    def urls(self) -> set[str]:
        return {r["url"] for r in self.records}

    @property
    def duplicates(self) -> dict[str, int]:
        return dict(self.summary["duplicates"])

    def by_url(self, url: str) -> dict[str, Any]:
        [record] = [r for r in self.records if r["url"] == url]
        return record


def crawl(portal: str, store: Path, workdir: Path, tag: str, *settings: str) -> Run:
    out, summary = workdir / f"{tag}.jsonl", workdir / f"{tag}.summary.json"
    args = ["crawl", portal, "--offline", "--store", str(store), "-O", str(out)]
    args += ["-s", f"SUMMARY_FILE={summary}"]
    for setting in settings:
        args += ["-s", setting]
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return Run(portal, read_jsonl(out), load_json(summary), proc.stderr)


def _jl_cri_exported(run: Run) -> set[str]:
    """The jl_cri URLs in ``run``, the republished pair (either URL may win) counted as its primary."""
    urls = set(run.urls)
    for primary, alt in CRAWL["jl_cri"]["alternates"].items():
        if urls & set(alt["urls"]):
            urls -= set(alt["urls"])
            urls.add(primary)
    return urls


@pytest.fixture(scope="module")
def forward(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Run]:
    """jl_cri first, then cnjiwang, one SQLite store."""
    work = tmp_path_factory.mktemp("forward")
    store = work / "seen.sqlite3"
    return crawl("jl_cri", store, work, "a"), crawl("cnjiwang", store, work, "b")


@pytest.fixture(scope="module")
def keep(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Run]:
    """jl_cri first, then cnjiwang with DEDUPE_KEEP_DUPLICATES=True."""
    work = tmp_path_factory.mktemp("keep")
    store = work / "seen.sqlite3"
    first = crawl("jl_cri", store, work, "a")
    return first, crawl("cnjiwang", store, work, "b", "DEDUPE_KEEP_DUPLICATES=True")


@pytest.fixture(scope="module")
def backward(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Run]:
    """cnjiwang first, then jl_cri, one SQLite store."""
    work = tmp_path_factory.mktemp("backward")
    store = work / "seen.sqlite3"
    return crawl("cnjiwang", store, work, "b"), crawl("jl_cri", store, work, "a")


# -- the fixture itself ------------------------------------------------------------------------


def test_the_reprint_table_covers_every_kind() -> None:
    kinds = [r["kind"] for r in REPRINTS]
    assert kinds.count("verbatim") >= 2
    for kind in ("edited_title", "extra_paragraph", "removed_paragraph"):
        assert kind in kinds
    assert kinds.count("same_topic_distinct") >= 2
    for row in REPRINTS:
        assert row["cnjiwang"] in EXPECTED["cnjiwang"], row
        assert row["jl_cri"] in EXPECTED["jl_cri"], row
    assert len({r["cnjiwang"] for r in REPRINTS}) == len(REPRINTS)


@pytest.mark.parametrize("row", REPRINTS, ids=lambda r: f"{r['kind']}:{r['cnjiwang'].rsplit('/', 1)[-1]}")
def test_reprint_pairs_are_what_they_claim(row: dict[str, str]) -> None:
    """The labels hold on the expected records: the measured similarity is on the right side of
    the store's threshold, and each kind differs from the jl_cri story the way it says."""
    jl, cn = EXPECTED["jl_cri"][row["jl_cri"]], EXPECTED["cnjiwang"][row["cnjiwang"]]
    a, b = fingerprint_body(jl["body"]), fingerprint_body(cn["body"])
    similarity = a.signature.similarity(b.signature)
    jl_paras, cn_paras = jl["body"].split("\n"), cn["body"].split("\n")
    kind = row["kind"]
    if kind in SAME_TEXT_KINDS:
        assert a.content_hash == b.content_hash
        assert (cn["title"] == jl["title"]) == (kind == "verbatim")
    elif kind == "extra_paragraph":
        assert cn_paras[: len(jl_paras)] == jl_paras and len(cn_paras) == len(jl_paras) + 1
        assert NEAR_DUPLICATE_THRESHOLD <= similarity < 1.0
    elif kind == "removed_paragraph":
        assert len(cn_paras) == len(jl_paras) - 1 and set(cn_paras) < set(jl_paras)
        assert NEAR_DUPLICATE_THRESHOLD <= similarity < 1.0
    else:
        assert similarity < NEAR_DUPLICATE_THRESHOLD / 2, f"same-topic pair too similar: {similarity:.3f}"
    if kind != "same_topic_distinct":
        assert cn["url"] != jl["url"] and cn["portal"] != jl["portal"]


# -- jl_cri first, then cnjiwang ------------------------------------------------------------------


@pytest.mark.e2e
def test_first_crawl_exports_all_of_jl_cri(forward: tuple[Run, Run]) -> None:
    first, _ = forward
    assert _jl_cri_exported(first) == set(CRAWL["jl_cri"]["exported"])
    assert first.summary["articles_exported"] == len(first.records)


@pytest.mark.e2e
def test_each_shared_story_is_exported_once_the_jl_cri_copy(forward: tuple[Run, Run]) -> None:
    first, second = forward
    for row in SHARED:
        assert row["jl_cri"] in first.urls, row
        assert row["cnjiwang"] not in second.urls, f"exported twice: {row}"
    assert all(r["duplicate_of"] is None for r in first.records + second.records)


@pytest.mark.e2e
def test_same_topic_articles_are_not_duplicates(forward: tuple[Run, Run]) -> None:
    first, second = forward
    for row in DISTINCT:
        assert row["jl_cri"] in first.urls and row["cnjiwang"] in second.urls, row


@pytest.mark.e2e
def test_second_crawl_exports_everything_else_of_cnjiwang(forward: tuple[Run, Run]) -> None:
    _, second = forward
    shared = {r["cnjiwang"] for r in SHARED}
    assert second.urls == set(CRAWL["cnjiwang"]["exported"]) - shared
    assert len(second.records) == len(second.urls)
    for record in second.records:  # the exported ones are the fixture's records, field for field
        want = EXPECTED["cnjiwang"][record["url"]]
        assert {k: record[k] for k in want} == want, record["url"]


@pytest.mark.e2e
def test_second_crawl_counts_the_reprints_as_duplicates(forward: tuple[Run, Run]) -> None:
    first, second = forward
    same_text = sum(1 for r in SHARED if r["kind"] in SAME_TEXT_KINDS)
    assert second.duplicates == {"content": same_text, "near": len(SHARED) - same_text}
    assert second.summary["articles_exported"] == len(second.records)
    assert f"duplicates:        {len(SHARED)} " in second.stderr
    # jl_cri's own republished pair is its only duplicate: the store started empty
    assert sum(first.duplicates.values()) == CRAWL["jl_cri"]["counts"]["duplicates_content"]


@pytest.mark.e2e
def test_no_text_is_exported_twice_across_the_two_outputs(forward: tuple[Run, Run]) -> None:
    first, second = forward
    records = first.records + second.records
    assert len({r["content_hash"] for r in records}) == len(records)
    assert len({r["canonical_url"] for r in records}) == len(records)


# -- keeping duplicates ---------------------------------------------------------------------------


@pytest.mark.e2e
def test_kept_duplicates_point_at_the_jl_cri_copy(keep: tuple[Run, Run]) -> None:
    first, second = keep
    assert second.urls == set(CRAWL["cnjiwang"]["exported"])
    shared = {r["cnjiwang"]: r["jl_cri"] for r in SHARED}
    for record in second.records:
        assert record["duplicate_of"] == shared.get(record["url"]), record["url"]
    for jl_url in shared.values():
        assert jl_url in first.urls
    assert sum(second.duplicates.values()) == len(SHARED)


# -- cnjiwang first, then jl_cri: the first copy wins -----------------------------------------


@pytest.mark.e2e
def test_opposite_order_the_cnjiwang_copy_wins(backward: tuple[Run, Run]) -> None:
    first, second = backward
    assert first.urls == set(CRAWL["cnjiwang"]["exported"])
    shared_jl = {r["jl_cri"] for r in SHARED}
    assert _jl_cri_exported(second) == set(CRAWL["jl_cri"]["exported"]) - shared_jl
    for row in DISTINCT:
        assert row["jl_cri"] in second.urls, row
    same_text = sum(1 for r in SHARED if r["kind"] in SAME_TEXT_KINDS)
    own = CRAWL["jl_cri"]["counts"]["duplicates_content"]  # the republished pair, as always
    assert second.duplicates == {"content": same_text + own, "near": len(SHARED) - same_text}
    records = first.records + second.records
    assert len({r["content_hash"] for r in records}) == len(records)


def test_cnjiwang_notices_are_matched_by_its_own_patterns() -> None:
    """The copyright notice and follow prompt that every cnjiwang reprint carries instead of CRI's
    disclaimer are removed by the portal's own ``boilerplate_patterns``, not only by shared rules."""
    patterns = [re.compile(p) for p in get_portal("cnjiwang").boilerplate_patterns]
    layout = _layout()
    for line in (*layout.COPYRIGHT_NOTICE, layout.FOLLOW_PROMPT, "【责任编辑：王萌】"):
        assert any(p.search(line) for p in patterns), line
    for record in EXPECTED["cnjiwang"].values():
        assert not any(p.search(par) for p in patterns for par in record["body"].split("\n")), record["url"]


def _layout() -> Any:
    """``fixtures/tools/cnjiwang_layout.py`` (not a package), where the notices' text lives."""
    spec = importlib.util.spec_from_file_location(
        "cnjiwang_layout", FIXTURES / "tools" / "cnjiwang_layout.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
