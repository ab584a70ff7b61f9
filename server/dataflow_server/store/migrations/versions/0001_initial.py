"""Initial schema: workflows and versions, executions (with queue and lease
columns), task runs, the event log, the webhook outbox, files, settings.

Revision ID: 0001_initial
Revises:
Create Date: 2025-01-01

Written by hand to match `dataflow_server.store.models` (a test compares the
migrated database with the models). Portable: SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

TS = sa.DateTime(timezone=True)
ID = sa.String(64)
# INTEGER PRIMARY KEY is SQLite's autoincrementing rowid; BIGSERIAL on PostgreSQL.
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _json() -> sa.JSON:
    return sa.JSON(none_as_null=True)


def _tenant() -> sa.Column[str]:
    return sa.Column(
        "tenant_id", sa.String(64), nullable=False, server_default=sa.text("'default'")
    )


def _int0(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0"))


def upgrade() -> None:
    op.create_table(
        "workflows",
        sa.Column("id", ID, nullable=False),
        _tenant(),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("archived_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_workflows"),
    )
    op.create_index(
        "ix_workflows_tenant_id_created_at_id", "workflows", ["tenant_id", "created_at", "id"]
    )

    op.create_table(
        "workflow_versions",
        sa.Column("workflow_id", ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _tenant(),
        sa.Column("definition", _json(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("workflow_id", "version", name="pk_workflow_versions"),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name="fk_workflow_versions_workflow_id_workflows",
            ondelete="CASCADE",
        ),
    )

    op.create_table(
        "executions",
        sa.Column("id", ID, nullable=False),
        _tenant(),
        sa.Column("workflow_id", ID, nullable=False),
        sa.Column("workflow_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("inputs", _json(), nullable=False),
        sa.Column("outputs", _json(), nullable=True),
        sa.Column("error", _json(), nullable=True),
        sa.Column("webhook_url", sa.Text(), nullable=True),
        sa.Column("request_id", sa.String(255), nullable=True),
        sa.Column("request_hash", sa.String(128), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("completed_at", TS, nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("available_at", TS, nullable=False),
        sa.Column("lease_owner", sa.String(255), nullable=True),
        sa.Column("lease_token", sa.String(64), nullable=True),
        sa.Column("lease_expires_at", TS, nullable=True),
        sa.Column(
            "cancel_requested", sa.Boolean(), nullable=False, server_default=sa.text("false")
        ),
        _int0("attempt_epoch"),
        _int0("last_sequence"),
        sa.PrimaryKeyConstraint("id", name="pk_executions"),
        sa.ForeignKeyConstraint(
            ["workflow_id", "workflow_version"],
            ["workflow_versions.workflow_id", "workflow_versions.version"],
            name="fk_executions_workflow_version",
        ),
        sa.UniqueConstraint("tenant_id", "request_id", name="uq_executions_tenant_id_request_id"),
    )
    op.create_index(
        "ix_executions_workflow_id_created_at_id", "executions", ["workflow_id", "created_at", "id"]
    )
    op.create_index("ix_executions_status_available_at", "executions", ["status", "available_at"])

    op.create_table(
        "task_runs",
        sa.Column("execution_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _tenant(),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("type", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _int0("attempts"),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("completed_at", TS, nullable=True),
        sa.Column("outputs", _json(), nullable=True),
        sa.Column("error", _json(), nullable=True),
        sa.PrimaryKeyConstraint("execution_id", "position", name="pk_task_runs"),
        sa.ForeignKeyConstraint(
            ["execution_id"],
            ["executions.id"],
            name="fk_task_runs_execution_id_executions",
            ondelete="CASCADE",
        ),
    )

    op.create_table(
        "execution_events",
        sa.Column("id", BIG_ID, nullable=False, autoincrement=True),
        _tenant(),
        sa.Column("execution_id", ID, nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("task_name", sa.String(255), nullable=True),
        sa.Column("task_status", sa.String(16), nullable=True),
        _int0("attempt"),
        sa.Column("error", _json(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_execution_events"),
        sa.ForeignKeyConstraint(
            ["execution_id"],
            ["executions.id"],
            name="fk_execution_events_execution_id_executions",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "execution_id", "sequence", name="uq_execution_events_execution_id_sequence"
        ),
        # Ids are never reused on SQLite either (AUTOINCREMENT), so the id is a
        # global order that can be tailed.
        sqlite_autoincrement=True,
    )

    op.create_table(
        "webhook_deliveries",
        sa.Column("id", BIG_ID, nullable=False, autoincrement=True),
        _tenant(),
        sa.Column("execution_id", ID, nullable=False),
        sa.Column("event_id", BIG_ID, nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _int0("attempts"),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("webhook_message_id", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("delivered_at", TS, nullable=True),
        sa.Column("claimed_by", sa.String(255), nullable=True),
        sa.Column("claim_expires_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_deliveries"),
        sa.ForeignKeyConstraint(
            ["execution_id"],
            ["executions.id"],
            name="fk_webhook_deliveries_execution_id_executions",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["execution_events.id"],
            name="fk_webhook_deliveries_event_id_execution_events",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("webhook_message_id", name="uq_webhook_deliveries_webhook_message_id"),
    )
    op.create_index(
        "ix_webhook_deliveries_status_next_attempt_at",
        "webhook_deliveries",
        ["status", "next_attempt_at"],
    )
    op.create_index(
        "ix_webhook_deliveries_execution_id_sequence",
        "webhook_deliveries",
        ["execution_id", "sequence"],
    )
    op.create_index("ix_webhook_deliveries_event_id", "webhook_deliveries", ["event_id"])

    op.create_table(
        "webhook_attempts",
        sa.Column("id", BIG_ID, nullable=False, autoincrement=True),
        _tenant(),
        sa.Column("delivery_id", BIG_ID, nullable=False),
        sa.Column("attempted_at", TS, nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        _int0("latency_ms"),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_attempts"),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["webhook_deliveries.id"],
            name="fk_webhook_attempts_delivery_id_webhook_deliveries",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_webhook_attempts_delivery_id", "webhook_attempts", ["delivery_id"])

    op.create_table(
        "files",
        sa.Column("id", ID, nullable=False),
        _tenant(),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("name", sa.String(1024), nullable=False),
        sa.Column("content_type", sa.String(255), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("execution_id", ID, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_files"),
        sa.ForeignKeyConstraint(
            ["execution_id"],
            ["executions.id"],
            name="fk_files_execution_id_executions",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_files_sha256", "files", ["sha256"])

    op.create_table(
        "settings",
        sa.Column("key", sa.String(255), nullable=False),
        _tenant(),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_settings"),
    )


def downgrade() -> None:
    for table in (
        "settings",
        "files",
        "webhook_attempts",
        "webhook_deliveries",
        "execution_events",
        "task_runs",
        "executions",
        "workflow_versions",
        "workflows",
    ):
        op.drop_table(table)
