"""Throughput of a 4-job schedule on one scrapyd node vs two, side by side in one run.

    python benchmarks/bench_nodes.py [--articles 300] [--repeat 2]

Generates four CRI-layout mirrors of N articles (benchmarks/make_mirror.py, different seeds),
builds the project's egg, starts two scrapyd processes on 127.0.0.1 (``max_proc = 2`` each, as a
small machine would run) and deploys the egg to both. Then, alternating, runs
``newscrawler schedule --once`` over the four jobs with one ``[[node]]`` and with two, and prints
the wall time and articles per second of each (medians of --repeat). Every crawl fetches from
the scheduler's machine (the mirrors): this measures dispatch and parallelism, not a network.
Not a test: figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import make_mirror  # noqa: E402

LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_egg(tmp: Path) -> Path:
    """The project's egg, as scrapyd-deploy builds it, from a copy of the sources."""
    src = tmp / "src"
    shutil.copytree(REPO / "newscrawler", src / "newscrawler", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("README.md", "scrapy.cfg", "pyproject.toml"):
        shutil.copy2(REPO / name, src / name)
    cmd = [
        sys.executable,
        "-c",
        "from setuptools import setup; setup()",
        "-q",
        "bdist_egg",
        "--dist-dir",
        "dist",
    ]
    subprocess.run(cmd, cwd=src, capture_output=True, check=True)
    return next((src / "dist").glob("*.egg"))


def start_scrapyd(home: Path) -> tuple[str, subprocess.Popen[bytes]]:
    home.mkdir(parents=True)
    port = free_port()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {home / 'eggs'}\n"
        f"logs_dir = {home / 'logs'}\nitems_dir = {home / 'items'}\ndbs_dir = {home / 'dbs'}\n"
        "poll_interval = 0.2\nmax_proc = 2\n",
        encoding="utf-8",
    )
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "share")}
    log = (home / "scrapyd.out").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "scrapyd"], cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while True:
        try:
            LOOPBACK.open(base + "daemonstatus.json", timeout=2).read()
            return base, proc
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit(f"scrapyd did not start; see {home / 'scrapyd.out'}") from None
            time.sleep(0.1)


def deploy(base: str, egg: Path) -> None:
    boundary = uuid.uuid4().hex
    fields = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in (("project", "newscrawler"), ("version", "bench"))
    )
    body = (
        fields
        + f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; '.encode()
        + f'filename="{egg.name}"\r\n\r\n'.encode()
        + egg.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        base + "addversion.json",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    result = json.loads(LOOPBACK.open(request, timeout=60).read())
    if result.get("status") != "ok":
        raise SystemExit(f"deploy failed: {result}")


def run_schedule(folder: Path, nodes: list[str], mirrors: list[Path]) -> tuple[float, int]:
    """Wall seconds and articles exported of one ``schedule --once`` over the four jobs."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    text = '[defaults]\noutput_dir = "out"\n'
    text += "".join(f'[[node]]\nname = "n{i}"\nurl = "{url}"\n' for i, url in enumerate(nodes))
    text += "".join(
        f'[[job]]\nname = "m{i}"\nportal = "jl_cri"\nevery = "1h"\nmirror = "{m}"\n'
        for i, m in enumerate(mirrors)
    )
    (folder / "s.toml").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "newscrawler",
            "schedule",
            str(folder / "s.toml"),
            "--once",
            "--log-level",
            "WARNING",
        ],
        check=True,
        cwd=folder,
    )
    wall = time.perf_counter() - start
    runs = [
        json.loads(line) for line in (folder / "out" / "runs.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    if any(r["status"] != "ok" for r in runs):
        raise SystemExit(f"a run failed: {runs}")
    return wall, sum(r["articles_exported"] or 0 for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="articles per mirror (default 300)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each layout (median printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-nodes-") as tmp_name:
        tmp = Path(tmp_name)
        mirrors = []
        for seed in range(1, 5):
            make_mirror.generate(args.articles, tmp / f"mirror{seed}", seed=seed)
            mirrors.append(tmp / f"mirror{seed}")
        egg = build_egg(tmp / "egg")
        nodes = [start_scrapyd(tmp / f"node{i}") for i in range(2)]
        try:
            for base, _ in nodes:
                deploy(base, egg)
            urls = [base for base, _ in nodes]
            figures: dict[str, list[tuple[float, int]]] = {"1 node": [], "2 nodes": []}
            for _ in range(args.repeat):
                figures["1 node"].append(run_schedule(tmp / "one", urls[:1], mirrors))
                figures["2 nodes"].append(run_schedule(tmp / "two", urls, mirrors))
        finally:
            for _, proc in nodes:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
    print(f"4 jobs x {args.articles} articles, scrapyd max_proc = 2 per node, medians of {args.repeat}")
    base_wall = statistics.median(w for w, _ in figures["1 node"])
    for layout, runs in figures.items():
        wall = statistics.median(w for w, _ in runs)
        articles = runs[0][1]
        print(f"{layout:>8}: {wall:6.1f} s wall, {articles / wall:6.1f} articles/s ({base_wall / wall:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
