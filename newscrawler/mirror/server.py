"""Serve a saved portal mirror over real HTTP on 127.0.0.1, as an HTTP proxy.

A mirror is a folder with ``mirror.json``::

    {"portal": "jl_cri",
     "entries": [{"url": "http://jl.cri.cn/", "file": "site/jl.cri.cn/index.html",
                  "status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"},
                  "fail_first": 0}]}

The crawl uses the server as its HTTP proxy, so every request and every record keeps the live
portal's URLs. A URL missing from the mirror answers 404; ``fail_first: N`` makes an entry answer
500 to its first N requests (to exercise retries); ``delay: S`` makes it answer after S seconds
(a slow server, to test stops and timeouts). Bodies are served as raw bytes, exactly as
saved: a GBK page stays GBK.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

logger = logging.getLogger(__name__)


class MirrorError(Exception):
    """A mirror folder that cannot be served (missing or malformed mirror.json)."""


@dataclass
class MirrorEntry:
    url: str
    path: Path
    status: int
    headers: dict[str, str]
    fail_first: int = 0
    delay: float = 0.0


def normalize_mirror_url(url: str) -> str:
    """The lookup key of a URL: scheme and host lowercased, no fragment, '/' for an empty path."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


class Mirror:
    """The entries of a mirror folder, loaded once; thread-safe failure counters."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        manifest = self.root / "mirror.json"
        if not manifest.is_file():
            raise MirrorError(f"{self.root} is not a mirror: {manifest} does not exist")
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except OSError as exc:
            raise MirrorError(f"cannot read {manifest}: {exc.strerror}") from None
        except ValueError as exc:  # (UnicodeDecodeError too)
            raise MirrorError(f"{manifest} is not valid JSON: {exc}") from None
        entries = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise MirrorError(f'{manifest} is not a mirror manifest: want {{"entries": [...]}}')
        portal = data.get("portal")
        self.portal: str | None = portal if isinstance(portal, str) else None
        self.entries: dict[str, MirrorEntry] = {}
        for number, raw in enumerate(entries, 1):
            entry = self._entry(raw, f"{manifest} entry {number}")
            self.entries[normalize_mirror_url(entry.url)] = entry
        self._failures: dict[str, int] = {}
        self._lock = threading.Lock()

    def _entry(self, raw: Any, where: str) -> MirrorEntry:
        """One checked entry; a file path leaving the mirror folder is refused."""
        if not isinstance(raw, dict):
            raise MirrorError(f"{where}: not an object")
        url, file = raw.get("url"), raw.get("file")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise MirrorError(f"{where}: url {url!r} is not an http(s) URL")
        where = f"{where} ({url})"
        if not isinstance(file, str) or not file:
            raise MirrorError(f"{where}: file must be a path inside the mirror folder")
        inside = os.path.normpath(file)
        if os.path.isabs(inside) or inside == ".." or inside.startswith(".." + os.sep):
            raise MirrorError(f"{where}: file {file!r} leaves the mirror folder; refused")
        headers = raw.get("headers") or {}
        if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
            raise MirrorError(f"{where}: headers must be an object of strings")
        try:
            entry = MirrorEntry(
                url=url,
                path=self.root / inside,
                status=int(raw.get("status", 200)),
                headers={str(k): v for k, v in headers.items()},
                fail_first=int(raw.get("fail_first", 0)),
                delay=float(raw.get("delay", 0.0)),
            )
        except (TypeError, ValueError) as exc:
            raise MirrorError(f"{where}: status, fail_first and delay must be numbers ({exc})") from None
        if not 100 <= entry.status <= 599 or entry.fail_first < 0 or entry.delay < 0:
            raise MirrorError(f"{where}: status must be 100-599, fail_first and delay 0 or more")
        return entry

    def respond(self, url: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for a request of ``url``."""
        key = normalize_mirror_url(url)
        entry = self.entries.get(key)
        if entry is None:
            return 404, {"Content-Type": "text/html"}, b"<html><body>404 Not Found</body></html>"
        if entry.delay > 0:
            time.sleep(entry.delay)  # one handler thread per request: others are not held up
        with self._lock:
            failed = self._failures.get(key, 0)
            if failed < entry.fail_first:
                self._failures[key] = failed + 1
                return 500, {"Content-Type": "text/html"}, b"<html><body>500 Server Error</body></html>"
        try:
            body = entry.path.read_bytes()
        except OSError:
            logger.error("mirror file missing for %s: %s", url, entry.path)
            return 404, {"Content-Type": "text/html"}, b"missing mirror file"
        return entry.status, entry.headers, body


class _Handler(BaseHTTPRequestHandler):
    server: _MirrorHTTPServer
    protocol_version = "HTTP/1.1"

    def _serve(self, send_body: bool) -> None:
        target = self.path
        if not target.startswith(("http://", "https://")):
            host = self.headers.get("Host", "")
            target = f"http://{host}{target}"
        status, headers, body = self.server.mirror.respond(target)
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in {"content-length", "transfer-encoding", "connection"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_CONNECT(self) -> None:
        self.send_error(501, "the mirror serves http:// URLs only")

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("mirror: " + format, *args)


class _MirrorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, mirror: Mirror, host: str, port: int) -> None:
        self.mirror = mirror
        super().__init__((host, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up mid-answer (a crawl cancelling a page over DOWNLOAD_MAXSIZE,
        a crawl stopped) is normal: one debug line, not socketserver's traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, (BrokenPipeError, ConnectionResetError)):
            logger.debug("mirror: client %s hung up: %s", client_address, error)
            return
        super().handle_error(request, client_address)


class MirrorServer:
    """A mirror served on 127.0.0.1 in a background thread. Use as a context manager or
    ``start()`` / ``stop()``; ``proxy_url`` is what the crawl uses as its HTTP proxy."""

    def __init__(self, root: str | Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.mirror = Mirror(root)
        self._httpd = _MirrorHTTPServer(self.mirror, host, port)
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._httpd.server_address[:2]
        return str(host), int(port)

    @property
    def proxy_url(self) -> str:
        host, port = self.address
        return f"http://{host}:{port}"

    def start(self) -> MirrorServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="mirror", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
