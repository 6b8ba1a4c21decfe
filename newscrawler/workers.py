"""CPU work of article pages in worker processes (``EXTRACTION_PROCESSES``).

The crawl's reactor thread is its bottleneck: extracting an article page and turning it into a
record cost more than fetching it. With ``EXTRACTION_PROCESSES = N`` (``newscrawler crawl
--workers N``) the pure, CPU-heavy parts run in a pool of N processes:

- the spider's article callbacks: :func:`newscrawler.extraction.page.extract_page`
  (decode, parse, selectors, blocks), see :func:`extract`;
- the item pipelines' clean → validate → fingerprint, in one round trip, see :func:`record_steps`.

The main process keeps Scrapy, dedupe against the seen-store, the limit, finalize and the feeds.
``0`` runs everything inline (no pool); ``"auto"`` is ``min(4, cpu_count - 1)``.

One :class:`WorkerPool` per crawler (:func:`worker_pool`), started on first use, shut down when
the spider closes. Each worker is a fresh interpreter (see :func:`_worker_command`; never a bare
``fork``: the parent runs a reactor and threads) and talks to the crawl over its own socket pair,
read and written by the asyncio loop (a ``concurrent.futures.ProcessPoolExecutor`` was measured
slower than inline: its helper threads take the GIL from the reactor thread). If a worker dies
the pages in its hands, and every later one, are processed inline; the crawl logs it once and
counts ``newscrawler/workers/broken``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
from collections.abc import Callable, Mapping
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from newscrawler import steps
from newscrawler.extraction.page import PageExtract, extract_page
from newscrawler.portals import PortalDefinition, get_portal

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: item key: the record steps already ran in a worker (the three pipelines pass the item through)
DONE = "_record_steps_done"
#: item key: (reason, message) of a :class:`newscrawler.steps.Rejected` raised in a worker
REJECTED = "_rejected"

PortalRef = str | PortalDefinition


def processes_setting(value: Any, cpu_count: int | None = None) -> int:
    """The number of worker processes an ``EXTRACTION_PROCESSES`` value means."""
    if value is None or value == "":
        return 0
    if isinstance(value, str) and value.strip().lower() == "auto":
        cpus = cpu_count if cpu_count is not None else (os.cpu_count() or 1)
        return max(0, min(4, cpus - 1))
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"EXTRACTION_PROCESSES must be an integer or 'auto', not {value!r}") from None
    if count < 0:
        raise ValueError(f"EXTRACTION_PROCESSES must be >= 0, not {count}")
    return count


def portal_ref(portal: PortalDefinition) -> PortalRef:
    """What to send a worker for ``portal``: its name when the registry knows it (the worker
    looks it up), else the definition itself (the generic portal; it pickles)."""
    try:
        if get_portal(portal.name) == portal:
            return portal.name
    except Exception:
        pass
    return portal


def _portal(ref: PortalRef | None) -> PortalDefinition | None:
    return get_portal(ref) if isinstance(ref, str) else ref


# -- what runs in a worker (module-level functions: they are pickled by name) -------------------
def extract(
    body: bytes, headers: Mapping[Any, Any] | None, url: str, portal: PortalRef | None
) -> PageExtract:
    """:func:`extract_page` with the portal given by name (or as a definition)."""
    return extract_page(body, headers, url, _portal(portal))


def record_steps(item: dict[str, Any]) -> dict[str, Any]:
    """clean → validate → fingerprint of a raw item. The result is marked :data:`DONE`; a
    rejection comes back as a value (:data:`REJECTED`, on the cleaned item), so that
    ``ValidatePipeline`` drops it in the main process exactly as it does inline."""
    data = steps.clean(item)
    data[DONE] = True
    try:
        steps.validate(data)
    except steps.Rejected as exc:
        data[REJECTED] = (exc.reason, str(exc))
        return data
    return steps.fingerprint(data)


# -- the worker process ---------------------------------------------------------------------------
_HEADER = struct.Struct("!I")


def _serve(sock: socket.socket) -> None:
    """A worker: read ``(task id, function, args)`` frames from ``sock``, answer each with
    ``(task id, ok, result or exception)``, until the parent closes the socket."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the crawl; the crawl stops us
    # the reactor thread is the crawl's bottleneck and a worker has slack: on a busy machine, let
    # the reactor have the core (measured: ~+9% pages/s on 2 cores with the mirror server)
    with contextlib.suppress(OSError):
        os.nice(5)
    import newscrawler.extraction.generic  # noqa: F401  (imported before the first page arrives)

    with sock, sock.makefile("rb") as stream:
        while True:
            header = stream.read(_HEADER.size)
            if len(header) < _HEADER.size:
                return
            task_id, fn, args = pickle.loads(stream.read(_HEADER.unpack(header)[0]))
            try:
                answer = (task_id, True, fn(*args))
            except Exception as exc:  # sent back: the caller handles it as if it ran inline
                answer = (task_id, False, _portable(exc))
            try:
                payload = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
            except Exception as exc:
                payload = pickle.dumps((task_id, False, RuntimeError(f"unpicklable result: {exc!r}")))
            sock.sendall(_HEADER.pack(len(payload)) + payload)


def _serve_fd(fd: int) -> None:
    """The worker process's entry point (see :func:`_worker_command`)."""
    _serve(socket.socket(fileno=fd))


def _worker_command(fd: int) -> list[str]:
    """A fresh interpreter serving the socket inherited as ``fd``: a spawn, never a bare fork of
    the crawl (it runs a reactor and threads), and unlike ``multiprocessing``'s spawn/forkserver
    it does not re-import the crawl's ``__main__`` (a script that imports Scrapy, or ``<stdin>``)."""
    return [sys.executable, "-c", f"from newscrawler.workers import _serve_fd; _serve_fd({fd})"]


def _portable(exc: Exception) -> Exception:
    """``exc`` if it survives pickling (not every exception class does), else a RuntimeError."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


# -- the pool -----------------------------------------------------------------------------------
class _Worker:
    """One worker process and the parent's end of its socket (asyncio streams: the reactor
    thread never blocks on it, and no helper thread competes with it for the GIL)."""

    def __init__(
        self,
        process: subprocess.Popen[bytes],
        sock: socket.socket,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.process = process
        self.sock = sock
        self.reader = reader
        self.writer = writer
        self.pending: dict[int, asyncio.Future[Any]] = {}
        self.listener: asyncio.Task[None] | None = None


class WorkerPool:
    """A lazily started pool of worker processes; :meth:`run` awaits ``fn(*args)`` in the least
    busy worker, or runs it inline when the pool is off or broken."""

    def __init__(self, processes: int, stats: Any = None) -> None:
        self.processes = processes
        self.stats = stats
        self._workers: list[_Worker] | None = None
        self._broken = False
        self._closed = False
        self._next_id = 0

    @property
    def enabled(self) -> bool:
        return self.processes > 0 and not self._broken and not self._closed

    async def _start(self) -> list[_Worker]:
        # the workers import newscrawler from where this process does
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p or os.getcwd() for p in sys.path)}
        workers = []
        for _ in range(self.processes):
            parent, child = socket.socketpair()
            with child:
                process = subprocess.Popen(
                    _worker_command(child.fileno()),
                    pass_fds=(child.fileno(),),
                    env=env,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,  # Ctrl-C stops the crawl; the crawl stops its workers
                )
            reader, writer = await asyncio.open_connection(sock=parent, limit=2**26)
            worker = _Worker(process, parent, reader, writer)
            worker.listener = asyncio.ensure_future(self._listen(worker))
            workers.append(worker)
        logger.info("started %d extraction worker process(es)", self.processes)
        return workers

    async def _listen(self, worker: _Worker) -> None:
        """Hand each answer of ``worker`` to its caller; a closed socket means the worker died."""
        try:
            while True:
                header = await worker.reader.readexactly(_HEADER.size)
                payload = await worker.reader.readexactly(_HEADER.unpack(header)[0])
                task_id, ok, value = pickle.loads(payload)
                future = worker.pending.pop(task_id, None)
                if future is None or future.done():
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)
        except asyncio.CancelledError:
            raise
        except Exception:  # EOF: the worker died; or an answer that cannot be read
            if self._workers is not None:
                self._on_broken(worker)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self.enabled:
            if self._workers is None:
                self._workers = []  # started once, even with callers waiting for the start
                self._workers = await self._start()
            if self._workers:
                worker = min(self._workers, key=lambda w: len(w.pending))
                self._next_id += 1
                future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
                worker.pending[self._next_id] = future
                payload = pickle.dumps((self._next_id, fn, args), pickle.HIGHEST_PROTOCOL)
                worker.writer.write(_HEADER.pack(len(payload)) + payload)
                try:
                    return await future
                except BrokenProcessPool:
                    pass
        return fn(*args)

    def _on_broken(self, dead: _Worker) -> None:
        """A worker died: every page in its hands (and, from now on, every page) goes inline."""
        first = not self._broken
        self._broken = True
        for worker in self._workers or []:
            for future in worker.pending.values():
                if not future.done():
                    future.set_exception(BrokenProcessPool("worker process died"))
            worker.pending.clear()
        self.shutdown()
        if first:
            logger.error(
                "an extraction worker process died (exit code %s): processing pages inline from now on",
                dead.process.returncode,
            )
            if self.stats is not None:
                self.stats.inc_value("newscrawler/workers/broken")

    def shutdown(self) -> None:
        """Stop the workers: each exits when its socket closes (terminated if it does not)."""
        workers, self._workers = self._workers, None
        for worker in workers or []:
            if worker.listener is not None and worker.listener is not asyncio.current_task():
                worker.listener.cancel()
            # EOF for the worker now (the transport closes the socket on the next loop turn)
            with contextlib.suppress(OSError):
                worker.sock.shutdown(socket.SHUT_RDWR)
            worker.writer.close()
        for worker in workers or []:
            try:
                worker.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()

    def spider_closed(self, spider: Any = None) -> None:
        self._closed = True
        self.shutdown()


_ATTR = "_newscrawler_worker_pool"


def worker_pool(crawler: Any) -> WorkerPool:
    """The crawler's pool (created once; started on first use, shut down with the spider)."""
    pool: WorkerPool | None = getattr(crawler, _ATTR, None)
    if pool is None:
        from scrapy import signals

        pool = WorkerPool(processes_setting(crawler.settings.get("EXTRACTION_PROCESSES")), crawler.stats)
        setattr(crawler, _ATTR, pool)
        # the crawler references the pool, so the weakly held receiver stays alive
        crawler.signals.connect(pool.spider_closed, signal=signals.spider_closed)
    return pool
