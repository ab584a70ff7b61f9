"""The database schema: SQLAlchemy 2.x declarative models.

The same schema runs on SQLite (aiosqlite) and PostgreSQL (asyncpg). The
migration `versions/0001_initial.py` creates exactly these tables; a test
checks that the two agree.

Conventions
- Every table has `tenant_id` (NOT NULL, default 'default'): room for
  multi-tenancy; children repeat their parent's tenant.
- Timestamps are `UtcDateTime`: timezone-aware UTC in Python, TIMESTAMPTZ on
  PostgreSQL, a sortable naive-UTC text on SQLite.
- JSON is the portable `JSON` type (`json` on PostgreSQL, which keeps the
  key order a user wrote; text on SQLite). Python None is SQL NULL.

The queue (issue 3) lives in `executions`:
- an execution is claimable when its status is PENDING or RUNNING and
  `available_at <= now`. A claim sets `lease_owner`, a fresh `lease_token`,
  `lease_expires_at` and moves `available_at` to the lease expiry, so an
  execution whose worker died becomes claimable again by the same
  `(status, available_at)` index scan; a heartbeat extends both. A retry
  backoff is just a later `available_at`.
- every write of a worker is conditional on `lease_token` (fencing).
- `last_sequence` is the sequence of the newest event; the next event gets
  `last_sequence + 1`, allocated by the same transaction that inserts it.
- `attempt_epoch` is bumped by RetryExecution.

`execution_events.id` is a global, monotonically increasing order a replica
can tail; `webhook_deliveries` is the outbox written in the same transaction
as the event it announces (issue 5).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from ..domain.access import DEFAULT_TENANT

__all__ = [
    "DEFAULT_TENANT",
    "AnyRow",
    "ApiKeyRow",
    "Base",
    "ExecutionEventRow",
    "ExecutionRow",
    "FileRow",
    "SecretRow",
    "SettingRow",
    "TaskRunRow",
    "UiSessionRow",
    "UtcDateTime",
    "WebhookAttemptRow",
    "WebhookDeliveryRow",
    "WebhookEndpointRow",
    "WorkflowRow",
    "WorkflowVersionRow",
    "metadata",
    "table_of",
]

if TYPE_CHECKING:
    from sqlalchemy import Row

    # A result row of any shape (SQLAlchemy 2.1 types rows by their columns).
    AnyRow = Row[*tuple[Any, ...]]
else:
    AnyRow = Any

# Constraint names are fixed so that migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    Naive datetimes are refused (a bug, not a value to guess about). SQLite
    stores naive UTC text with microseconds (`YYYY-MM-DD HH:MM:SS.ffffff`),
    which sorts and compares correctly as text.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware UTC datetime")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def json_type() -> JSON:
    """Portable JSON where Python None is stored as SQL NULL."""
    return JSON(none_as_null=True)


# INTEGER PRIMARY KEY is SQLite's rowid alias (autoincrementing); BIGINT elsewhere.
BigIntId = BigInteger().with_variant(Integer(), "sqlite")


def _tenant() -> Mapped[str]:
    return mapped_column(
        String(64), nullable=False, default=DEFAULT_TENANT, server_default=text("'default'")
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


metadata = Base.metadata


class WorkflowRow(Base):
    """A workflow: its lifecycle state and the number of its newest version."""

    __tablename__ = "workflows"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # wf-…
    tenant_id: Mapped[str] = _tenant()
    state: Mapped[str] = mapped_column(String(16), nullable=False)  # ACTIVE | ARCHIVED
    latest_version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    __table_args__ = (
        # ListWorkflows: newest first, keyset on (created_at, id).
        Index("ix_workflows_tenant_id_created_at_id", "tenant_id", "created_at", "id"),
    )


class WorkflowVersionRow(Base):
    """One immutable version of a workflow's definition (the seed's JSON body)."""

    __tablename__ = "workflow_versions"

    workflow_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("workflows.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[str] = _tenant()
    definition: Mapped[dict[str, Any]] = mapped_column(json_type(), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class ExecutionRow(Base):
    """An execution of a pinned workflow version, and its place in the queue."""

    __tablename__ = "executions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # we-…
    tenant_id: Mapped[str] = _tenant()
    workflow_id: Mapped[str] = mapped_column(String(64), nullable=False)
    workflow_version: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    inputs: Mapped[dict[str, Any]] = mapped_column(json_type(), nullable=False)
    outputs: Mapped[dict[str, Any] | None] = mapped_column(json_type(), nullable=True)
    error: Mapped[dict[str, Any] | None] = mapped_column(json_type(), nullable=True)
    webhook_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    request_hash: Mapped[str | None] = mapped_column(String(128), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    # --- queue and lease (engine) ---
    available_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    lease_owner: Mapped[str | None] = mapped_column(String(255), nullable=True)
    lease_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=text("false")
    )
    attempt_epoch: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default=text("0")
    )
    last_sequence: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default=text("0")
    )

    __table_args__ = (
        # The pinned version must exist (this also makes workflow_id a FK of workflows).
        ForeignKeyConstraint(
            ["workflow_id", "workflow_version"],
            ["workflow_versions.workflow_id", "workflow_versions.version"],
            name="fk_executions_workflow_version",
        ),
        # Idempotent ExecuteWorkflow; NULL request ids never collide (SQLite and PostgreSQL).
        UniqueConstraint("tenant_id", "request_id", name="uq_executions_tenant_id_request_id"),
        # ListExecutions: newest first, keyset on (created_at, id).
        Index("ix_executions_workflow_id_created_at_id", "workflow_id", "created_at", "id"),
        # Claims: status IN (PENDING, RUNNING) AND available_at <= now ORDER BY available_at.
        Index("ix_executions_status_available_at", "status", "available_at"),
    )


class TaskRunRow(Base):
    """The state of one task of an execution (position = order in the definition)."""

    __tablename__ = "task_runs"

    execution_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("executions.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[str] = _tenant()
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    type: Mapped[str] = mapped_column(String(255), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    attempts: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default=text("0")
    )
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    outputs: Mapped[dict[str, Any] | None] = mapped_column(json_type(), nullable=True)
    error: Mapped[dict[str, Any] | None] = mapped_column(json_type(), nullable=True)
    # 0003: why it was skipped; a for_each task's items (a JSON list of item runs,
    # rewritten with the row: bounded by the item limit).
    skip_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    items: Mapped[list[Any] | None] = mapped_column(json_type(), nullable=True)


class ExecutionEventRow(Base):
    """One entry of an execution's event log: `sequence` is 1, 2, 3… per execution."""

    __tablename__ = "execution_events"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = _tenant()
    execution_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("executions.id", ondelete="CASCADE"), nullable=False
    )
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    type: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # execution status after it
    task_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    task_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    attempt: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default=text("0")
    )
    error: Mapped[dict[str, Any] | None] = mapped_column(json_type(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    # 0003: the item of task.item.* events; why a task or item was skipped.
    item_index: Mapped[int | None] = mapped_column(Integer, nullable=True)
    skip_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        # Also the index of WatchExecution's replay (execution_id, sequence > n).
        UniqueConstraint(
            "execution_id", "sequence", name="uq_execution_events_execution_id_sequence"
        ),
        # AUTOINCREMENT: ids are never reused on SQLite, a global order to tail.
        {"sqlite_autoincrement": True},
    )


class WebhookDeliveryRow(Base):
    """Outbox: one webhook to deliver for one event, retried on a schedule."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = _tenant()
    execution_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("executions.id", ondelete="CASCADE"), nullable=False
    )
    event_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"),
        ForeignKey("execution_events.id", ondelete="CASCADE"),
        nullable=False,
    )
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    url: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # PENDING|DELIVERED|FAILED
    attempts: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default=text("0")
    )
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    last_status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    webhook_message_id: Mapped[str] = mapped_column(String(64), nullable=False)  # msg_…
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(255), nullable=True)
    claim_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # 0002: the event type and the JSON body, built in the event's transaction.
    event_type: Mapped[str] = mapped_column(
        String(64), nullable=False, default="", server_default=text("''")
    )
    payload: Mapped[dict[str, Any] | None] = mapped_column(json_type(), nullable=True)

    __table_args__ = (
        UniqueConstraint("webhook_message_id", name="uq_webhook_deliveries_webhook_message_id"),
        # Claims: status = PENDING AND next_attempt_at <= now ORDER BY next_attempt_at.
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_execution_id_sequence", "execution_id", "sequence"),
        Index("ix_webhook_deliveries_event_id", "event_id"),
    )


class WebhookAttemptRow(Base):
    """One HTTP attempt of a delivery (for inspection and debugging)."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = _tenant()
    delivery_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"),
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"),
        nullable=False,
    )
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    latency_ms: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default=text("0")
    )

    __table_args__ = (Index("ix_webhook_attempts_delivery_id", "delivery_id"),)


class WebhookEndpointRow(Base):
    """A webhook URL that answered 410 Gone: nothing more is sent to it."""

    __tablename__ = "webhook_endpoints"

    tenant_id: Mapped[str] = mapped_column(
        String(64), primary_key=True, default=DEFAULT_TENANT, server_default=text("'default'")
    )
    url: Mapped[str] = mapped_column(Text, primary_key=True)
    disabled_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)


class FileRow(Base):
    """Metadata of a stored blob (the bytes live in the file store, by sha256)."""

    __tablename__ = "files"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # file-…
    tenant_id: Mapped[str] = _tenant()
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(1024), nullable=False)
    content_type: Mapped[str] = mapped_column(String(255), nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    # The execution that produced it (None for uploads).
    execution_id: Mapped[str | None] = mapped_column(
        String(64), ForeignKey("executions.id", ondelete="SET NULL"), nullable=True
    )

    __table_args__ = (Index("ix_files_sha256", "sha256"),)


class SettingRow(Base):
    """Process-wide settings that must survive restarts (e.g. a generated webhook secret)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    tenant_id: Mapped[str] = _tenant()
    value: Mapped[str] = mapped_column(Text, nullable=False)


class ApiKeyRow(Base):
    """An API key (issue 15): what it grants, never the key itself, only its SHA-256
    (domain/api_keys.py says why a fast hash is right for a random key)."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # key-…, public
    tenant_id: Mapped[str] = _tenant()
    name: Mapped[str] = mapped_column(
        String(200), nullable=False, default="", server_default=text("''")
    )
    scope: Mapped[str] = mapped_column(String(16), nullable=False)  # read|execute|admin
    key_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    # Requests per second; NULL: the server's DATAFLOW_KEY_RATE_LIMIT.
    rate_limit: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # Written in batches (app/access.py), so it lags real use by seconds.
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    __table_args__ = (
        # Every authenticated request looks its key up by hash.
        UniqueConstraint("key_hash", name="uq_api_keys_key_hash"),
        Index("ix_api_keys_tenant_id", "tenant_id"),
    )


class SecretRow(Base):
    """A tenant's secret: its value encrypted (AES-256-GCM, vault/cipher.py), never in clear.

    `key_id` fingerprints the key it was sealed under, so a changed key is
    reported as such."""

    __tablename__ = "secrets"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    nonce: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    key_id: Mapped[str] = mapped_column(String(32), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class UiSessionRow(Base):
    """A web console session (domain/ui_sessions.py): only the token's hash is stored."""

    __tablename__ = "ui_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = _tenant()
    key_id: Mapped[str] = mapped_column(String(64), nullable=False)
    scope: Mapped[str] = mapped_column(String(16), nullable=False)  # read|execute|admin
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)

    __table_args__ = (
        Index("ix_ui_sessions_tenant_id_key_id", "tenant_id", "key_id"),
        Index("ix_ui_sessions_expires_at", "expires_at"),
    )


def table_of(model: type[Base]) -> Table:
    """The Core `Table` of a model (for Core statements on a connection)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
