"""The engine's storage ports in memory: the contract of `engine.ports.EngineStore`
(fencing by lease token, gap-free sequences, claims in availability order) without a
database, for fast tests of the engine itself."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from dataflow_server.domain import ids
from dataflow_server.domain.access import DEFAULT_TENANT
from dataflow_server.domain.definitions import WorkflowDefinition
from dataflow_server.domain.errors import NotFound
from dataflow_server.domain.lifecycle import (
    ACTIVE,
    AppliedBatch,
    LeaseLost,
    Transition,
    accepted_event,
)
from dataflow_server.domain.records import (
    Claim,
    EventRecord,
    ExecutionRecord,
    ExecutionStatus,
    TaskRunRecord,
    WorkflowRecord,
    WorkflowState,
)
from dataflow_server.engine.ports import EngineStore


@dataclass
class _Row:
    record: ExecutionRecord
    available_at: datetime
    lease_owner: str | None = None
    lease_token: str | None = None
    lease_expires_at: datetime | None = None
    cancel_requested: bool = False
    events: list[EventRecord] = field(default_factory=list)


class MemoryStore:
    def __init__(self) -> None:
        self._workflows: dict[str, WorkflowRecord] = {}
        self._rows: dict[str, _Row] = {}
        self.transactions = 0  # apply_transitions calls (each one transaction)

    def now(self) -> datetime:
        return datetime.now(UTC)

    # --- test setup ---------------------------------------------------------
    def add_workflow(self, definition: WorkflowDefinition, tenant_id: str = DEFAULT_TENANT) -> str:
        workflow_id = ids.new_id(ids.WORKFLOW)
        now = self.now()
        self._workflows[workflow_id] = WorkflowRecord(
            workflow_id, 1, definition, WorkflowState.ACTIVE, now, now, tenant_id
        )
        return workflow_id

    def add_execution(self, workflow_id: str, inputs: dict[str, Any]) -> str:
        """In the workflow's tenant."""
        workflow = self._workflows[workflow_id]
        definition = workflow.definition
        execution_id = ids.new_id(ids.EXECUTION)
        now = self.now()
        record = ExecutionRecord(
            execution_id,
            workflow_id,
            1,
            ExecutionStatus.PENDING,
            inputs,
            now,
            tasks=tuple(TaskRunRecord(i, t.name, t.type) for i, t in enumerate(definition.tasks)),
            last_sequence=1,
            tenant_id=workflow.tenant_id,
        )
        self._rows[execution_id] = _Row(record, now, events=[accepted_event(execution_id, now)])
        return execution_id

    def events(self, execution_id: str) -> list[EventRecord]:
        return list(self._rows[execution_id].events)

    # --- ExecutionReader (within a tenant, like the store's WHERE clauses) --
    async def get_execution(self, tenant_id: str, execution_id: str) -> ExecutionRecord:
        row = self._rows.get(execution_id)
        if row is None or row.record.tenant_id != tenant_id:
            raise NotFound(f"execution {execution_id} not found")
        return row.record

    async def get_workflow(
        self, tenant_id: str, workflow_id: str, version: int | None = None
    ) -> WorkflowRecord:
        workflow = self._workflows.get(workflow_id)
        if workflow is None or workflow.tenant_id != tenant_id:
            raise NotFound(f"workflow {workflow_id} not found")
        return workflow

    # --- ExecutionQueue -----------------------------------------------------
    async def claim_executions(
        self, owner: str, limit: int, lease_seconds: float, now: datetime | None = None
    ) -> list[Claim]:
        now = now or self.now()
        due = sorted(
            (r for r in self._rows.values() if r.record.status in ACTIVE and r.available_at <= now),
            key=lambda r: r.available_at,
        )[:limit]
        token = ids.new_id("lease")
        expires = now + timedelta(seconds=lease_seconds)
        for r in due:
            r.lease_owner, r.lease_token, r.lease_expires_at = owner, token, expires
            r.available_at = expires
        return [Claim(r.record.execution_id, token, r.cancel_requested, r.record) for r in due]

    async def renew_leases(
        self, leases: Mapping[str, str], lease_seconds: float
    ) -> tuple[set[str], set[str]]:
        expires = self.now() + timedelta(seconds=lease_seconds)
        held = {eid for eid, token in leases.items() if self._rows[eid].lease_token == token}
        for eid in held:
            self._rows[eid].lease_expires_at = self._rows[eid].available_at = expires
        return held, {eid for eid in held if self._rows[eid].cancel_requested}

    async def release_leases(self, leases: Mapping[str, str]) -> None:
        for eid, token in leases.items():
            row = self._rows[eid]
            if row.lease_token == token:
                row.lease_owner = row.lease_token = row.lease_expires_at = None
                row.available_at = self.now()

    async def request_cancel(self, tenant_id: str, execution_id: str) -> bool:
        row = self._rows[execution_id]
        if row.record.tenant_id != tenant_id or row.record.status not in ACTIVE:
            return False
        row.cancel_requested = True
        return True

    # --- Journal ------------------------------------------------------------
    async def apply_transitions(
        self, batch: Sequence[Transition], read_back: Collection[str] = ()
    ) -> AppliedBatch:
        self.transactions += 1
        now = self.now()
        results = [self._apply(t, now) for t in batch]
        ended = {t.execution_id for t in batch if t.status is not None and t.status.is_terminal}
        snapshots = [self._rows[i].record for i in read_back if i in ended and i in self._rows]
        return AppliedBatch(results, False, snapshots)

    def _apply(self, t: Transition, now: datetime) -> list[EventRecord] | LeaseLost:
        row = self._rows.get(t.execution_id)
        if row is None:
            return LeaseLost(t.execution_id)
        if t.lease_token is not None:
            fenced = row.lease_token == t.lease_token
        else:
            fenced = row.lease_token is None or (
                row.lease_expires_at is not None and row.lease_expires_at < now
            )
        if not fenced or (t.expect_status and row.record.status not in t.expect_status):
            return LeaseLost(t.execution_id)
        tasks = list(row.record.tasks)
        for u in t.tasks:
            run = tasks[u.position]
            if u.clear_results:
                run = replace(
                    run,
                    outputs=None,
                    error=None,
                    started_at=None,
                    completed_at=None,
                    skip_reason="",
                    items=None,
                )
            tasks[u.position] = replace(
                run,
                status=u.status,
                attempts=u.attempts if u.attempts is not None else run.attempts,
                started_at=u.started_at or run.started_at,
                completed_at=u.completed_at or run.completed_at,
                outputs=u.outputs if u.outputs is not None else run.outputs,
                error=u.error or run.error,
                skip_reason=u.skip_reason if u.skip_reason is not None else run.skip_reason,
                items=u.items if u.items is not None else run.items,
            )
        r = row.record
        status = t.status or r.status
        first = r.last_sequence + 1
        events = [
            EventRecord(
                r.execution_id,
                first + i,
                e.type,
                e.status or status,
                now,
                e.task_name,
                e.task_status,
                e.attempt,
                e.error,
                e.item_index,
                e.skip_reason,
            )
            for i, e in enumerate(t.events)
        ]
        row.record = replace(
            r,
            status=status,
            tasks=tuple(tasks),
            started_at=t.started_at or r.started_at,
            completed_at=None if t.requeue else (t.completed_at or r.completed_at),
            outputs=None if t.requeue else (t.outputs if t.outputs is not None else r.outputs),
            error=None if t.requeue else (t.error or r.error),
            last_sequence=r.last_sequence + len(events),
        )
        row.events.extend(events)
        if t.release_lease:
            row.lease_owner = row.lease_token = row.lease_expires_at = None
            row.available_at = now
        return events


def _implements_ports(store: MemoryStore) -> EngineStore:
    return store  # mypy checks the contract
