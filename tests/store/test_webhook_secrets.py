"""Webhook signing secrets in the store (SQLite and PostgreSQL): created once per tenant
under races, rotated with a window, and the 0006 migration keeping the old secret."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from dataflow_server.store.database import create_engine, open_store, run_migrations
from dataflow_server.store.sql import SqlStore
from dataflow_server.webhooks.signing import generate_secret


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def store(database_url: str, clock: Clock) -> AsyncIterator[SqlStore]:
    s = await open_store(database_url, clock=clock)
    try:
        yield s
    finally:
        await s.close()


async def test_each_tenant_gets_one_secret_even_under_races(store: SqlStore) -> None:
    made: list[str] = []

    def new() -> str:
        made.append(generate_secret())
        return made[-1]

    results = await asyncio.gather(
        *(store.webhook_secrets(["acme", "globex"], new) for _ in range(8))
    )
    acme = {r["acme"].current for r in results}
    globex = {r["globex"].current for r in results}
    assert len(acme) == len(globex) == 1 and acme != globex
    assert acme | globex <= set(made)
    assert await store.find_webhook_secrets("acme") == results[0]["acme"]
    assert await store.find_webhook_secrets("initech") is None  # reading creates nothing
    assert (await store.webhook_secrets(["acme"], new))["acme"].current in acme


async def test_rotation_keeps_the_previous_secret_for_the_window(
    store: SqlStore, clock: Clock
) -> None:
    first = (await store.webhook_secrets(["acme"], generate_secret))["acme"]
    second = await store.rotate_webhook_secret("acme", "whsec_" + "A" * 32, timedelta(hours=2))
    assert (second.current, second.previous) == ("whsec_" + "A" * 32, first.current)
    assert second.rotated_at == clock.now
    assert second.previous_expires_at == clock.now + timedelta(hours=2)
    assert await store.find_webhook_secrets("acme") == second
    assert second.signing(clock.now) == (second.current, first.current)
    assert second.signing(clock.now + timedelta(hours=2)) == (second.current,)
    assert second.as_of(clock.now + timedelta(hours=2)).previous is None
    # Inside the window again: the oldest goes at once, at most two sign.
    third = await store.rotate_webhook_secret("acme", generate_secret(), timedelta(hours=2))
    assert third.previous == second.current and first.current not in third.signing(clock.now)
    # A zero window revokes the replaced secret at once.
    fourth = await store.rotate_webhook_secret("acme", generate_secret(), timedelta(0))
    assert fourth.previous is None and fourth.signing(clock.now) == (fourth.current,)
    # Other tenants are untouched; a tenant's first rotation just creates its secret.
    assert await store.find_webhook_secrets("globex") is None
    created = await store.rotate_webhook_secret("globex", "whsec_" + "B" * 32, timedelta(hours=1))
    assert created.current == "whsec_" + "B" * 32 and created.previous is None


async def test_migration_moves_the_generated_secret_to_the_default_tenant(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    try:
        await run_migrations(engine, "0003_task_items")
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO settings (key, tenant_id, value) VALUES ('webhook_secret', "
                     "'default', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')")
            )  # fmt: skip
        await run_migrations(engine)
        async with engine.connect() as conn:
            left = (await conn.execute(text("SELECT count(*) FROM settings"))).scalar_one()
    finally:
        await engine.dispose()
    assert left == 0  # no stale copy of a secret that may be rotated away later
    store = await open_store(database_url)
    try:
        moved = await store.find_webhook_secrets("default")
    finally:
        await store.close()
    assert moved is not None and moved.current == "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
