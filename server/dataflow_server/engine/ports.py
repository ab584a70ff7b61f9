"""What the engine needs from storage: ports that own their transactions.

The engine asks for a claim, a lease renewal, a batch of fenced transitions, a
read; it never holds a connection. `store.sql.SqlStore` implements these on
SQLite and PostgreSQL; an in-memory implementation (tests/support) shows the
contract and runs engine tests without a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from ..domain.lifecycle import LeaseLost, Transition
from ..domain.records import Claim, EventRecord, ExecutionRecord, WorkflowRecord

__all__ = ["EngineStore", "ExecutionQueue", "ExecutionReader", "Journal"]


class ExecutionQueue(Protocol):
    """The durable queue of executions, with leases."""

    def now(self) -> datetime:
        """The store's clock (timezone-aware UTC)."""
        ...

    async def claim_executions(
        self, owner: str, limit: int, lease_seconds: float, now: datetime | None = None
    ) -> list[Claim]:
        """Lease up to `limit` claimable executions, oldest available first."""
        ...

    async def renew_leases(
        self, leases: Mapping[str, str], lease_seconds: float
    ) -> tuple[set[str], set[str]]:
        """(ids still held, ids whose cancellation was requested)."""
        ...

    async def release_leases(self, leases: Mapping[str, str]) -> None: ...

    async def request_cancel(self, tenant_id: str, execution_id: str) -> bool:
        """Flag an active execution for cancellation; False when it is not active."""
        ...


class Journal(Protocol):
    async def apply_transitions(
        self, batch: Sequence[Transition]
    ) -> tuple[list[list[EventRecord] | LeaseLost], bool]:
        """All in one transaction, each fenced by its lease token: its events with
        their sequences, or LeaseLost (nothing of it written). Also whether webhook
        deliveries were enqueued."""
        ...


class ExecutionReader(Protocol):
    """Reads within one tenant: the engine works across tenants, but every read
    names the tenant of the execution it serves."""

    async def get_execution(self, tenant_id: str, execution_id: str) -> ExecutionRecord: ...

    async def get_workflow(
        self, tenant_id: str, workflow_id: str, version: int | None = None
    ) -> WorkflowRecord: ...


class EngineStore(ExecutionQueue, Journal, ExecutionReader, Protocol):
    """Everything the executor and execution control use."""


if TYPE_CHECKING:
    from ..store.sql import SqlStore

    def _implements_ports(store: SqlStore) -> EngineStore:
        return store  # mypy checks that SqlStore satisfies the ports
