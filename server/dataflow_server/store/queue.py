"""The durable execution queue: claims with leases, heartbeats, release, cancel requests.

An execution is claimable when it is PENDING or RUNNING and `available_at`
has passed. A claim gives it a fresh lease token and moves `available_at` to
the lease expiry, so an execution whose worker died is claimable again by
the same index scan once the lease runs out. On PostgreSQL, concurrent
claimers skip each other's rows (`FOR UPDATE SKIP LOCKED`); on SQLite the
claim runs in a `BEGIN IMMEDIATE` transaction, which serialises claimers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..domain.records import ExecutionStatus
from .executions import E

__all__ = ["release", "renew", "request_cancel"]

_ACTIVE = (ExecutionStatus.PENDING.value, ExecutionStatus.RUNNING.value)
# Leases renewed or released per statement: thousands of executions in flight
# take a few statements per heartbeat, each within every driver's parameter limit.
LEASES_PER_STATEMENT = 500


def _chunks(items: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    return [items[i : i + LEASES_PER_STATEMENT] for i in range(0, len(items), LEASES_PER_STATEMENT)]


async def renew(
    conn: AsyncConnection,
    leases: Mapping[str, str],
    lease_seconds: float,
    now: datetime,
) -> tuple[set[str], set[str]]:
    """Extend the given leases (execution id → token).

    Returns (ids still held, ids whose cancellation was requested).
    """
    if not leases:
        return set(), set()
    expires = now + timedelta(seconds=lease_seconds)
    held: set[str] = set()
    cancelled: set[str] = set()
    for chunk in _chunks(list(leases.items())):
        rows = await conn.execute(
            update(E)
            .where(tuple_(E.c.id, E.c.lease_token).in_(chunk))
            .values(lease_expires_at=expires, available_at=expires)
            .returning(E.c.id, E.c.cancel_requested)
        )
        for row in rows:
            held.add(row.id)
            if row.cancel_requested:
                cancelled.add(row.id)
    return held, cancelled


async def release(conn: AsyncConnection, leases: Mapping[str, str], now: datetime) -> None:
    """Hand leased executions back to the queue, claimable at once (graceful shutdown)."""
    for chunk in _chunks(list(leases.items())):
        await conn.execute(
            update(E)
            .where(tuple_(E.c.id, E.c.lease_token).in_(chunk))
            .values(lease_owner=None, lease_token=None, lease_expires_at=None, available_at=now)
        )


async def request_cancel(
    conn: AsyncConnection, tenant_id: str, execution_id: str, now: datetime
) -> bool:
    """Flag an active execution for cancellation; False when it is not active."""
    result = await conn.execute(
        update(E)
        .where(E.c.id == execution_id, E.c.tenant_id == tenant_id, E.c.status.in_(_ACTIVE))
        .values(cancel_requested=True, updated_at=now)
    )
    return bool(result.rowcount)
