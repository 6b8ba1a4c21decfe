"""A schedule file's ``[health]`` table (see :mod:`newscrawler.health.command` for its keys)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newscrawler.health.check import Thresholds


@dataclass
class HealthConfig:
    """A schedule file's ``[health]`` table."""

    store: str | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    alarm_command: list[str] | str | None = None


def parse_health_table(raw: Any, base: Path) -> HealthConfig:
    """The ``[health]`` table; relative store paths are relative to ``base`` (the file's folder).
    Raises ValueError with a one-line message."""
    if not isinstance(raw, dict):
        raise ValueError("[health] must be a table")
    values = dict(raw)
    config = HealthConfig()
    store = values.pop("store", None)
    if store is not None:
        if not isinstance(store, str) or not store:
            raise ValueError("[health]: store must be a file name or a redis:// URL")
        config.store = store if store.startswith(("redis://", "rediss://", "unix://")) else str(base / store)
    command = values.pop("alarm_command", None)
    if command is not None:
        if isinstance(command, str):
            if not command.strip():
                raise ValueError("[health]: alarm_command is empty")
        elif not (isinstance(command, list) and command and all(isinstance(c, str) for c in command)):
            raise ValueError(
                '[health]: alarm_command must be a list of strings, e.g. ["curl", ...], or a string'
            )
        config.alarm_command = command
    try:
        config.thresholds = Thresholds().updated(values)
    except ValueError as exc:
        raise ValueError(f"[health]: {exc}") from None
    return config
