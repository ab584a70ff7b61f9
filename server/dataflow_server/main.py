"""`dataflow-server`: serve (the default), or an admin command on the server's data.

dataflow-server                  serve until SIGTERM (configuration from DATAFLOW_*)
dataflow-server webhook-secret   print a tenant's webhook signing secret (read-only; --tenant)
dataflow-server keys create|list|revoke   manage API keys (DATAFLOW_AUTH=required)

``--data-dir DIR`` (before or after the command) overrides DATAFLOW_DATA_DIR.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, NoReturn

from .config import ConfigError, Settings
from .domain.access import DEFAULT_TENANT

__all__ = ["main"]

#: Exit code of a configuration the server cannot start with.
EXIT_CONFIG = 2


def _fail(message: str, code: int = EXIT_CONFIG) -> NoReturn:
    print(f"dataflow-server: {message}", file=sys.stderr)
    raise SystemExit(code)


def _print_webhook_secret(settings: Settings, tenant_id: str) -> None:
    from .admin import ServerDataError, read_webhook_secret

    try:
        secrets, where = asyncio.run(read_webhook_secret(settings, tenant_id))
    except ServerDataError as exc:
        _fail(str(exc))
    print(f"dataflow-server: webhook secret of {where} (tenant {tenant_id!r})", file=sys.stderr)
    if secrets.previous is not None and secrets.previous_expires_at is not None:
        print(
            "dataflow-server: a rotation window is open: the previous secret also signs until "
            f"{secrets.previous_expires_at.isoformat(timespec='seconds')} "
            "(see `dataflow webhooks secret`)",
            file=sys.stderr,
        )
    print(secrets.current)


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


def _run_keys_command(settings: Settings, args: argparse.Namespace) -> None:
    from .keys_cli import KeysCommandError, run_keys_command

    try:
        asyncio.run(run_keys_command(settings, args))
    except KeysCommandError as exc:
        _fail(f"keys {args.keys_command}: {exc}", exc.code)


def _serve(settings: Settings) -> None:
    from .auth_mode import auth_required
    from .listen import ListenError, check_listen_address
    from .tls import load_server_tls
    from .vault.keys import SecretsKeyError

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        # Before the database is touched: serving every network without keys by
        # accident (protected mode), unusable TLS files or a busy port are one line,
        # not a traceback.
        auth_required(settings)
        load_server_tls(settings)
        for address, variable in settings.listen_addresses():
            check_listen_address(address, variable)
        from .server import serve_forever

        run_loop(serve_forever(settings), settings.event_loop)
    except (ListenError, ConfigError, SecretsKeyError) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(str(exc), 1)


def main(argv: list[str] | None = None) -> None:
    data_dir_help = "the server's data dir (default: $DATAFLOW_DATA_DIR, else ./data)"
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=data_dir_help)
    parser = argparse.ArgumentParser(
        prog="dataflow-server",
        description="Dataflow workflow execution server (configured by DATAFLOW_* variables).",
    )
    parser.add_argument("--data-dir", metavar="DIR", default=None, help=data_dir_help)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", parents=[common], help="serve until SIGTERM (the default)")
    secret_command = commands.add_parser(
        "webhook-secret",
        parents=[common],
        help="print the whsec_ secret a tenant's webhook deliveries are signed with (read-only)",
    )
    secret_command.add_argument(
        "--tenant", default=DEFAULT_TENANT, help=f"the tenant (default: {DEFAULT_TENANT})"
    )
    from .keys_cli import add_keys_commands

    add_keys_commands(commands, common)
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        _fail(str(exc))
    if args.data_dir:
        settings = dataclasses.replace(settings, data_dir=Path(args.data_dir))
    if args.command == "webhook-secret":
        _print_webhook_secret(settings, args.tenant)
    elif args.command == "keys":
        _run_keys_command(settings, args)
    else:
        _serve(settings)


if __name__ == "__main__":
    main()
