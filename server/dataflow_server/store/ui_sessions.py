"""Web console sessions in the `ui_sessions` table (see domain/ui_sessions.py).

A session is found by its token's hash, which is how its tenant becomes known;
every other statement names the tenant.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, or_, select, update

from ..domain.access import Scope
from ..domain.ui_sessions import UiSession
from .models import AnyRow, UiSessionRow, table_of
from .sql import SqlStore

__all__ = ["SqlUiSessions"]

T = table_of(UiSessionRow)


def _session(row: AnyRow) -> UiSession:
    return UiSession(
        token_hash=row.token_hash,
        tenant_id=row.tenant_id,
        key_id=row.key_id,
        scope=Scope[row.scope.upper()],
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_seen_at=row.last_seen_at,
    )


class SqlUiSessions:
    """Implements `app.ui_sessions.UiSessionStore` on the server's database."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    async def create(self, session: UiSession) -> None:
        async with self._store.write_transaction() as conn:
            await conn.execute(
                insert(T).values(
                    token_hash=session.token_hash,
                    tenant_id=session.tenant_id,
                    key_id=session.key_id,
                    scope=session.scope.label,
                    created_at=session.created_at,
                    expires_at=session.expires_at,
                    last_seen_at=session.last_seen_at,
                )
            )

    async def find(self, token_hash: str) -> UiSession | None:
        async with self._store.read_transaction() as conn:
            row = (await conn.execute(select(T).where(T.c.token_hash == token_hash))).one_or_none()
        return None if row is None else _session(row)

    async def touch(self, tenant_id: str, token_hash: str, now: datetime) -> None:
        async with self._store.write_transaction() as conn:
            await conn.execute(
                update(T)
                .where(T.c.tenant_id == tenant_id, T.c.token_hash == token_hash)
                .values(last_seen_at=now)
            )

    async def delete(self, tenant_id: str, token_hash: str) -> None:
        async with self._store.write_transaction() as conn:
            await conn.execute(
                delete(T).where(T.c.tenant_id == tenant_id, T.c.token_hash == token_hash)
            )

    async def delete_for_key(self, tenant_id: str, key_id: str) -> int:
        """End every session opened with the key (when it is revoked); how many ended."""
        async with self._store.write_transaction() as conn:
            result = await conn.execute(
                delete(T).where(T.c.tenant_id == tenant_id, T.c.key_id == key_id)
            )
        return int(result.rowcount)

    async def delete_ended(self, now: datetime, idle_since: datetime) -> int:
        """Remove sessions past their absolute end or idle since before `idle_since`."""
        async with self._store.write_transaction() as conn:
            result = await conn.execute(
                delete(T).where(or_(T.c.expires_at <= now, T.c.last_seen_at <= idle_since))
            )
        return int(result.rowcount)
