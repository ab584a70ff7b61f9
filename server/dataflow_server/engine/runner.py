"""Runs one claimed execution: its tasks in order, each attempt and retry an event.

Every write is a fenced `Transition` through the group-commit writer; if the
lease was lost the runner stops without writing more. Consecutive steps are
staged and written as one transition (one transaction, consecutive sequences)
when nothing outside the process can observe the difference: the step before
a task starts and the one after it ends (`execution.running` + the first
`task.running`; a task's `task.completed` + the next one's `task.running`; the
last `task.completed` + `execution.completed`), and the whole run of a *pure*
task (see `TaskTypeSpec.pure`). A task with side effects starts only once its
`task.running` event is committed, as before. Task semantics:
- tasks run in the order listed; a completed task is never run again;
- a task found RUNNING (its worker died) runs again: at-least-once;
- retryable failures are retried with exponential backoff while attempts
  remain; a failure for good fails the execution and skips the rest;
- cancellation marks the running task CANCELLED and the rest SKIPPED.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ..domain import lifecycle
from ..domain.definitions import RetryPolicy, TaskSpec, WorkflowDefinition
from ..domain.lifecycle import TaskUpdate, Transition
from ..domain.records import (
    EventRecord,
    ExecutionRecord,
    ExecutionStatus,
    TaskError,
    TaskRunRecord,
    TaskStatus,
)
from ..domain.resolution import (
    ResolutionError,
    backoff_seconds,
    resolve_outputs,
    resolve_task_inputs,
)
from ..domain.task_types import TaskTypeSpec
from ..tasks.base import FileAccess, TaskContext, TaskFailure, TaskHandler, TaskServices
from ..tasks.registry import TaskRegistry
from .limits import ResourceGate, ResourceLimits

__all__ = ["CancelReason", "ExecutionRunner", "RunnerDeps"]

log = logging.getLogger(__name__)


class CancelReason:
    REQUESTED = "requested"  # CancelExecution: record CANCELLED
    SHUTDOWN = "shutdown"  # draining: write nothing, the lease is released
    LEASE_LOST = "lease_lost"  # someone else owns it now: write nothing


@dataclass(frozen=True)
class RunnerDeps:
    apply: Callable[[Transition], Awaitable[list[EventRecord]]]  # GroupCommitWriter.apply
    registry: TaskRegistry
    now: Callable[[], datetime]
    files_for: Callable[[str], FileAccess]
    services: TaskServices
    limits: ResourceLimits


# Staged events are committed at the latest when this many are waiting (a long
# chain of pure tasks must not become one huge transaction or overflow watchers).
MAX_STAGED_EVENTS = 64


def _merge_task_update(old: TaskUpdate | None, new: TaskUpdate) -> TaskUpdate:
    """`new` applied after `old` on the same task run, as one update."""
    if old is None:
        return new
    return TaskUpdate(
        new.position,
        new.status,
        attempts=new.attempts if new.attempts is not None else old.attempts,
        started_at=new.started_at or old.started_at,
        completed_at=new.completed_at or old.completed_at,
        outputs=new.outputs if new.outputs is not None else old.outputs,
        error=new.error or old.error,
        clear_results=old.clear_results or new.clear_results,
    )


class _Staged:
    """Steps of one execution not yet handed to the writer, merged into one transition."""

    def __init__(self, execution_id: str, token: str) -> None:
        self.merged = Transition(execution_id, token)
        self.tasks: dict[int, TaskUpdate] = {}
        self.events: list[lifecycle.NewEvent] = []

    def add(self, t: Transition) -> None:
        m = self.merged
        self.merged = replace(
            m,
            status=t.status if t.status is not None else m.status,
            started_at=m.started_at or t.started_at,  # the first step's start stands
            completed_at=t.completed_at or m.completed_at,
            outputs=t.outputs if t.outputs is not None else m.outputs,
            error=t.error or m.error,
            release_lease=m.release_lease or t.release_lease,
            expect_status=t.expect_status or m.expect_status,
        )
        for update_ in t.tasks:
            self.tasks[update_.position] = _merge_task_update(
                self.tasks.get(update_.position), update_
            )
        for event in t.events:
            # Each event keeps the execution status of its own step.
            self.events.append(replace(event, status=event.status or t.status))

    def transition(self) -> Transition:
        return replace(
            self.merged,
            tasks=tuple(self.tasks[p] for p in sorted(self.tasks)),
            events=tuple(self.events),
        )


@dataclass(frozen=True, slots=True)
class _Failed:
    """How an attempt ended without outputs; `retry_after`: the upstream's requested wait."""

    error: TaskError
    retry_after: float | None = None


class ExecutionRunner:
    def __init__(
        self,
        deps: RunnerDeps,
        execution: ExecutionRecord,
        definition: WorkflowDefinition,
        lease_token: str,
    ) -> None:
        self._deps = deps
        self._execution = execution
        self._definition = definition
        self._token = lease_token
        self._tasks: list[TaskRunRecord] = list(execution.tasks)
        # Local state (`_tasks`) = what is committed + what the writer holds + `_staged`.
        self._staged: _Staged | None = None
        self._status = execution.status
        self.cancel_reason: str | None = None
        self.cancel_message = ""

    @property
    def execution_id(self) -> str:
        return self._execution.execution_id

    def _stage(self, step: Transition) -> None:
        """Add a step to the next write (nothing is written yet)."""
        if self._staged is None:
            self._staged = _Staged(self.execution_id, self._token)
        if step.status is not None:
            self._status = step.status
        # Each event carries the execution status of its own step.
        events = tuple(replace(e, status=e.status or self._status) for e in step.events)
        self._staged.add(replace(step, events=events))

    async def _flush(self) -> list[EventRecord]:
        """Durably write what is staged (one fenced transition). Raises LeaseLost."""
        staged, self._staged = self._staged, None
        if staged is None:
            return []
        # Handed to the writer: it commits even if this task is cancelled meanwhile.
        result: list[EventRecord] = await self._deps.apply(staged.transition())
        return result

    async def _write(self, step: Transition) -> list[EventRecord]:
        self._stage(step)
        return await self._flush()

    def _too_many_staged(self) -> bool:
        return self._staged is not None and len(self._staged.events) >= MAX_STAGED_EVENTS

    def _set_task(self, run: TaskRunRecord, **changes: Any) -> None:
        self._tasks[run.position] = replace(run, **changes)

    async def run(self) -> None:
        try:
            await self._run()
        except asyncio.CancelledError:
            if self.cancel_reason != CancelReason.REQUESTED:
                raise
            await self.record_cancellation()

    async def record_cancellation(self) -> None:
        """Write CANCELLED (running task CANCELLED, pending ones SKIPPED), after
        whatever was staged (steps that already happened, in order)."""
        current = replace(self._execution, tasks=tuple(self._tasks))
        cancelled = lifecycle.cancel(current, self._token, self._deps.now(), self.cancel_message)
        if self._staged is None:
            await self._deps.apply(cancelled)
            return
        self._staged.add(cancelled)
        await self._flush()

    async def _run(self) -> None:
        if self._execution.status == ExecutionStatus.PENDING:
            # Committed with the first task's task.running.
            self._stage(lifecycle.start(self._execution, self._token, self._deps.now()))
        outputs: dict[str, dict[str, Any]] = {
            run.name: run.outputs or {} for run in self._tasks if run.status == TaskStatus.COMPLETED
        }
        for task, run in zip(self._definition.tasks, list(self._tasks), strict=True):
            if run.status == TaskStatus.COMPLETED:
                continue
            result = await self._run_task(task, run, outputs)
            if result is None:
                return  # failed: the execution is FAILED already
            outputs[task.name] = result
        try:
            final = resolve_outputs(self._definition.outputs, self._execution.inputs, outputs)
        except ResolutionError as exc:
            await self._fail(None, TaskError("OUTPUT_ERROR", str(exc)))
            return
        await self._write(
            lifecycle.complete(self.execution_id, self._token, final, self._deps.now())
        )

    async def _run_task(
        self, task: TaskSpec, run: TaskRunRecord, outputs: dict[str, dict[str, Any]]
    ) -> dict[str, Any] | None:
        spec = self._deps.registry.spec(task.type)
        handler = self._deps.registry.handler(task.type)
        policy = (task.retry or RetryPolicy()).merged_over(
            spec.default_retry if spec else RetryPolicy(max_attempts=1)
        )
        timeout = task.timeout_seconds or (spec.default_timeout_seconds if spec else 60.0)
        attempts = run.attempts
        max_attempts = policy.max_attempts or 1
        if run.status == TaskStatus.RUNNING:
            # Interrupted by a crash: it runs again even if that exceeds the policy.
            max_attempts = max(max_attempts, attempts + 1)
        pure = spec is not None and spec.pure and handler is not None
        gate = self._deps.limits.gate(spec.resource) if spec is not None else None
        while True:
            if gate is not None:
                await self._acquire(gate)
            try:
                outcome = await self._start_and_attempt(
                    task, spec, handler, run, outputs, attempts + 1, timeout, pure
                )
            finally:
                if gate is not None:
                    gate.release()
            attempts += 1
            run = self._tasks[run.position]
            if isinstance(outcome, dict):
                self._set_task(run, status=TaskStatus.COMPLETED, outputs=outcome)
                # Committed with the next step (the next task.running or the end).
                self._stage(
                    lifecycle.complete_task(
                        self.execution_id, self._token, run, attempts, outcome, self._deps.now()
                    )
                )
                return outcome
            error = outcome.error
            if outcome.retry_after is not None and gate is not None:
                gate.pause(outcome.retry_after)  # the provider's whole budget waits
            if error.retryable and attempts < max_attempts:
                await self._write(
                    lifecycle.retry_task(self.execution_id, self._token, run, attempts, error)
                )
                await asyncio.sleep(
                    max(backoff_seconds(policy, attempts), outcome.retry_after or 0.0)
                )
                continue
            await self._fail(run, error)
            return None

    async def _acquire(self, gate: ResourceGate) -> None:
        """A slot of the task's resource. Steps staged so far are committed
        first when it has to wait: watchers see them without waiting for it."""
        if gate.would_wait():
            await self._flush()
        await gate.acquire()

    async def _start_and_attempt(
        self,
        task: TaskSpec,
        spec: TaskTypeSpec | None,
        handler: TaskHandler | None,
        run: TaskRunRecord,
        outputs: dict[str, dict[str, Any]],
        attempt: int,
        timeout: float,
        pure: bool,
    ) -> dict[str, Any] | _Failed:
        """task.running (committed first unless the task is pure), then the attempt."""
        started = run.started_at or self._deps.now()
        # Local state first: a cancellation arriving during the write sees it.
        self._set_task(run, status=TaskStatus.RUNNING, attempts=attempt, started_at=started)
        self._stage(lifecycle.start_task(self.execution_id, self._token, run, attempt, started))
        if not pure or self._too_many_staged():
            # A task with effects starts once its task.running is committed.
            await self._flush()
        return await self._attempt(task, spec, handler, outputs, attempt, timeout)

    async def _attempt(
        self,
        task: TaskSpec,
        spec: TaskTypeSpec | None,
        handler: TaskHandler | None,
        outputs: dict[str, dict[str, Any]],
        attempt: int,
        timeout: float,
    ) -> dict[str, Any] | _Failed:
        """One attempt: the outputs, or the error it ended with."""
        if spec is None or handler is None:
            return _Failed(
                TaskError(
                    "TASK_TYPE_UNAVAILABLE",
                    f"task type {task.type!r} has no implementation in this server",
                    False,
                    task.name,
                )
            )
        try:
            inputs = resolve_task_inputs(task, spec, self._execution.inputs, outputs)
        except ResolutionError as exc:
            return _Failed(TaskError("INPUT_ERROR", str(exc), False, task.name))
        ctx = TaskContext(
            execution_id=self.execution_id,
            task_name=task.name,
            attempt=attempt,
            files=self._deps.files_for(self.execution_id),
            services=self._deps.services,
        )
        try:
            async with asyncio.timeout(timeout):
                produced = await handler(ctx, inputs)
        except TaskFailure as failure:
            return _Failed(
                TaskError(failure.code, failure.message, failure.retryable, task.name),
                failure.retry_after,
            )
        except TimeoutError:
            return _Failed(
                TaskError("TIMEOUT", f"the attempt took longer than {timeout:g}s", True, task.name)
            )
        except Exception as exc:  # a bug in a task implementation: not retried
            log.exception("task %s (%s) of %s raised", task.name, task.type, self.execution_id)
            return _Failed(
                TaskError("TASK_ERROR", f"{type(exc).__name__}: {exc}", False, task.name)
            )
        missing = [f.name for f in spec.outputs if f.name not in produced]
        if missing:
            return _Failed(
                TaskError(
                    "INVALID_OUTPUT", f"the task produced no {', '.join(missing)}", False, task.name
                )
            )
        return {f.name: produced[f.name] for f in spec.outputs}

    async def _fail(self, run: TaskRunRecord | None, error: TaskError) -> None:
        await self._write(
            lifecycle.fail(
                self.execution_id, self._token, self._tasks, run, error, self._deps.now()
            )
        )
