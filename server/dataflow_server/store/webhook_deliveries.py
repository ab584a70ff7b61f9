"""Webhook delivery queries: claims (in event order per execution), attempts, listing,
redelivery, and endpoints disabled by 410 Gone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from ..domain.errors import FailedPrecondition, NotFound
from ..domain.records import AttemptRecord, DeliveryRecord
from .models import WebhookAttemptRow, WebhookEndpointRow, table_of
from .outbox import WD

__all__ = [
    "AttemptOutcome",
    "AttemptRecord",
    "DeliveryRecord",
    "DueDelivery",
    "claim_due",
    "disable_endpoint",
    "list_deliveries",
    "record_attempt",
    "redeliver",
]

WA = table_of(WebhookAttemptRow)
WE = table_of(WebhookEndpointRow)

PENDING, DELIVERED, FAILED = "PENDING", "DELIVERED", "FAILED"


@dataclass(frozen=True, slots=True)
class DueDelivery:
    id: int
    tenant_id: str
    webhook_id: str
    url: str
    payload: dict[str, Any]
    attempts: int  # attempts in the current series (0 before the first)
    endpoint_disabled: bool


@dataclass(frozen=True, slots=True)
class AttemptOutcome:
    attempted_at: datetime
    status_code: int | None
    error: str | None
    latency_ms: int
    new_status: str  # PENDING (retry later), DELIVERED or FAILED
    next_attempt_at: datetime | None = None


async def claim_due(
    conn: AsyncConnection,
    owner: str,
    limit: int,
    claim_seconds: float,
    now: datetime,
    skip_locked: bool,
) -> list[DueDelivery]:
    """Claim due deliveries, at most one per execution: the lowest pending sequence
    (the next waits until the previous is delivered or failed for good)."""
    earlier = WD.alias("earlier")
    earlier_pending = exists().where(
        earlier.c.execution_id == WD.c.execution_id,
        earlier.c.sequence < WD.c.sequence,
        earlier.c.status == PENDING,
    )
    disabled = exists().where(WE.c.tenant_id == WD.c.tenant_id, WE.c.url == WD.c.url)
    query = (
        select(
            WD.c.id,
            WD.c.tenant_id,
            WD.c.webhook_message_id,
            WD.c.url,
            WD.c.payload,
            WD.c.attempts,
            disabled.label("endpoint_disabled"),
        )
        .where(
            WD.c.status == PENDING,
            WD.c.next_attempt_at <= now,
            or_(WD.c.claim_expires_at.is_(None), WD.c.claim_expires_at < now),
            ~earlier_pending,
        )
        .order_by(WD.c.next_attempt_at, WD.c.id)
        .limit(limit)
    )
    if skip_locked:
        query = query.with_for_update(skip_locked=True, of=WD)
    rows = (await conn.execute(query)).all()
    if not rows:
        return []
    await conn.execute(
        update(WD)
        .where(WD.c.id.in_([r.id for r in rows]))
        .values(claimed_by=owner, claim_expires_at=now + timedelta(seconds=claim_seconds))
    )
    return [
        DueDelivery(
            r.id,
            r.tenant_id,
            r.webhook_message_id,
            r.url,
            r.payload or {},
            r.attempts,
            bool(r.endpoint_disabled),
        )
        for r in rows
    ]


async def record_attempt(
    conn: AsyncConnection, delivery_id: int, owner: str, outcome: AttemptOutcome
) -> bool:
    """Store an attempt and the delivery's new state; False if the claim was lost."""
    values: dict[str, Any] = {
        "status": outcome.new_status,
        "attempts": WD.c.attempts + 1,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
        "claimed_by": None,
        "claim_expires_at": None,
    }
    if outcome.new_status == DELIVERED:
        values["delivered_at"] = outcome.attempted_at
    if outcome.next_attempt_at is not None:
        values["next_attempt_at"] = outcome.next_attempt_at
    result = await conn.execute(
        update(WD)
        .where(WD.c.id == delivery_id, WD.c.claimed_by == owner)
        .values(**values)
        .returning(WD.c.tenant_id)
    )
    row = result.one_or_none()
    if row is None:
        return False
    await conn.execute(
        WA.insert().values(
            tenant_id=row.tenant_id,
            delivery_id=delivery_id,
            attempted_at=outcome.attempted_at,
            status_code=outcome.status_code,
            error=outcome.error,
            latency_ms=outcome.latency_ms,
        )
    )
    return True


async def disable_endpoint(
    conn: AsyncConnection, tenant_id: str, url: str, reason: str, now: datetime
) -> None:
    """Remember a URL that answered 410 and fail everything still pending for it
    (in this tenant: another tenant's deliveries to the same URL are its own)."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    await conn.execute(
        insert(WE)
        .values(tenant_id=tenant_id, url=url, disabled_at=now, reason=reason)
        .on_conflict_do_nothing(index_elements=["tenant_id", "url"])
    )
    await conn.execute(
        update(WD)
        .where(
            WD.c.tenant_id == tenant_id,
            WD.c.url == url,
            WD.c.status == PENDING,
            WD.c.claimed_by.is_(None),
        )
        .values(status=FAILED, last_error=reason)
    )


async def list_deliveries(
    conn: AsyncConnection, tenant_id: str, execution_id: str, limit: int, after_id: int
) -> list[tuple[int, DeliveryRecord]]:
    rows = (
        await conn.execute(
            select(WD)
            .where(
                WD.c.tenant_id == tenant_id,
                WD.c.execution_id == execution_id,
                WD.c.id > after_id,
            )
            .order_by(WD.c.id)
            .limit(limit)
        )
    ).all()
    attempts: dict[int, list[AttemptRecord]] = {r.id: [] for r in rows}
    if rows:
        for a in await conn.execute(
            select(WA).where(WA.c.delivery_id.in_(list(attempts))).order_by(WA.c.id)
        ):
            attempts[a.delivery_id].append(
                AttemptRecord(a.attempted_at, a.status_code, a.error, a.latency_ms)
            )
    return [(r.id, _record(r, attempts[r.id])) for r in rows]


def _record(r: Any, attempts: list[AttemptRecord]) -> DeliveryRecord:
    return DeliveryRecord(
        webhook_id=r.webhook_message_id,
        execution_id=r.execution_id,
        sequence=r.sequence,
        event_type=r.event_type,
        url=r.url,
        status=r.status,
        attempt_count=len(attempts),
        next_attempt_at=r.next_attempt_at if r.status == PENDING else None,
        delivered_at=r.delivered_at,
        created_at=r.created_at,
        attempts=tuple(attempts),
    )


async def get_delivery(conn: AsyncConnection, tenant_id: str, webhook_id: str) -> DeliveryRecord:
    row = (
        await conn.execute(
            select(WD).where(WD.c.tenant_id == tenant_id, WD.c.webhook_message_id == webhook_id)
        )
    ).one_or_none()
    if row is None:
        raise NotFound(f"webhook delivery {webhook_id} not found")
    attempts = [
        AttemptRecord(a.attempted_at, a.status_code, a.error, a.latency_ms)
        for a in await conn.execute(select(WA).where(WA.c.delivery_id == row.id).order_by(WA.c.id))
    ]
    return _record(row, attempts)


async def redeliver(conn: AsyncConnection, tenant_id: str, webhook_id: str, now: datetime) -> None:
    """PENDING again with a fresh retry series; the endpoint is re-enabled."""
    row = (
        await conn.execute(
            select(WD.c.id, WD.c.url, WD.c.tenant_id, WD.c.claimed_by, WD.c.claim_expires_at).where(
                WD.c.tenant_id == tenant_id, WD.c.webhook_message_id == webhook_id
            )
        )
    ).one_or_none()
    if row is None:
        raise NotFound(f"webhook delivery {webhook_id} not found")
    if row.claimed_by is not None and row.claim_expires_at and row.claim_expires_at > now:
        raise FailedPrecondition(f"delivery {webhook_id} has an attempt in flight; try again")
    await conn.execute(delete(WE).where(and_(WE.c.tenant_id == row.tenant_id, WE.c.url == row.url)))
    await conn.execute(
        update(WD)
        .where(WD.c.id == row.id)
        .values(
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            delivered_at=None,
            claimed_by=None,
            claim_expires_at=None,
        )
    )
