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
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ..domain.definitions import RetryPolicy, TaskSpec, WorkflowDefinition
from ..domain.limits import DEFAULT_DATA_LIMITS, DataLimits, output_error
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
from ..store.journal import NewEvent, TaskUpdate, Transition
from ..tasks.base import FileAccess, TaskContext, TaskFailure
from ..tasks.registry import TaskRegistry

__all__ = ["CancelReason", "ExecutionRunner", "RunnerDeps", "cancellation_transition"]

log = logging.getLogger(__name__)


class CancelReason:
    REQUESTED = "requested"  # CancelExecution: record CANCELLED
    SHUTDOWN = "shutdown"  # draining: write nothing, the lease is released
    LEASE_LOST = "lease_lost"  # someone else owns it now: write nothing


@dataclass(frozen=True)
class RunnerDeps:
    apply: Callable[[Transition], Any]  # async: GroupCommitWriter.apply
    registry: TaskRegistry
    now: Callable[[], datetime]
    files_for: Callable[[str], FileAccess]
    services: dict[str, Any]
    limits: DataLimits = DEFAULT_DATA_LIMITS  # what outputs may be (domain.limits)


def cancellation_transition(
    execution: ExecutionRecord, lease_token: str | None, now: datetime, reason: str
) -> Transition:
    """CANCELLED: the running task CANCELLED, pending ones SKIPPED, one event each."""
    error = TaskError("CANCELLED", reason or "cancelled on request")
    updates: list[TaskUpdate] = []
    events: list[NewEvent] = []
    for run in execution.tasks:
        if run.status == TaskStatus.RUNNING:
            updates.append(TaskUpdate(run.position, TaskStatus.CANCELLED, completed_at=now))
            events.append(NewEvent("task.cancelled", run.name, TaskStatus.CANCELLED, run.attempts))
        elif run.status == TaskStatus.PENDING:
            updates.append(TaskUpdate(run.position, TaskStatus.SKIPPED))
            events.append(NewEvent("task.skipped", run.name, TaskStatus.SKIPPED))
    events.append(NewEvent("execution.cancelled", error=error))
    return Transition(
        execution.execution_id,
        lease_token,
        status=ExecutionStatus.CANCELLED,
        completed_at=now,
        error=error,
        tasks=tuple(updates),
        events=tuple(events),
        expect_status=(ExecutionStatus.PENDING, ExecutionStatus.RUNNING),
        release_lease=True,
    )


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

    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}
        self.tasks: dict[int, TaskUpdate] = {}
        self.events: list[NewEvent] = []

    def add(self, t: Transition) -> None:
        for name in ("status", "completed_at", "outputs", "error"):
            value = getattr(t, name)
            if value is not None:
                self.fields[name] = value
        if t.started_at is not None and "started_at" not in self.fields:
            self.fields["started_at"] = t.started_at
        if t.release_lease:
            self.fields["release_lease"] = True
        if t.expect_status:
            self.fields["expect_status"] = t.expect_status
        for update_ in t.tasks:
            self.tasks[update_.position] = _merge_task_update(
                self.tasks.get(update_.position), update_
            )
        status = t.status
        for event in t.events:
            # Each event keeps the execution status of its own step.
            self.events.append(replace(event, status=event.status or status))

    def transition(self, execution_id: str, token: str | None) -> Transition:
        return Transition(
            execution_id,
            token,
            tasks=tuple(self.tasks[p] for p in sorted(self.tasks)),
            events=tuple(self.events),
            **self.fields,
        )


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

    def _stage(self, **kwargs: Any) -> None:
        """Add a step to the next write (nothing is written yet)."""
        if self._staged is None:
            self._staged = _Staged()
        if kwargs.get("status") is not None:
            self._status = kwargs["status"]
        # Each event carries the execution status of its own step.
        events = tuple(
            replace(e, status=e.status or self._status) for e in kwargs.pop("events", ())
        )
        self._staged.add(Transition(self.execution_id, self._token, events=events, **kwargs))

    async def _flush(self) -> list[EventRecord]:
        """Durably write what is staged (one fenced transition). Raises LeaseLost."""
        staged, self._staged = self._staged, None
        if staged is None:
            return []
        # Handed to the writer: it commits even if this task is cancelled meanwhile.
        result: list[EventRecord] = await self._deps.apply(
            staged.transition(self.execution_id, self._token)
        )
        return result

    async def _write(self, **kwargs: Any) -> list[EventRecord]:
        self._stage(**kwargs)
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
        cancelled = cancellation_transition(
            current, self._token, self._deps.now(), self.cancel_message
        )
        if self._staged is None:
            await self._deps.apply(cancelled)
            return
        self._staged.add(cancelled)
        await self._flush()

    async def _run(self) -> None:
        now = self._deps.now()
        if self._execution.status == ExecutionStatus.PENDING:
            # Committed with the first task's task.running.
            self._stage(
                status=ExecutionStatus.RUNNING,
                started_at=self._execution.started_at or now,
                events=(NewEvent("execution.running"),),
            )
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
        limits = self._deps.limits
        if error := output_error("", final, self._execution.inputs, outputs.values(), limits):
            await self._fail(None, error)
            return
        await self._write(
            status=ExecutionStatus.COMPLETED,
            completed_at=self._deps.now(),
            outputs=final,
            release_lease=True,
            events=(NewEvent("execution.completed"),),
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
        while True:
            attempts += 1
            now = self._deps.now()
            started = run.started_at or now
            # Local state first: a cancellation arriving during the write sees it.
            self._set_task(run, status=TaskStatus.RUNNING, attempts=attempts, started_at=started)
            run = self._tasks[run.position]
            self._stage(
                tasks=(
                    TaskUpdate(
                        run.position, TaskStatus.RUNNING, attempts=attempts, started_at=started
                    ),
                ),
                events=(NewEvent("task.running", task.name, TaskStatus.RUNNING, attempts),),
            )
            if not pure or self._too_many_staged():
                # A task with effects starts once its task.running is committed.
                await self._flush()
            outcome = await self._attempt(task, spec, handler, outputs, attempts, timeout)
            if isinstance(outcome, dict):
                self._set_task(run, status=TaskStatus.COMPLETED, outputs=outcome)
                # Committed with the next step (the next task.running or the end).
                self._stage(
                    tasks=(
                        TaskUpdate(
                            run.position,
                            TaskStatus.COMPLETED,
                            completed_at=self._deps.now(),
                            outputs=outcome,
                        ),
                    ),
                    events=(NewEvent("task.completed", task.name, TaskStatus.COMPLETED, attempts),),
                )
                return outcome
            error = outcome
            if error.retryable and attempts < max_attempts:
                await self._write(
                    tasks=(TaskUpdate(run.position, TaskStatus.RUNNING, error=error),),
                    events=(
                        NewEvent("task.retrying", task.name, TaskStatus.RUNNING, attempts, error),
                    ),
                )
                await asyncio.sleep(backoff_seconds(policy, attempts))
                continue
            await self._fail(run, error)
            return None

    async def _attempt(
        self,
        task: TaskSpec,
        spec: TaskTypeSpec | None,
        handler: Any,
        outputs: dict[str, dict[str, Any]],
        attempt: int,
        timeout: float,
    ) -> dict[str, Any] | TaskError:
        """One attempt: the outputs, or the error it ended with."""
        if spec is None or handler is None:
            return TaskError(
                "TASK_TYPE_UNAVAILABLE",
                f"task type {task.type!r} has no implementation in this server",
                False,
                task.name,
            )
        try:
            inputs = resolve_task_inputs(task, spec, self._execution.inputs, outputs)
        except ResolutionError as exc:
            return TaskError("INPUT_ERROR", str(exc), False, task.name)
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
            return TaskError(failure.code, failure.message, failure.retryable, task.name)
        except TimeoutError:
            return TaskError(
                "TIMEOUT", f"the attempt took longer than {timeout:g}s", True, task.name
            )
        except Exception as exc:  # a bug in a task implementation: not retried
            log.exception("task %s (%s) of %s raised", task.name, task.type, self.execution_id)
            return TaskError("TASK_ERROR", f"{type(exc).__name__}: {exc}", False, task.name)
        missing = [f.name for f in spec.outputs if f.name not in produced]
        if missing:
            return TaskError(
                "INVALID_OUTPUT", f"the task produced no {', '.join(missing)}", False, task.name
            )
        result = {f.name: produced[f.name] for f in spec.outputs}
        inputs, limits = self._execution.inputs, self._deps.limits
        return output_error(task.name, result, inputs, outputs.values(), limits) or result

    async def _fail(self, run: TaskRunRecord | None, error: TaskError) -> None:
        now = self._deps.now()
        updates: list[TaskUpdate] = []
        events: list[NewEvent] = []
        if run is not None:
            updates.append(
                TaskUpdate(run.position, TaskStatus.FAILED, completed_at=now, error=error)
            )
            events.append(NewEvent("task.failed", run.name, TaskStatus.FAILED, run.attempts, error))
        for later in self._tasks:
            if later.status == TaskStatus.PENDING and (
                run is None or later.position > run.position
            ):
                updates.append(TaskUpdate(later.position, TaskStatus.SKIPPED))
                events.append(NewEvent("task.skipped", later.name, TaskStatus.SKIPPED))
        events.append(NewEvent("execution.failed", error=error))
        await self._write(
            status=ExecutionStatus.FAILED,
            completed_at=now,
            error=error,
            tasks=tuple(updates),
            events=tuple(events),
            release_lease=True,
        )
