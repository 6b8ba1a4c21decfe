"""Crawl health: figures, the check, the store, the schema pipeline, the command, the scheduler's
[health] table and after-run hook. (The drift fixtures: test_health_drift.py; the HTML report in a
real browser: test_health_browser.py.)"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import DropItem

from newscrawler import settings
from newscrawler.cli import main
from newscrawler.dedupe.testing import redis_server, redis_server_path
from newscrawler.health.check import COVERAGE_DROP, Thresholds, check_portal
from newscrawler.health.command import HealthHook, run_alarm_command
from newscrawler.health.config import parse_health_table
from newscrawler.health.figures import RunFigures, filled
from newscrawler.health.report import format_html, format_text, sparkline
from newscrawler.health.store import health_store_spec, open_health_store, run_entry
from newscrawler.record import Article, empty_record
from newscrawler.schedule.config import load_schedule
from newscrawler.schedule.timing import ScheduleError
from newscrawler.validation import SchemaPipeline, schema_error, shipped_schema
from tests.conftest import REPO, read_jsonl, run_cli


def record(**fields: Any) -> dict[str, Any]:
    out = empty_record()
    out.update(
        url="http://jl.cri.cn/2020-06-04/x.html",
        canonical_url="http://jl.cri.cn/2020-06-04/x.html",
        portal="jl_cri",
        portal_name="国际在线吉林频道",
        section="要闻",
        title="标题",
        published_at="2020-06-04T09:34:01+08:00",
        source="吉林日报",
        editor="赵宇静",
        authors=[{"name": "王忠先", "role": "reporter"}],
        body="正文第一段。\n正文第二段。",
        language="zh",
        pages=1,
        crawled_at="2026-12-02T00:00:00Z",
        content_hash="0" * 40,
        simhash="0" * 16,
    )
    out.update(fields)
    return out


def run(
    n: int,
    exported: int = 30,
    *,
    source: float = 1.0,
    with_time: float = 1.0,
    errors: int = 0,
    pages: int = 50,
    sections: dict[str, int] | None = None,
    by_source: dict[str, float] | None = None,
    duplicates: int = 0,
) -> dict[str, Any]:
    """A run entry as the store keeps it, with made-up figures."""
    coverage = {name: 1.0 for name in ("section", "title", "published_at", "editor", "authors", "body")}
    coverage["source"] = source
    health = {
        "exported": exported,
        "listed": sum((sections or {"要闻": 10}).values()),
        "list_pages": 5,
        "coverage": coverage if exported else dict.fromkeys(coverage),
        "published_at": {"with_time": with_time if exported else None, "by_source": by_source or {}},
        "body_length_mean": 300.0,
        "sections": {
            name: {"listed": listed, "exported": 1} for name, listed in (sections or {"要闻": 10}).items()
        },
        "non_articles": 0,
        "dropped": {},
        "errors": {"http_500": errors} if errors else {},
        "error_rate": round(errors / pages, 4),
    }
    summary = {
        "articles_exported": exported,
        "pages_fetched": pages,
        "errors": {"x": errors},
        "duplicates": {"content": duplicates},
        "health": health,
    }
    return run_entry("jl_cri", f"r{n:02d}", f"2026-12-0{1 + n // 24}T{n % 24:02d}:00:00Z", summary)


def kinds(entries: list[dict[str, Any]], **thresholds: Any) -> list[tuple[str, str | None]]:
    result = check_portal("jl_cri", entries, Thresholds().updated(thresholds))
    return [(a.kind, a.field or a.section) for a in result.alarms]


# -- figures ---------------------------------------------------------------------------------
def test_filled_counts_null_blank_and_empty_as_missing() -> None:
    assert [filled(v) for v in (None, "", "  \n", [], {}, "x", [1], 0, 1)] == [
        False,
        False,
        False,
        False,
        False,
        True,
        True,
        True,
        True,
    ]


def test_run_figures_per_portal_and_section() -> None:
    figures = RunFigures()
    figures.add_record(record())
    figures.add_record(record(section="市州新闻", source=None, published_at="2020-06-04", authors=[]))
    figures.add_record(record(section="市州新闻", source="  ", published_at_source="url", body="一二三四"))
    figures.add_list_page("市州新闻", 7)
    figures.add_list_page("市州新闻", 0)
    out = figures.figures()
    assert out["exported"] == 3 and out["listed"] == 7 and out["list_pages"] == 2
    assert out["coverage"]["source"] == round(1 / 3, 4)
    assert out["coverage"]["authors"] == round(2 / 3, 4)
    assert out["published_at"]["with_time"] == round(2 / 3, 4)
    assert out["published_at"]["by_source"] == {"url": round(1 / 3, 4)}
    city = out["sections"]["市州新闻"]
    assert (city["exported"], city["listed"], city["list_pages"]) == (2, 7, 2)
    assert city["coverage"]["source"] == 0.0
    assert out["sections"]["要闻"]["listed"] == 0
    assert out["body_length_mean"] == round((13 * 2 + 4) / 3, 1)
    assert out["value_length_mean"]["source"] == 4.0  # "吉林日报" twice; blank and null not counted
    assert out["value_length_mean"]["published_at"] == round(
        (25 + 10 + 25) / 3, 1
    )  # 13 characters, twice, and 4


def test_no_records_no_shares() -> None:
    out = RunFigures().figures()
    assert out["exported"] == 0 and out["coverage"]["title"] is None and out["body_length_mean"] is None


# -- the check -------------------------------------------------------------------------------
def test_steady_runs_raise_nothing() -> None:
    assert kinds([run(i, 30 + i % 3) for i in range(8)]) == []


def test_first_run_is_new() -> None:
    assert check_portal("jl_cri", [run(0)]).status == "new"


def test_exported_zero_and_low() -> None:
    history = [run(i, 30) for i in range(4)]
    assert kinds([*history, run(9, 0)]) == [("exported", None)]
    assert kinds([*history, run(9, 14)]) == [("exported", None)]
    assert kinds([*history, run(9, 15)]) == []  # exactly half: not below
    # duplicates of earlier exports count: a steady re-crawl with a persistent store is fine
    assert kinds([*history, run(9, 0, duplicates=30)]) == []


def test_no_count_alarm_under_min_usual() -> None:
    history = [run(i, 3) for i in range(4)]  # a trickle of new articles per run
    assert kinds([*history, run(9, 0)]) == []
    assert kinds([*history, run(9, 0)], min_usual=3) == [("exported", None)]


def test_coverage_drop_over_the_threshold_only() -> None:
    history = [run(i) for i in range(4)]
    assert kinds([*history, run(9, source=0.0)]) == [("coverage", "source")]
    assert kinds([*history, run(9, source=1.0 - COVERAGE_DROP)]) == []  # not more than the drop
    assert kinds([*history, run(9, source=0.5)], fields=["title"]) == []  # not a watched field


def test_coverage_median_ignores_one_bad_run() -> None:
    runs = [run(0), run(1), run(2, source=0.0), run(3), run(4)]
    assert kinds(runs) == []


def test_dates_fallback_by_time_of_day_and_by_source() -> None:
    history = [run(i) for i in range(4)]
    assert kinds([*history, run(9, with_time=0.0)]) == [("dates", "published_at")]
    sourced = [run(i, by_source={"page": 1.0}) for i in range(4)]
    # published_at_source present: the page share decides (a date-only page date is fine)
    assert kinds([*sourced, run(9, with_time=0.0, by_source={"page": 1.0})]) == []
    late = run(9, by_source={"page": 0.1, "url": 0.9})
    result = check_portal("jl_cri", [*sourced, late])
    assert [(a.kind, a.field) for a in result.alarms] == [("dates", "published_at_source")]
    assert "from the URL on 90% (usual 0%)" in result.alarms[0].message


def test_values_that_change_shape() -> None:
    def sized(n: int, source_chars: float) -> dict[str, Any]:
        entry = run(n)
        entry["health"]["value_length_mean"] = {"source": source_chars, "title": 20.0, "published_at": 25.0}
        return entry

    history = [sized(i, 4.0) for i in range(4)]
    assert kinds([*history, sized(9, 40.0)]) == [("values", "source")]  # a sentence, not a name
    assert kinds([*history, sized(9, 1.5)]) == [("values", "source")]
    assert kinds([*history, sized(9, 8.0)]) == []  # exactly twice: not more
    last = sized(9, 4.0)
    last["health"]["value_length_mean"]["published_at"] = 10.0  # date only: the dates alarm's job
    assert kinds([*history, last]) == []


def test_error_rate_rise() -> None:
    history = [run(i, errors=1) for i in range(4)]  # 2% of 50 pages
    assert kinds([*history, run(9, errors=7)]) == [("error_rate", None)]  # 14%
    assert kinds([*history, run(9, errors=5)]) == []  # 10%: 8 points up


def test_section_that_used_to_list_articles_lists_none() -> None:
    history = [run(i, sections={"要闻": 10, "市州新闻": 5}) for i in range(4)]
    assert kinds([*history, run(9, sections={"要闻": 10, "市州新闻": 0})]) == [("section", "市州新闻")]
    assert kinds([*history, run(9, sections={"要闻": 10})]) == [("section", "市州新闻")]
    assert kinds([*history, run(9, sections={"要闻": 10, "市州新闻": 1})]) == []


def test_history_is_the_last_n_runs() -> None:
    old = [run(i, 100) for i in range(5)]
    recent = [run(10 + i, 30) for i in range(3)]
    assert kinds([*old, *recent, run(20, 30)], runs=3) == []
    assert kinds([*old, *recent, run(20, 30)], runs=8) == [("exported", None)]


def test_runs_without_figures_are_not_compared() -> None:
    failed = {"portal": "jl_cri", "run_id": "f", "started_at": "2026-12-09T00:00:00Z", "health": None}
    result = check_portal("jl_cri", [run(0), run(1), failed])
    assert result.last["run_id"] == "r01" and result.status == "ok"


def test_thresholds_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown threshold 'coverage'"):
        Thresholds().updated({"coverage": 0.1})
    with pytest.raises(ValueError, match="between 0 and 1"):
        Thresholds().updated({"coverage_drop": 20})
    with pytest.raises(ValueError, match="whole number"):
        Thresholds().updated({"runs": 0})
    with pytest.raises(ValueError, match="length_ratio must be more than 1"):
        Thresholds().updated({"length_ratio": 0.5})
    assert Thresholds().updated({"fields": "source, editor"}).fields == ("source", "editor")
    with pytest.raises(ValueError, match="sorce not a record field"):
        Thresholds().updated({"fields": ["sorce"]})


# -- store -----------------------------------------------------------------------------------
def test_store_location_beside_the_seen_store(tmp_path: Path) -> None:
    seen = tmp_path / "data" / "seen.sqlite3"
    assert health_store_spec("default", str(seen)) == str(tmp_path / "data" / "health.sqlite3")
    assert health_store_spec(None, ":memory:") is None
    assert health_store_spec("off", str(seen)) is None
    assert health_store_spec("default", "redis://localhost:6379/0") == "redis://localhost:6379/0"
    assert health_store_spec("/x/h.sqlite3", ":memory:") == "/x/h.sqlite3"


def _exercise_store(store: Any) -> None:
    for i in (2, 0, 1):
        store.add_run(run(i, 30 + i))
    store.add_run({**run(0, 99), "portal": "other"})
    store.add_run(run(1, 77))  # same portal and run id: replaced
    assert [r["run_id"] for r in store.runs("jl_cri", 10)] == ["r00", "r01", "r02"]
    assert [r["articles_exported"] for r in store.runs("jl_cri", 2)] == [77, 32]
    assert store.portals() == ["jl_cri", "other"]
    assert store.runs("nobody", 5) == []


def test_sqlite_store(tmp_path: Path) -> None:
    store = open_health_store(tmp_path / "h.sqlite3")
    _exercise_store(store)
    store.close()
    with pytest.raises(Exception, match="no health store at"):
        open_health_store(tmp_path / "missing.sqlite3", create=False)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if redis_server_path() is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server); .ci/run installs it")
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


def test_redis_store(redis_url: str) -> None:
    store = open_health_store(f"{redis_url}?prefix=t1")
    _exercise_store(store)
    assert all(k.startswith(b"t1:health:") for k in store.client.keys("*"))  # type: ignore[attr-defined]
    store.close()


# -- schema pipeline --------------------------------------------------------------------------
class _Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


class _Crawler:
    def __init__(self) -> None:
        self.stats = _Stats()


def test_schema_pipeline_passes_a_valid_record() -> None:
    item = record()
    assert schema_error(item) is None
    assert SchemaPipeline(_Crawler()).process_item(item) is item  # type: ignore[arg-type]
    article = Article(**item)  # the crawl's items are Articles: their exported fields are checked
    assert SchemaPipeline(_Crawler()).process_item(article) is article  # type: ignore[arg-type]
    article.pages = 0
    with pytest.raises(DropItem, match=r"\$\.pages"):
        SchemaPipeline(_Crawler()).process_item(article)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"authors": [{"name": "王", "role": "boss"}]}, "$.authors[0].role"),
        ({"published_at": "June 4"}, "$.published_at"),
        ({"pages": 0}, "$.pages"),
        ({"extra": 1}, "$: must not contain"),
    ],
)
def test_schema_pipeline_drops_an_invalid_record(change: dict[str, Any], path: str) -> None:
    crawler = _Crawler()
    with pytest.raises(DropItem) as info:
        SchemaPipeline(crawler).process_item(record(**change))  # type: ignore[arg-type]
    assert path in str(info.value) and "x.html" in str(info.value)
    assert crawler.stats.values == {"newscrawler/dropped/schema": 1}


@pytest.mark.e2e
def test_invalid_record_is_dropped_and_counted_in_a_crawl(tmp_path: Path) -> None:
    out, summary = tmp_path / "out.jsonl", tmp_path / "summary.json"
    # a portal's editor is a string: an int breaks the schema (set through a test-only pipeline)
    pipelines = {**settings.ITEM_PIPELINES, "tests.test_health.BreakEditorPipeline": 920}
    done = run_cli(
        "crawl",
        "jl_cri",
        "--offline",
        "-O",
        str(out),
        "--max-articles",
        "3",
        "-s",
        f"SUMMARY_FILE={summary}",
        "-s",
        "HEALTH_STORE=off",
        "-s",
        f"ITEM_PIPELINES={json.dumps(pipelines)}",
        "--log-level",
        "ERROR",
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(summary.read_text(encoding="utf-8"))
    assert figures["articles_exported"] == 0 and figures["dropped"]["schema"] >= 3
    assert "invalid record (schema) at $.editor: must be string or null" in done.stderr
    assert read_jsonl(out) == []


class BreakEditorPipeline:
    """(test_invalid_record_is_dropped...) make every record invalid before the schema check"""

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        item["editor"] = 1
        return item


# -- report and command -------------------------------------------------------------------------
def test_text_and_html_report() -> None:
    ok = check_portal("jl_cri", [run(i) for i in range(3)])
    bad = check_portal(
        "cnjiwang", [{**r, "portal": "cnjiwang"} for r in [run(0), run(1), run(2, source=0.0)]]
    )
    text = format_text([ok, bad])
    assert "jl_cri: OK" in text and "cnjiwang: ALARM" in text and "source filled on 0%" in text
    html = format_html([ok, bad], Thresholds().fields)
    assert 'id="portal-cnjiwang" data-status="alarm"' in html and 'data-status="ok"' in html
    assert "<script" not in html and "<link" not in html and "src=" not in html  # self-contained
    assert html.count("<svg") == 2 * (len(Thresholds().fields) + 2)


def test_sparkline_draws_the_values_and_marks_the_last() -> None:
    svg = sparkline([0, 1, None, 1], low=0, high=1)
    assert svg.count("<polyline") == 1 and "<circle" in svg  # the gap splits the line
    assert 'points="3.0,25.0 41.0,3.0"' in svg


def _store_with(tmp_path: Path, runs: list[dict[str, Any]]) -> Path:
    path = tmp_path / "health.sqlite3"
    store = open_health_store(path)
    for entry in runs:
        store.add_run(entry)
    store.close()
    return path


def test_command_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _store_with(tmp_path, [run(0), run(1), run(2)])
    assert main(["health", "--store", str(path)]) == 0
    store = open_health_store(path)
    store.add_run(run(3, 0))
    store.close()
    report = tmp_path / "r.html"
    assert main(["health", "--store", str(path), "--html", str(report)]) == 1
    assert "no article exported (usual 30)" in capsys.readouterr().out
    assert 'data-status="alarm"' in report.read_text(encoding="utf-8")
    assert main(["health", "--store", str(path), "--min-usual", "31"]) == 0  # thresholds apply
    capsys.readouterr()
    assert main(["health", "--store", str(path), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)[0]["alarms"][0]["kind"] == "exported"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--store", "{tmp}/none.sqlite3"], "no health store at"),
        (["--store", "{tmp}/health.sqlite3", "--portal", "nope"], "no run of portal 'nope'"),
        (["--store", "{tmp}/health.sqlite3", "--coverage-drop", "5"], "coverage-drop must be a share"),
        (["--schedule", "{tmp}/missing.toml"], "no such schedule file"),
    ],
)
def test_command_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    _store_with(tmp_path, [run(0)])
    done = run_cli("health", *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert done.returncode == 2 and message in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


# -- the schedule's [health] table and the after-run hook ------------------------------------------
def _schedule(tmp_path: Path, health: str) -> Path:
    path = tmp_path / "schedule.toml"
    path.write_text(f'[[job]]\nportal = "jl_cri"\nevery = "1h"\noffline = true\n\n[health]\n{health}\n')
    return path


def test_health_table(tmp_path: Path) -> None:
    schedule = load_schedule(
        _schedule(tmp_path, 'store = "h.sqlite3"\nruns = 3\ncoverage_drop = 0.3\nalarm_command = ["cat"]'),
        known_portals=["jl_cri"],
    )
    assert schedule.health.store == str(tmp_path / "h.sqlite3")
    assert schedule.health.thresholds.runs == 3 and schedule.health.thresholds.coverage_drop == 0.3
    assert schedule.health.alarm_command == ["cat"]
    assert parse_health_table({}, tmp_path).thresholds == Thresholds()


@pytest.mark.parametrize(
    ("health", "message"),
    [
        ("runs = 0", "runs must be a whole number"),
        ("alarm_command = 5", "alarm_command must be a list"),
        ("colour = 1", "unknown threshold 'colour'"),
    ],
)
def test_health_table_errors(tmp_path: Path, health: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        load_schedule(_schedule(tmp_path, health), known_portals=["jl_cri"])


def test_alarm_command_gets_the_alarm_on_stdin(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    target = tmp_path / "alarm.json"
    copy = [sys.executable, "-c", f"import sys; open({str(target)!r}, 'w').write(sys.stdin.read())"]
    assert run_alarm_command(copy, {"portal": "jl_cri", "alarms": [{"kind": "exported"}]}) == 0
    assert json.loads(target.read_text())["alarms"] == [{"kind": "exported"}]
    with caplog.at_level(logging.ERROR, logger="newscrawler.schedule"):
        assert run_alarm_command([sys.executable, "-c", "import sys; sys.exit('hook down')"], {}) == 1
        assert run_alarm_command([str(tmp_path / "no-such-command")], {}) is None
    assert "exited with 1: hook down" in caplog.text and "alarm command failed" in caplog.text


def test_hook_keeps_the_run_checks_it_and_alarms(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    target = tmp_path / "alarm.json"
    copy = f"{sys.executable} -c \"import sys; open('{target}', 'w').write(sys.stdin.read())\""
    config = parse_health_table({"alarm_command": copy}, tmp_path)
    hook = HealthHook(config, tmp_path / "data")

    def line(n: int, **kw: Any) -> dict[str, Any]:
        return {**run(n, **kw), "job": "jl_cri_live", "store": ":memory:"}

    with caplog.at_level(logging.INFO, logger="newscrawler.schedule"):
        for n in range(3):
            hook(line(n))
        hook({"portal": "jl_cri", "run_id": "failed", "health": None})  # a failed run: ignored
        assert not target.exists()
        hook(line(3, source=0.0))
        hook.wait()
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == ["health: jl_cri_live ALARM: source filled on 0% of the records (usual 100%) (run r03)"]
    payload = json.loads(target.read_text())
    assert payload["job"] == "jl_cri_live" and payload["status"] == "alarm"
    assert payload["alarms"] == [
        {
            "kind": "coverage",
            "message": errors[0].split("ALARM: ")[1].split(" (run")[0],
            "value": 0.0,
            "usual": 1.0,
            "field": "source",
        }
    ]
    store = open_health_store(tmp_path / "data" / "health.sqlite3", create=False)
    assert [r["run_id"] for r in store.runs("jl_cri_live", 10)] == ["r00", "r01", "r02", "r03"]
    assert store.portals() == ["jl_cri_live"]  # kept under the job's name
    store.close()


def test_hook_with_a_broken_store_says_so_in_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "health.sqlite3").write_text("not a database")
    hook = HealthHook(parse_health_table({"store": "health.sqlite3"}, tmp_path), tmp_path)
    with caplog.at_level(logging.ERROR, logger="newscrawler.schedule"):
        hook({**run(0), "job": "x"})
    assert [r.getMessage().split(": ")[0] for r in caplog.records] == ["health"]
    assert "run r00 of x not checked" in caplog.text and "Traceback" not in caplog.text


@pytest.mark.e2e
def test_scheduler_runs_the_check_after_each_run(tmp_path: Path) -> None:
    """Two real scheduled runs of the bundled mirror: the first kept, the second checked against
    it: quiet; runs.jsonl carries the figures."""
    path = tmp_path / "schedule.toml"
    path.write_text(
        f'[defaults]\noutput_dir = "data"\n\n[[job]]\nportal = "jl_cri"\nevery = "1s"\n'
        f'mirror = "{REPO / "fixtures" / "jl_cri"}"\n\n[health]\nruns = 3\n'
    )
    done = run_cli("schedule", str(path), "--max-runs", "2", timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = read_jsonl(tmp_path / "data" / "runs.jsonl")
    assert [ln["status"] for ln in lines] == ["ok", "ok"]
    assert lines[0]["health"]["coverage"]["source"] == 1.0
    assert lines[0]["health"]["sections"]["要闻"]["listed"] > 0
    assert "health: jl_cri NEW" in done.stderr and "health: jl_cri OK" in done.stderr
    assert " ERROR " not in done.stderr
    store = open_health_store(tmp_path / "data" / "health.sqlite3", create=False)
    assert [r["run_id"] for r in store.runs("jl_cri", 5)] == [ln["run_id"] for ln in lines]
    store.close()


def test_the_shipped_schema_is_valid_2020_12_and_the_crawl_check_agrees_with_jsonschema() -> None:
    # the crawl checks records with fastjsonschema (no dependencies); jsonschema, a test
    # dependency, checks the file against the 2020-12 meta-schema and is the oracle of verdicts
    import jsonschema

    schema = shipped_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    oracle = jsonschema.Draft202012Validator(schema)
    changes: list[dict[str, Any]] = [
        {},
        {"authors": [{"name": "王", "role": "boss"}]},
        {"authors": [{"name": "王", "role": "reporter", "org": "吉林日报"}]},
        {"authors": [{"name": "", "role": "reporter"}]},
        {"images": [{"url": "http://x/a.jpg", "caption": None, "credit": None}]},
        {"images": [{"url": "http://x/a.jpg"}]},
        {"published_at": "June 4"},
        {"published_at": "2020-06-04T09:34:01+08:00"},
        {"published_at": None, "published_at_source": None},
        {"published_at_source": "guess"},
        {"pages": 0},
        {"pages": "1"},
        {"title": ""},
        {"editor": 3},
        {"simhash": "xyz"},
        {"extra": 1},
    ]
    for change in changes:
        item = record(**change)
        assert (schema_error(item) is None) == oracle.is_valid(item), change
