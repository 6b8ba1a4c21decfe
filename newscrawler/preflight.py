"""What ``newscrawler crawl`` checks before the crawl starts, so that a mistake is one line and
nothing is written half: the start URL, the output file, the job folder, the mirror, the
seen-store and, for a live crawl, that the portal's host answers at all.

Each check raises :class:`~newscrawler.errors.UserError` (a mistake in what was asked: exit 2)
or :class:`~newscrawler.errors.RunError` (something needed is not there: exit 1).
"""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from newscrawler.errors import RunError, UserError

__all__ = [
    "REACH_TIMEOUT",
    "check_jobdir",
    "check_mirror",
    "check_output",
    "check_reachable",
    "check_store",
    "check_url",
]

#: Seconds to wait for the portal's host to accept a connection before the crawl: long enough
#: for a slow, far server; a host that takes longer would time the crawl's pages out anyway.
REACH_TIMEOUT = 10.0


def check_url(url: str) -> None:
    """An http(s) URL with a host (``http://`` and ``http://[::1/`` are not)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 (raises for a port that is not a number)
    except ValueError as exc:
        raise UserError(f"--url {url!r} is not a valid URL ({exc}); give the portal's home page") from None
    if parts.scheme not in ("http", "https"):
        raise UserError(f"--url {url!r} is not an http(s) URL; give the portal's home page")
    if not host:
        raise UserError(
            f"--url {url!r} has no host name; give the portal's home page, e.g. http://www.example.cn/"
        )


def check_output(path: str, overwrite: bool) -> bool:
    """That the feed file can be written, without writing it; whether it existed before."""
    if not path:
        raise UserError("the output file name is empty: give one such as -O out.jsonl")
    target = Path(path)
    if target.is_dir():
        raise UserError(f"cannot write {path}: it is a directory; give a file name such as out.jsonl")
    if not target.parent.is_dir():
        what = "is not a directory" if target.parent.exists() else "does not exist"
        raise UserError(f"cannot write {path}: directory {target.parent} {what}")
    existed = target.exists()
    try:
        if existed:
            with open(target, "ab"):  # (appending nothing changes nothing)
                pass
        else:
            with open(target, "xb"):
                pass
            target.unlink()
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror}") from None
    return existed


def _first_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_jobdir(path: str) -> None:
    """That the job folder is (or can be made) a folder the crawl can write its state to."""
    target = Path(path).expanduser()
    if target.exists() and not target.is_dir():
        raise UserError(f"--jobdir {path}: it is a file; give a folder for the crawl's state")
    base = _first_existing(target.absolute())
    if not base.is_dir():
        raise UserError(f"--jobdir {path}: {base} is a file, not a folder")
    made: list[Path] = []
    try:
        for parent in reversed([target, *target.parents]):
            if not parent.exists():
                parent.mkdir()
                made.append(parent)
        with tempfile.TemporaryFile(dir=target):
            pass
    except OSError as exc:
        raise UserError(f"--jobdir {path}: cannot write there ({exc.strerror})") from None
    finally:
        for folder in reversed(made):  # leave nothing behind: the crawl makes it again
            with contextlib.suppress(OSError):
                folder.rmdir()


def check_mirror(path: str) -> None:
    """That the mirror folder loads (mirror.json well-formed, every file inside the folder)."""
    from newscrawler.mirror.server import Mirror, MirrorError

    try:
        Mirror(path)
    except MirrorError as exc:
        raise UserError(str(exc)) from None


def _store_errors() -> tuple[type[Exception], ...]:
    """The store's own one-line exception, where the store code has one (``StoreError``)."""
    from newscrawler.dedupe import store

    error = getattr(store, "StoreError", None)
    return (error,) if isinstance(error, type) and issubclass(error, Exception) else ()


def check_store(spec: str, *, given_as: str = "--store") -> None:
    """Open and close the seen-store ``spec`` (as ``newscrawler.seen.store_spec`` gives it)."""
    from newscrawler.seen import open_store

    if spec == ":memory:":
        return
    if spec.startswith(("redis://", "rediss://", "unix://")):
        _check_redis_store(spec, given_as)
        return
    target = Path(spec).expanduser()
    if target.is_dir():
        raise UserError(
            f"{given_as} {spec} is a folder; give a database file such as {target / 'seen.sqlite3'}"
        )
    base = _first_existing(target.parent.absolute())
    if not base.is_dir():
        raise UserError(f"{given_as} {spec}: {base} is a file, not a folder")
    hint = "; set XDG_DATA_HOME or pass --store PATH (or :memory:)" if given_as == "the default store" else ""
    try:
        open_store(spec).close()
    except _store_errors() as exc:
        problem = _folder_problem(target.parent) if isinstance(exc.__cause__, sqlite3.Error) else None
        raise UserError(f"{exc}{f' ({problem})' if problem else ''}{hint}") from None
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if isinstance(exc, sqlite3.Error):  # SQLite says only "unable to open": ask the folder why
            reason = _folder_problem(target.parent) or reason
        raise UserError(f"cannot open the seen-store {spec}: {reason}{hint}") from None
    # (a store the check created stays: another crawl may already have opened it too)


def _folder_problem(folder: Path) -> str | None:
    """Why a file cannot be made in ``folder`` (read-only, permission), or None if it can."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return None
    except OSError as exc:
        return exc.strerror or str(exc)


def _check_redis_store(spec: str, given_as: str) -> None:
    from newscrawler.seen import open_store

    try:
        import redis.exceptions
    except ImportError:
        raise UserError(
            f"{given_as} {spec}: the redis package is missing; pip install 'newscrawler[redis]'"
        ) from None
    try:
        open_store(spec).close()
    except _store_errors() as exc:  # (its message names the store)
        cause = exc.__cause__
        if isinstance(cause, ValueError):
            raise UserError(f"{given_as} {spec} is not a usable Redis URL: {cause}") from None
        raise RunError(f"{str(exc).rstrip('.')}; is redis-server running there?") from None
    except ValueError as exc:
        raise UserError(f"{given_as} {spec} is not a usable Redis URL: {exc}") from None
    except redis.exceptions.RedisError as exc:
        raise RunError(
            f"cannot use the Redis seen-store {spec}: {str(exc).rstrip('.')}; is redis-server running there?"
        ) from None


def check_reachable(url: str, timeout: float = REACH_TIMEOUT) -> None:
    """That the host of ``url`` resolves and accepts a TCP connection (unless a proxy is set for
    it: then the proxy decides)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if urllib.request.getproxies().get(parts.scheme) and not urllib.request.proxy_bypass(host):
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise RunError(
            f"cannot resolve {host} ({exc.args[-1] if exc.args else exc}): check the URL and the "
            "network, or crawl the bundled mirror with --offline"
        ) from None
    error: OSError | None = None
    for family, kind, proto, _, address in addresses:
        try:
            with socket.socket(family, kind, proto) as sock:
                sock.settimeout(timeout)
                sock.connect(address)
            return
        except OSError as exc:
            error = exc
    reason = (error.strerror or str(error)) if error else "no address"
    raise RunError(
        f"cannot connect to {host}:{port} ({reason}): check the URL and the network, or crawl the "
        "bundled mirror with --offline"
    )
