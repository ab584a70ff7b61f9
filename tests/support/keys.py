"""API keys for tests: a server that requires them, and keys for a tenant and scope.

Use with the in-process `server` fixture (tests/support/servers.py):

    @pytest.mark.parametrize("server_settings", [AUTH_REQUIRED])
    async def test_x(server: DataflowServer) -> None:
        key = await issue_test_key(server, tenant="acme", scope="execute")
        stub.GetWorkflow(request, metadata=key.metadata)      # gRPC
        httpx.get(url, headers=key.headers)                    # HTTP

For a `dataflow-server` process, `cli_key(env, …)` runs `dataflow-server keys create`
on its database (the server need not run) and returns the key it printed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from dataflow_server.app.api_keys import issue_key
from dataflow_server.domain.api_keys import ApiKeyRecord
from dataflow_server.server import DataflowServer
from dataflow_server.store.api_keys import ApiKeyStore
from tests.support.servers import REPO

__all__ = [
    "AUTH_REQUIRED",
    "IssuedKey",
    "cli_key",
    "issue_test_key",
    "keys_command",
    "revoke_test_key",
]

#: `server_settings` of a server that requires API keys.
AUTH_REQUIRED: dict[str, Any] = {"auth": "required"}


@dataclass(frozen=True)
class IssuedKey:
    key: str
    record: ApiKeyRecord

    @property
    def key_id(self) -> str:
        return self.record.key_id

    @property
    def metadata(self) -> tuple[tuple[str, str], ...]:
        """gRPC call metadata carrying the key."""
        return (("authorization", f"Bearer {self.key}"),)

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers carrying the key."""
        return {"Authorization": f"Bearer {self.key}"}


async def issue_test_key(
    server: DataflowServer,
    tenant: str = "default",
    scope: str = "admin",
    *,
    name: str = "test",
    expires_days: float | None = None,
    rate_limit: float | None = None,
    expired: bool = False,
) -> IssuedKey:
    """A key of `tenant` with `scope`, stored in the server's database like
    `dataflow-server keys create` does. `expired`: one that expired a second ago."""
    keys = ApiKeyStore(server.store)
    record, key = await issue_key(
        _Backdated(keys) if expired else keys,
        tenant=tenant,
        scope=scope,
        name=name,
        expires_days=1.0 if expired else expires_days,
        rate_limit=rate_limit,
    )
    return IssuedKey(key, record)


class _Backdated:
    """The key store with a clock two days behind: a key made for a day has expired."""

    def __init__(self, keys: ApiKeyStore) -> None:
        self._keys = keys

    def now(self) -> datetime:
        return self._keys.now() - timedelta(days=2)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._keys, name)


async def revoke_test_key(server: DataflowServer, key: IssuedKey) -> None:
    keys = ApiKeyStore(server.store)
    assert await keys.revoke(key.key_id, keys.now())


def cli_key(env: dict[str, str], tenant: str, *options: str) -> tuple[str, str]:
    """(the key, stderr) of `dataflow-server keys create --tenant TENANT OPTIONS…`
    run with `env` (DATAFLOW_DATA_DIR / DATAFLOW_DATABASE_URL name the database)."""
    done = keys_command(env, "create", "--tenant", tenant, *options)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1], done.stderr


def keys_command(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`dataflow-server keys ARGS…` with the DATAFLOW_* variables of `env` only."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DATAFLOW_")}
    base["PYTHONPATH"] = os.pathsep.join([str(REPO / "server"), str(REPO / "client/python")])
    base |= {k: v for k, v in env.items() if k.startswith("DATAFLOW_")}
    return subprocess.run(
        [sys.executable, "-m", "dataflow_server.main", "keys", *args],
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
