"""The schedule file: ``[defaults]`` and ``[[job]]`` tables read into a checked :class:`Schedule`.

The format (TOML; relative paths are relative to the file's folder)::

    [defaults]
    output_dir = "data"                 # default "data"
    log_dir = "logs"                    # default: each run's log beside its output
    args = ["--log-level", "INFO"]      # extra `newscrawler crawl` arguments for every job
    timezone = "Asia/Shanghai"          # cron expressions' time zone; default: the machine's

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

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newscrawler.health.config import HealthConfig, parse_health_table
from newscrawler.schedule.nodes import Node, parse_node, remote_settings
from newscrawler.schedule.timing import CronExpression, ScheduleError, parse_interval


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
    #: scrapyd nodes ([[node]]): runs are dispatched to them instead of local processes
    nodes: list[Node] = field(default_factory=list)
    #: the [health] table: the check after every run (newscrawler.health)
    health: HealthConfig = field(default_factory=HealthConfig)


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

    unknown = sorted(set(data) - {"defaults", "job", "node", "health"})
    if unknown:
        raise fail(f"unknown table(s) {', '.join(unknown)}: use [defaults], [[job]], [[node]] and [health]")
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
        raw_nodes = data.get("node", [])
        if not isinstance(raw_nodes, list):
            raise ScheduleError("nodes are [[node]] tables")
        nodes = [parse_node(raw, i) for i, raw in enumerate(raw_nodes, 1)]
        if len({node.name for node in nodes}) != len(nodes):
            raise ScheduleError('two nodes have the same name: give one of them name = "..."')
        for number, job in enumerate(jobs if nodes else [], 1):
            try:
                remote_settings([*args, *job.args], job.mirror, job.offline)
            except ScheduleError as exc:
                raise ScheduleError(f"job {number} ({job.name}): {exc}") from None
    except ScheduleError as exc:
        raise fail(str(exc)) from None
    seen: set[str] = set()
    for job in jobs:
        if job.name in seen:
            raise fail(f'two jobs are named {job.name!r}: give one of them name = "..."')
        seen.add(job.name)
    try:
        health = parse_health_table(data.get("health", {}), base)
    except ValueError as exc:
        raise fail(str(exc)) from None
    return Schedule(
        path=path,
        output_dir=base / defaults.get("output_dir", "data"),
        log_dir=base / defaults["log_dir"] if "log_dir" in defaults else None,
        args=args,
        timezone=zone,
        jobs=jobs,
        nodes=nodes,
        health=health,
    )
