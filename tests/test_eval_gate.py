"""The CI quality gate of ``benchmarks/eval_realdata.py --gate``: its comparison only (the real-page
harness lives outside the repository and is never needed by the tests)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO


def _eval_realdata() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_realdata", REPO / "benchmarks" / "eval_realdata.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EVAL = _eval_realdata()


def at_floors() -> dict[str, object]:
    return dict(EVAL.QUALITY_FLOORS)


def test_the_floors_are_the_pinned_ones() -> None:
    assert EVAL.QUALITY_FLOORS == {
        "body_f1": 0.97,
        "body_f1_ge_0.9": 0.96,
        "title_exact": 0.97,
        "boilerplate_without_absent": 1.0,
        "date_acc": 0.95,
        "authors_acc": 0.95,
        "source_acc": 0.95,
        "editor_acc": 0.95,
    }


def test_figures_at_their_floors_pass_as_printed() -> None:
    assert EVAL.gate_failures(at_floors()) == []
    # 0.94963 prints as 0.950: at the floor, not below it
    assert EVAL.gate_failures({**at_floors(), "editor_acc": 0.94963}) == []


@pytest.mark.parametrize("key", sorted(EVAL.QUALITY_FLOORS))
def test_any_figure_below_its_floor_fails(key: str) -> None:
    summary = {**at_floors(), key: EVAL.QUALITY_FLOORS[key] - 0.002}
    (failure,) = EVAL.gate_failures(summary)
    assert failure.startswith(f"{key}: ")


def test_a_missing_figure_fails() -> None:
    summary = at_floors()
    del summary["date_acc"]
    assert EVAL.gate_failures(summary) == ["date_acc: missing from the harness's summary (floor 0.95)"]


def test_check_gate_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = tmp_path / "result.json"
    result.write_text(json.dumps({"summary": at_floors()}), encoding="utf-8")
    assert EVAL.check_gate(result) == 0
    result.write_text(json.dumps({"summary": {**at_floors(), "body_f1": 0.9}}), encoding="utf-8")
    assert EVAL.check_gate(result) == 1
    assert "QUALITY GATE FAILED: body_f1: 0.900 < floor 0.97" in capsys.readouterr().err
