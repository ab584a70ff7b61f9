"""The executor: claims executions from the durable queue and runs them.

- An execution in flight is a coroutine, not a worker: one awaiting I/O (a
  model call, a slow API, a sleep) costs memory, not a slot. What bounds work
  is explicit: `max_in_flight` executions per process (beyond it, new ones
  wait in the durable queue: back-pressure, never refusal), and per resource
  the task types' own limits (`limits.ResourceLimits`: concurrency, requests
  per minute, a provider's 429 pause).
- Claims happen when room is free, immediately when woken (a new execution
  was accepted here) or on a short poll (work queued by another replica, a
  lease that expired), at most `CLAIM_BATCH` per transaction.
- A heartbeat renews the leases of running executions every third of the
  lease, all of them in one transaction of a few statements; a lease it
  cannot renew means another worker took over, so the local runner stops
  without writing. The heartbeat also carries cancellation requests made on
  other replicas.
- `drain` stops claiming, lets running executions finish within a grace
  period, then stops the rest and hands their leases back to the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from ..domain import lifecycle
from ..domain.definitions import WorkflowDefinition
from ..domain.errors import NotFound
from ..domain.lifecycle import LeaseLost
from ..domain.limits import DEFAULT_DATA_LIMITS, DataLimits
from ..domain.plan import WorkflowPlan
from ..domain.records import Claim, ExecutionRecord, Lease
from ..domain.validation import workflow_plan
from ..tasks.base import FileAccess, TaskServices
from ..tasks.registry import TaskRegistry
from .group_commit import GroupCommitWriter
from .limits import ResourceLimits
from .ports import EngineStore
from .runner import CancelReason, ExecutionRunner, RunnerDeps

__all__ = ["Executor", "Reservation"]

log = logging.getLogger(__name__)

IDLE_POLL_SECONDS = 0.5
CLAIM_BATCH = 256  # executions leased per claim transaction
DEFINITION_CACHE_SIZE = 512


class Reservation:
    """A free worker promised to an execution being created (see `Executor.reserve`):
    `start` it once the execution is committed, or `cancel` it."""

    def __init__(self, executor: Executor, lease: Lease) -> None:
        self._executor = executor
        self.lease = lease
        self._done = False

    def start(self, record: ExecutionRecord) -> None:
        if not self._done:
            self._done = True
            self._executor._start_reserved(record, self.lease)

    def cancel(self) -> None:
        if not self._done:
            self._done = True
            self._executor._cancel_reserved()


@dataclass(slots=True)
class _Slot:
    """One execution running in this process."""

    lease_token: str
    task: asyncio.Task[None] | None = None
    runner: ExecutionRunner | None = None
    cancel_reason: str | None = None
    cancel_message: str = ""

    def cancel(self, reason: str, message: str = "") -> None:
        if self.cancel_reason is not None:
            return
        self.cancel_reason = reason
        self.cancel_message = message
        if self.runner is not None:
            self.runner.cancel_reason = reason
            self.runner.cancel_message = message
        if self.task is not None:
            self.task.cancel()


class Executor:
    def __init__(
        self,
        store: EngineStore,
        writer: GroupCommitWriter,
        registry: TaskRegistry,
        files_for: Callable[[str, str], FileAccess],
        *,
        max_in_flight: int,
        lease_seconds: float,
        services: TaskServices | None = None,
        limits: ResourceLimits | None = None,
        data_limits: DataLimits = DEFAULT_DATA_LIMITS,
    ) -> None:
        self._store = store
        self._writer = writer
        self._max_in_flight = max_in_flight
        self._lease_seconds = lease_seconds
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._deps = RunnerDeps(
            apply=writer.apply,
            registry=registry,
            now=store.now,
            files_for=files_for,
            services=services or TaskServices(),
            limits=limits or ResourceLimits(),
            data_limits=data_limits,
        )
        self._slots: dict[str, _Slot] = {}
        self._definitions: dict[tuple[str, int], tuple[WorkflowDefinition, WorkflowPlan]] = {}
        self._reserved = 0  # leases handed out for executions being created here
        self._notified = 0  # notify() calls so far
        self._backlog = True  # claimable work may be waiting (claim when a slot frees)
        self._settled = asyncio.Event()  # set while no reservation is outstanding
        self._settled.set()
        self.claimed_total = 0  # executions claimed by this executor since start
        self._wake = asyncio.Event()
        self._stopping = False
        self._loops: list[asyncio.Task[None]] = []

    # --- lifecycle ----------------------------------------------------------
    def start(self) -> None:
        self._loops = [
            asyncio.create_task(self._claim_loop(), name="executor-claims"),
            asyncio.create_task(self._heartbeat_loop(), name="executor-heartbeat"),
        ]

    def notify(self) -> None:
        """New work may be claimable (an execution was accepted or requeued)."""
        self._notified += 1
        self._backlog = True
        self._wake.set()

    def runs(self, execution_id: str) -> bool:
        """Whether the execution runs (or is about to run) in this process."""
        return execution_id in self._slots

    # --- executions accepted here ---------------------------------------------
    def reserve(self) -> Reservation | None:
        """A lease for an execution about to be created here, if there is room.

        The execution is then stored already leased to this executor (in the
        transaction that creates it) and runs as soon as it is committed, without
        a claim: one transaction fewer, and no wait for the claim loop. Should
        this process die before running it, its lease expires and any worker
        claims it (at-least-once, as for any claimed execution).
        """
        if self._stopping or len(self._slots) + self._reserved >= self._max_in_flight:
            return None
        self._reserved += 1
        self._settled.clear()
        expires = self._store.now() + timedelta(seconds=self._lease_seconds)
        return Reservation(self, Lease(self.owner, secrets.token_hex(16), expires))

    def _unreserve(self) -> None:
        self._reserved -= 1
        if not self._reserved:
            self._settled.set()

    def _start_reserved(self, record: ExecutionRecord, lease: Lease) -> None:
        self._unreserve()
        slot = _Slot(lease.token)
        self._slots[record.execution_id] = slot
        self.claimed_total += 1
        slot.task = asyncio.create_task(
            self._run(Claim(record.execution_id, lease.token, False, record), slot)
        )

    def _cancel_reserved(self) -> None:
        self._unreserve()
        self._wake.set()

    async def drain(self, grace: float) -> None:
        self._stopping = True
        self._wake.set()
        # Executions being created with a lease of ours start (or not) first.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._settled.wait(), grace)
        running = [slot.task for slot in self._slots.values() if slot.task is not None]
        if running:
            log.info("draining: waiting up to %.0fs for %d executions", grace, len(running))
            await asyncio.wait(running, timeout=grace)
        leftover = dict(self._slots)
        for slot in leftover.values():
            slot.cancel(CancelReason.SHUTDOWN)
        if leftover:
            await asyncio.gather(
                *(s.task for s in leftover.values() if s.task is not None), return_exceptions=True
            )
            await self._store.release_leases(
                {eid: slot.lease_token for eid, slot in leftover.items()}
            )
            log.info("released %d leases", len(leftover))
        for loop in self._loops:
            loop.cancel()
        await asyncio.gather(*self._loops, return_exceptions=True)

    # --- cancellation ---------------------------------------------------------
    def cancel_local(self, execution_id: str, message: str) -> bool:
        """Cancel an execution running in this process; False when it does not run here."""
        slot = self._slots.get(execution_id)
        if slot is None:
            return False
        slot.cancel(CancelReason.REQUESTED, message)
        return True

    # --- loops ----------------------------------------------------------------
    async def _claim_loop(self) -> None:
        while not self._stopping:
            free = min(CLAIM_BATCH, self._max_in_flight - len(self._slots) - self._reserved)
            claimed = 0
            if free > 0:
                notified = self._notified
                try:
                    claimed = await self._claim(free)
                except Exception:  # the database may be briefly unavailable
                    log.exception("claiming executions failed; retrying")
                    await asyncio.sleep(1.0)
                else:
                    # A claim short of the free slots emptied the queue (as far as this
                    # process knows): finishing executions need not wake the loop until
                    # new work is announced or the idle poll comes round.
                    self._backlog = claimed == free or self._notified != notified
            if claimed and claimed == free:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), IDLE_POLL_SECONDS)

    async def _claim(self, limit: int) -> int:
        claims = await self._store.claim_executions(self.owner, limit, self._lease_seconds)
        self.claimed_total += len(claims)
        for claim in claims:
            slot = _Slot(claim.lease_token)
            self._slots[claim.execution_id] = slot
            slot.task = asyncio.create_task(self._run(claim, slot))
        return len(claims)

    async def _definition(
        self, execution: ExecutionRecord
    ) -> tuple[WorkflowDefinition, WorkflowPlan]:
        """The definition and plan of an execution's workflow version (versions are
        immutable: cached by id, which is globally unique)."""
        key = (execution.workflow_id, execution.workflow_version)
        found = self._definitions.get(key)
        if found is None:
            definition = (await self._store.get_workflow(execution.tenant_id, *key)).definition
            found = (definition, workflow_plan(definition, self._deps.registry.specs()))
            if len(self._definitions) >= DEFINITION_CACHE_SIZE:
                self._definitions.pop(next(iter(self._definitions)))
            self._definitions[key] = found
        return found

    async def _run(self, claim: Claim, slot: _Slot) -> None:
        execution_id = claim.execution_id
        try:
            execution = claim.execution
            definition, plan = await self._definition(execution)
            runner = ExecutionRunner(self._deps, execution, definition, plan, claim.lease_token)
            slot.runner = runner
            if claim.cancel_requested or slot.cancel_reason == CancelReason.REQUESTED:
                await runner.record_cancellation()
            else:
                await runner.run()
        except LeaseLost:
            log.info("execution %s: lease lost; another worker owns it now", execution_id)
        except NotFound:
            log.warning("execution %s vanished while claimed", execution_id)
        except asyncio.CancelledError:
            # Shutdown or lease lost: nothing more is written. A cancellation
            # requested before the runner existed is recorded from a fresh read.
            if slot.cancel_reason == CancelReason.REQUESTED and slot.runner is None:
                await self._record_cancellation(claim, slot.cancel_message)
        except Exception:
            # The lease will expire and another claim retries the execution.
            log.exception("execution %s: runner crashed", execution_id)
        finally:
            self._slots.pop(execution_id, None)
            if self._backlog:  # work may be waiting for this slot
                self._wake.set()

    async def _record_cancellation(self, claim: Claim, message: str) -> None:
        try:
            execution = await self._store.get_execution(
                claim.execution.tenant_id, claim.execution_id
            )
            await self._writer.apply(
                lifecycle.cancel(execution, claim.lease_token, self._store.now(), message)
            )
        except LeaseLost:
            log.info("execution %s: lease lost before its cancellation", claim.execution_id)

    async def _heartbeat_loop(self) -> None:
        interval = self._lease_seconds / 3
        while True:
            await asyncio.sleep(interval)
            leases = {eid: slot.lease_token for eid, slot in self._slots.items()}
            if not leases:
                continue
            try:
                held, cancel = await self._store.renew_leases(leases, self._lease_seconds)
            except Exception:
                log.exception("lease heartbeat failed")
                continue
            for execution_id in leases.keys() - held:
                lost = self._slots.get(execution_id)
                if lost is not None:
                    lost.cancel(CancelReason.LEASE_LOST)
            for execution_id in cancel:
                self.cancel_local(execution_id, "cancelled on request")
