"""`dataflow-server keys create|list|revoke`: API keys, managed on the database directly.

The server need not run: these commands open its database (SQLite in the
data dir, or DATAFLOW_DATABASE_URL) like the server does. `create` prints the
new key once, on the last line of its output (stdout; the rest goes to
stderr), so `KEY=$(dataflow-server keys create --tenant acme)` captures it.
A running server sees a new key at once and a revocation within
DATAFLOW_KEY_CACHE_SECONDS.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .admin import ServerDataError, locate_server_data
from .app.api_keys import issue_key, revoke_key
from .config import Settings
from .domain.api_keys import ApiKeyRecord
from .domain.errors import DomainError, InvalidArgument
from .store.api_keys import ApiKeyStore
from .store.database import default_sqlite_url, open_store
from .store.errors import StoreError
from .store.sql import SqlStore

__all__ = ["add_keys_commands", "run_keys_command"]

_OPTION = {"tenant": "--tenant", "scope": "--scope", "name": "--name", "id": "ID"}
_OPTION |= {"expires": "--expires", "rate_limit": "--rate-limit"}


class KeysCommandError(Exception):
    """A refusal to print (one line) with its exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def add_keys_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    keys = commands.add_parser(
        "keys", parents=[common], help="create, list and revoke API keys (DATAFLOW_AUTH)"
    )
    actions = keys.add_subparsers(dest="keys_command", required=True)
    create = actions.add_parser(
        "create", parents=[common], help="create a key; prints it once, on the last line"
    )
    create.add_argument("--tenant", required=True, help="the tenant the key acts in")
    create.add_argument(
        "--scope",
        choices=("read", "execute", "admin"),
        default="execute",
        help="read: get/list/watch; execute: also run and cancel; admin: also define "
        "workflows (default: execute)",
    )
    create.add_argument("--expires", type=float, metavar="DAYS", help="expire after DAYS days")
    create.add_argument("--name", default="", metavar="LABEL", help="who or what uses it")
    create.add_argument(
        "--rate-limit",
        type=float,
        metavar="PER_SECOND",
        help="requests per second (default: DATAFLOW_KEY_RATE_LIMIT)",
    )
    listing = actions.add_parser("list", parents=[common], help="list keys (never the keys)")
    listing.add_argument("--tenant", help="only this tenant's keys")
    listing.add_argument("--json", action="store_true", help="one JSON document")
    revoke = actions.add_parser("revoke", parents=[common], help="revoke a key by its id")
    revoke.add_argument("id", metavar="ID", help="the key's id (key-…, from `keys list`)")


async def run_keys_command(settings: Settings, args: argparse.Namespace) -> None:
    """Run `keys …`; KeysCommandError for a refusal."""
    try:
        url, where = _database(settings, create=args.keys_command == "create")
    except ServerDataError as exc:
        raise KeysCommandError(str(exc), 2) from None
    try:
        store = await open_store(url)
    except (StoreError, DomainError) as exc:
        raise KeysCommandError(f"cannot open {where}: {exc}", 1) from None
    try:
        await _run(ApiKeyStore(store), store, args, where)
    except InvalidArgument as exc:
        problems = "; ".join(
            f"{_OPTION.get(v.field, v.field)} {v.description}" for v in exc.violations
        )
        raise KeysCommandError(problems, 2) from None
    except DomainError as exc:
        raise KeysCommandError(str(exc), 1) from None
    finally:
        await store.close()


def _database(settings: Settings, *, create: bool) -> tuple[str, str]:
    """The database URL and how to name it; `create` makes a fresh SQLite one if needed
    (keys can be made before the server's first start)."""
    if create and not settings.database_url:
        return default_sqlite_url(settings.data_dir), f"the data dir {settings.data_dir}"
    data = locate_server_data(settings)
    return data.url, data.where


async def _run(keys: ApiKeyStore, store: SqlStore, args: argparse.Namespace, where: str) -> None:
    if args.keys_command == "create":
        record, secret = await issue_key(
            keys,
            tenant=args.tenant,
            scope=args.scope,
            name=args.name,
            expires_days=args.expires,
            rate_limit=args.rate_limit,
        )
        _note(f"created API key {record.key_id} in {where}: {_summary(record)}")
        _note("the key is shown once, below; store it now (only its hash is kept)")
        sys.stderr.flush()
        print(secret, flush=True)
    elif args.keys_command == "list":
        records = await keys.list(args.tenant)
        if args.json:
            print(json.dumps([_as_json(r) for r in records], indent=2))
        else:
            _print_table(records, store.now())
    else:
        record, revoked = await revoke_key(keys, args.id)
        when = _time(record.revoked_at)
        if revoked:
            _note(f"revoked API key {record.key_id} ({_summary(record)})")
        else:
            _note(f"API key {record.key_id} was already revoked at {when}")


def _note(message: str) -> None:
    print(f"dataflow-server: {message}", file=sys.stderr)


def _summary(record: ApiKeyRecord) -> str:
    parts = [f"tenant {record.tenant_id}", f"scope {record.scope.label}"]
    if record.name:
        parts.append(f"name {record.name!r}")
    parts.append(f"expires {_time(record.expires_at) or 'never'}")
    if record.rate_limit is not None:
        parts.append(f"rate limit {record.rate_limit:g}/s")
    return ", ".join(parts)


def _time(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _as_json(record: ApiKeyRecord) -> dict[str, Any]:
    return {
        "id": record.key_id,
        "tenant": record.tenant_id,
        "name": record.name,
        "scope": record.scope.label,
        "rate_limit": record.rate_limit,
        "created_at": _time(record.created_at),
        "expires_at": _time(record.expires_at) or None,
        "last_used_at": _time(record.last_used_at) or None,
        "revoked_at": _time(record.revoked_at) or None,
    }


_COLUMNS = ("ID", "TENANT", "NAME", "SCOPE", "CREATED", "EXPIRES", "LAST USED", "REVOKED")


def _print_table(records: Sequence[ApiKeyRecord], now: datetime) -> None:
    if not records:
        _note("no API keys yet; create one with `dataflow-server keys create --tenant NAME`")
        return
    rows = [_COLUMNS] + [
        (
            r.key_id,
            r.tenant_id,
            r.name or "-",
            r.scope.label,
            _time(r.created_at),
            _time(r.expires_at) + (" (expired)" if r.expires_at and r.expires_at <= now else "")
            or "never",
            _time(r.last_used_at) or "never",
            _time(r.revoked_at) or "-",
        )
        for r in records
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
