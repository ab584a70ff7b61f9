"""Execution use cases: validate inputs, pin the version, queue; read and list.

Every use case takes the `Caller`: executions, their inputs' files and their
idempotency keys (`request_id`) are those of the caller's tenant only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from ..domain import ids
from ..domain.access import Caller
from ..domain.errors import (
    DomainError,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    preview,
)
from ..domain.lifecycle import repeat_of
from ..domain.limits import DEFAULT_DATA_LIMITS, DataLimits, execution_size
from ..domain.records import (
    ExecutionRecord,
    ExecutionStatus,
    Lease,
    NewExecution,
    Page,
    WorkflowState,
)
from ..domain.validation import validate_execution_inputs
from ..domain.values import ValueType, has_control_characters
from ..engine.events import EventHub
from ..store.interface import Store
from .checks import check_in_workflow, checked_execution_id
from .outcome import OutcomeWaiters, checked_wait, within_deadline
from .pagination import bounded_page, checked_page_size
from .watch import SnapshotReader, WatchedEvent, checked_event_types, watch_execution_batches
from .workflows import SecretCheck, checked_workflow_id

__all__ = ["ExecutionRequest", "Executions", "check_in_workflow", "checked_execution_id"]

MAX_REQUEST_ID_LENGTH = 128

#: What keeps a watch open only while its caller may still call (app/access.py).
StreamGuard = Callable[
    [Caller, AsyncIterator[Sequence[WatchedEvent]]], AsyncIterator[Sequence[WatchedEvent]]
]
MAX_WEBHOOK_URL_LENGTH = 2048


@dataclass(frozen=True, slots=True)
class ExecutionRequest:
    """What ExecuteWorkflow was asked, before validation."""

    workflow_id: str
    inputs: dict[str, Any]
    webhook: str = ""
    request_id: str = ""

    def fingerprint(self) -> str:
        """Identifies the request body for idempotency (same key, same body)."""
        canonical = json.dumps(
            {"workflow_id": self.workflow_id, "inputs": self.inputs, "webhook": self.webhook},
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


def _webhook_violation(url: str) -> str | None:
    """Shape checks; the network guard (private addresses) is applied on top by the caller."""
    if len(url) > MAX_WEBHOOK_URL_LENGTH:
        return f"must be at most {MAX_WEBHOOK_URL_LENGTH} characters"
    if has_control_characters(url):
        return "must not hold control characters"
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a malformed port
    except ValueError as exc:
        return f"is not a valid URL: {preview(str(exc))}"
    if parts.scheme not in ("http", "https"):
        return "must be an http or https URL"
    if not parts.hostname:
        return "must name a host"
    if parts.username or parts.password:
        return "must not contain credentials"
    return None


class LeaseReservation(Protocol):
    """A worker of this process promised to a new execution (engine.executor.Reservation)."""

    @property
    def lease(self) -> Lease: ...

    def start(self, record: ExecutionRecord) -> None: ...

    def cancel(self) -> None: ...


class ExecutionControlPort(Protocol):
    """The engine's side of CancelExecution and RetryExecution."""

    async def cancel(self, tenant_id: str, execution_id: str, reason: str) -> ExecutionRecord: ...

    async def retry(self, tenant_id: str, execution_id: str) -> ExecutionRecord: ...


MAX_CANCEL_REASON_LENGTH = 1024


async def _no_batches() -> AsyncIterator[Sequence[WatchedEvent]]:
    return
    yield


class Executions:
    def __init__(
        self,
        store: Store,
        control: ExecutionControlPort,
        on_accepted: Callable[[ExecutionRecord], None] | None = None,
        check_webhook: Callable[[str], Awaitable[str | None]] | None = None,
        hub: EventHub | None = None,
        reserve: Callable[[], LeaseReservation | None] | None = None,
        limits: DataLimits = DEFAULT_DATA_LIMITS,
        check_secrets: SecretCheck | None = None,
        guard_stream: StreamGuard | None = None,
    ) -> None:
        self._store = store
        # Ends a watch whose caller's API key is revoked while it is open (app/access.py).
        self._guard_stream = guard_stream
        self._limits = limits
        # The secrets the workflow references must be set in the caller's tenant.
        self._check_secrets = check_secrets
        # The engine's offer to run a new execution here at once (stored leased).
        self._reserve = reserve
        self._hub = hub or EventHub()
        # Shared by this server's watchers and the calls waiting for an outcome.
        self._snapshots = SnapshotReader(store, self._hub)
        self._waiters = OutcomeWaiters(store, self._hub, self._snapshots)
        self._control = control
        # The network guard: why a webhook URL is refused, or None.
        self._check_webhook = check_webhook
        # Called with the first event of each new execution once it is durable
        # (feeds watchers and wakes the executor).
        self._on_accepted = on_accepted

    async def execute(
        self, caller: Caller, request: ExecutionRequest
    ) -> tuple[ExecutionRecord, bool]:
        """Returns (execution, created); created is False for an idempotent repeat."""
        tenant_id = caller.tenant_id
        checked_workflow_id(request.workflow_id)
        violations: list[FieldViolation] = []
        if len(request.request_id) > MAX_REQUEST_ID_LENGTH:
            violations.append(
                FieldViolation("request_id", f"must be at most {MAX_REQUEST_ID_LENGTH} characters")
            )
        elif has_control_characters(request.request_id):
            violations.append(FieldViolation("request_id", "must not hold control characters"))
        if request.webhook:
            problem = _webhook_violation(request.webhook)
            if problem is None and self._check_webhook is not None:
                problem = await self._check_webhook(request.webhook)
            if problem is not None:
                violations.append(FieldViolation("monitoring.webhook", problem))
        if violations:
            raise InvalidArgument(violations)

        fingerprint = request.fingerprint() if request.request_id else ""
        try:
            workflow = await self._store.get_workflow(tenant_id, request.workflow_id)
            if workflow.state == WorkflowState.ARCHIVED:
                raise FailedPrecondition(
                    f"workflow {request.workflow_id} is archived; it cannot be executed"
                )
            inputs = validate_execution_inputs(workflow.definition, request.inputs, self._limits)
            await self._check_file_inputs(tenant_id, workflow.definition.inputs, inputs)
            if self._check_secrets is not None:
                await self._check_secrets(tenant_id, workflow.definition, "workflow_id")
        except DomainError:
            # A repeat returns the original even if the workflow changed since
            # (archived, or its inputs now otherwise); a valid request's repeat
            # is found by the store in the transaction that would create it.
            if request.request_id:
                original = await self._store.find_execution_by_request_id(
                    tenant_id, request.request_id
                )
                if original is not None:
                    return repeat_of(original, fingerprint), False
            raise

        reservation = self._reserve() if self._reserve is not None else None
        try:
            new = NewExecution(
                execution_id=ids.new_id(ids.EXECUTION),
                workflow_id=workflow.workflow_id,
                workflow_version=workflow.version,
                inputs=inputs,
                task_names_and_types=tuple((t.name, t.type) for t in workflow.definition.tasks),
                webhook_url=request.webhook or None,
                request_id=request.request_id or None,
                request_hash=fingerprint if request.request_id else None,
                lease=reservation.lease if reservation is not None else None,
                tenant_id=tenant_id,
            )
            record, created = await self._store.create_execution(new)
        except BaseException:
            if reservation is not None:
                reservation.cancel()
            raise
        if reservation is not None:
            if created:
                # Scheduled, not run yet: event 1 is published below, before the runner's.
                reservation.start(record)
            else:  # an idempotent repeat: nothing new to run
                reservation.cancel()
        if created and self._on_accepted is not None:
            self._on_accepted(record)
        return record, created

    async def execute_and_wait(
        self,
        caller: Caller,
        request: ExecutionRequest,
        wait_seconds: float,
        time_left: float | None = None,
    ) -> ExecutionRecord:
        """`execute`, then the execution once it has ended, or as it stands after
        `wait_seconds` or shortly before the call's deadline (`time_left`), so that
        the caller always learns the execution's id (app/outcome.py). The wait is
        checked before anything is stored."""
        wait_seconds = within_deadline(checked_wait(wait_seconds), time_left)
        record, _ = await self.execute(caller, request)
        return await self._waiters.wait(caller.tenant_id, record, wait_seconds)

    async def execute_and_watch(
        self, caller: Caller, request: ExecutionRequest, event_types: Collection[str]
    ) -> tuple[ExecutionRecord, Sequence[WatchedEvent], AsyncIterator[Sequence[WatchedEvent]]]:
        """`execute`, then its events from the first (see `watch`): the execution,
        the first batch (possibly empty: the stream's start) and the batches after
        it. The event types are checked before anything is stored."""
        checked_event_types(event_types)
        record, created = await self.execute(caller, request)
        events = watch_execution_batches(
            self._store,
            self._hub,
            caller.tenant_id,
            record.execution_id,
            0,
            event_types,
            self._snapshots,
            accepted=record if created else None,
        )
        # A new execution's stream subscribes and takes its first batch in the
        # step that stored it (no await in between), so that nothing this process
        # publishes for it is missed; only the batches after it are guarded.
        try:
            first: Sequence[WatchedEvent] = await anext(events)
        except StopAsyncIteration:  # a repeat of an execution that already ended
            return record, [], _no_batches()
        rest: AsyncIterator[Sequence[WatchedEvent]] = events
        if self._guard_stream is not None:
            rest = self._guard_stream(caller, rest)
        return record, first, rest

    def offer_snapshots(self, snapshots: Iterable[ExecutionRecord]) -> None:
        """Executions as just committed (ended ones the writer read back), for the
        watchers and waiting calls that are about to ask for them."""
        for snapshot in snapshots:
            self._snapshots.offer(snapshot)

    def release_waiters(self) -> None:
        """Answer the calls waiting for an outcome now (the server drains)."""
        self._waiters.release()

    async def _check_file_inputs(self, tenant_id: str, specs: Any, inputs: dict[str, Any]) -> None:
        """File inputs name files of the caller's tenant (another's: "does not exist")."""
        violations = []
        for spec in specs:
            value = inputs.get(spec.name)
            if spec.type != ValueType.FILE.value or not isinstance(value, dict):
                continue
            file_id = value.get("file_id", "")
            try:
                if not ids.is_id(file_id, ids.FILE):
                    raise NotFound(file_id)
                stored = await self._store.get_file(tenant_id, file_id)
            except NotFound:
                violations.append(
                    FieldViolation(f"inputs.{spec.name}", f"file {preview(file_id)} does not exist")
                )
                continue
            # The execution sees the stored metadata, not what the caller claimed.
            inputs[spec.name] = {
                "file_id": stored.file_id,
                "name": stored.name,
                "content_type": stored.content_type,
                "size_bytes": stored.size_bytes,
                "sha256": stored.sha256,
            }
        if violations:
            raise InvalidArgument(violations)

    async def get(
        self, caller: Caller, execution_id: str, workflow_id: str = ""
    ) -> ExecutionRecord:
        checked_execution_id(execution_id)
        if workflow_id:
            checked_workflow_id(workflow_id)
        return check_in_workflow(
            await self._store.get_execution(caller.tenant_id, execution_id), workflow_id
        )

    async def list(
        self,
        caller: Caller,
        workflow_id: str,
        page_size: int,
        page_token: str,
        status: ExecutionStatus | None,
        full: bool,
    ) -> Page[ExecutionRecord]:
        checked_workflow_id(workflow_id)
        size = checked_page_size(page_size)
        # NOT_FOUND for an unknown workflow (or another tenant's)
        await self._store.get_workflow(caller.tenant_id, workflow_id)

        def fetch(n: int) -> Awaitable[Page[ExecutionRecord]]:
            return self._store.list_executions(
                caller.tenant_id, workflow_id, n, page_token or None, status, with_tasks=full
            )

        return await bounded_page(
            fetch, size, self._limits.max_page_bytes, lambda r: execution_size(r, full)
        )

    async def cancel(
        self, caller: Caller, execution_id: str, reason: str, workflow_id: str = ""
    ) -> ExecutionRecord:
        checked_execution_id(execution_id)
        if len(reason) > MAX_CANCEL_REASON_LENGTH:
            raise InvalidArgument.single(
                "reason", f"must be at most {MAX_CANCEL_REASON_LENGTH} characters"
            )
        if workflow_id:
            await self.get(caller, execution_id, workflow_id)
        return await self._control.cancel(caller.tenant_id, execution_id, reason)

    async def retry(
        self, caller: Caller, execution_id: str, workflow_id: str = ""
    ) -> ExecutionRecord:
        checked_execution_id(execution_id)
        if workflow_id:
            await self.get(caller, execution_id, workflow_id)
        return await self._control.retry(caller.tenant_id, execution_id)

    def watch(
        self,
        caller: Caller,
        execution_id: str,
        after_sequence: int,
        event_types: Collection[str],
        workflow_id: str = "",
    ) -> AsyncIterator[Sequence[WatchedEvent]]:
        """The execution's events after `after_sequence`, then live, in batches of
        what is ready at once (see app.watch)."""
        events = watch_execution_batches(
            self._store,
            self._hub,
            caller.tenant_id,
            execution_id,
            after_sequence,
            event_types,
            self._snapshots,
            workflow_id,
        )
        return events if self._guard_stream is None else self._guard_stream(caller, events)
