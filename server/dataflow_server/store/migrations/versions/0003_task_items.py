"""Graphs: task runs keep why they were skipped and a for_each task's items;
events name their item and skip reason.

Revision ID: 0003_task_items
Revises: 0002_webhook_payloads
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003_task_items"
down_revision: str | None = "0002_webhook_payloads"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("task_runs") as batch:
        batch.add_column(sa.Column("skip_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("items", sa.JSON(none_as_null=True), nullable=True))
    with op.batch_alter_table("execution_events") as batch:
        batch.add_column(sa.Column("item_index", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("skip_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("execution_events") as batch:
        batch.drop_column("skip_reason")
        batch.drop_column("item_index")
    with op.batch_alter_table("task_runs") as batch:
        batch.drop_column("items")
        batch.drop_column("skip_reason")
