"""Helpers for tests and benchmarks: a throw-away ``redis-server`` on 127.0.0.1.

>>> with redis_server(tmp_path) as url:   # doctest: +SKIP
...     store = open_store(url)
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["free_port", "redis_server", "redis_server_path"]


def redis_server_path() -> str | None:
    """Path of the ``redis-server`` executable, or None when it is not installed."""
    return shutil.which("redis-server")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def redis_server(directory: str | Path, *, timeout: float = 10.0) -> Iterator[str]:
    """Start ``redis-server`` on 127.0.0.1 (free port, no persistence, data in ``directory``).

    Yields its URL (``redis://127.0.0.1:PORT/0``) and stops the server on exit.
    Raises ``FileNotFoundError`` if ``redis-server`` is not installed.
    """
    exe = redis_server_path()
    if exe is None:
        raise FileNotFoundError("redis-server is not installed (apt-get install redis-server)")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    args = [exe, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(directory)]
    args += ["--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes"]
    log = (directory / "redis.log").open("wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=directory)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"redis-server exited early, see {directory / 'redis.log'}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"redis-server did not answer on port {port} within {timeout}s")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
