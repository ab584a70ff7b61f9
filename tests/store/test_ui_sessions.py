"""The `ui_sessions` table on SQLite and PostgreSQL: only the token's hash is stored,
and sessions end by token, by key and by age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from dataflow_server.domain.access import Scope
from dataflow_server.domain.ui_sessions import UiSession, token_hash
from dataflow_server.store.sql import SqlStore
from dataflow_server.store.ui_sessions import SqlUiSessions

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def session(token: str, key_id: str = "key-1", tenant: str = "acme", **at: datetime) -> UiSession:
    return UiSession(
        token_hash=token_hash(token),
        tenant_id=tenant,
        key_id=key_id,
        scope=Scope.EXECUTE,
        created_at=at.get("created_at", T0),
        expires_at=at.get("expires_at", T0 + timedelta(hours=12)),
        last_seen_at=at.get("last_seen_at", T0),
    )


async def test_a_session_is_found_by_its_token_hash_and_the_token_is_not_stored(
    store: SqlStore,
) -> None:
    sessions = SqlUiSessions(store)
    stored = session("secret-token-a")
    await sessions.create(stored)
    assert await sessions.find(token_hash("secret-token-a")) == stored
    assert await sessions.find(token_hash("secret-token-b")) is None
    async with store.read_transaction() as conn:
        rows = (await conn.execute(text("SELECT * FROM ui_sessions"))).all()
    assert len(rows) == 1 and "secret-token-a" not in repr(rows)

    later = T0 + timedelta(minutes=30)
    await sessions.touch("acme", stored.token_hash, later)
    await sessions.touch("other-tenant", stored.token_hash, T0 + timedelta(hours=1))  # no-op
    found = await sessions.find(stored.token_hash)
    assert found is not None and found.last_seen_at == later

    await sessions.delete("other-tenant", stored.token_hash)
    assert await sessions.find(stored.token_hash) is not None
    await sessions.delete("acme", stored.token_hash)
    assert await sessions.find(stored.token_hash) is None


async def test_sessions_end_by_key_and_by_age(store: SqlStore) -> None:
    sessions = SqlUiSessions(store)
    await sessions.create(session("a1", key_id="key-a"))
    await sessions.create(session("a2", key_id="key-a"))
    await sessions.create(session("b1", key_id="key-b"))
    await sessions.create(session("a-other-tenant", key_id="key-a", tenant="globex"))
    assert await sessions.delete_for_key("acme", "key-a") == 2
    assert await sessions.find(token_hash("b1")) is not None
    assert await sessions.find(token_hash("a-other-tenant")) is not None

    await sessions.create(session("expired", expires_at=T0 + timedelta(minutes=5)))
    await sessions.create(session("idle", last_seen_at=T0 - timedelta(hours=3)))
    now = T0 + timedelta(minutes=10)
    assert await sessions.delete_ended(now, idle_since=now - timedelta(hours=2)) == 2
    assert await sessions.find(token_hash("expired")) is None
    assert await sessions.find(token_hash("idle")) is None
    assert await sessions.find(token_hash("b1")) is not None
