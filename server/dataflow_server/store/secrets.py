"""Secret queries (run inside a transaction opened by SqlStore); tenant_id is explicit
in each, and values are stored only sealed (vault/cipher.py)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from ..domain.errors import FailedPrecondition, NotFound
from ..domain.secrets import SecretRecord
from ..vault.cipher import Sealed, SecretCipher
from .models import AnyRow, SecretRow, table_of
from .sql import SqlStore

__all__ = [
    "SqlSecretStore",
    "count_secrets",
    "delete_secret",
    "existing_names",
    "list_secrets",
    "sealed_values",
    "upsert_secret",
]

SE = table_of(SecretRow)


def _record(row: AnyRow) -> SecretRecord:
    return SecretRecord(row.name, row.created_at, row.updated_at)


async def upsert_secret(
    conn: AsyncConnection, tenant_id: str, name: str, sealed: Sealed, now: datetime
) -> SecretRecord:
    """Insert, or replace the value (and updated_at) of an existing name."""
    values = {
        "tenant_id": tenant_id,
        "name": name,
        "ciphertext": sealed.ciphertext,
        "nonce": sealed.nonce,
        "key_id": sealed.key_id,
        "created_at": now,
        "updated_at": now,
    }
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(SE).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["tenant_id", "name"],
        set_={
            "ciphertext": statement.excluded.ciphertext,
            "nonce": statement.excluded.nonce,
            "key_id": statement.excluded.key_id,
            "updated_at": statement.excluded.updated_at,
        },
    )
    await conn.execute(statement)
    row = (
        await conn.execute(
            select(SE.c.name, SE.c.created_at, SE.c.updated_at).where(
                SE.c.tenant_id == tenant_id, SE.c.name == name
            )
        )
    ).one()
    return _record(row)


async def count_secrets(conn: AsyncConnection, tenant_id: str) -> int:
    count = (
        await conn.execute(select(func.count()).select_from(SE).where(SE.c.tenant_id == tenant_id))
    ).scalar_one()
    return int(count)


async def list_secrets(
    conn: AsyncConnection, tenant_id: str, limit: int, after_name: str | None
) -> list[SecretRecord]:
    """Up to `limit` secrets by name, after `after_name` when given."""
    query = select(SE.c.name, SE.c.created_at, SE.c.updated_at).where(SE.c.tenant_id == tenant_id)
    if after_name is not None:
        query = query.where(SE.c.name > after_name)
    rows = await conn.execute(query.order_by(SE.c.name).limit(limit))
    return [_record(row) for row in rows]


async def delete_secret(conn: AsyncConnection, tenant_id: str, name: str) -> bool:
    result = await conn.execute(delete(SE).where(SE.c.tenant_id == tenant_id, SE.c.name == name))
    return bool(result.rowcount)


async def existing_names(conn: AsyncConnection, tenant_id: str, names: Collection[str]) -> set[str]:
    if not names:
        return set()
    rows = await conn.execute(
        select(SE.c.name).where(SE.c.tenant_id == tenant_id, SE.c.name.in_(list(names)))
    )
    return {row.name for row in rows}


async def sealed_values(
    conn: AsyncConnection, tenant_id: str, names: Collection[str]
) -> dict[str, Sealed]:
    if not names:
        return {}
    rows = await conn.execute(
        select(SE.c.name, SE.c.ciphertext, SE.c.nonce, SE.c.key_id).where(
            SE.c.tenant_id == tenant_id, SE.c.name.in_(list(names))
        )
    )
    return {row.name: Sealed(bytes(row.ciphertext), bytes(row.nonce), row.key_id) for row in rows}


class SqlSecretStore:
    """A tenant's secrets on the SQL store: sealed on write, opened on reveal.

    Implements `engine.ports.SecretSource` (what a running task may read) and
    the writes of `app.secrets.Secrets`.
    """

    def __init__(self, store: SqlStore, cipher: SecretCipher) -> None:
        self._store = store
        self._cipher = cipher

    async def put(self, tenant_id: str, name: str, value: str, most: int) -> SecretRecord:
        """Create or replace; FailedPrecondition when creating would pass `most`."""
        sealed = self._cipher.seal(tenant_id, name, value)
        async with self._store.write_transaction() as conn:
            creating = not await existing_names(conn, tenant_id, (name,))
            if creating and await count_secrets(conn, tenant_id) >= most:
                raise FailedPrecondition(
                    f"this tenant already has {most} secrets, the most it may have: "
                    "delete some first"
                )
            return await upsert_secret(conn, tenant_id, name, sealed, self._store.now())

    async def page(self, tenant_id: str, limit: int, after_name: str | None) -> list[SecretRecord]:
        async with self._store.read_transaction() as conn:
            return await list_secrets(conn, tenant_id, limit, after_name)

    async def remove(self, tenant_id: str, name: str) -> None:
        async with self._store.write_transaction() as conn:
            if not await delete_secret(conn, tenant_id, name):
                raise NotFound(f"secret {name!r} not found")

    async def missing(self, tenant_id: str, names: Collection[str]) -> set[str]:
        """The names that are not set in the tenant."""
        if not names:
            return set()
        async with self._store.read_transaction() as conn:
            return set(names) - await existing_names(conn, tenant_id, names)

    async def reveal(self, tenant_id: str, names: Collection[str]) -> dict[str, str]:
        """The clear values of the names that are set (absent ones are left out).
        Raises SecretUnavailable when a value does not open with this key."""
        if not names:
            return {}
        async with self._store.read_transaction() as conn:
            sealed = await sealed_values(conn, tenant_id, names)
        return {name: self._cipher.open(tenant_id, name, s) for name, s in sealed.items()}
