"""Webhook signing secrets per tenant: read, created on first need, rotated."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from ..domain.webhook_secrets import WebhookSecrets
from .models import AnyRow, WebhookSecretRow, table_of

__all__ = ["insert_missing", "read_secrets", "write_secrets"]

WS = table_of(WebhookSecretRow)


def _secrets(row: AnyRow) -> WebhookSecrets:
    return WebhookSecrets(
        tenant_id=row.tenant_id,
        current=row.current_secret,
        created_at=row.created_at,
        previous=row.previous_secret,
        rotated_at=row.rotated_at,
        previous_expires_at=row.previous_expires_at,
    )


async def read_secrets(
    conn: AsyncConnection, tenant_ids: Collection[str], *, for_update: bool = False
) -> dict[str, WebhookSecrets]:
    query = select(WS).where(WS.c.tenant_id.in_(list(tenant_ids)))
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return {row.tenant_id: _secrets(row) for row in await conn.execute(query)}


async def insert_missing(
    conn: AsyncConnection, new_secrets: Mapping[str, str], now: datetime
) -> None:
    """tenant → secret, for tenants that have none (a concurrent writer's wins)."""
    if not new_secrets:
        return
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    await conn.execute(
        insert(WS)
        .values(
            [
                {"tenant_id": tenant_id, "current_secret": secret, "created_at": now}
                for tenant_id, secret in new_secrets.items()
            ]
        )
        .on_conflict_do_nothing(index_elements=["tenant_id"])
    )


async def write_secrets(conn: AsyncConnection, secrets: WebhookSecrets) -> None:
    await conn.execute(
        update(WS)
        .where(WS.c.tenant_id == secrets.tenant_id)
        .values(
            current_secret=secrets.current,
            previous_secret=secrets.previous,
            rotated_at=secrets.rotated_at,
            previous_expires_at=secrets.previous_expires_at,
        )
    )
