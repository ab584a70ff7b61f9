"""`dataflow-server`: configuration from the environment, then serve until SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import sys

from .config import ConfigError, Settings

__all__ = ["main"]


def main() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"dataflow-server: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    from .server import serve_forever

    try:
        asyncio.run(serve_forever(settings))
    except OSError as exc:
        print(f"dataflow-server: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
