"""The webhook outbox: deliveries are written in the same transaction as their events,
so a crash can lose an event only together with its delivery (i.e. never deliver
an event that does not exist, never lose one that does)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from ..domain.records import EventRecord
from ..domain.webhook_payload import build_payload
from .models import TaskRunRow, WebhookDeliveryRow, table_of

__all__ = ["enqueue_deliveries", "new_webhook_id"]

WD = table_of(WebhookDeliveryRow)
TR = table_of(TaskRunRow)


def new_webhook_id() -> str:
    return "msg_" + secrets.token_urlsafe(18).replace("-", "").replace("_", "")[:24]


async def enqueue_deliveries(
    conn: AsyncConnection,
    *,
    tenant_id: str,
    url: str,
    workflow_id: str,
    workflow_version: int,
    events: Sequence[tuple[int, EventRecord]],
    outputs: dict[str, Any] | None,
    now: datetime,
    tasks_per_event: Sequence[Sequence[tuple[str, str]]] | None = None,
) -> None:
    """One PENDING delivery per (event id, event), with its body built now.

    `tasks_per_event`: the (name, status) of every task as each event saw them;
    by default the task runs as they are now, for every event.
    """
    if not events:
        return
    if tasks_per_event is None:
        execution_id = events[0][1].execution_id
        tasks = [
            (row.name, row.status)
            for row in await conn.execute(
                select(TR.c.name, TR.c.status)
                .where(TR.c.execution_id == execution_id)
                .order_by(TR.c.position)
            )
        ]
        tasks_per_event = [tasks] * len(events)
    await conn.execute(
        insert(WD),
        [
            {
                "tenant_id": tenant_id,
                "execution_id": event.execution_id,
                "event_id": event_id,
                "sequence": event.sequence,
                "event_type": event.type,
                "url": url,
                "status": "PENDING",
                "attempts": 0,
                "next_attempt_at": now,
                "webhook_message_id": new_webhook_id(),
                "payload": build_payload(event, workflow_id, workflow_version, tasks, outputs),
                "created_at": now,
            }
            for (event_id, event), tasks in zip(events, tasks_per_event, strict=True)
        ],
    )
