"""Running a :class:`~newscrawler.schedule.config.Schedule`: one crawl process per run.

A long-lived process. Each run is ``python -m newscrawler crawl PORTAL ...`` in its own process
(a Scrapy crawl owns its process's reactor). Per job: never two runs at once (a slot that comes
while the previous run is still going is skipped and logged); a failed run is logged and the job
runs again at its next slot, the other jobs go on. SIGTERM/SIGINT stop the scheduling, forward one
SIGINT to the running crawls (Scrapy then closes gracefully: the feed is complete) and wait for
them; a second signal terminates them.

Each run writes ``<output_dir>/<job>/<YYYY-MM-DD>/<run-id>.jsonl`` (``.jsonl.part`` while it
runs; run-id = UTC start time, ``20261127T011500Z``), its log next to it (or under ``log_dir``),
and appends one JSON line to ``<output_dir>/runs.jsonl``; then each ``after_run`` hook gets that
line (a dict).
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newscrawler.schedule.config import Job, Schedule
from newscrawler.schedule.nodes import NodeDown, NodePool, RemoteRun, remote_settings
from newscrawler.schedule.timing import local_zone

logger = logging.getLogger("newscrawler.schedule")

RUNS_FILE = "runs.jsonl"
#: After a second signal the crawls get SIGTERM; still alive this many seconds later: SIGKILL.
KILL_GRACE = 5.0

#: Called with each run's ``runs.jsonl`` line once it is written.
RunHook = Callable[[dict[str, Any]], None]


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
    process: subprocess.Popen[bytes] | RemoteRun
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
        after_run: Sequence[RunHook] = (),
    ) -> None:
        self.schedule = schedule
        self.once = once
        self.max_runs = max_runs
        self.python = python
        self.clock = clock
        self.after_run = list(after_run)
        self.pool = NodePool(schedule.nodes) if schedule.nodes else None
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
        zone = self.schedule.timezone or local_zone()
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
        process: subprocess.Popen[bytes] | RemoteRun
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            log_path.parent.mkdir(parents=True, exist_ok=True)
            if self.pool is not None:
                settings = remote_settings([*self.schedule.args, *job.args], job.mirror, job.offline)
                jobid = f"{job.name}-{run_id}"
                process = RemoteRun(self.pool, job.portal, settings, jobid, part, log_path, summary_file)
                where = f"on node {process.node.node.name} (job {jobid})"
            else:
                process = self._spawn(job, part, summary_file, log_path)
                where = f"(pid {process.pid})"
        except (OSError, NodeDown) as exc:
            logger.error("job %s: run %s could not start: %s", job.name, run_id, exc)
            self.failed_runs += 1
            self._record(
                job, run_id, started, datetime.now(UTC), None, "failed", None, None, str(exc), log_path
            )
            return
        state.run = Run(job, run_id, started, process, part, output, summary_file, log_path)
        logger.info("job %s: run %s started %s, log %s", job.name, run_id, where, log_path)

    def _spawn(self, job: Job, part: Path, summary_file: Path, log_path: Path) -> subprocess.Popen[bytes]:
        cmd = self.command(job, part, summary_file)
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
        with log_path.open("ab") as log:
            return subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                # its own session: a Ctrl-C in the terminal reaches only the scheduler, which
                # forwards exactly one SIGINT (a second one would make Scrapy stop uncleanly)
                start_new_session=True,
            )

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
        if isinstance(run.process, RemoteRun):  # the node that ran it, and every node it was sent to
            summary = {**(summary or {}), "node": run.process.node.node.name, "nodes": run.process.nodes}
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

        line: dict[str, Any] = {
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
            "node": summary.get("node"),
            "health": summary.get("health"),  # coverage and the other figures of newscrawler.health
            "output": str(output) if output else None,
            "log": str(log_path),
            "error": error,
        }
        if "nodes" in summary:
            line["nodes"] = summary["nodes"]
        runs_file = self.schedule.output_dir / RUNS_FILE
        try:  # one line in O_APPEND mode: whole, even with several writers
            runs_file.parent.mkdir(parents=True, exist_ok=True)
            with runs_file.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        except OSError as exc:  # a full disk must not stop the scheduling
            logger.error("cannot write %s: %s", runs_file, exc)
        self._log_run(line, log_path)
        for hook in self.after_run:
            try:
                hook(line)
            except Exception:  # a hook's bug must not stop the scheduling
                logger.exception("job %s: after-run hook %r failed", job.name, hook)

    @staticmethod
    def _log_run(line: dict[str, Any], log_path: Path) -> None:
        job, run_id, status = line["job"], line["run_id"], line["status"]
        if status == "failed":
            logger.error(
                "job %s: run %s failed (exit %s) after %.1fs: %s; see %s; next try at the next slot",
                job,
                run_id,
                line["exit_code"],
                line["duration_s"],
                line["error"] or "no message",
                log_path,
            )
        else:
            logger.info(
                "job %s: run %s %s after %.1fs: %s articles, %s pages, %s errors -> %s",
                job,
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
