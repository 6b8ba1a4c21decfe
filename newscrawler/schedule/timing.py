"""When a job runs: intervals (``"1h30m"``) and cron expressions (through ``cronsim``)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError


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
#: cronsim has no macros; these are Vixie cron's.
_MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
#: A probe time for "does it ever fire": cronsim looks 50 years ahead, so Feb 30 is found out.
_PROBE = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class CronExpression:
    """A 5-field cron expression (minute hour day-of-month month day-of-week) as Vixie/Debian cron
    reads it, evaluated by ``cronsim``: ``*``, lists, ranges, steps, month and day names, 0 or 7
    for Sunday, ``L`` and ``#`` (``0 9 * * 5L``: the last Friday), the macros ``@hourly`` ...
    ``@yearly``; when both day fields are restricted a day matches either. Across a DST change a
    job at a fixed wall time fires once at that wall time (or just after a skipped one)."""

    text: str
    expanded: str

    @classmethod
    def parse(cls, text: str) -> CronExpression:
        if not isinstance(text, str):
            raise ScheduleError(f"cron expression {text!r} must be a string")
        expanded = _MACROS.get(text.strip().lower(), text.strip())
        if len(expanded.split()) != 5:
            raise ScheduleError(
                f"bad cron expression {text!r}: need 5 fields (minute hour day-of-month month day-of-week)"
            )
        expr = cls(text.strip(), expanded)
        expr.next_after(_PROBE)  # a bad field raises, and so does an expression that never fires
        return expr

    def next_after(self, after: datetime) -> datetime:
        """The first firing time strictly after ``after``, in ``after``'s time zone (UTC for a
        naive datetime)."""
        if after.tzinfo is None:
            after = after.replace(tzinfo=UTC)
        try:
            for fire in CronSim(self.expanded, after):
                if fire > after:  # (cronsim drops microseconds: 01:14:59.999 is not past 01:15)
                    return fire
        except CronSimError as exc:  # its messages: "Bad minute", "Bad day-of-week"...
            raise ScheduleError(f"bad cron expression {self.text!r}: {str(exc).lower()}") from None
        raise ScheduleError(f"cron expression {self.text!r} never fires")


def local_zone() -> tzinfo:
    """The machine's time zone with its DST rules (``TZ``, else ``/etc/localtime``), so that a cron
    job at 09:00 stays at 09:00 after a DST change; a fixed UTC offset only when neither names one."""
    name = os.environ.get("TZ", "").lstrip(":")
    try:
        if name:
            return ZoneInfo(name)
        with open("/etc/localtime", "rb") as fh:
            return ZoneInfo.from_file(fh, key="localtime")
    except (OSError, ValueError, ZoneInfoNotFoundError):
        zone = datetime.now().astimezone().tzinfo
        return zone if zone is not None else UTC
