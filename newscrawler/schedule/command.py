"""The ``newscrawler schedule SCHEDULE.toml`` command: load the file, set up logging and signals,
run the :class:`~newscrawler.schedule.runner.Scheduler`."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from datetime import UTC, datetime
from typing import IO

from newscrawler.errors import UserError
from newscrawler.health.command import HealthHook
from newscrawler.schedule.config import load_schedule
from newscrawler.schedule.runner import Scheduler, logger
from newscrawler.schedule.timing import ScheduleError


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
    # the health check after every run; the hook keeps the runs, not the crawls
    health = HealthHook(schedule.health, schedule.output_dir)
    schedule.args = ["-s", "HEALTH_STORE=off", *schedule.args]
    scheduler = Scheduler(schedule, once=args.once, max_runs=args.max_runs, after_run=[health])
    previous = {sig: signal.signal(sig, scheduler.request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    logger.info(
        "scheduling %d job(s) from %s; output in %s", len(schedule.jobs), schedule.path, schedule.output_dir
    )
    try:
        return scheduler.run()
    finally:
        health.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
