"""`dataflow-server`: serve (the default), or an admin command on the server's data.

dataflow-server                  serve until SIGTERM (configuration from DATAFLOW_*)
dataflow-server webhook-secret   print the secret webhooks are signed with
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Coroutine
from typing import Any

from .config import ConfigError, Settings

__all__ = ["main"]


async def _webhook_secret(settings: Settings) -> str:
    if settings.webhook_secret:
        return settings.webhook_secret
    from .server import WEBHOOK_SECRET_SETTING
    from .store.database import default_sqlite_url, open_store
    from .webhooks.signing import generate_secret

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = await open_store(settings.database_url or default_sqlite_url(settings.data_dir))
    try:
        # The same get-or-create the server does at start, so both agree.
        return await store.get_or_create_setting(WEBHOOK_SECRET_SETTING, generate_secret())
    finally:
        await store.close()


def run_loop(main: Coroutine[Any, Any, None], event_loop: str) -> None:
    """uvloop by default (measured faster, docs/performance.md); asyncio's own loop
    when configured or where uvloop is not installed (Windows)."""
    if event_loop == "uvloop":
        try:
            import uvloop  # imported here: `dataflow-server --help` stays fast
        except ImportError:
            pass
        else:
            uvloop.run(main)
            return
    asyncio.run(main)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="dataflow-server",
        description="Dataflow workflow execution server (configured by DATAFLOW_* variables).",
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="serve until SIGTERM (the default)")
    commands.add_parser(
        "webhook-secret", help="print the whsec_ secret that webhook deliveries are signed with"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"dataflow-server: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    if args.command == "webhook-secret":
        print(asyncio.run(_webhook_secret(settings)))
        return
    from .server import serve_forever

    try:
        run_loop(serve_forever(settings), settings.event_loop)
    except OSError as exc:
        print(f"dataflow-server: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
