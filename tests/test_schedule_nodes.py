"""``newscrawler schedule`` with ``[[node]]`` entries (issue 12 part 3): runs dispatched to two real
scrapyd processes on 127.0.0.1 sharing one real redis-server seen-store. Unit tests of the
``[[node]]`` table and of the arguments a node's crawl gets come first."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newscrawler.dedupe.testing import redis_server, redis_server_path
from newscrawler.schedule import ScheduleError, load_schedule
from newscrawler.schedule.nodes import Node, NodeClient, NodeDown, parse_node, remote_settings
from tests.test_schedule import make_mirror, read_jsonl, start_schedule, wait_for
from tests.test_scrapyd import add_version, api, build_egg, free_port

REPO = Path(__file__).resolve().parents[1]


# -- the [[node]] table and the settings of a node's crawl --------------------------------------
def test_parse_node() -> None:
    node = parse_node({"url": "http://10.0.0.5:6800", "username": "u", "password": "p"}, 1)
    assert node == Node("10.0.0.5:6800", "http://10.0.0.5:6800/", "newscrawler", "u", "p")
    assert parse_node({"url": "https://n/", "name": "a", "project": "nc"}, 1).project == "nc"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "url ="),
        ({"url": "ftp://n/"}, "url ="),
        ({"url": "http://n/", "user": "x"}, "unknown key"),
        ({"url": "http://n/", "username": "x"}, "both username and password"),
        ({"url": "http://n/", "name": ""}, "name must be"),
        ("http://n/", "must be a table"),
    ],
)
def test_parse_node_rejects(raw: Any, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_node(raw, 1)


def test_remote_settings(tmp_path: Path) -> None:
    args = ["--store", "redis://r:6379/0", "-s", "CLOSESPIDER_TIMEOUT=60", "--full", "--log-level", "WARNING"]
    settings = remote_settings(args, tmp_path, offline=False)
    assert settings["DEDUPE_STORE"] == "redis://r:6379/0"  # (the mirror's :memory: default is overridden)
    assert settings["MIRROR_DIR"] == str(tmp_path.resolve()) and settings["DOWNLOAD_DELAY"] == "0"
    assert settings["CLOSESPIDER_TIMEOUT"] == "60" and settings["FULL_RECRAWL"] == "True"
    assert settings["LOG_LEVEL"] == "INFO"  # the summary is read from the log
    assert remote_settings([], None, offline=False) == {"LOG_LEVEL": "INFO"}


@pytest.mark.parametrize(
    ("args", "offline", "message"),
    [
        (["--jobdir", "j"], False, "not supported on scrapyd nodes"),
        (["-s"], False, "needs a value"),
        (["-s", "X"], False, "NAME=VALUE"),
        ([], True, "offline = true is not for scrapyd nodes"),
    ],
)
def test_remote_settings_rejects(args: list[str], offline: bool, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        remote_settings(args, None, offline)


def test_a_job_a_node_cannot_run_is_refused_when_the_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        '[[node]]\nurl = "http://127.0.0.1:1/"\n'
        '[[job]]\nportal = "jl_cri"\nevery = "1h"\nargs = ["--jobdir", "j"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ScheduleError, match=r"job 1 \(jl_cri\): argument '--jobdir' is not supported"):
        load_schedule(path, known_portals=["jl_cri"])


def test_a_node_that_does_not_answer_is_one_line() -> None:
    client = NodeClient(Node("gone", f"http://127.0.0.1:{free_port()}/"), timeout=2)
    with pytest.raises(NodeDown, match="node gone does not answer"):
        client.load()


# -- two scrapyd nodes, one redis-server -------------------------------------------------------
@contextlib.contextmanager
def scrapyd_node(home: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A scrapyd on 127.0.0.1 with its folders (items_dir too) under ``home``."""
    home.mkdir(parents=True)
    port = free_port()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {home / 'eggs'}\n"
        f"logs_dir = {home / 'logs'}\nitems_dir = {home / 'items'}\ndbs_dir = {home / 'dbs'}\n"
        "poll_interval = 0.2\nmax_proc = 2\n",
        encoding="utf-8",
    )
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "share"), "PYTHONIOENCODING": "utf-8"}
    with (home / "scrapyd.out").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "scrapyd"], cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}/"
        try:
            wait_for(lambda: _answers(base) or proc.poll() is not None, 30, "scrapyd to start")
            assert proc.poll() is None, (home / "scrapyd.out").read_text(errors="replace")[-2000:]
            yield base, proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def _answers(base: str) -> bool:
    try:
        api(base, "daemonstatus.json")
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if redis_server_path() is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server); .ci/run installs it")
    root = tmp_path_factory.mktemp("nodes")
    egg = build_egg(root / "egg")
    with (
        redis_server(root / "redis") as redis_url,
        scrapyd_node(root / "node-a") as (a, proc_a),
        scrapyd_node(root / "node-b") as (b, proc_b),
    ):
        for base in (a, b):
            add_version(base, egg, "r1")
        yield {"root": root, "redis": redis_url, "nodes": {"a": (a, proc_a), "b": (b, proc_b)}}


def write_schedule(path: Path, nodes: dict[str, str], jobs: list[str], args: list[str]) -> None:
    text = f'[defaults]\noutput_dir = "out"\nargs = {json.dumps(args)}\n'
    for name, url in nodes.items():
        text += f'[[node]]\nname = "{name}"\nurl = "{url}"\n'
    path.write_text(text + "".join(jobs), encoding="utf-8")


@pytest.mark.e2e
def test_four_mirrors_on_two_nodes_export_every_article_once(cluster: dict[str, Any], tmp_path: Path) -> None:
    titles = {label: make_mirror(tmp_path / f"gen_{label}", label, 6) for label in ("A", "B", "C", "D")}
    jobs = [
        f'[[job]]\nname = "gen_{label}"\nportal = "jl_cri"\nevery = "3s"\nmirror = "gen_{label}"\n'
        for label in titles
    ]
    store = f"{cluster['redis']}?prefix=nodes-{uuid.uuid4().hex[:8]}"
    nodes = {name: base for name, (base, _) in cluster["nodes"].items()}
    write_schedule(tmp_path / "s.toml", nodes, jobs, ["--store", store])
    proc = start_schedule(tmp_path / "s.toml", "--max-runs", "8")
    try:
        _, err = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-3000:]
    runs = read_jsonl(tmp_path / "out" / "runs.jsonl")
    assert len(runs) == 8 and all(r["status"] == "ok" for r in runs), json.dumps(runs, indent=1)[-3000:]
    assert {r["node"] for r in runs} == {"a", "b"}, [r["node"] for r in runs]  # spread over both
    records = [rec for r in runs if r["output"] for rec in read_jsonl(Path(r["output"]))]
    exported = Counter(rec["title"] for rec in records)
    assert exported == Counter(t for ts in titles.values() for t in ts)  # each article once in all
    first_runs = {}
    for r in runs:
        first_runs.setdefault(r["job"], r)
    assert all(r["articles_exported"] == 6 for r in first_runs.values())
    assert sum(r["articles_exported"] for r in runs) == 24  # later slots: nothing new
    assert all(
        Path(r["log"]).is_file() and "newscrawler summary:" in Path(r["log"]).read_text() for r in runs
    )


@pytest.mark.e2e
def test_a_run_whose_node_dies_is_retried_on_the_other(tmp_path: Path) -> None:
    titles = make_mirror(tmp_path / "slow", "S", 8, delay=0.4)
    egg = build_egg(tmp_path / "egg")
    with scrapyd_node(tmp_path / "x") as (x, proc_x), scrapyd_node(tmp_path / "y") as (y, proc_y):
        for base in (x, y):
            add_version(base, egg, "r1")
        job = '[[job]]\nname = "slow"\nportal = "jl_cri"\nevery = "1h"\nmirror = "slow"\n'
        write_schedule(tmp_path / "s.toml", {"x": x, "y": y}, [job], ["-s", "CONCURRENT_REQUESTS=1"])
        proc = start_schedule(tmp_path / "s.toml", "--once")
        try:
            lines: list[str] = []
            assert proc.stderr is not None
            while not any("started on node" in ln for ln in lines):
                line = proc.stderr.readline()
                assert line, "".join(lines)
                lines.append(line)
            first = "x" if "started on node x" in lines[-1] else "y"
            time.sleep(2.0)  # the crawl is under way on that node
            victim = proc_x if first == "x" else proc_y
            os.killpg(victim.pid, signal.SIGKILL)
            _, err = proc.communicate(timeout=180)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, "".join(lines) + err[-3000:]
    [run] = read_jsonl(tmp_path / "out" / "runs.jsonl")
    other = "y" if first == "x" else "x"
    assert run["status"] == "ok" and run["nodes"] == [first, other] and run["node"] == other, run
    assert sorted(rec["title"] for rec in read_jsonl(Path(run["output"]))) == sorted(titles)
    assert "dispatched again on node" in err
