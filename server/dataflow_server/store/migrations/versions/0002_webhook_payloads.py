"""Webhook outbox: each delivery keeps its event type and the JSON body built with
its event; endpoints that answered 410 Gone are remembered.

Revision ID: 0002_webhook_payloads
Revises: 0001_initial
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002_webhook_payloads"
down_revision: str | None = "0001_initial"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.add_column(
            sa.Column("event_type", sa.String(64), nullable=False, server_default=sa.text("''"))
        )
        batch.add_column(sa.Column("payload", sa.JSON(none_as_null=True), nullable=True))
    op.create_table(
        "webhook_endpoints",
        sa.Column("tenant_id", sa.String(64), nullable=False, server_default=sa.text("'default'")),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "url", name="pk_webhook_endpoints"),
    )


def downgrade() -> None:
    op.drop_table("webhook_endpoints")
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.drop_column("payload")
        batch.drop_column("event_type")
