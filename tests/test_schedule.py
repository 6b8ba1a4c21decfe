"""``newscrawler schedule``: interval and cron parsing, schedule-file checks, and end-to-end runs of
the command (two portals on 1 s intervals plus a failing job, --once, SIGTERM) against mirrors
served on 127.0.0.1."""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from newscrawler.schedule import (
    CronExpression,
    Job,
    Schedule,
    ScheduleError,
    Scheduler,
    load_schedule,
    parse_interval,
    run_id_for,
)

REPO = Path(__file__).resolve().parents[1]
FIXTURE_MIRROR = REPO / "fixtures" / "jl_cri"
PORTALS = ["jl_cri"]
HANZI = "吉林长春通化延边四平辽源白山松原白城经济产业项目建设企业发展投资就业农业工业服务科技创新交通旅游文化"
SLUGS = ["yw", "csyy", "lwzjl", "zgzg", "sp", "yc", "rdzt", "tscy", "szxw"]


# -- a tiny generated jl_cri mirror ------------------------------------------------------------
def make_mirror(root: Path, label: str, count: int, delay: float = 0.0) -> list[str]:
    """Write a jl_cri-shaped mirror of ``count`` articles (all in 要闻) under ``root``; return
    their titles. ``delay``: every page answers after that many seconds."""
    entries: list[dict[str, Any]] = []

    def page(url: str, name: str, html: str) -> None:
        path = root / "site" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        entries.append(
            {
                "url": url,
                "file": f"site/{name}",
                "status": 200,
                "headers": {"Content-Type": "text/html; charset=utf-8"},
                "delay": delay,
            }
        )

    nav = "".join(f'<li><a href="http://jl.cri.cn/{s}/index.html">{s}</a></li>' for s in SLUGS)
    page(
        "http://jl.cri.cn/",
        "index.html",
        f'<html><head><meta charset="utf-8"><title>国际在线吉林频道</title></head>'
        f'<body><div class="nav"><ul>{nav}</ul></div></body></html>',
    )
    titles, links = [], []
    for i in range(count):
        ident = uuid.UUID(int=ord(label[0]) << 64 | i + 1)
        url = f"http://jl.cri.cn/2020-06-04/{ident}.html"
        title = f"{label}测试新闻第{i + 1}篇 吉林省推进项目建设"
        rng = random.Random(f"{label}{i}")  # distinct texts: templated ones would be near-duplicates
        paragraphs = "".join("<p>" + "".join(rng.choices(HANZI, k=60)) + "。</p>" for _ in range(3))
        page(
            url,
            f"2020-06-04/{ident}.html",
            f'<html><head><meta charset="utf-8"><title>{title}_国际在线</title></head><body>'
            f'<div class="crumbs"><a href="http://jl.cri.cn/">国际在线吉林频道</a> &gt; '
            f'<a href="http://jl.cri.cn/yw/index.html">要闻</a> &gt; 正文</div>'
            f'<h1 id="atitle">{title}</h1>'
            f'<div class="info"><span id="acreatedtime">2020-06-04 09:{i % 60:02d}:01</span>'
            f'<span id="asource">来源:吉林日报</span><span id="aeditor">责编:赵宇静</span></div>'
            f'<div id="abody">{paragraphs}</div></body></html>',
        )
        titles.append(title)
        links.append(f'<li><a href="{url}">{title}</a></li>')
    for slug in SLUGS:
        items = "".join(links) if slug == "yw" else ""
        page(
            f"http://jl.cri.cn/{slug}/index.html",
            f"{slug}/index.html",
            f'<html><head><meta charset="utf-8"><title>{slug}</title></head><body>'
            f'<div class="list-box"><ul class="news-list">{items}</ul></div></body></html>',
        )
    (root / "mirror.json").write_text(json.dumps({"portal": "jl_cri", "entries": entries}), encoding="utf-8")
    return titles


# -- helpers -----------------------------------------------------------------------------------
def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def start_schedule(schedule: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newscrawler", "schedule", str(schedule), *args],
        cwd=schedule.parent,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


@pytest.fixture
def processes():
    """Scheduler processes started by a test; killed (with their crawls) if still running."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.send_signal(signal.SIGTERM)  # second signal: the crawls are terminated too
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


# -- intervals ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1s", 1),
        ("90s", 90),
        ("30m", 1800),
        ("2h", 7200),
        ("1d", 86400),
        ("1h30m", 5400),
        ("1.5h", 5400),
        (" 10 M ", 600),
        ("1d 12h", 129600),
    ],
)
def test_parse_interval(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["30", "m", "0s", "30x", "1h foo", "", "-5m", "5m30"])
def test_parse_interval_rejects(text: str) -> None:
    with pytest.raises(ScheduleError, match="interval"):
        parse_interval(text)


def test_parse_interval_rejects_a_number() -> None:
    with pytest.raises(ScheduleError, match="must be a string"):
        parse_interval(30)  # type: ignore[arg-type]


# -- cron --------------------------------------------------------------------------------------
def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# 2026-11-27 is a Friday
@pytest.mark.parametrize(
    ("expr", "after", "expected"),
    [
        ("*/15 * * * *", utc(2026, 11, 27, 1, 7), utc(2026, 11, 27, 1, 15)),
        ("*/15 * * * *", utc(2026, 11, 27, 1, 15), utc(2026, 11, 27, 1, 30)),  # strictly after
        ("*/15 * * * *", utc(2026, 11, 27, 1, 14, 59, 999), utc(2026, 11, 27, 1, 15)),
        ("*/15 * * * *", utc(2026, 11, 27, 23, 50), utc(2026, 11, 28, 0, 0)),
        ("5,35 * * * *", utc(2026, 11, 27, 1, 6), utc(2026, 11, 27, 1, 35)),
        ("0 9-17/4 * * *", utc(2026, 11, 27, 9, 0), utc(2026, 11, 27, 13, 0)),
        ("0 9-17/4 * * *", utc(2026, 11, 27, 17, 1), utc(2026, 11, 28, 9, 0)),
        ("10-20/5 3 * * *", utc(2026, 11, 27, 3, 16), utc(2026, 11, 27, 3, 20)),
        ("30/10 * * * *", utc(2026, 11, 27, 1, 55), utc(2026, 11, 27, 2, 30)),
        ("0 0 * * mon", utc(2026, 11, 27, 12, 0), utc(2026, 11, 30, 0, 0)),
        ("0 0 * * 1", utc(2026, 11, 27, 12, 0), utc(2026, 11, 30, 0, 0)),
        ("0 0 * * 0", utc(2026, 11, 27, 12, 0), utc(2026, 11, 29, 0, 0)),
        ("0 0 * * 7", utc(2026, 11, 27, 12, 0), utc(2026, 11, 29, 0, 0)),  # 7 is Sunday too
        ("0 8 * * mon-fri", utc(2026, 11, 27, 9, 0), utc(2026, 11, 30, 8, 0)),
        ("0 8 * * SAT,sun", utc(2026, 11, 27, 9, 0), utc(2026, 11, 28, 8, 0)),
        ("0 12 1 jan,jul *", utc(2026, 11, 27), utc(2027, 1, 1, 12, 0)),
        ("0 0 1 * *", utc(2026, 12, 15), utc(2027, 1, 1)),
        ("0 0 31 * *", utc(2026, 11, 27), utc(2026, 12, 31)),  # skips 30-day months
        ("0 0 29 2 *", utc(2026, 11, 27), utc(2028, 2, 29)),  # the next leap day
        # both day fields restricted: either matches (the 13th, or a Friday)
        ("0 0 13 * fri", utc(2026, 11, 27, 1), utc(2026, 12, 4)),
        ("0 0 13 * 1", utc(2026, 12, 5), utc(2026, 12, 7)),
        ("0 0 13 * 1", utc(2026, 12, 12), utc(2026, 12, 13)),
        # a day field starting with '*' restricts together with the other one
        ("0 0 */2 * mon", utc(2026, 11, 27), utc(2026, 12, 7)),
        ("@hourly", utc(2026, 11, 27, 1, 7), utc(2026, 11, 27, 2, 0)),
        ("@daily", utc(2026, 11, 27, 1, 7), utc(2026, 11, 28, 0, 0)),
        ("@weekly", utc(2026, 11, 27, 1, 7), utc(2026, 11, 29, 0, 0)),
    ],
)
def test_cron_next_after(expr: str, after: datetime, expected: datetime) -> None:
    assert CronExpression.parse(expr).next_after(after) == expected


def test_cron_uses_the_zone_of_the_time_given() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    after = utc(2026, 11, 27, 1, 7).astimezone(shanghai)  # 09:07 in Shanghai
    fire = CronExpression.parse("0 9 * * *").next_after(after)
    assert fire == datetime(2026, 11, 28, 9, 0, tzinfo=shanghai)
    assert fire.astimezone(UTC) == utc(2026, 11, 28, 1, 0)


def test_cron_dst_without_a_timezone_keeps_the_wall_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 8: ``0 9 * * *`` with no timezone set, on a Europe/Berlin machine, fired at 10:00 on
    2027-03-28 (the day clocks go forward): the local zone was a fixed +01:00 offset."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    berlin = ZoneInfo("Europe/Berlin")
    schedule = Schedule(Path("s.toml"), Path("data"), None, [], None, [])
    scheduler = Scheduler(schedule)
    job = Job("jl_cri", "jl_cri", cron=CronExpression.parse("0 9 * * *"))
    before = datetime(2027, 3, 27, 9, 30, tzinfo=berlin).timestamp()  # the day before, CET
    fire = datetime.fromtimestamp(scheduler._next_due(job, before, before), berlin)
    assert (fire.year, fire.month, fire.day, fire.hour, fire.minute) == (2027, 3, 28, 9, 0)
    assert fire.astimezone(UTC) == utc(2027, 3, 28, 7, 0)  # CEST
    # and back in autumn: 09:00 CET again, once
    autumn = datetime(2027, 10, 30, 9, 30, tzinfo=berlin).timestamp()
    fire = datetime.fromtimestamp(scheduler._next_due(job, autumn, autumn), berlin)
    assert fire.astimezone(UTC) == utc(2027, 10, 31, 8, 0)


def test_cron_dst_with_a_timezone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    cron = CronExpression.parse("0 9 * * *")
    assert cron.next_after(datetime(2027, 3, 27, 9, 30, tzinfo=berlin)) == datetime(
        2027, 3, 28, 9, 0, tzinfo=berlin
    )
    # a wall time the change skips (02:30 on 2027-03-28) fires once, just after the gap
    fire = CronExpression.parse("30 2 * * *").next_after(datetime(2027, 3, 27, 12, 0, tzinfo=berlin))
    assert fire.astimezone(UTC) == utc(2027, 3, 28, 1, 0)  # 03:00 CEST
    # a wall time the change repeats (02:30 on 2027-10-31) fires once
    cron = CronExpression.parse("30 2 * * *")
    first = cron.next_after(datetime(2027, 10, 30, 12, 0, tzinfo=berlin))
    second = cron.next_after(first)
    assert first.astimezone(UTC) == utc(2027, 10, 31, 0, 30)  # the first 02:30 (CEST)
    assert second.astimezone(UTC) == utc(2027, 11, 1, 1, 30)


@pytest.mark.parametrize(
    ("expr", "after", "expected"),
    [
        ("0 9 * * 5L", utc(2026, 11, 1), utc(2026, 11, 27, 9, 0)),  # the last Friday
        ("0 9 * * mon#2", utc(2026, 11, 1), utc(2026, 11, 9, 9, 0)),  # the second Monday
        ("0 0 L * *", utc(2026, 11, 1), utc(2026, 11, 30)),  # the last day of the month
    ],
)
def test_cron_last_and_nth(expr: str, after: datetime, expected: datetime) -> None:
    assert CronExpression.parse(expr).next_after(after) == expected


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("* * * *", "need 5 fields"),
        ("* * * * * *", "need 5 fields"),
        ("60 * * * *", "bad minute"),
        ("* 24 * * *", "bad hour"),
        ("* * 0 * *", "bad day-of-month"),
        ("* * * 13 *", "bad month"),
        ("* * * * 8", "bad day-of-week"),
        ("*/0 * * * *", "bad minute"),
        ("5-1 * * * *", "bad minute"),
        ("a * * * *", "bad minute"),
        ("* * * foo *", "bad month"),
        ("1,,2 * * * *", "bad minute"),
        ("0 0 30 2 *", "bad day-of-month"),
        ("0 0 31 4,6 *", "bad day-of-month"),
        ("@often", "need 5 fields"),
    ],
)
def test_cron_rejects(expr: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        CronExpression.parse(expr)


def test_run_id() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    assert run_id_for(datetime(2026, 11, 27, 9, 15, 0, tzinfo=shanghai)) == "20261127T011500Z"


# -- schedule files ----------------------------------------------------------------------------
def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "schedule.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_schedule(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[defaults]
output_dir = "out"
log_dir = "logs"
args = ["-s", "CLOSESPIDER_TIMEOUT=60"]
timezone = "Asia/Shanghai"

[[job]]
portal = "jl_cri"
every = "30m"

[[job]]
name = "jl_cri_mirror"
portal = "jl_cri"
cron = "*/15 6-23 * * mon-fri"
mirror = "mirrors/jl"
args = ["--log-level", "DEBUG"]
""",
    )
    schedule = load_schedule(path, known_portals=PORTALS)
    assert schedule.output_dir == tmp_path / "out"
    assert schedule.log_dir == tmp_path / "logs"
    assert schedule.args == ["-s", "CLOSESPIDER_TIMEOUT=60"]
    assert str(schedule.timezone) == "Asia/Shanghai"
    first, second = schedule.jobs
    assert (first.name, first.portal, first.every, first.cron, first.mirror) == (
        "jl_cri",
        "jl_cri",
        1800,
        None,
        None,
    )
    assert second.name == "jl_cri_mirror" and second.every is None and second.cron is not None
    assert second.cron.text == "*/15 6-23 * * mon-fri"
    # Friday 23:50 -> Monday 06:00
    assert second.cron.next_after(utc(2026, 11, 27, 23, 50)) == utc(2026, 11, 30, 6, 0)
    assert second.mirror == tmp_path / "mirrors" / "jl"
    cmd = Scheduler(schedule).command(second, tmp_path / "o.jsonl", tmp_path / "s.json")
    assert cmd[1:7] == ["-m", "newscrawler", "crawl", "jl_cri", "-O", str(tmp_path / "o.jsonl")]
    assert cmd[cmd.index("--mirror") + 1] == str(tmp_path / "mirrors" / "jl")
    # defaults' args then the job's: the job's win where argparse keeps the last
    assert cmd[-4:] == ["-s", "CLOSESPIDER_TIMEOUT=60", "--log-level", "DEBUG"]


def test_defaults_are_optional(tmp_path: Path) -> None:
    schedule = load_schedule(
        write(tmp_path, '[[job]]\nportal = "jl_cri"\nevery = "1h"\noffline = true\n'), known_portals=PORTALS
    )
    assert schedule.output_dir == tmp_path / "data"
    assert schedule.log_dir is None and schedule.args == [] and schedule.timezone is None
    assert schedule.jobs[0].offline
    assert "--offline" in Scheduler(schedule).command(schedule.jobs[0], tmp_path / "o", tmp_path / "s")


def test_the_example_schedule_file_is_valid() -> None:
    schedule = load_schedule(REPO / "schedule.example.toml")
    assert schedule.output_dir == REPO / "data"
    assert [(job.name, job.portal) for job in schedule.jobs] == [
        ("jl_cri", "jl_cri"),
        ("jl_cri_demo", "jl_cri"),
    ]
    assert schedule.jobs[0].every == 1800 and schedule.jobs[1].cron is not None and schedule.jobs[1].offline


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[job]\nportal = 1", "is not valid TOML"),
        ("", "no jobs"),
        ("[defaults]\noutput_dir = 'x'\n", "no jobs"),
        ("[job]\nportal = 'jl_cri'\n", "no jobs"),
        ("[[jobs]]\nportal = 'jl_cri'\nevery = '1h'\n", "unknown table"),
        ("[defaults]\noutdir = 'x'\n[[job]]\nportal = 'jl_cri'\nevery = '1h'\n", "unknown key.*outdir"),
        (
            "[defaults]\ntimezone = 'Mars/Olympus'\n[[job]]\nportal = 'jl_cri'\nevery = '1h'\n",
            "unknown timezone",
        ),
        ("[defaults]\nargs = '-s X=1'\n[[job]]\nportal = 'jl_cri'\nevery = '1h'\n", "args must be a list"),
        ("[[job]]\nevery = '1h'\n", "job 1: portal"),
        ("[[job]]\nportal = 'nope'\nevery = '1h'\n", "unknown portal 'nope'"),
        ("[[job]]\nportal = 'jl_cri'\n", "either every"),
        ("[[job]]\nportal = 'jl_cri'\nevery = '1h'\ncron = '* * * * *'\n", "either every"),
        ("[[job]]\nportal = 'jl_cri'\nevery = '1 hour'\n", r"job 1 \(jl_cri\): bad interval"),
        ("[[job]]\nportal = 'jl_cri'\nevery = 60\n", "must be a string"),
        ("[[job]]\nportal = 'jl_cri'\ncron = '*/15 * * *'\n", "need 5 fields"),
        ("[[job]]\nportal = 'jl_cri'\nevery = '1h'\nofline = true\n", "unknown key.*ofline"),
        ("[[job]]\nportal = 'jl_cri'\nevery = '1h'\noffline = 'yes'\n", "offline must be true or false"),
        ("[[job]]\nportal = 'jl_cri'\nevery = '1h'\noffline = true\nmirror = 'm'\n", "not both"),
        ("[[job]]\nportal = 'jl_cri'\nevery = '1h'\nname = '../x'\n", "name '../x'"),
        (
            "[[job]]\nportal = 'jl_cri'\nevery = '1h'\n[[job]]\nportal = 'jl_cri'\ncron = '@daily'\n",
            "two jobs are named 'jl_cri'",
        ),
    ],
)
def test_load_schedule_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        load_schedule(write(tmp_path, text), known_portals=PORTALS)


def test_missing_schedule_file(tmp_path: Path) -> None:
    with pytest.raises(ScheduleError, match="no such schedule file"):
        load_schedule(tmp_path / "nope.toml", known_portals=PORTALS)


def test_bad_schedule_file_is_one_error_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[[job]]\nportal = 'jl_cri'\nevery = '5 minutes'\n")
    proc = subprocess.run(
        [sys.executable, "-m", "newscrawler", "schedule", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"error: {path}: job 1 (jl_cri): bad interval '5 minutes': use a number and a unit (s, m, h, d), "
        'e.g. "30m"'
    ]
    assert not (tmp_path / "data").exists()


# -- end to end --------------------------------------------------------------------------------
def check_no_overlap(runs: list[dict[str, Any]]) -> None:
    by_job: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for run in runs:
        by_job[run["job"]].append(run)
    for job, job_runs in by_job.items():
        job_runs.sort(key=lambda r: r["started_at"])
        for previous, current in itertools.pairwise(job_runs):
            assert current["started_at"] >= previous["ended_at"], f"{job}: {current} overlaps {previous}"


@pytest.mark.e2e
def test_two_portals_on_short_intervals_and_a_failing_job(tmp_path: Path, processes: list) -> None:
    # job "real": the jl_cri fixture mirror when it is there, else a generated one
    if (FIXTURE_MIRROR / "mirror.json").is_file():
        real_mirror, real_titles = FIXTURE_MIRROR, None
    else:
        real_mirror = tmp_path / "mirror_a"
        real_titles = make_mirror(real_mirror, "甲", 6)
    small_titles = make_mirror(tmp_path / "mirror_b", "乙", 4)
    schedule = write(
        tmp_path,
        f"""
[defaults]
output_dir = "data"

[[job]]
portal = "jl_cri"
every = "1s"
mirror = "{real_mirror}"

[[job]]
name = "jl_cri_small"
portal = "jl_cri"
every = "1s"
mirror = "mirror_b"
# 15 pages one at a time, 0.1 s apart: a run takes longer than the interval
args = ["-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]

[[job]]
name = "broken"
portal = "jl_cri"
every = "3s"
mirror = "no-such-mirror"
""",
    )
    proc = start_schedule(schedule, "--max-runs", "10")
    processes.append(proc)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr

    data = tmp_path / "data"
    runs = read_jsonl(data / "runs.jsonl")
    assert len(runs) == 10
    check_no_overlap(runs)
    by_job: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for run in runs:
        by_job[run["job"]].append(run)
    assert set(by_job) == {"jl_cri", "jl_cri_small", "broken"}
    assert len(by_job["jl_cri"]) >= 2 and len(by_job["jl_cri_small"]) >= 2

    # the broken job fails at every slot, is logged, and the others go on
    for run in by_job["broken"]:
        assert run["status"] == "failed" and run["exit_code"] == 2 and run["output"] is None
        assert "no-such-mirror is not a mirror" in run["error"]
        assert f"job broken: run {run['run_id']} failed (exit 2)" in stderr
    assert "error: " in Path(by_job["broken"][0]["log"]).read_text(encoding="utf-8")

    for job, titles in (("jl_cri", real_titles), ("jl_cri_small", small_titles)):
        for run in by_job[job]:
            assert run["status"] == "ok" and run["exit_code"] == 0 and run["portal"] == "jl_cri"
            assert run["finish_reason"] == "finished" and run["pages_fetched"] > 0
            out = Path(run["output"])
            day = run["started_at"][:10]
            assert out == data / job / day / f"{run['run_id']}.jsonl"
            assert run["run_id"] == run["started_at"].replace("-", "").replace(":", "")
            records = read_jsonl(out)
            assert len(records) == run["articles_exported"] > 0
            urls = [r["url"] for r in records]
            assert len(set(urls)) == len(urls)
            assert {r["portal"] for r in records} == {"jl_cri"}
            if titles is not None:
                assert sorted(r["title"] for r in records) == sorted(titles)
            assert f"job {job}: run {run['run_id']} ok" in stderr
    # no leftovers: partial outputs renamed, summaries folded into runs.jsonl
    assert not list(data.rglob("*.part")) and not list(data.rglob("*.summary.json"))
    # a run longer than the 1 s interval made the job skip a slot, and the log says so
    assert all(run["duration_s"] > 1.5 for run in by_job["jl_cri_small"])
    assert "job jl_cri_small: slot skipped: run " in stderr


@pytest.mark.e2e
def test_once_runs_every_job_once_and_reports_failure(tmp_path: Path, processes: list) -> None:
    titles = make_mirror(tmp_path / "mirror", "丙", 3)
    schedule = write(
        tmp_path,
        """
[defaults]
output_dir = "out"
log_dir = "logs"

[[job]]
portal = "jl_cri"
cron = "0 0 1 1 *"
mirror = "mirror"

[[job]]
name = "broken"
portal = "jl_cri"
every = "1d"
mirror = "missing"
""",
    )
    proc = start_schedule(schedule, "--once")
    processes.append(proc)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1, stderr  # a run failed
    runs = {run["job"]: run for run in read_jsonl(tmp_path / "out" / "runs.jsonl")}
    assert set(runs) == {"jl_cri", "broken"}
    assert runs["jl_cri"]["status"] == "ok" and runs["broken"]["status"] == "failed"
    assert sorted(r["title"] for r in read_jsonl(Path(runs["jl_cri"]["output"]))) == sorted(titles)
    assert Path(runs["jl_cri"]["log"]).parent == tmp_path / "logs" / "jl_cri"
    assert "Spider closed (finished)" in Path(runs["jl_cri"]["log"]).read_text(encoding="utf-8")


def start_slow_crawl(
    tmp_path: Path, processes: list, delay: float, latency: float = 0.0
) -> subprocess.Popen[str]:
    """A scheduler running one crawl of 30 articles, one request at a time (``delay`` between
    requests, each page answering after ``latency`` s); returns once the crawl's spider is open."""
    make_mirror(tmp_path / "mirror", "丁", 30, delay=latency)
    schedule = write(
        tmp_path,
        f"""
[[job]]
portal = "jl_cri"
every = "1h"
mirror = "mirror"
args = ["-s", "DOWNLOAD_DELAY={delay}", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
""",
    )
    proc = start_schedule(schedule)
    processes.append(proc)
    logs = tmp_path / "data" / "jl_cri"

    def crawl_running() -> bool:
        return any("Spider opened" in p.read_text(encoding="utf-8") for p in logs.rglob("*.log"))

    wait_for(crawl_running, 30, "the crawl to start")
    return proc


@pytest.mark.e2e
def test_sigterm_lets_the_running_crawl_finish_cleanly(tmp_path: Path, processes: list) -> None:
    proc = start_slow_crawl(tmp_path, processes, 0.1)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0, stderr
    assert "stopping: no new runs; 1 running crawl(s) asked to finish" in stderr
    (run,) = read_jsonl(tmp_path / "data" / "runs.jsonl")
    assert run["status"] == "interrupted" and run["exit_code"] == 0
    assert run["finish_reason"] == "shutdown"  # Scrapy closed the spider: feed complete
    records = read_jsonl(Path(run["output"]))  # every line is complete JSON
    assert len(records) == run["articles_exported"] < 30


@pytest.mark.e2e
def test_a_second_signal_ends_the_crawls(tmp_path: Path, processes: list) -> None:
    # every page takes 3 s to answer: a request is always in flight, and a graceful stop waits for it
    proc = start_slow_crawl(tmp_path, processes, 0, latency=3)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.2)
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)
    assert time.monotonic() - started < 5
    assert "second signal: terminating 1 running crawl(s)" in stderr
    (run,) = read_jsonl(tmp_path / "data" / "runs.jsonl")
    assert run["status"] == "interrupted"
