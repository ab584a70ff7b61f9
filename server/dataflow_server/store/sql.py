"""`SqlStore`: the `Store` contract on SQLAlchemy async (aiosqlite or asyncpg).

Transactions
- `write_transaction()` is the one way to write. On SQLite it is serialised
  in-process by an asyncio lock (writers queue without busy-waiting) and
  across processes by `BEGIN IMMEDIATE` (see `database.create_engine`); on
  PostgreSQL it is READ COMMITTED and row locks serialise what must be.
- `read_transaction()` gives a consistent snapshot: SQLite's deferred
  `BEGIN` under WAL, PostgreSQL's REPEATABLE READ. It never blocks writers.
- Both translate driver errors in one place (`errors.translate_db_errors`):
  callers see domain errors (NotFound, AlreadyExists, …) or
  `StoreUnavailable` / `StoreError`, never a driver exception.

The queries live in small modules (`workflows`, `executions`, `files`), as
functions of an `AsyncConnection`, so that the engine can compose its own
transactions (claims, fenced updates, event appends, group commit) with
`write_transaction()` and the same row converters.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator, Callable, Collection
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ..domain.definitions import WorkflowDefinition
from ..domain.errors import InvalidArgument
from ..domain.records import (
    EventRecord,
    ExecutionRecord,
    ExecutionStatus,
    FileRecord,
    NewExecution,
    Page,
    WorkflowRecord,
)
from . import executions, files, webhook_deliveries, workflows
from .database import READ_ONLY_OPTION, WalCheckpointer
from .errors import ConflictError, translate_db_errors
from .interface import Store
from .models import DEFAULT_TENANT

__all__ = ["SqlStore", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class SqlStore:
    """Implements `dataflow_server.store.interface.Store`. Owns its engine."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        tenant_id: str = DEFAULT_TENANT,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._engine = engine
        self._tenant_id = tenant_id
        self._clock = clock
        self._is_sqlite = engine.dialect.name == "sqlite"
        if self._is_sqlite:
            self._read_engine = engine.execution_options(**{READ_ONLY_OPTION: True})
        else:
            self._read_engine = engine.execution_options(isolation_level="REPEATABLE READ")
        self._write_lock: asyncio.Lock | None = asyncio.Lock() if self._is_sqlite else None
        database = engine.url.database
        self._checkpointer: WalCheckpointer | None = (
            WalCheckpointer(database)
            if self._is_sqlite and database and database != ":memory:"
            else None
        )

    # --- plumbing shared with the engine ----------------------------------
    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    @property
    def dialect_name(self) -> str:
        """'sqlite' or 'postgresql' (e.g. to choose FOR UPDATE SKIP LOCKED)."""
        return self._engine.dialect.name

    @property
    def tenant_id(self) -> str:
        return self._tenant_id

    def now(self) -> datetime:
        """The store's clock (timezone-aware UTC)."""
        return self._clock()

    @asynccontextmanager
    async def write_transaction(self) -> AsyncIterator[AsyncConnection]:
        """A read-write transaction, committed on exit, rolled back on error."""
        lock: AbstractAsyncContextManager[object] = (
            self._write_lock if self._write_lock is not None else nullcontext()
        )
        async with lock:
            with translate_db_errors():
                async with self._engine.begin() as conn:
                    yield conn
        if self._checkpointer is not None:
            self._checkpointer.note_commit()

    @asynccontextmanager
    async def read_transaction(self) -> AsyncIterator[AsyncConnection]:
        """A read-only snapshot (do not write in it)."""
        with translate_db_errors():
            async with self._read_engine.begin() as conn:
                yield conn

    async def close(self) -> None:
        if self._checkpointer is not None:
            await asyncio.to_thread(self._checkpointer.close)
        await self._engine.dispose()

    # --- workflows --------------------------------------------------------
    async def create_workflow(
        self, workflow_id: str, definition: WorkflowDefinition
    ) -> WorkflowRecord:
        async with self.write_transaction() as conn:
            return await workflows.create_workflow(
                conn, self._tenant_id, workflow_id, definition, self.now()
            )

    async def add_workflow_version(
        self, workflow_id: str, definition: WorkflowDefinition
    ) -> WorkflowRecord:
        async with self.write_transaction() as conn:
            return await workflows.add_workflow_version(
                conn, self._tenant_id, workflow_id, definition, self.now()
            )

    async def get_workflow(self, workflow_id: str, version: int | None = None) -> WorkflowRecord:
        async with self.read_transaction() as conn:
            return await workflows.get_workflow(conn, self._tenant_id, workflow_id, version)

    async def list_workflows(
        self, page_size: int, cursor: str | None, show_archived: bool = False
    ) -> Page[WorkflowRecord]:
        async with self.read_transaction() as conn:
            return await workflows.list_workflows(
                conn, self._tenant_id, page_size, cursor, show_archived
            )

    async def archive_workflow(self, workflow_id: str) -> WorkflowRecord:
        async with self.write_transaction() as conn:
            return await workflows.archive_workflow(conn, self._tenant_id, workflow_id, self.now())

    # --- executions -------------------------------------------------------
    async def create_execution(self, new: NewExecution) -> tuple[ExecutionRecord, bool]:
        """See `Store.create_execution`. Also NotFound for an unknown workflow
        or version and FailedPrecondition for an archived workflow (unless the
        request_id replays an execution created before the archive)."""
        try:
            async with self.write_transaction() as conn:
                return await executions.create_execution(conn, new, self.now())
        except ConflictError:
            # Lost a race on the same request_id (PostgreSQL: the other
            # transaction committed first): answer as if we had come second.
            if new.request_id is None:
                raise
            async with self.read_transaction() as conn:
                existing = await executions.find_by_request_id(conn, new.tenant_id, new.request_id)
            if existing is None:
                raise
            return executions.replay_or_conflict(existing, new), False

    async def find_execution_by_request_id(self, request_id: str) -> ExecutionRecord | None:
        """The execution requested with this idempotency key (with its tasks), if any."""
        async with self.read_transaction() as conn:
            return await executions.find_by_request_id(conn, self._tenant_id, request_id)

    async def get_execution(self, execution_id: str) -> ExecutionRecord:
        async with self.read_transaction() as conn:
            return await executions.get_execution(conn, self._tenant_id, execution_id)

    async def list_executions(
        self,
        workflow_id: str,
        page_size: int,
        cursor: str | None,
        status: ExecutionStatus | None = None,
        with_tasks: bool = False,
    ) -> Page[ExecutionRecord]:
        async with self.read_transaction() as conn:
            return await executions.list_executions(
                conn, self._tenant_id, workflow_id, page_size, cursor, status, with_tasks
            )

    async def list_events(
        self, execution_id: str, after_sequence: int = 0, limit: int = 1000
    ) -> list[EventRecord]:
        async with self.read_transaction() as conn:
            return await executions.list_events(
                conn, self._tenant_id, execution_id, after_sequence, limit
            )

    # --- files ------------------------------------------------------------
    async def create_file(self, record: FileRecord) -> FileRecord:
        """AlreadyExists (a ConflictError) when the id is taken."""
        async with self.write_transaction() as conn:
            return await files.create_file(conn, record)

    async def get_file(self, file_id: str) -> FileRecord:
        async with self.read_transaction() as conn:
            return await files.get_file(conn, self._tenant_id, file_id)

    # --- settings ---------------------------------------------------------
    async def get_or_create_setting(self, key: str, value: str) -> str:
        async with self.write_transaction() as conn:
            return await files.get_or_create_setting(conn, self._tenant_id, key, value)

    async def last_sequences(self, execution_ids: Collection[str]) -> dict[str, int]:
        """The last event sequence of each execution (for the event tailer)."""
        async with self.read_transaction() as conn:
            return await executions.last_sequences(conn, execution_ids)

    # --- webhook deliveries -------------------------------------------------
    async def list_webhook_deliveries(
        self, execution_id: str, page_size: int, cursor: str | None
    ) -> Page[webhook_deliveries.DeliveryRecord]:
        """In event order. The cursor is opaque; a malformed one is INVALID_ARGUMENT."""
        after = _delivery_cursor(cursor)
        async with self.read_transaction() as conn:
            await executions.get_execution(conn, self._tenant_id, execution_id)
            rows = await webhook_deliveries.list_deliveries(
                conn, execution_id, page_size + 1, after
            )
        items = rows[:page_size]
        more = len(rows) > page_size
        return Page(
            tuple(r for _, r in items),
            _encode_delivery_cursor(items[-1][0]) if more and items else None,
        )

    async def redeliver_webhook(self, webhook_id: str) -> webhook_deliveries.DeliveryRecord:
        async with self.write_transaction() as conn:
            await webhook_deliveries.redeliver(conn, webhook_id, self.now())
            return await webhook_deliveries.get_delivery(conn, webhook_id)


def _encode_delivery_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"d:{last_id}".encode()).decode().rstrip("=")


def _delivery_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, value = raw.split(":", 1)
        if kind != "d":
            raise ValueError(kind)
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise InvalidArgument.single("page_token", "is not a token from this list") from None


if TYPE_CHECKING:

    def _implements_store(store: SqlStore) -> Store:
        return store  # mypy checks that SqlStore satisfies the Store protocol
