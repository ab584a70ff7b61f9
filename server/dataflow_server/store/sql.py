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

The hot statements (create, claim, transition, event append, watch reads) go
to the driver (`hot_sql`, one program per operation, run by `hot_sqlite` or
`hot_postgres`); the cold queries live in small SQLAlchemy modules
(`workflows`, `executions`, `files`) as functions of an `AsyncConnection`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ..concurrency.group_commit import GroupCommit
from ..domain.definitions import WorkflowDefinition
from ..domain.errors import DomainError, InvalidArgument
from ..domain.lifecycle import AppliedBatch, Transition, repeat_of
from ..domain.records import (
    AttemptOutcome,
    Claim,
    DueDelivery,
    EventRecord,
    ExecutionRecord,
    ExecutionStatus,
    FileRecord,
    NewExecution,
    Page,
    WorkflowRecord,
    WorkflowState,
)
from ..domain.webhook_secrets import WebhookSecrets, rotate
from . import executions, files, hot_sql, queue, webhook_deliveries, webhook_secrets, workflows
from .errors import ConflictError, translate_db_errors
from .hot_sql import HotPath
from .interface import Store
from .models import DEFAULT_TENANT
from .sqlite_inline import READ_ONLY_OPTION, WalCheckpointer

__all__ = ["SqlStore", "utcnow"]

VERSION_CACHE_SIZE = 1024
KEPT_READERS = 8  # SQLite read connections kept open between transactions


def utcnow() -> datetime:
    return datetime.now(UTC)


class SqlStore:
    """Implements `dataflow_server.store.interface.Store`. Owns its engine."""

    def __init__(
        self,
        engine: AsyncEngine,
        hot: HotPath,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._engine = engine
        self._hot = hot
        self._codec = hot.codec
        self._clock = clock
        self._is_sqlite = engine.dialect.name == "sqlite"
        if self._is_sqlite:
            self._read_engine = engine.execution_options(**{READ_ONLY_OPTION: True})
        else:
            self._read_engine = engine.execution_options(isolation_level="REPEATABLE READ")
        self._write_lock: asyncio.Lock | None = asyncio.Lock() if self._is_sqlite else None
        # New executions without a request_id share transactions (group commit).
        self._creates: GroupCommit[NewExecution, tuple[ExecutionRecord, bool]] = GroupCommit(
            self._create_batch, name="create-executions"
        )
        # SQLite: connections kept open between transactions.
        self._writer: AsyncConnection | None = None
        self._readers: list[AsyncConnection] = []
        # (workflow id, version) → (definition, version created_at): versions never change.
        self._versions: dict[tuple[str, int], tuple[WorkflowDefinition, datetime]] = {}
        database = engine.url.database
        self._checkpointer: WalCheckpointer | None = (
            WalCheckpointer(database)
            if self._is_sqlite
            and engine.dialect.driver != "aiosqlite"
            and database
            and database != ":memory:"
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

    def now(self) -> datetime:
        """The store's clock (timezone-aware UTC)."""
        return self._clock()

    @asynccontextmanager
    async def write_transaction(self) -> AsyncIterator[AsyncConnection]:
        """A read-write transaction, committed on exit, rolled back on error."""
        if self._write_lock is None:  # PostgreSQL: pooled connections, row locks
            with translate_db_errors():
                async with self._engine.begin() as conn:
                    yield conn
            return
        # SQLite: writers take turns on one connection that stays open
        # (checking a connection out of the pool and back costs more than a
        # short transaction).
        async with self._write_lock:
            with translate_db_errors():
                conn = self._writer or await self._engine.connect()
                self._writer = None
                reusable = False
                try:
                    async with conn.begin():
                        yield conn
                    reusable = True
                except DomainError:
                    reusable = True  # refused by the store's own logic: rolled back cleanly
                    raise
                finally:
                    if reusable:
                        self._writer = conn
                    else:  # a driver error or a cancellation: its state is unknown
                        await _close_quietly(conn)
        if self._checkpointer is not None:
            self._checkpointer.note_commit()

    async def _hot_write(self, program: hot_sql.Program) -> Any:
        """A hot-path write, taking its turn with the cold path's writers (SQLite)."""
        if self._write_lock is None:
            return await self._hot.write(program)
        async with self._write_lock:
            return await self._hot.write(program)

    async def apply_transitions(
        self, batch: Sequence[Transition], read_back: Collection[str] = ()
    ) -> AppliedBatch:
        """Each transition fenced by its lease token, all in one transaction: its
        events, or LeaseLost (nothing of it written); whether webhook deliveries
        were enqueued; the executions of `read_back` that ended, as committed."""
        applied: AppliedBatch = await self._hot_write(
            hot_sql.apply_transitions(self._codec, batch, self.now(), read_back)
        )
        return applied

    async def claim_executions(
        self, owner: str, limit: int, lease_seconds: float, now: datetime | None = None
    ) -> list[Claim]:
        """Lease up to `limit` executions claimable at `now` (default: the store's
        clock), oldest available first."""
        claims: list[Claim] = await self._hot_write(
            hot_sql.claim(self._codec, owner, limit, lease_seconds, now or self.now())
        )
        return claims

    async def renew_leases(
        self, leases: Mapping[str, str], lease_seconds: float
    ) -> tuple[set[str], set[str]]:
        """Extend leases (execution id → token), all in one transaction: (ids still
        held, ids whose cancellation was requested)."""
        async with self.write_transaction() as conn:
            return await queue.renew(conn, leases, lease_seconds, self.now())

    async def release_leases(self, leases: Mapping[str, str]) -> None:
        """Hand leased executions back to the queue, claimable at once."""
        async with self.write_transaction() as conn:
            await queue.release(conn, leases, self.now())

    async def request_cancel(self, tenant_id: str, execution_id: str) -> bool:
        """Flag an active execution for cancellation; False when it is not active."""
        async with self.write_transaction() as conn:
            return await queue.request_cancel(conn, tenant_id, execution_id, self.now())

    @asynccontextmanager
    async def read_transaction(self) -> AsyncIterator[AsyncConnection]:
        """A read-only snapshot (do not write in it)."""
        if not self._is_sqlite:
            with translate_db_errors():
                async with self._read_engine.begin() as conn:
                    yield conn
            return
        with translate_db_errors():
            conn = self._readers.pop() if self._readers else await self._read_engine.connect()
            reusable = False
            try:
                async with conn.begin():
                    yield conn
                reusable = True
            except DomainError:
                reusable = True
                raise
            finally:
                if reusable and len(self._readers) < KEPT_READERS:
                    self._readers.append(conn)
                else:
                    await _close_quietly(conn)

    async def close(self) -> None:
        await self._creates.close()
        await self._hot.close()
        for conn in [*self._readers, *([self._writer] if self._writer else [])]:
            await _close_quietly(conn)
        self._readers.clear()
        self._writer = None
        if self._checkpointer is not None:
            await asyncio.to_thread(self._checkpointer.close)
        await self._engine.dispose()

    # --- workflows --------------------------------------------------------
    async def create_workflow(
        self, tenant_id: str, workflow_id: str, definition: WorkflowDefinition
    ) -> WorkflowRecord:
        async with self.write_transaction() as conn:
            return await workflows.create_workflow(
                conn, tenant_id, workflow_id, definition, self.now()
            )

    async def add_workflow_version(
        self, tenant_id: str, workflow_id: str, definition: WorkflowDefinition
    ) -> WorkflowRecord:
        async with self.write_transaction() as conn:
            return await workflows.add_workflow_version(
                conn, tenant_id, workflow_id, definition, self.now()
            )

    async def get_workflow(
        self, tenant_id: str, workflow_id: str, version: int | None = None
    ) -> WorkflowRecord:
        # Versions are immutable: once read, a version's definition comes from
        # memory and only the workflow's row (state, latest version) is read;
        # that read filters by tenant, so the cache never serves another tenant.
        head: hot_sql.WorkflowHead | None = await self._hot.read_autocommit(
            hot_sql.workflow_head(self._codec, tenant_id, workflow_id)
        )
        if head is not None:
            cached = self._versions.get((workflow_id, version or head.latest_version))
            if cached is not None:
                definition, version_created_at = cached
                return WorkflowRecord(
                    workflow_id=workflow_id,
                    version=version or head.latest_version,
                    definition=definition,
                    state=WorkflowState(head.state),
                    created_at=head.created_at,
                    updated_at=version_created_at,
                    tenant_id=head.tenant_id,
                )
        async with self.read_transaction() as conn:
            record = await workflows.get_workflow(conn, tenant_id, workflow_id, version)
        if len(self._versions) >= VERSION_CACHE_SIZE:
            self._versions.pop(next(iter(self._versions)))
        self._versions[(workflow_id, record.version)] = (record.definition, record.updated_at)
        return record

    async def list_workflows(
        self, tenant_id: str, page_size: int, cursor: str | None, show_archived: bool = False
    ) -> Page[WorkflowRecord]:
        async with self.read_transaction() as conn:
            return await workflows.list_workflows(conn, tenant_id, page_size, cursor, show_archived)

    async def archive_workflow(self, tenant_id: str, workflow_id: str) -> WorkflowRecord:
        async with self.write_transaction() as conn:
            return await workflows.archive_workflow(conn, tenant_id, workflow_id, self.now())

    # --- executions -------------------------------------------------------
    async def create_execution(self, new: NewExecution) -> tuple[ExecutionRecord, bool]:
        """See `Store.create_execution`. Also NotFound for an unknown workflow
        or version and FailedPrecondition for an archived workflow (unless the
        request_id replays an execution created before the archive).

        Requests that arrive together share one transaction (group commit,
        `concurrency.GroupCommit`); each caller is answered only after that
        transaction committed."""
        try:
            return await self._creates.submit(new)
        except ConflictError:
            # Lost a race on the same request_id (another replica's transaction
            # committed first): answer as if we had come second.
            if new.request_id is None:
                raise
            existing = await self.find_execution_by_request_id(new.tenant_id, new.request_id)
            if existing is None:
                raise
            return repeat_of(existing, new.request_hash), False

    async def _create_batch(
        self, batch: Sequence[NewExecution]
    ) -> list[tuple[ExecutionRecord, bool] | Exception]:
        results: list[tuple[ExecutionRecord, bool] | Exception] = await self._hot_write(
            hot_sql.create_executions(self._codec, batch, self.now())
        )
        return results

    async def find_execution_by_request_id(
        self, tenant_id: str, request_id: str
    ) -> ExecutionRecord | None:
        """The execution requested with this idempotency key (with its tasks), if any."""
        record: ExecutionRecord | None = await self._hot.read_autocommit(
            hot_sql.find_by_request_id(self._codec, tenant_id, request_id)
        )
        return record

    async def get_execution(self, tenant_id: str, execution_id: str) -> ExecutionRecord:
        record: ExecutionRecord = await self._hot.read_autocommit(
            hot_sql.get_execution(self._codec, tenant_id, execution_id)
        )
        return record

    async def get_execution_and_events(
        self, tenant_id: str, execution_id: str, after_sequence: int = 0, limit: int = 1000
    ) -> tuple[ExecutionRecord, list[EventRecord]]:
        """The execution and its events after `after_sequence`, as of one moment."""
        result: tuple[ExecutionRecord, list[EventRecord]] = await self._hot.read_autocommit(
            hot_sql.execution_and_events(
                self._codec, tenant_id, execution_id, after_sequence, limit
            )
        )
        return result

    async def list_executions(
        self,
        tenant_id: str,
        workflow_id: str,
        page_size: int,
        cursor: str | None,
        status: ExecutionStatus | None = None,
        with_tasks: bool = False,
    ) -> Page[ExecutionRecord]:
        async with self.read_transaction() as conn:
            return await executions.list_executions(
                conn, tenant_id, workflow_id, page_size, cursor, status, with_tasks
            )

    async def list_events(
        self, tenant_id: str, execution_id: str, after_sequence: int = 0, limit: int = 1000
    ) -> list[EventRecord]:
        events: list[EventRecord] = await self._hot.read_autocommit(
            hot_sql.list_events(self._codec, tenant_id, execution_id, after_sequence, limit)
        )
        return events

    # --- files ------------------------------------------------------------
    async def create_file(self, record: FileRecord) -> FileRecord:
        """AlreadyExists (a ConflictError) when the id is taken."""
        async with self.write_transaction() as conn:
            return await files.create_file(conn, record)

    async def get_file(self, tenant_id: str, file_id: str) -> FileRecord:
        async with self.read_transaction() as conn:
            return await files.get_file(conn, tenant_id, file_id)

    # --- settings (process-wide: keyed by name alone) ----------------------
    async def get_or_create_setting(self, key: str, value: str) -> str:
        async with self.write_transaction() as conn:
            return await files.get_or_create_setting(conn, DEFAULT_TENANT, key, value)

    async def get_setting(self, key: str) -> str | None:
        async with self.read_transaction() as conn:
            return await files.get_setting(conn, DEFAULT_TENANT, key)

    async def event_mark(self) -> int:
        """The event log's highest id (SQLite's change feed: ids commit in order there)."""
        mark: int = await self._hot.read_autocommit(hot_sql.event_mark())
        return mark

    async def events_since(self, mark: int) -> tuple[dict[str, int], int]:
        """The executions with events above id `mark`, their last sequences, the new mark."""
        news: tuple[dict[str, int], int] = await self._hot.read_autocommit(
            hot_sql.events_since(mark)
        )
        return news

    async def last_sequences(self, execution_ids: Collection[str]) -> dict[str, int]:
        """The last event sequence of each execution (for the event tailer: any tenant)."""
        async with self.read_transaction() as conn:
            return await executions.last_sequences(conn, execution_ids)

    async def tail_events(
        self, execution_id: str, after_sequence: int = 0, limit: int = 1000
    ) -> list[EventRecord]:
        """Events after `after_sequence` for the event tailer (any tenant: the hub
        hands them only to watchers that found the execution in their tenant)."""
        async with self.read_transaction() as conn:
            return await executions.tail_events(conn, execution_id, after_sequence, limit)

    # --- webhook outbox (engine.ports.WebhookOutbox) ---------------------------
    async def claim_webhook_deliveries(
        self, owner: str, limit: int, claim_seconds: float
    ) -> list[DueDelivery]:
        async with self.write_transaction() as conn:
            return await webhook_deliveries.claim_due(
                conn,
                owner,
                limit,
                claim_seconds,
                self.now(),
                skip_locked=not self._is_sqlite,
            )

    async def record_webhook_attempt(
        self, delivery: DueDelivery, owner: str, outcome: AttemptOutcome
    ) -> bool:
        async with self.write_transaction() as conn:
            return await webhook_deliveries.record_attempt(
                conn, delivery, owner, outcome, self.now()
            )

    # --- webhook secrets (engine.ports.WebhookSecretStore) ----------------------
    async def webhook_secrets(
        self, tenant_ids: Collection[str], new_secret: Callable[[], str]
    ) -> dict[str, WebhookSecrets]:
        async with self.read_transaction() as conn:
            found = await webhook_secrets.read_secrets(conn, tenant_ids)
        missing = set(tenant_ids) - found.keys()
        if missing:  # the first need of these tenants: create theirs
            async with self.write_transaction() as conn:
                await webhook_secrets.insert_missing(
                    conn, {tenant_id: new_secret() for tenant_id in missing}, self.now()
                )
                found.update(await webhook_secrets.read_secrets(conn, missing))
        return found

    async def find_webhook_secrets(self, tenant_id: str) -> WebhookSecrets | None:
        async with self.read_transaction() as conn:
            return (await webhook_secrets.read_secrets(conn, [tenant_id])).get(tenant_id)

    async def rotate_webhook_secret(
        self, tenant_id: str, new_secret: str, window: timedelta
    ) -> WebhookSecrets:
        async with self.write_transaction() as conn:
            now = self.now()
            await webhook_secrets.insert_missing(conn, {tenant_id: new_secret}, now)
            stored = (await webhook_secrets.read_secrets(conn, [tenant_id], for_update=True))[
                tenant_id
            ]
            if stored.current == new_secret:  # just created: nothing to rotate from
                return stored
            rotated = rotate(stored, new_secret, now, window)
            await webhook_secrets.write_secrets(conn, rotated)
            return rotated

    # --- webhook deliveries -------------------------------------------------
    async def list_webhook_deliveries(
        self, tenant_id: str, execution_id: str, page_size: int, cursor: str | None
    ) -> Page[webhook_deliveries.DeliveryRecord]:
        """In event order. The cursor is opaque; a malformed one is INVALID_ARGUMENT."""
        after = _delivery_cursor(cursor)
        async with self.read_transaction() as conn:
            await executions.get_execution(conn, tenant_id, execution_id)
            rows = await webhook_deliveries.list_deliveries(
                conn, tenant_id, execution_id, page_size + 1, after
            )
        items = rows[:page_size]
        more = len(rows) > page_size
        return Page(
            tuple(r for _, r in items),
            _encode_delivery_cursor(items[-1][0]) if more and items else None,
        )

    async def redeliver_webhook(
        self, tenant_id: str, webhook_id: str
    ) -> webhook_deliveries.DeliveryRecord:
        async with self.write_transaction() as conn:
            await webhook_deliveries.redeliver(conn, tenant_id, webhook_id, self.now())
            return await webhook_deliveries.get_delivery(conn, tenant_id, webhook_id)


async def _close_quietly(conn: AsyncConnection) -> None:
    with contextlib.suppress(Exception):
        await conn.close()


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
    from ..engine.ports import EngineStore, FileCatalog, WebhookOutbox, WebhookSecretStore

    # mypy checks that SqlStore satisfies the Store protocol and the engine's ports.
    def _implements_store(store: SqlStore) -> Store:
        return store

    def _implements_ports(store: SqlStore) -> EngineStore:
        return store

    def _implements_files(store: SqlStore) -> FileCatalog:
        return store

    def _implements_outbox(store: SqlStore) -> WebhookOutbox:
        return store

    def _implements_secrets(store: SqlStore) -> WebhookSecretStore:
        return store
