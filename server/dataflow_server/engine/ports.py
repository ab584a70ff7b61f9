"""What the engine needs from storage: ports that own their transactions.

The engine asks for a claim, a lease renewal, a batch of fenced transitions, a
read; it never holds a connection. `store.sql.SqlStore` implements these on
SQLite and PostgreSQL; an in-memory implementation (tests/support) shows the
contract and runs engine tests without a database.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from ..domain.lifecycle import AppliedBatch, Transition
from ..domain.records import (
    AttemptOutcome,
    Claim,
    DueDelivery,
    ExecutionRecord,
    FileRecord,
    WorkflowRecord,
)
from ..domain.webhook_secrets import WebhookSecrets

__all__ = [
    "EngineStore",
    "ExecutionQueue",
    "ExecutionReader",
    "FileCatalog",
    "Journal",
    "WebhookOutbox",
    "WebhookSecretStore",
]


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
        self, batch: Sequence[Transition], read_back: Collection[str] = ()
    ) -> AppliedBatch:
        """All in one transaction, each fenced by its lease token. The executions
        of `read_back` that a transition of the batch ends are read back in the
        same transaction."""
        ...


class ExecutionReader(Protocol):
    """Reads within one tenant: the engine works across tenants, but every read
    names the tenant of the execution it serves."""

    async def get_execution(self, tenant_id: str, execution_id: str) -> ExecutionRecord: ...

    async def get_workflow(
        self, tenant_id: str, workflow_id: str, version: int | None = None
    ) -> WorkflowRecord: ...


class WebhookOutbox(Protocol):
    """The webhook deliveries the dispatcher sends (written with their events by the
    Journal). A claim is exclusive for `claim_seconds`, across replicas; a recorded
    attempt is fenced by the claim's owner."""

    def now(self) -> datetime: ...

    async def claim_webhook_deliveries(
        self, owner: str, limit: int, claim_seconds: float
    ) -> list[DueDelivery]:
        """Up to `limit` due deliveries, at most one per execution: its lowest
        pending sequence (the next waits until that one is settled)."""
        ...

    async def record_webhook_attempt(
        self, delivery: DueDelivery, owner: str, outcome: AttemptOutcome
    ) -> bool:
        """The attempt and the delivery's new state, in one transaction (with the
        endpoint disabled when the outcome says so); False, writing nothing, when
        `owner` no longer holds the claim."""
        ...


class FileCatalog(Protocol):
    """The records of stored files (their content is in the content store)."""

    async def create_file(self, record: FileRecord) -> FileRecord: ...

    async def get_file(self, tenant_id: str, file_id: str) -> FileRecord:
        """NotFound when unknown (or of another tenant)."""
        ...


class WebhookSecretStore(Protocol):
    """Each tenant's webhook signing secrets."""

    def now(self) -> datetime: ...

    async def webhook_secrets(
        self, tenant_ids: Collection[str], new_secret: Callable[[], str]
    ) -> dict[str, WebhookSecrets]:
        """Every tenant's secrets; a tenant without any gets `new_secret()` first
        (race-safe: the first writer wins)."""
        ...

    async def find_webhook_secrets(self, tenant_id: str) -> WebhookSecrets | None:
        """The tenant's secrets, or None; never writes."""
        ...

    async def rotate_webhook_secret(
        self, tenant_id: str, new_secret: str, window: timedelta
    ) -> WebhookSecrets:
        """`new_secret` becomes current; the replaced one keeps signing for `window`."""
        ...


class EngineStore(ExecutionQueue, Journal, ExecutionReader, Protocol):
    """Everything the executor and execution control use."""
