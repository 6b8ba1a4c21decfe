"""Shared test helpers: paths, fixture mirrors, offline records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from newscrawler.mirror.server import Mirror, normalize_mirror_url

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"

#: Fields computed at export time or by the dedupe step: not part of an expected fixture record.
VOLATILE = frozenset({"crawled_at", "content_hash", "simhash", "duplicate_of"})


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def mirror_fetcher(root: Path):
    """fetch(url) -> (bytes, headers) from a mirror folder, bypassing fail-once behaviour."""
    mirror = Mirror(root)

    def fetch(url: str) -> tuple[bytes, Mapping[str, Any]] | None:
        entry = mirror.entries.get(normalize_mirror_url(url))
        if entry is None or entry.status != 200:
            return None
        return entry.path.read_bytes(), entry.headers

    return fetch


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run ``python -m newscrawler ARGS`` in a fresh process (a crawl needs its own reactor)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "newscrawler", *args],
        cwd=cwd or REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


def pytest_configure(config: pytest.Config) -> None:
    """Crawls started by the tests never touch the user's seen-store: the default store lives
    under $XDG_DATA_HOME, which points at a temporary folder for the whole session."""
    import tempfile

    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="newscrawler-tests-")
