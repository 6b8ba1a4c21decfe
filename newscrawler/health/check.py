"""The health check: the last run of a portal against the median of its recent runs.

Alarms (each with the figure and the usual value):

- ``exported``: no article exported, or fewer than ``min_fraction`` of the usual count (articles
  dropped as duplicates of earlier exports count: the portal still has them);
- ``coverage``: a key field filled on a share of records more than ``coverage_drop`` below usual;
- ``dates``: dates fell back: the share taken from the page (``published_at_source``), or when
  the records do not say, the share with a time of day, more than ``date_drop`` below usual;
- ``error_rate``: errors per page fetched more than ``error_rate_rise`` above usual;
- ``values``: a key text field's values changed shape: their mean length more than
  ``length_ratio`` times (or under 1/``length_ratio`` of) the usual (a 来源 now filled with a
  sentence of the disclaimer is still "filled");
- ``section``: a section whose list pages usually list articles lists none.

Pure code over run entries (:func:`newscrawler.health.collect.run_entry`), oldest first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from statistics import median
from typing import Any

from newscrawler.record import FIELDS

#: runs of history the last run is compared with (their median is "usual")
RUNS = 7
#: exported below half the usual count: a section or the article layout broke
MIN_FRACTION = 0.5
#: below 5 articles a run (a quiet hour of an incremental crawl), fewer is not news: no count alarm
MIN_USUAL = 5
#: a field filled on 20 points fewer of the records than usual (100% -> 80%): a selector broke
COVERAGE_DROP = 0.2
#: 20 points fewer dates from the page (or with a time of day) than usual: the time element moved
DATE_DROP = 0.2
#: 10 points more errors per page fetched than usual (2% -> 12%): the site or the network fails
ERROR_RATE_RISE = 0.1
#: a key text field's mean value length twice or half the usual: it holds something else now
LENGTH_RATIO = 2.0
#: fields whose value length is not watched: dates (the dates alarm) and the body (news vary)
_LENGTH_UNWATCHED = frozenset({"published_at", "body"})
#: the fields whose coverage is watched: what the data desk reads (not the crawler's own fields)
KEY_FIELDS = ("section", "title", "published_at", "source", "editor", "authors", "body")


@dataclass(frozen=True)
class Thresholds:
    runs: int = RUNS
    min_fraction: float = MIN_FRACTION
    min_usual: int = MIN_USUAL
    coverage_drop: float = COVERAGE_DROP
    date_drop: float = DATE_DROP
    error_rate_rise: float = ERROR_RATE_RISE
    length_ratio: float = LENGTH_RATIO
    fields: tuple[str, ...] = KEY_FIELDS

    def updated(self, values: Mapping[str, Any]) -> Thresholds:
        """A copy with ``values`` (from a [health] table or the command line), checked; raises
        ValueError with a one-line message."""
        known = {f.name: f for f in fields(self)}
        changes: dict[str, Any] = {}
        for name, value in values.items():
            if name not in known:
                raise ValueError(f"unknown threshold {name!r} (known: {', '.join(known)})")
            if name == "fields":
                if isinstance(value, str):
                    value = [v.strip() for v in value.split(",") if v.strip()]
                if (
                    not isinstance(value, list | tuple)
                    or not value
                    or not all(isinstance(v, str) for v in value)
                ):
                    raise ValueError('fields must be a list of record fields, e.g. ["source", "editor"]')
                unknown = [v for v in value if v not in FIELDS]
                if unknown:
                    raise ValueError(
                        f"fields: {', '.join(unknown)} not a record field (see README: The record)"
                    )
                changes[name] = tuple(value)
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{name} must be a number, not {value!r}")
            if name in ("runs", "min_usual"):
                if value != int(value) or value < (1 if name == "runs" else 0):
                    raise ValueError(
                        f"{name} must be a whole number{' of 1 or more' if name == 'runs' else ''}"
                    )
                value = int(value)
            elif name == "length_ratio":
                if value <= 1:
                    raise ValueError(f"length_ratio must be more than 1, not {value}")
            elif not 0 <= value <= 1:
                raise ValueError(f"{name} must be a share between 0 and 1, not {value}")
            changes[name] = value
        return replace(self, **changes)


@dataclass(frozen=True)
class Alarm:
    kind: str
    message: str
    value: float | int | None
    usual: float | int | None
    field: str | None = None
    section: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None or k in ("value", "usual")}


@dataclass
class PortalHealth:
    portal: str
    last: dict[str, Any]
    history: list[dict[str, Any]]
    alarms: list[Alarm] = field(default_factory=list)

    @property
    def status(self) -> str:
        """``alarm``, ``ok``, or ``new`` (no earlier run to compare with)."""
        if self.alarms:
            return "alarm"
        return "ok" if self.history else "new"

    def to_dict(self) -> dict[str, Any]:
        return {
            "portal": self.portal,
            "status": self.status,
            "run_id": self.last.get("run_id"),
            "started_at": self.last.get("started_at"),
            "compared_with": len(self.history),
            "alarms": [a.to_dict() for a in self.alarms],
        }


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _usual(values: Sequence[float | int | None]) -> float | None:
    present = [v for v in values if v is not None]
    return median(present) if present else None


def _health(run: Mapping[str, Any]) -> dict[str, Any]:
    return run.get("health") or {}


def _exported(run: Mapping[str, Any]) -> int:
    return int(run.get("articles_exported") or 0)


def _extracted(run: Mapping[str, Any]) -> int:
    """Articles exported, or dropped as copies of earlier ones: a re-crawl of a steady portal
    with a persistent seen-store exports nothing new, yet its articles are all there."""
    return _exported(run) + int(run.get("duplicates") or 0)


def _alarm_exported(last: Mapping[str, Any], history: list[dict[str, Any]], th: Thresholds) -> list[Alarm]:
    usual = _usual([_extracted(r) for r in history])
    now = _extracted(last)
    if usual is None or usual < max(th.min_usual, 1):
        return []
    if now == 0:
        exported = _usual([_exported(r) for r in history]) or 0
        return [Alarm("exported", f"no article exported (usual {exported:g})", now, usual)]
    if now < th.min_fraction * usual:
        message = f"{now} articles exported or known as duplicates (usual {usual:g})"
        return [Alarm("exported", message, now, usual)]
    return []


def _alarm_coverage(last: Mapping[str, Any], history: list[dict[str, Any]], th: Thresholds) -> list[Alarm]:
    if not _exported(last):
        return []  # nothing to measure; the count alarm speaks
    with_records = [r for r in history if _exported(r)]
    alarms = []
    now_cov = _health(last).get("coverage", {})
    for name in th.fields:
        usual = _usual([_health(r).get("coverage", {}).get(name) for r in with_records])
        now = now_cov.get(name)
        if usual is not None and now is not None and usual - now > th.coverage_drop:
            message = f"{name} filled on {_pct(now)} of the records (usual {_pct(usual)})"
            alarms.append(Alarm("coverage", message, now, usual, field=name))
    return alarms


def _alarm_dates(last: Mapping[str, Any], history: list[dict[str, Any]], th: Thresholds) -> list[Alarm]:
    if not _exported(last):
        return []
    with_records = [r for r in history if _exported(r)]
    dates_now = _health(last).get("published_at", {})
    by_source_now = dates_now.get("by_source") or {}
    sourced = [r for r in with_records if _health(r).get("published_at", {}).get("by_source")]
    if by_source_now and sourced:  # the records say where their dates come from
        usual = _usual([_health(r)["published_at"]["by_source"].get("page", 0.0) for r in sourced])
        now = by_source_now.get("page", 0.0)
        if usual is not None and usual - now > th.date_drop:
            url_now = by_source_now.get("url", 0.0)
            url_usual = _usual([_health(r)["published_at"]["by_source"].get("url", 0.0) for r in sourced])
            message = (
                f"dates from the page on {_pct(now)} of the records (usual {_pct(usual)}), "
                f"from the URL on {_pct(url_now)} (usual {_pct(url_usual)})"
            )
            return [Alarm("dates", message, now, usual, field="published_at_source")]
        return []
    usual = _usual([_health(r).get("published_at", {}).get("with_time") for r in with_records])
    now = dates_now.get("with_time")
    if usual is not None and now is not None and usual - now > th.date_drop:
        message = (
            f"dates with a time of day on {_pct(now)} of the records (usual {_pct(usual)}): "
            "the rest fell back to a date only (URL or list page)"
        )
        return [Alarm("dates", message, now, usual, field="published_at")]
    return []


def _alarm_errors(last: Mapping[str, Any], history: list[dict[str, Any]], th: Thresholds) -> list[Alarm]:
    usual = _usual([_health(r).get("error_rate") for r in history])
    now = _health(last).get("error_rate")
    if usual is not None and now is not None and now - usual > th.error_rate_rise:
        kinds = ", ".join(f"{k}: {v}" for k, v in sorted((_health(last).get("errors") or {}).items()))
        message = f"errors on {_pct(now)} of the pages fetched (usual {_pct(usual)}; {kinds})"
        return [Alarm("error_rate", message, now, usual)]
    return []


def _alarm_values(last: Mapping[str, Any], history: list[dict[str, Any]], th: Thresholds) -> list[Alarm]:
    now_lengths = _health(last).get("value_length_mean") or {}
    alarms = []
    for name in th.fields:
        if name in _LENGTH_UNWATCHED or name not in now_lengths:
            continue
        usual = _usual([(_health(r).get("value_length_mean") or {}).get(name) for r in history])
        now = now_lengths[name]
        if usual and (now > usual * th.length_ratio or now * th.length_ratio < usual):
            message = f"{name} values changed: {now:g} characters on average (usual {usual:g})"
            alarms.append(Alarm("values", message, now, usual, field=name))
    return alarms


def _alarm_sections(last: Mapping[str, Any], history: list[dict[str, Any]], th: Thresholds) -> list[Alarm]:
    names: set[str] = set()
    for run in history:
        names.update(_health(run).get("sections", {}))
    now_sections = _health(last).get("sections", {})
    alarms = []
    for name in sorted(names):
        usual = _usual([_health(r).get("sections", {}).get(name, {}).get("listed", 0) for r in history])
        now = now_sections.get(name, {}).get("listed", 0)
        if usual and usual >= 1 and now == 0:
            message = f"section {name} lists no article (usual {usual:g} article links)"
            alarms.append(Alarm("section", message, now, usual, section=name))
    return alarms


_CHECKS = (_alarm_exported, _alarm_coverage, _alarm_values, _alarm_dates, _alarm_errors, _alarm_sections)


def check_portal(
    portal: str, runs: Sequence[dict[str, Any]], thresholds: Thresholds | None = None
) -> PortalHealth:
    """The health of ``portal`` from its runs (oldest first, the last one checked against the
    median of up to ``thresholds.runs`` runs before it). Runs without figures (a crawl that
    failed before its summary) are not compared."""
    th = thresholds or Thresholds()
    measured = [r for r in runs if r.get("health")]
    if not measured:
        raise ValueError(f"no run of {portal} with health figures")
    last = measured[-1]
    history = measured[:-1][-th.runs :]
    result = PortalHealth(portal, last, history)
    if history:
        for check in _CHECKS:
            result.alarms.extend(check(last, history, th))
    return result
