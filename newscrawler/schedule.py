"""``newscrawler schedule SCHEDULE.toml``: run portal crawls on intervals or cron expressions.

A long-lived process. Each run is ``python -m newscrawler crawl PORTAL ...`` in its own process
(a Scrapy crawl owns its process's reactor). Per job: never two runs at once (a slot that comes
while the previous run is still going is skipped and logged); a failed run is logged and the job
runs again at its next slot, the other jobs go on. SIGTERM/SIGINT stop the scheduling, forward one
SIGINT to the running crawls (Scrapy then closes gracefully: the feed is complete) and wait for
them; a second signal terminates them.

Each run writes ``<output_dir>/<job>/<YYYY-MM-DD>/<run-id>.jsonl`` (``.jsonl.part`` while it
runs; run-id = UTC start time, ``20261127T011500Z``), its log next to it (or under ``log_dir``),
and appends one JSON line to ``<output_dir>/runs.jsonl``.

The schedule file (TOML; relative paths are relative to the file's folder)::

    [defaults]
    output_dir = "data"                 # default "data"
    log_dir = "logs"                    # default: each run's log beside its output
    args = ["--log-level", "INFO"]      # extra `newscrawler crawl` arguments for every job
    timezone = "Asia/Shanghai"          # cron expressions' time zone; default: local time

    [[job]]
    portal = "jl_cri"
    every = "30m"                       # s, m, h, d; "1h30m" works too

    [[job]]
    name = "jl_cri_offline"             # default: the portal's name; unique; the output folder
    portal = "jl_cri"
    cron = "*/15 6-23 * * mon-fri"      # minute hour day-of-month month day-of-week
    mirror = "fixtures/jl_cri"          # or offline = true
    args = ["-s", "CLOSESPIDER_TIMEOUT=600"]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import os
import re
import signal
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newscrawler.cli import UserError

logger = logging.getLogger("newscrawler.schedule")

RUNS_FILE = "runs.jsonl"
#: After a second signal the crawls get SIGTERM; still alive this many seconds later: SIGKILL.
KILL_GRACE = 5.0


class ScheduleError(ValueError):
    """A schedule file, interval or cron expression that cannot be used."""


# -- intervals ---------------------------------------------------------------------------------
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_INTERVAL_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])", re.IGNORECASE)


def parse_interval(text: str) -> float:
    """Seconds in an interval such as ``"30m"``, ``"1h30m"``, ``"1.5h"``, ``"1d"`` or ``"10s"``."""
    if not isinstance(text, str):
        raise ScheduleError(f'interval {text!r} must be a string such as "30m"')
    compact = text.strip()
    pos, total = 0, 0.0
    for match in _INTERVAL_PART.finditer(compact):
        if compact[pos : match.start()].strip():
            break
        total += float(match.group(1)) * _UNITS[match.group(2).lower()]
        pos = match.end()
    if pos == 0 or compact[pos:].strip():
        raise ScheduleError(f'bad interval {text!r}: use a number and a unit (s, m, h, d), e.g. "30m"')
    if total <= 0:
        raise ScheduleError(f"bad interval {text!r}: must be more than zero")
    return total


# -- cron --------------------------------------------------------------------------------------
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
#: (name, lowest, highest, names mapped to numbers)
_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day of month", 1, 31, {}),
    ("month", 1, 12, {name: i + 1 for i, name in enumerate(_MONTHS)}),
    ("day of week", 0, 7, {name: i for i, name in enumerate(_DAYS)}),
)
_MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


def _cron_field(text: str, name: str, low: int, high: int, names: dict[str, int]) -> frozenset[int]:
    def number(token: str) -> int:
        value = names.get(token.lower()) if names else None
        if value is None:
            if not token.isdigit():
                raise ScheduleError(f"bad {name} {token!r}")
            value = int(token)
        if not low <= value <= high:
            raise ScheduleError(f"{name} {value} is out of range {low}-{high}")
        return value

    values: set[int] = set()
    for item in text.split(","):
        body, _, step_text = item.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise ScheduleError(f"bad step {step_text!r} in {name} {item!r}")
            step = int(step_text)
        if body == "*":
            start, end = low, high
        elif "-" in body:
            first, _, last = body.partition("-")
            start, end = number(first), number(last)
            if start > end:
                raise ScheduleError(f"bad {name} range {body!r}: {start} > {end}")
        elif body:
            start = number(body)
            end = high if step_text else start
        else:
            raise ScheduleError(f"empty {name} in {text!r}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class CronExpression:
    """A 5-field cron expression (minute hour day-of-month month day-of-week) as in Vixie cron:
    ``*``, lists, ranges, steps (``*/15``, ``1-30/5``, ``5/10``), month and day names, 0 or 7 for
    Sunday, and the macros ``@hourly`` ... ``@yearly``. When both day fields are restricted (neither
    starts with ``*``) a day matches either, as in cron."""

    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    days_or: bool

    @classmethod
    def parse(cls, text: str) -> CronExpression:
        if not isinstance(text, str):
            raise ScheduleError(f"cron expression {text!r} must be a string")
        source = _MACROS.get(text.strip().lower(), text)
        fields = source.split()
        if len(fields) != 5:
            raise ScheduleError(
                f"bad cron expression {text!r}: need 5 fields (minute hour day-of-month month day-of-week)"
            )
        try:
            parsed = [_cron_field(f, *spec) for f, spec in zip(fields, _FIELDS, strict=True)]
        except ScheduleError as exc:
            raise ScheduleError(f"bad cron expression {text!r}: {exc}") from None
        weekdays = frozenset(d % 7 for d in parsed[4])
        days_or = not fields[2].startswith("*") and not fields[4].startswith("*")
        expr = cls(text.strip(), parsed[0], parsed[1], parsed[2], parsed[3], weekdays, days_or)
        expr.next_after(datetime(2000, 1, 1, tzinfo=UTC))  # Feb 30 and the like never fire
        return expr

    def _day_matches(self, t: datetime) -> bool:
        in_days = t.day in self.days
        in_weekdays = (t.weekday() + 1) % 7 in self.weekdays
        return (in_days or in_weekdays) if self.days_or else (in_days and in_weekdays)

    def matches(self, t: datetime) -> bool:
        """Whether the minute of ``t`` (wall-clock time) is one of the expression's."""
        return (
            t.minute in self.minutes
            and t.hour in self.hours
            and t.month in self.months
            and self._day_matches(t)
        )

    def next_after(self, after: datetime) -> datetime:
        """The first matching minute strictly after ``after``, in ``after``'s time zone (UTC for a
        naive datetime)."""
        zone = after.tzinfo or UTC
        if after.tzinfo is None:
            after = after.replace(tzinfo=UTC)
        t = after.replace(tzinfo=None, second=0, microsecond=0) + timedelta(minutes=1)
        last_year = t.year + 8  # a leap day that must also be a given weekday can take 28 years,
        while t.year <= last_year:  # but every expression cron accepts fires within 8 years or never
            if t.month not in self.months:
                t = (t.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
            elif not self._day_matches(t):
                t = t.replace(hour=0, minute=0) + timedelta(days=1)
            elif t.hour not in self.hours:
                t = t.replace(minute=0) + timedelta(hours=1)
            elif t.minute not in self.minutes:
                t += timedelta(minutes=1)
            else:
                fire = t.replace(tzinfo=zone)
                if fire > after:  # a wall time repeated by a DST change counts once
                    return fire
                t += timedelta(minutes=1)
        raise ScheduleError(f"cron expression {self.text!r} never fires")


# -- the schedule file -------------------------------------------------------------------------
@dataclass
class Job:
    """One ``[[job]]`` of a schedule file."""

    name: str
    portal: str
    every: float | None = None
    cron: CronExpression | None = None
    offline: bool = False
    mirror: Path | None = None
    args: list[str] = field(default_factory=list)
    when: str = ""

    def describe(self) -> str:
        return f"{self.name} ({self.portal}, {self.when})"


@dataclass
class Schedule:
    """A parsed schedule file."""

    path: Path
    output_dir: Path
    log_dir: Path | None
    args: list[str]
    timezone: tzinfo | None
    jobs: list[Job]


_DEFAULT_KEYS = {"output_dir", "log_dir", "args", "timezone"}
_JOB_KEYS = {"name", "portal", "every", "cron", "offline", "mirror", "args"}
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def _string_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ScheduleError(f'{where}: args must be a list of strings, e.g. ["-s", "NAME=VALUE"]')
    return list(value)


def _parse_job(raw: Any, number: int, base: Path, known_portals: Sequence[str] | None) -> Job:
    where = f"job {number}"
    if not isinstance(raw, dict):
        raise ScheduleError(f"{where}: must be a table ([[job]])")
    if isinstance(raw.get("portal"), str):
        where = f"job {number} ({raw['portal']})"
    unknown = sorted(set(raw) - _JOB_KEYS)
    if unknown:
        known = ", ".join(sorted(_JOB_KEYS))
        raise ScheduleError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {known})")
    portal = raw.get("portal")
    if not isinstance(portal, str) or not portal:
        raise ScheduleError(f"{where}: portal = \"NAME\" is missing (see 'newscrawler list')")
    if known_portals is not None and portal not in known_portals:
        raise ScheduleError(f"{where}: unknown portal {portal!r} (known portals: {', '.join(known_portals)})")
    name = raw.get("name", portal)
    if not isinstance(name, str) or not _NAME.match(name):
        raise ScheduleError(f"{where}: name {name!r} must be letters, digits, '_', '-' or '.'")
    if ("every" in raw) == ("cron" in raw):
        raise ScheduleError(f'{where}: give either every = "30m" or cron = "*/15 * * * *"')
    job = Job(name=name, portal=portal)
    try:
        if "every" in raw:
            job.every = parse_interval(raw["every"])
            job.when = f"every {raw['every']}"
        else:
            job.cron = CronExpression.parse(raw["cron"])
            job.when = f"cron {raw['cron']}"
    except ScheduleError as exc:
        raise ScheduleError(f"{where}: {exc}") from None
    offline = raw.get("offline", False)
    if not isinstance(offline, bool):
        raise ScheduleError(f"{where}: offline must be true or false")
    job.offline = offline
    if "mirror" in raw:
        if offline:
            raise ScheduleError(f'{where}: give offline = true or mirror = "DIR", not both')
        if not isinstance(raw["mirror"], str) or not raw["mirror"]:
            raise ScheduleError(f"{where}: mirror must be a folder name")
        job.mirror = base / raw["mirror"]
    job.args = _string_list(raw.get("args", []), where)
    return job


def _known_portals() -> list[str]:
    from newscrawler.portals import all_portals

    return sorted(all_portals())


def load_schedule(path: str | Path, known_portals: Sequence[str] | None = None) -> Schedule:
    """Read and check a schedule file; raises :class:`ScheduleError` with a one-line message.
    ``known_portals`` defaults to the registry's portals."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScheduleError(f"no such schedule file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScheduleError(f"cannot read {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScheduleError(f"{path} is not valid TOML: {exc}") from None
    base = path.resolve().parent

    def fail(message: str) -> ScheduleError:
        return ScheduleError(f"{path}: {message}")

    unknown = sorted(set(data) - {"defaults", "job"})
    if unknown:
        raise fail(f"unknown table(s) {', '.join(unknown)}: use [defaults] and [[job]]")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise fail("defaults must be a table ([defaults])")
    unknown = sorted(set(defaults) - _DEFAULT_KEYS)
    if unknown:
        known = ", ".join(sorted(_DEFAULT_KEYS))
        raise fail(f"[defaults]: unknown key(s) {', '.join(unknown)} (known: {known})")
    for key in ("output_dir", "log_dir", "timezone"):
        if key in defaults and (not isinstance(defaults[key], str) or not defaults[key]):
            raise fail(f"[defaults]: {key} must be a non-empty string")
    zone: tzinfo | None = None
    if "timezone" in defaults:
        try:
            zone = ZoneInfo(defaults["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            name = defaults["timezone"]
            raise fail(f'[defaults]: unknown timezone {name!r} (e.g. "Asia/Shanghai")') from None
    try:
        args = _string_list(defaults.get("args", []), "[defaults]")
        raw_jobs = data.get("job")
        if not isinstance(raw_jobs, list) or not raw_jobs:
            raise ScheduleError('no jobs: add at least one [[job]] with portal = "NAME" and every = "30m"')
        portals = list(known_portals) if known_portals is not None else _known_portals()
        jobs = [_parse_job(raw, i, base, portals) for i, raw in enumerate(raw_jobs, 1)]
    except ScheduleError as exc:
        raise fail(str(exc)) from None
    seen: set[str] = set()
    for job in jobs:
        if job.name in seen:
            raise fail(f'two jobs are named {job.name!r}: give one of them name = "..."')
        seen.add(job.name)
    return Schedule(
        path=path,
        output_dir=base / defaults.get("output_dir", "data"),
        log_dir=base / defaults["log_dir"] if "log_dir" in defaults else None,
        args=args,
        timezone=zone,
        jobs=jobs,
    )


# -- running -----------------------------------------------------------------------------------
def run_id_for(moment: datetime) -> str:
    """The run id of a run started at ``moment``: its UTC time, ``20261127T011500Z``."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class Run:
    """One running crawl."""

    job: Job
    run_id: str
    started: datetime
    process: subprocess.Popen[bytes]
    part: Path
    output: Path
    summary_file: Path
    log_path: Path
    interrupted: bool = False


@dataclass
class _JobState:
    job: Job
    due: float = 0.0
    run: Run | None = None


def _last_error(log_path: Path) -> str | None:
    """The line of a crawl's log that says why it failed (an ``error:`` line, else the last)."""
    try:
        with log_path.open("rb") as fh:
            fh.seek(max(0, log_path.stat().st_size - 8192))
            lines = [ln.strip() for ln in fh.read().decode("utf-8", "replace").splitlines() if ln.strip()]
    except OSError:
        return None
    for line in reversed(lines):
        if line.startswith("error:") or "Error:" in line or "Traceback" in line:
            return line[:500]
    return lines[-1][:500] if lines else None


class Scheduler:
    """Runs a :class:`Schedule`'s jobs until stopped (a signal, ``max_runs``, or ``once``)."""

    #: how often running crawls are checked for completion
    POLL = 0.1

    def __init__(
        self,
        schedule: Schedule,
        *,
        once: bool = False,
        max_runs: int | None = None,
        python: str = sys.executable,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.schedule = schedule
        self.once = once
        self.max_runs = max_runs
        self.python = python
        self.clock = clock
        self.states = [_JobState(job) for job in schedule.jobs]
        self.started_runs = 0
        self.failed_runs = 0
        self.stopping = False
        self._signals = 0
        self._handled_signals = 0
        self._kill_at: float | None = None
        self._wake = threading.Event()

    # signals: the handler only counts and wakes the loop, which does the work
    def request_stop(self, signum: int = signal.SIGTERM, frame: Any = None) -> None:
        self._signals += 1
        self._wake.set()

    def _running(self) -> list[Run]:
        return [s.run for s in self.states if s.run is not None]

    def _handle_signals(self) -> None:
        while self._handled_signals < self._signals:
            self._handled_signals += 1
            running = self._running()
            if self._handled_signals == 1:
                self.stopping = True
                logger.info(
                    "stopping: no new runs; %d running crawl(s) asked to finish (a second signal ends them)",
                    len(running),
                )
                for run in running:
                    run.interrupted = True
                    self._send(run, signal.SIGINT)
            elif self._handled_signals == 2:
                logger.warning("second signal: terminating %d running crawl(s)", len(running))
                for run in running:
                    self._send(run, signal.SIGTERM)
                self._kill_at = self.clock() + KILL_GRACE
            else:
                self._kill_at = self.clock()

    @staticmethod
    def _send(run: Run, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            run.process.send_signal(signum)

    # slots
    def _next_due(self, job: Job, now: float, anchor: float) -> float:
        if job.every is not None:
            slots = math.floor((now - anchor) / job.every) + 1
            return anchor + slots * job.every
        assert job.cron is not None
        zone = self.schedule.timezone or datetime.now().astimezone().tzinfo
        return job.cron.next_after(datetime.fromtimestamp(now, zone)).timestamp()

    def _paths(self, job: Job, run_id: str, started: datetime) -> tuple[Path, Path]:
        folder = self.schedule.output_dir / job.name / started.astimezone(UTC).strftime("%Y-%m-%d")
        output = folder / f"{run_id}.jsonl"
        suffix = 1
        while output.exists() or output.with_suffix(".jsonl.part").exists():
            output = folder / f"{run_id}-{suffix}.jsonl"
            suffix += 1
        if self.schedule.log_dir is not None:
            log = self.schedule.log_dir / job.name / f"{output.stem}.log"
        else:
            log = output.with_suffix(".log")
        return output, log

    def command(self, job: Job, output: Path, summary_file: Path) -> list[str]:
        """The ``newscrawler crawl`` command line of one run."""
        cmd = [self.python, "-m", "newscrawler", "crawl", job.portal, "-O", str(output)]
        cmd += ["-s", f"SUMMARY_FILE={summary_file}", "--log-level", "INFO"]
        if job.mirror is not None:
            cmd += ["--mirror", str(job.mirror)]
        elif job.offline:
            cmd.append("--offline")
        return cmd + self.schedule.args + job.args

    def _start(self, state: _JobState) -> None:
        job = state.job
        started = datetime.now(UTC)
        run_id = run_id_for(started)
        output, log_path = self._paths(job, run_id, started)
        part = output.with_suffix(".jsonl.part")
        summary_file = output.with_suffix(".summary.json")
        self.started_runs += 1
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            log_path.parent.mkdir(parents=True, exist_ok=True)
            cmd = self.command(job, part, summary_file)
            env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
            with log_path.open("ab") as log:
                process = subprocess.Popen(
                    cmd,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                    # its own session: a Ctrl-C in the terminal reaches only the scheduler, which
                    # forwards exactly one SIGINT (a second one would make Scrapy stop uncleanly)
                    start_new_session=True,
                )
        except OSError as exc:
            logger.error("job %s: run %s could not start: %s", job.name, run_id, exc)
            self.failed_runs += 1
            self._record(
                job, run_id, started, datetime.now(UTC), None, "failed", None, None, str(exc), log_path
            )
            return
        state.run = Run(job, run_id, started, process, part, output, summary_file, log_path)
        logger.info("job %s: run %s started (pid %d), log %s", job.name, run_id, process.pid, log_path)

    def _finish(self, state: _JobState, returncode: int) -> None:
        run = state.run
        assert run is not None
        state.run = None
        ended = datetime.now(UTC)
        summary: dict[str, Any] | None = None
        try:
            summary = json.loads(run.summary_file.read_text(encoding="utf-8"))
            run.summary_file.unlink()
        except (OSError, ValueError):
            summary = None
        output: Path | None = None
        if run.part.exists():
            if returncode != 0 and run.part.stat().st_size == 0:
                run.part.unlink()
            else:
                run.part.replace(run.output)
                output = run.output
        if returncode == 0:
            status = "interrupted" if run.interrupted else "ok"
        elif run.interrupted:
            status = "interrupted"
        else:
            status = "failed"
            self.failed_runs += 1
        error = None if returncode == 0 else _last_error(run.log_path)
        self._record(
            run.job, run.run_id, run.started, ended, returncode, status, summary, output, error, run.log_path
        )

    def _record(
        self,
        job: Job,
        run_id: str,
        started: datetime,
        ended: datetime,
        returncode: int | None,
        status: str,
        summary: dict[str, Any] | None,
        output: Path | None,
        error: str | None,
        log_path: Path,
    ) -> None:
        summary = summary or {}

        def total(key: str) -> int | None:
            value = summary.get(key)
            return sum(value.values()) if isinstance(value, dict) else value

        line = {
            "job": job.name,
            "portal": job.portal,
            "run_id": run_id,
            "started_at": _iso(started),
            "ended_at": _iso(ended),
            "duration_s": round((ended - started).total_seconds(), 3),
            "status": status,
            "exit_code": returncode,
            "finish_reason": summary.get("finish_reason"),
            "articles_exported": summary.get("articles_exported"),
            "pages_fetched": summary.get("pages_fetched"),
            "errors": total("errors"),
            "duplicates": total("duplicates"),
            "dropped": total("dropped"),
            "retries": summary.get("retries"),
            "store": summary.get("store"),
            "output": str(output) if output else None,
            "log": str(log_path),
            "error": error,
        }
        runs_file = self.schedule.output_dir / RUNS_FILE
        try:  # one line in O_APPEND mode: whole, even with several writers
            runs_file.parent.mkdir(parents=True, exist_ok=True)
            with runs_file.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        except OSError as exc:  # a full disk must not stop the scheduling
            logger.error("cannot write %s: %s", runs_file, exc)
        if status == "failed":
            logger.error(
                "job %s: run %s failed (exit %s) after %.1fs: %s; see %s; next try at the next slot",
                job.name,
                run_id,
                returncode,
                line["duration_s"],
                error or "no message",
                log_path,
            )
        else:
            logger.info(
                "job %s: run %s %s after %.1fs: %s articles, %s pages, %s errors -> %s",
                job.name,
                run_id,
                status,
                line["duration_s"],
                line["articles_exported"],
                line["pages_fetched"],
                line["errors"],
                line["output"],
            )

    def _reap(self) -> None:
        for state in self.states:
            if state.run is not None:
                code = state.run.process.poll()
                if code is not None:
                    self._finish(state, code)

    def run(self) -> int:
        """Run until stopped; 0, or 1 after ``once`` when a run failed."""
        anchor = self.clock()
        for state in self.states:
            state.due = (
                anchor
                if (state.job.every is not None or self.once)
                else self._next_due(state.job, anchor, anchor)
            )
            first = _iso(datetime.fromtimestamp(state.due, UTC))
            logger.info("job %s: first run at %s", state.job.describe(), first)
        while True:
            self._reap()
            self._handle_signals()
            if not self.stopping:
                now = self.clock()
                for state in sorted(self.states, key=lambda s: s.due):
                    if state.due > now or self.stopping:
                        continue
                    if state.run is not None:
                        logger.warning(
                            "job %s: slot skipped: run %s is still going", state.job.name, state.run.run_id
                        )
                    else:
                        self._start(state)
                    state.due = math.inf if self.once else self._next_due(state.job, now, anchor)
                    if self.max_runs is not None and self.started_runs >= self.max_runs:
                        logger.info("%d runs started (--max-runs): no new runs", self.started_runs)
                        self.stopping = True
                if self.once and all(s.due == math.inf for s in self.states):
                    self.stopping = True
            running = self._running()
            if self.stopping and not running:
                break
            if self._kill_at is not None and self.clock() >= self._kill_at:
                for run in running:
                    logger.warning("job %s: run %s killed", run.job.name, run.run_id)
                    self._send(run, signal.SIGKILL)
                self._kill_at = None
            timeout = self.POLL if running else min(s.due for s in self.states) - self.clock()
            self._wake.wait(min(max(timeout, 0.0), 1.0))
            self._wake.clear()
        return 1 if self.once and self.failed_runs else 0


# -- the command -------------------------------------------------------------------------------
class _UTCFormatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, UTC).strftime(datefmt or "%Y-%m-%dT%H:%M:%S")


def _setup_logging(level: str, stream: IO[str] | None = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(_UTCFormatter("%(asctime)sZ %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
    logger.handlers[:] = [handler]
    logger.setLevel(level.upper())
    logger.propagate = False


def cmd_schedule(args: argparse.Namespace) -> int:
    """The ``schedule`` subcommand."""
    try:
        schedule = load_schedule(args.schedule)
    except ScheduleError as exc:
        raise UserError(str(exc)) from None
    if args.max_runs is not None and args.max_runs < 1:
        raise UserError("--max-runs must be 1 or more")
    try:
        _setup_logging(args.log_level)
    except ValueError:
        raise UserError(f"unknown --log-level {args.log_level!r} (DEBUG, INFO, WARNING, ERROR)") from None
    for job in schedule.jobs:
        if job.mirror is not None and not (job.mirror / "mirror.json").is_file():
            logger.warning(
                "job %s: %s is not a mirror (no mirror.json): runs will fail", job.name, job.mirror
            )
    scheduler = Scheduler(schedule, once=args.once, max_runs=args.max_runs)
    previous = {sig: signal.signal(sig, scheduler.request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    logger.info(
        "scheduling %d job(s) from %s; output in %s", len(schedule.jobs), schedule.path, schedule.output_dir
    )
    try:
        return scheduler.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


__all__ = [
    "CronExpression",
    "Job",
    "Schedule",
    "ScheduleError",
    "Scheduler",
    "load_schedule",
    "parse_interval",
    "run_id_for",
]
