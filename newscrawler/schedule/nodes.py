"""Runs on scrapyd nodes: a schedule file's ``[[node]]`` entries.

With nodes, the scheduler starts no crawl process of its own: each run goes to the least busy
node (fewest running + pending jobs in ``daemonstatus.json``) through ``schedule.json``, is
polled in ``listjobs.json``, and when it has finished its items and log are fetched from the
node (``items_url``, ``log_url``) into the same places a local run writes them, its summary is
read from the log, and the same ``runs.jsonl`` line is written (with ``node``). A node that does
not answer is skipped; a run whose node stops answering is dispatched again on another node.
The no-overlap rule holds across nodes: the scheduler is the one dispatcher.

:class:`RemoteRun` behaves like the ``subprocess.Popen`` of a local run (``poll``,
``send_signal``, ``pid``), so the scheduler's process handling (slots, signals, kill grace)
is the same for both. Every node needs the project's egg (``scrapyd-deploy``) and ``items_dir``
set in its scrapyd.conf (the items are read from it); nodes share the Redis seen-store.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import signal
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newscrawler.schedule.timing import ScheduleError

logger = logging.getLogger("newscrawler.schedule")

#: Seconds between two ``listjobs.json`` calls for one run: a crawl lasts seconds to hours.
POLL_EVERY = 0.5
#: A node that fails this many calls in a row for a run is down: the run goes to another node.
DOWN_AFTER = 3
#: Seconds a node has to answer one API call (they are small; a slow answer is a sick node).
CALL_TIMEOUT = 10.0
#: The summary line :class:`newscrawler.extensions.CrawlSummary` logs, read back from a node's log.
SUMMARY_LINE = re.compile(r"newscrawler summary: (\{.*\})\s*$")
#: Finish reasons of a crawl that did its job (as ``newscrawler crawl`` exits 0 for them).
_SIGNALS = {signal.SIGINT: "INT", signal.SIGTERM: "TERM", signal.SIGKILL: "KILL"}
_NODE_KEYS = {"url", "name", "project", "username", "password"}


class NodeDown(Exception):
    """A node that cannot be reached or refuses a call; the message is one line."""


@dataclass(frozen=True)
class Node:
    """One ``[[node]]``: a scrapyd's base URL, the project's name there, optional basic auth."""

    name: str
    url: str
    project: str = "newscrawler"
    username: str | None = None
    password: str | None = None


def parse_node(raw: Any, number: int) -> Node:
    """A checked ``[[node]]`` table; raises :class:`ScheduleError` (one line)."""
    where = f"node {number}"
    if not isinstance(raw, dict):
        raise ScheduleError(f"{where}: must be a table ([[node]])")
    unknown = sorted(set(raw) - _NODE_KEYS)
    if unknown:
        raise ScheduleError(
            f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_NODE_KEYS))})"
        )
    url = raw.get("url")
    if not isinstance(url, str):
        url = ""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ScheduleError(
            f'{where}: url = "http://HOST:6800/" (a scrapyd) is missing or not an http(s) URL'
        )
    for key in ("name", "project", "username", "password"):
        if key in raw and (not isinstance(raw[key], str) or not raw[key]):
            raise ScheduleError(f"{where}: {key} must be a non-empty string")
    if ("username" in raw) != ("password" in raw):
        raise ScheduleError(f"{where}: give both username and password (basic auth), or neither")
    return Node(
        name=raw.get("name", parts.netloc),
        url=url.rstrip("/") + "/",
        project=raw.get("project", "newscrawler"),
        username=raw.get("username"),
        password=raw.get("password"),
    )


# -- the arguments of a run, as scrapyd settings -----------------------------------------------
def remote_settings(args: Sequence[str], mirror: Path | None, offline: bool) -> dict[str, str]:
    """The Scrapy settings a node's crawl gets for ``newscrawler crawl`` arguments ``args``.
    Supported: ``-s/--set NAME=VALUE``, ``--store``, ``--full``, ``--max-pages``,
    ``--max-articles``, ``--log-level`` (DEBUG or INFO: the summary is read from the log) and a
    job's ``mirror``; anything else raises :class:`ScheduleError`."""
    if offline:
        raise ScheduleError(
            'offline = true is not for scrapyd nodes: give mirror = "DIR" (a path the nodes see)'
        )
    settings: dict[str, str] = {"LOG_LEVEL": "INFO"}
    if mirror is not None:
        settings.update(
            MIRROR_DIR=str(mirror.resolve()),
            DOWNLOAD_DELAY="0",
            AUTOTHROTTLE_ENABLED="False",
            CONCURRENT_REQUESTS_PER_DOMAIN="16",
            DEDUPE_STORE=":memory:",
        )
    options = {"--store": "DEDUPE_STORE", "--max-pages": "MAX_PAGES", "--max-articles": "MAX_ARTICLES"}
    items = list(args)
    while items:
        arg = items.pop(0)
        if arg == "--full":
            settings["FULL_RECRAWL"] = "True"
            continue
        if arg not in ("-s", "--set", "--log-level", *options):
            raise ScheduleError(f"argument {arg!r} is not supported on scrapyd nodes (use -s NAME=VALUE)")
        if not items:
            raise ScheduleError(f"argument {arg} needs a value")
        value = items.pop(0)
        if arg in options:
            settings[options[arg]] = value
        elif arg == "--log-level":
            settings["LOG_LEVEL"] = "DEBUG" if value.upper() == "DEBUG" else "INFO"
        else:
            name, sep, setting = value.partition("=")
            if not sep or not name.strip():
                raise ScheduleError(f"bad -s {value!r}: use -s NAME=VALUE")
            settings[name.strip()] = setting
    return settings


# -- the scrapyd API ---------------------------------------------------------------------------
class NodeClient:
    """Calls to one node's scrapyd JSON API (no proxy from the environment: nodes are direct)."""

    def __init__(self, node: Node, timeout: float = CALL_TIMEOUT) -> None:
        self.node = node
        self.timeout = timeout
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self._headers: dict[str, str] = {}
        if node.username is not None:
            token = base64.b64encode(f"{node.username}:{node.password}".encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"

    def fetch(self, url: str, data: bytes | None = None) -> bytes:
        request = urllib.request.Request(
            urllib.parse.urljoin(self.node.url, url), data=data, headers=self._headers
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                body: bytes = response.read()
                return body
        except urllib.error.HTTPError as exc:
            raise NodeDown(f"node {self.node.name}: HTTP {exc.code} for {url}") from None
        except (OSError, ValueError) as exc:  # (URLError, refused, reset, timeout)
            reason = getattr(exc, "reason", exc)
            raise NodeDown(f"node {self.node.name} does not answer: {reason}") from None

    def call(self, path: str, params: Sequence[tuple[str, str]] = (), post: bool = False) -> dict[str, Any]:
        query = urllib.parse.urlencode(list(params))
        if post:
            body = self.fetch(path, data=query.encode())
        else:
            body = self.fetch(f"{path}?{query}" if query else path)
        try:
            result: dict[str, Any] = json.loads(body)
        except ValueError:
            raise NodeDown(f"node {self.node.name}: {path} did not answer JSON") from None
        if result.get("status") != "ok":
            raise NodeDown(f"node {self.node.name}: {path}: {result.get('message', result)}")
        return result

    def load(self) -> int:
        status = self.call("daemonstatus.json")
        return int(status.get("running", 0)) + int(status.get("pending", 0))

    def schedule(self, spider: str, settings: dict[str, str], jobid: str) -> None:
        params = [("project", self.node.project), ("spider", spider), ("jobid", jobid)]
        params += [("setting", f"{name}={value}") for name, value in settings.items()]
        self.call("schedule.json", params, post=True)

    def job(self, jobid: str) -> tuple[str, dict[str, Any]] | None:
        """(state, entry) of a job in listjobs.json: pending, running or finished; None if unknown."""
        jobs = self.call("listjobs.json", [("project", self.node.project)])
        for state in ("pending", "running", "finished"):
            for entry in jobs.get(state, []):
                if entry.get("id") == jobid:
                    return state, entry
        return None

    def cancel(self, jobid: str, signal_name: str) -> None:
        self.call(
            "cancel.json",
            [("project", self.node.project), ("job", jobid), ("signal", signal_name)],
            post=True,
        )


class NodePool:
    """The schedule's nodes; :meth:`dispatch` sends a run to the least busy one that answers."""

    def __init__(self, nodes: Sequence[Node]) -> None:
        self.clients = [NodeClient(node) for node in nodes]

    def dispatch(
        self, spider: str, settings: dict[str, str], jobid: str, exclude: Sequence[str] = ()
    ) -> NodeClient:
        loads: list[tuple[int, int, NodeClient]] = []
        problems: list[str] = []
        for index, client in enumerate(self.clients):
            if client.node.name in exclude:
                continue
            try:
                loads.append((client.load(), index, client))
            except NodeDown as exc:
                problems.append(str(exc))
        for _, _, client in sorted(loads, key=lambda item: item[:2]):
            try:
                client.schedule(spider, settings, jobid)
                return client
            except NodeDown as exc:
                problems.append(str(exc))
        raise NodeDown("no node took the run: " + ("; ".join(problems) or "no other node"))


class RemoteRun:
    """One run on a node, with the ``Popen`` interface the scheduler uses. When the job has
    finished on its node, the items go to ``part``, the log to ``log_path`` and the summary
    (from the log) to ``summary_file``; the exit code is 0 when the crawl fetched pages."""

    pid = 0

    def __init__(
        self,
        pool: NodePool,
        spider: str,
        settings: dict[str, str],
        jobid: str,
        part: Path,
        log_path: Path,
        summary_file: Path,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.pool, self.spider, self.settings, self.jobid = pool, spider, settings, jobid
        self.part, self.log_path, self.summary_file = part, log_path, summary_file
        self.clock = clock
        self.nodes: list[str] = []
        self.returncode: int | None = None
        self._failures = 0
        self._next_poll = 0.0
        self._cancelled = False
        self._start(exclude=())

    @property
    def node(self) -> NodeClient:
        return self._client

    def _start(self, exclude: Sequence[str]) -> None:
        jobid = self.jobid if not self.nodes else f"{self.jobid}-{len(self.nodes) + 1}"
        self._client = self.pool.dispatch(self.spider, self.settings, jobid, exclude=exclude)
        self._job = jobid
        self.nodes.append(self._client.node.name)
        self._failures = 0

    def poll(self) -> int | None:
        if self.returncode is not None or self.clock() < self._next_poll:
            return self.returncode
        self._next_poll = self.clock() + POLL_EVERY
        try:
            found = self._client.job(self._job)
        except NodeDown as exc:
            self._failures += 1
            if self._failures >= DOWN_AFTER:
                self._node_lost(str(exc))
            return self.returncode
        self._failures = 0
        if found is None:  # (a node restarted without its job)
            self._node_lost(f"node {self._client.node.name} no longer knows job {self._job}")
        elif found[0] == "finished":
            self.returncode = self._collect(found[1])
        return self.returncode

    def _node_lost(self, why: str) -> None:
        if self._cancelled:
            self._note(f"{why}; the run was being stopped: not dispatched again")
            self.returncode = 1
            return
        try:
            lost = self._client.node.name
            self._start(exclude=self.nodes)
        except NodeDown as exc:
            self._note(f"{why}; {exc}")
            self.returncode = 1
            return
        logger.warning("%s: run dispatched again on node %s (job %s)", why, self._client.node.name, self._job)
        self._note(f"{why}; lost on {lost}, dispatched again on {self._client.node.name}")

    def _note(self, line: str) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("a", encoding="utf-8") as log:
            log.write(f"error: {line}\n")

    def _collect(self, entry: dict[str, Any]) -> int:
        try:
            log = self._client.fetch(
                entry.get("log_url") or f"logs/{self._client.node.project}/{self.spider}/{self._job}.log"
            )
        except NodeDown as exc:
            self._note(f"cannot read the run's log: {exc}")
            log = b""
        with self.log_path.open("ab") as out:
            out.write(log)
        items_url = entry.get("items_url")
        if items_url:
            try:
                self.part.write_bytes(self._client.fetch(items_url))
            except NodeDown as exc:
                self._note(f"cannot read the run's items: {exc}")
        summary = None
        for line in reversed(log.decode("utf-8", "replace").splitlines()):
            match = SUMMARY_LINE.search(line)
            if match:
                summary = json.loads(match.group(1))
                break
        if summary is None:
            self._note(
                f"no summary in the log of job {self._job} on {self._client.node.name}: the crawl failed"
            )
            return 1
        summary["node"] = self._client.node.name
        self.summary_file.write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
        return 0 if summary.get("pages_fetched") else 1

    def send_signal(self, signum: int) -> None:
        self._cancelled = True
        try:
            self._client.cancel(self._job, _SIGNALS.get(signal.Signals(signum), "TERM"))
        except NodeDown as exc:
            logger.warning("cannot stop job %s: %s", self._job, exc)
