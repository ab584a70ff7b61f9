"""API key rows: create, find by hash, list, revoke, record last use.

`ApiKeyStore` runs on a `SqlStore`'s transactions (so SQLite writes share its
write lock). Only the key's SHA-256 is ever written (domain/api_keys.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import bindparam, func, insert, or_, select, update

from ..domain.access import Scope
from ..domain.api_keys import ApiKeyRecord
from .models import AnyRow, ApiKeyRow, table_of
from .sql import SqlStore

__all__ = ["ApiKeyStore"]

K = table_of(ApiKeyRow)


def _record(row: AnyRow) -> ApiKeyRecord:
    return ApiKeyRecord(
        key_id=row.id,
        tenant_id=row.tenant_id,
        name=row.name,
        scope=Scope[row.scope.upper()],
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
        rate_limit=row.rate_limit,
    )


class ApiKeyStore:
    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def now(self) -> datetime:
        return self._store.now()

    async def create(self, record: ApiKeyRecord, key_hash: str) -> ApiKeyRecord:
        async with self._store.write_transaction() as conn:
            await conn.execute(
                insert(K).values(
                    id=record.key_id,
                    tenant_id=record.tenant_id,
                    name=record.name,
                    scope=record.scope.label,
                    key_hash=key_hash,
                    rate_limit=record.rate_limit,
                    created_at=record.created_at,
                    expires_at=record.expires_at,
                )
            )
        return record

    async def find_by_hash(self, key_hash: str) -> ApiKeyRecord | None:
        async with self._store.read_transaction() as conn:
            row = (await conn.execute(select(K).where(K.c.key_hash == key_hash))).one_or_none()
        return None if row is None else _record(row)

    async def get(self, key_id: str) -> ApiKeyRecord | None:
        async with self._store.read_transaction() as conn:
            row = (await conn.execute(select(K).where(K.c.id == key_id))).one_or_none()
        return None if row is None else _record(row)

    async def list(self, tenant_id: str | None = None) -> list[ApiKeyRecord]:
        """Every key (of `tenant_id` when given), oldest first."""
        query = select(K).order_by(K.c.created_at, K.c.id)
        if tenant_id is not None:
            query = query.where(K.c.tenant_id == tenant_id)
        async with self._store.read_transaction() as conn:
            return [_record(row) for row in await conn.execute(query)]

    async def revoke(self, key_id: str, at: datetime) -> bool:
        """Revoke the key at `at`; False when it was revoked already (the first time stays)."""
        async with self._store.write_transaction() as conn:
            result = await conn.execute(
                update(K).where(K.c.id == key_id, K.c.revoked_at.is_(None)).values(revoked_at=at)
            )
        return bool(result.rowcount)

    async def count_usable(self, at: datetime) -> int:
        """Keys neither revoked nor expired at `at`."""
        query = select(func.count()).where(
            K.c.revoked_at.is_(None), or_(K.c.expires_at.is_(None), K.c.expires_at > at)
        )
        async with self._store.read_transaction() as conn:
            return int((await conn.execute(query)).scalar_one())

    async def record_last_use(self, used: Mapping[str, datetime]) -> None:
        """One transaction for a batch of uses; an older time never overwrites a newer one."""
        if not used:
            return
        statement = (
            update(K)
            .where(
                K.c.id == bindparam("key_id"),
                or_(K.c.last_used_at.is_(None), K.c.last_used_at < bindparam("used_at")),
            )
            .values(last_used_at=bindparam("used_at"))
        )
        async with self._store.write_transaction() as conn:
            await conn.execute(
                statement, [{"key_id": k, "used_at": at} for k, at in sorted(used.items())]
            )
