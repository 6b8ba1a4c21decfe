"""``newscrawler health``, the ``[health]`` table of a schedule file, and the scheduler's after-run
check (which logs alarms at ERROR and runs the alarm command with the alarm as JSON on stdin).

The ``[health]`` table (every key optional)::

    [health]
    store = "data/health.sqlite3"   # or redis://...; default: <output_dir>/health.sqlite3
    runs = 7                        # compare with the median of the last 7 runs
    min_fraction = 0.5              # exported below half the usual count
    min_usual = 5                   # no count alarm under 5 usual articles
    coverage_drop = 0.2             # a key field 20 points less often filled
    date_drop = 0.2                 # 20 points fewer dates from the page / with a time of day
    error_rate_rise = 0.1           # 10 points more errors per page
    length_ratio = 2.0              # a key text field's values twice (or half) as long as usual
    fields = ["section", "title", "published_at", "source", "editor", "authors", "body"]
    alarm_command = ["curl", "-sS", "-H", "Content-Type: application/json", "--data-binary", "@-",
                     "https://hooks.example.org/newscrawler"]
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import threading
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newscrawler.errors import UserError
from newscrawler.health.check import PortalHealth, Thresholds, check_portal
from newscrawler.health.config import HealthConfig, parse_health_table
from newscrawler.health.report import format_html, format_text
from newscrawler.health.store import (
    HEALTH_FILE,
    HealthStoreError,
    default_health_path,
    open_health_store,
    run_entry,
)

EXIT_ALARM = 1
#: an alarm command still running after this many seconds is killed (a hung webhook)
ALARM_COMMAND_TIMEOUT = 60.0

logger = logging.getLogger("newscrawler.schedule")


def alarm_payload(result: PortalHealth, job: str | None = None) -> dict[str, Any]:
    """What the alarm command reads on stdin."""
    payload = result.to_dict()
    if job is not None:
        payload["job"] = job
    return payload


def run_alarm_command(command: list[str] | str, payload: dict[str, Any]) -> int | None:
    """Run the alarm command with ``payload`` as JSON on stdin; its exit status (None when it
    could not start or timed out, which is logged)."""
    data = (json.dumps(payload, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        done = subprocess.run(
            command,
            input=data,
            shell=isinstance(command, str),
            capture_output=True,
            timeout=ALARM_COMMAND_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.error("health: the alarm command failed: %s", exc)
        return None
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        logger.error("health: the alarm command exited with %d: %s", done.returncode, tail[0])
    return done.returncode


class HealthHook:
    """The scheduler's after-run hook: keep the run in the health store, check its portal, log
    each alarm at ERROR and run the alarm command (in a thread: the scheduling goes on)."""

    def __init__(self, config: HealthConfig, output_dir: Path) -> None:
        self.config = config
        self.output_dir = output_dir
        self.threads: list[threading.Thread] = []

    def store_for(self, line: dict[str, Any]) -> str:
        return self.config.store or str(self.output_dir / HEALTH_FILE)

    def __call__(self, line: dict[str, Any]) -> None:
        if not line.get("health"):
            return  # a run that failed before its summary: the scheduler has said so
        # kept under the job's name (the portal's unless the job names itself): two jobs of one
        # portal (live and a mirror demo) keep separate histories
        portal = line.get("job") or line["portal"]
        spec = self.store_for(line)
        try:
            store = open_health_store(spec)
            try:
                entry = {
                    **run_entry(portal, line["run_id"], line["started_at"], {}),
                    **line,
                    "portal": portal,
                }
                store.add_run(entry)
                runs = store.runs(portal, self.config.thresholds.runs + 1)
            finally:
                store.close()
        except Exception as exc:  # (a locked file, a Redis down) one line; the scheduling goes on
            logger.error("health: run %s of %s not checked: %s: %s", line["run_id"], portal, spec, exc)
            return
        result = check_portal(portal, runs, self.config.thresholds)
        if not result.alarms:
            logger.info("health: %s %s (%s)", portal, result.status.upper(), spec)
            return
        for alarm in result.alarms:
            logger.error("health: %s ALARM: %s (run %s)", portal, alarm.message, line["run_id"])
        if self.config.alarm_command:
            thread = threading.Thread(
                target=run_alarm_command,
                args=(self.config.alarm_command, alarm_payload(result, line.get("job"))),
                name=f"alarm-{portal}",
            )
            thread.start()
            self.threads = [t for t in self.threads if t.is_alive()] + [thread]

    def wait(self, timeout: float = ALARM_COMMAND_TIMEOUT) -> None:
        """Wait for the alarm commands still running (the scheduler calls it before leaving)."""
        for thread in self.threads:
            thread.join(timeout)


# -- the command ----------------------------------------------------------------------------
_THRESHOLD_OPTIONS = (
    "runs",
    "min_fraction",
    "min_usual",
    "coverage_drop",
    "date_drop",
    "error_rate_rise",
    "length_ratio",
)


def add_parser(sub: Any) -> None:
    """Add ``health`` to the command's subparsers."""
    health = sub.add_parser(
        "health", help="check each portal's last run against its recent runs (exit 1 on an alarm)"
    )
    health.add_argument(
        "--store",
        metavar="PATH|redis://...",
        help=f"the health store (default: {HEALTH_FILE} beside the default seen-store, "
        "or the [health] store of --schedule)",
    )
    health.add_argument("--schedule", metavar="FILE", help="take the store and thresholds from its [health]")
    health.add_argument(
        "--portal", action="append", metavar="NAME", help="check only this portal (repeatable)"
    )
    health.add_argument("--html", metavar="FILE", help="also write the report as one static HTML page")
    health.add_argument("--json", action="store_true", help="print the result as JSON instead of text")
    health.add_argument(
        "--runs", type=int, metavar="N", help="compare with the median of the last N runs (7)"
    )
    health.add_argument("--min-fraction", type=float, metavar="F", help="exported below F x usual (0.5)")
    health.add_argument(
        "--min-usual", type=int, metavar="N", help="no count alarm under N usual articles (5)"
    )
    health.add_argument(
        "--coverage-drop", type=float, metavar="F", help="a key field F less often filled (0.2)"
    )
    health.add_argument("--date-drop", type=float, metavar="F", help="F fewer dates from the page (0.2)")
    health.add_argument("--error-rate-rise", type=float, metavar="F", help="F more errors per page (0.1)")
    health.add_argument(
        "--length-ratio", type=float, metavar="R", help="a text field's values R times as long or short (2)"
    )
    health.add_argument("--fields", metavar="A,B", help="the key fields watched (comma-separated)")
    health.set_defaults(func=cmd_health)


def _config(args: argparse.Namespace) -> HealthConfig:
    config = HealthConfig()
    if args.schedule:
        path = Path(args.schedule)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(f"no such schedule file: {path}") from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UserError(f"cannot read {path}: {exc}") from None
        try:
            config = parse_health_table(data.get("health", {}), path.resolve().parent)
        except ValueError as exc:
            raise UserError(f"{path}: {exc}") from None
        if config.store is None:
            config.store = str(
                path.resolve().parent / data.get("defaults", {}).get("output_dir", "data") / HEALTH_FILE
            )
    values: dict[str, Any] = {
        name: getattr(args, name) for name in _THRESHOLD_OPTIONS if getattr(args, name) is not None
    }
    if args.fields:
        values["fields"] = args.fields
    try:
        config.thresholds = config.thresholds.updated(values)
    except ValueError as exc:
        raise UserError(str(exc).replace("_", "-")) from None
    return config


def check_store(
    spec: str, thresholds: Thresholds, portals: Sequence[str] | None = None
) -> list[PortalHealth]:
    """Check every portal of a health store (or only ``portals``)."""
    try:
        store = open_health_store(spec, create=False)
    except HealthStoreError as exc:
        raise UserError(str(exc)) from None
    try:
        names = list(portals) if portals else store.portals()
        results = []
        for name in names:
            runs = store.runs(name, thresholds.runs + 1)
            if not runs:
                known = ", ".join(store.portals()) or "none"
                raise UserError(f"no run of portal {name!r} in {store.location} (portals there: {known})")
            results.append(check_portal(name, runs, thresholds))
        return results
    finally:
        store.close()


def cmd_health(args: argparse.Namespace) -> int:
    config = _config(args)
    spec = args.store or config.store or str(default_health_path())
    results = check_store(spec, config.thresholds, args.portal)
    if not results:
        raise UserError(f"the health store {spec} has no runs yet")
    if args.html:
        target = Path(args.html)
        try:
            target.write_text(format_html(results, config.thresholds.fields), encoding="utf-8")
        except OSError as exc:
            raise UserError(f"cannot write {args.html}: {exc.strerror}") from None
    if args.json:
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        print(format_text(results))
    return EXIT_ALARM if any(r.alarms for r in results) else 0
