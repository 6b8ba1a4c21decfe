"""The store benchmark still runs (a tiny size, SQLite only: the real run is manual)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_store_smoke(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_store.py"),
            "--sizes",
            "300",
            "--backends",
            "sqlite",
            "--lookups",
            "30",
            "--adds",
            "20",
            "--workdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = out.stdout.splitlines()
    assert lines[0].startswith("fingerprint_body")
    row = next(line for line in lines if line.startswith("sqlite"))
    assert "100%" in row  # every near-duplicate query found its original
    assert "note:" not in out.stdout  # no new article matched anything
