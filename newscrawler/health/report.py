"""The health check as text (the command's output) and as one static HTML page: per portal a row
with its status, sparklines (inline SVG) of exported articles and of each key field's coverage
over the recent runs, its alarms, and the last run's summary. No script, no external resource."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any

from newscrawler.health.check import PortalHealth

_STATUS_TEXT = {"alarm": "ALARM", "ok": "OK", "new": "NEW (first run: nothing to compare with)"}


def format_text(results: Sequence[PortalHealth]) -> str:
    lines = []
    for result in results:
        last = result.last
        head = (
            f"{result.portal}: {_STATUS_TEXT[result.status]} — run {last.get('run_id')} "
            f"({last.get('started_at')}), {last.get('articles_exported')} articles"
        )
        if result.history:
            head += f", against the median of {len(result.history)} earlier run(s)"
        lines.append(head)
        lines.extend(f"  - {alarm.message}" for alarm in result.alarms)
    return "\n".join(lines)


# -- HTML ----------------------------------------------------------------------------------------
#: sparkline box, in CSS pixels
SPARK_W, SPARK_H = 120, 28

_CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d2330; }
h1 { font-size: 1.4em; margin: 0 0 .2em; }
p.meta { color: #5b6475; margin: 0 0 1em; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #d9dde5; padding: .45em .6em; text-align: left; vertical-align: top; }
th { background: #f2f4f8; font-weight: 600; }
tr.alarm { background: #fdecea; }
tr.alarm td.status { background: #c62828; color: #fff; font-weight: 700; }
tr.ok td.status { background: #2e7d32; color: #fff; font-weight: 700; }
tr.new td.status { background: #6b7280; color: #fff; }
td.status { white-space: nowrap; text-align: center; }
ul.alarms { margin: 0; padding-left: 1.1em; color: #b71c1c; font-weight: 600; }
.spark { display: inline-block; margin: 0 .8em .3em 0; font-size: 12px; color: #5b6475; }
.spark svg { display: block; }
.spark.down { color: #b71c1c; font-weight: 700; }
dl.last { display: grid; grid-template-columns: auto auto; gap: 0 .8em; margin: 0; font-size: 12px; }
dl.last dt { color: #5b6475; }
dl.last dd { margin: 0; }
"""


def sparkline(
    values: Sequence[float | int | None],
    *,
    low: float | None = None,
    high: float | None = None,
    alarmed: bool = False,
) -> str:
    """An inline SVG polyline of ``values`` (oldest first; None leaves a gap), the last point
    marked. ``low``/``high``: the vertical scale (default: the values' range)."""
    present = [float(v) for v in values if v is not None]
    lo = low if low is not None else (min(present) if present else 0.0)
    hi = high if high is not None else (max(present) if present else 1.0)
    span = (hi - lo) or 1.0
    n = len(values)
    step = (SPARK_W - 6) / max(n - 1, 1)
    points: list[tuple[float, float]] = []
    segments: list[list[tuple[float, float]]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            segments.append([])
            continue
        x = 3 + i * step
        y = SPARK_H - 3 - (float(value) - lo) / span * (SPARK_H - 6)
        points.append((x, y))
        segments[-1].append((x, y))
    color = "#c62828" if alarmed else "#1f5fbf"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SPARK_W}" height="{SPARK_H}" '
        f'viewBox="0 0 {SPARK_W} {SPARK_H}" role="img">'
    ]
    for seg in segments:
        if len(seg) > 1:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in seg)
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{coords}"/>')
    if points:
        x, y = points[-1]
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _labelled_spark(label: str, values: Sequence[float | int | None], alarmed: bool, **scale: float) -> str:
    last = values[-1] if values else None
    shown = "-" if last is None else (f"{last:.0%}" if scale.get("high") == 1.0 else f"{last:g}")
    css = "spark down" if alarmed else "spark"
    return (
        f'<span class="{css}">{escape(label)} {escape(shown)}'
        f"{sparkline(values, alarmed=alarmed, **scale)}</span>"
    )


def _last_summary(run: dict[str, Any]) -> str:
    health = run.get("health") or {}
    dates = health.get("published_at") or {}
    rows = [
        ("run", run.get("run_id")),
        ("started", run.get("started_at")),
        ("articles", run.get("articles_exported")),
        ("pages fetched", run.get("pages_fetched")),
        ("list pages", health.get("list_pages")),
        ("not articles", health.get("non_articles")),
        ("dropped", ", ".join(f"{k} {v}" for k, v in (health.get("dropped") or {}).items()) or 0),
        ("errors", ", ".join(f"{k} {v}" for k, v in (health.get("errors") or {}).items()) or 0),
        ("dates with time", "-" if dates.get("with_time") is None else f"{dates['with_time']:.0%}"),
        ("mean body", health.get("body_length_mean")),
    ]
    cells = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in rows)
    return f'<dl class="last">{cells}</dl>'


def _row(result: PortalHealth, fields: Sequence[str]) -> str:
    runs = [*result.history, result.last]
    alarmed_fields = {a.field for a in result.alarms if a.kind in ("coverage", "values")}
    dates_alarm = any(a.kind == "dates" for a in result.alarms)
    exported_alarm = any(a.kind == "exported" for a in result.alarms)
    sparks = [_labelled_spark("articles", [r.get("articles_exported") for r in runs], exported_alarm, low=0)]
    for name in fields:
        values = [((r.get("health") or {}).get("coverage") or {}).get(name) for r in runs]
        sparks.append(_labelled_spark(name, values, name in alarmed_fields, low=0.0, high=1.0))
    dates = [(r.get("health") or {}).get("published_at") or {} for r in runs]
    if any(d.get("by_source") for d in dates):  # the records say where their dates come from
        from_page = [
            (d.get("by_source") or {}).get("page", 0.0) if d.get("by_source") else None for d in dates
        ]
        sparks.append(_labelled_spark("date from page", from_page, dates_alarm, low=0.0, high=1.0))
    else:
        with_time = [d.get("with_time") for d in dates]
        sparks.append(_labelled_spark("time of day", with_time, dates_alarm, low=0.0, high=1.0))
    alarms = (
        '<ul class="alarms">' + "".join(f"<li>{escape(a.message)}</li>" for a in result.alarms) + "</ul>"
        if result.alarms
        else ""
    )
    status = result.status
    return (
        f'<tr class="portal {status}" id="portal-{escape(result.portal)}" data-status="{status}">'
        f"<td><strong>{escape(result.portal)}</strong></td>"
        f'<td class="status">{escape(_STATUS_TEXT[status].split(" ")[0])}</td>'
        f"<td>{alarms}{''.join(sparks)}</td>"
        f"<td>{_last_summary(result.last)}</td></tr>"
    )


def format_html(results: Sequence[PortalHealth], fields: Sequence[str], now: datetime | None = None) -> str:
    """The whole page, self-contained."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    alarmed = sum(1 for r in results if r.alarms)
    verdict = f"{alarmed} portal(s) with alarms" if alarmed else "all portals healthy"
    rows = "".join(_row(r, fields) for r in results)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>newscrawler health: {escape(verdict)}</title><style>{_CSS}</style></head><body>"
        f'<h1>Crawl health</h1><p class="meta">{escape(moment)}: {len(results)} portal(s), '
        f'<span id="verdict">{escape(verdict)}</span>. Each sparkline: the recent runs, oldest '
        "first, the last run marked with a dot.</p>"
        "<table><thead><tr><th>portal</th><th>status</th><th>alarms and recent runs</th>"
        f"<th>last run</th></tr></thead><tbody>{rows}</tbody></table></body></html>\n"
    )
