"""``python -m newscrawler.mirror DIR [--port N]``: serve a mirror on 127.0.0.1 until interrupted.

Point any HTTP client at it as a proxy (``curl -x http://127.0.0.1:N http://jl.cri.cn/``) or a
crawl with ``-s MIRROR_PROXY=http://127.0.0.1:N``.
"""

from __future__ import annotations

import argparse
import sys
import time

from newscrawler.mirror.server import MirrorError, MirrorServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newscrawler.mirror", description=__doc__)
    parser.add_argument("mirror", help="a mirror folder (with mirror.json)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    args = parser.parse_args(argv)
    try:
        server = MirrorServer(args.mirror, port=args.port).start()
    except (MirrorError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(server.proxy_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
