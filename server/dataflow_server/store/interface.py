"""The storage contract used by the api and engine layers.

`dataflow_server.store.sql.SqlStore` implements it on SQLAlchemy async
(aiosqlite or asyncpg). Callers see only domain records and domain errors:
driver errors never leave the store.

Tenancy: every method that reads tenant-owned rows takes the caller's
`tenant_id` and puts it in the WHERE clause of its query, so another tenant's
row is not found by the same query that finds no row at all (same NotFound,
same work). Writes carry the tenant in the record (`NewExecution.tenant_id`,
`FileRecord.tenant_id`, required fields) or take it as an argument. Ids are
globally unique; `request_id`s and list cursors are per tenant.
"""

from __future__ import annotations

from typing import Protocol

from ..domain.definitions import WorkflowDefinition
from ..domain.records import (
    EventRecord,
    ExecutionRecord,
    ExecutionStatus,
    FileRecord,
    NewExecution,
    Page,
    WorkflowRecord,
)

__all__ = ["Store"]


class Store(Protocol):
    async def close(self) -> None: ...

    # --- workflows -------------------------------------------------------
    async def create_workflow(
        self, tenant_id: str, workflow_id: str, definition: WorkflowDefinition
    ) -> WorkflowRecord:
        """Store version 1 of a new, ACTIVE workflow."""

    async def add_workflow_version(
        self, tenant_id: str, workflow_id: str, definition: WorkflowDefinition
    ) -> WorkflowRecord:
        """Store the next immutable version (2, 3, ...), allocated atomically.

        NotFound when unknown; FailedPrecondition when archived.
        """

    async def get_workflow(
        self, tenant_id: str, workflow_id: str, version: int | None = None
    ) -> WorkflowRecord:
        """The latest version, or `version`; NotFound (naming the version) otherwise."""

    async def list_workflows(
        self, tenant_id: str, page_size: int, cursor: str | None, show_archived: bool = False
    ) -> Page[WorkflowRecord]:
        """Newest first (by creation of version 1), each at its latest version.

        `cursor` is an opaque `next_cursor` of a previous page; a malformed one
        raises InvalidArgument on field `page_token`.
        """

    async def archive_workflow(self, tenant_id: str, workflow_id: str) -> WorkflowRecord:
        """Mark ARCHIVED (idempotent); NotFound when unknown."""

    # --- executions ------------------------------------------------------
    async def create_execution(self, new: NewExecution) -> tuple[ExecutionRecord, bool]:
        """In one transaction: the execution (PENDING), its task runs (PENDING)
        and event 1 `execution.pending`. Returns (record, created).

        With a `request_id` already used: the original execution and False
        when `request_hash` matches, AlreadyExists otherwise (also under a
        concurrent race on the same key).
        """

    async def find_execution_by_request_id(
        self, tenant_id: str, request_id: str
    ) -> ExecutionRecord | None:
        """The execution requested with this idempotency key, if any."""

    async def get_execution(self, tenant_id: str, execution_id: str) -> ExecutionRecord:
        """With its task runs in position order; NotFound when unknown."""

    async def list_executions(
        self,
        tenant_id: str,
        workflow_id: str,
        page_size: int,
        cursor: str | None,
        status: ExecutionStatus | None = None,
        with_tasks: bool = False,
    ) -> Page[ExecutionRecord]:
        """Newest first; tasks left empty unless `with_tasks`. Bad cursor:
        InvalidArgument on `page_token`."""

    async def list_events(
        self, tenant_id: str, execution_id: str, after_sequence: int = 0, limit: int = 1000
    ) -> list[EventRecord]:
        """Events with sequence > after_sequence, ascending."""

    async def get_execution_and_events(
        self, tenant_id: str, execution_id: str, after_sequence: int = 0, limit: int = 1000
    ) -> tuple[ExecutionRecord, list[EventRecord]]:
        """`get_execution` and `list_events` read from one snapshot (events up to
        the execution's `last_sequence`); NotFound when unknown."""

    # --- files -----------------------------------------------------------
    async def create_file(self, record: FileRecord) -> FileRecord: ...

    async def get_file(self, tenant_id: str, file_id: str) -> FileRecord:
        """NotFound when unknown."""

    # --- settings (process-wide, not per tenant: e.g. the generated webhook secret)
    async def get_or_create_setting(self, key: str, value: str) -> str:
        """The stored value of `key`, storing `value` first when absent (race-safe)."""

    async def get_setting(self, key: str) -> str | None:
        """The stored value of `key`, or None (read-only commands use this)."""
