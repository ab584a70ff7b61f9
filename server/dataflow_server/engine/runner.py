"""Runs one claimed execution: its task graph, each attempt and retry an event.

Every write is a fenced `Transition` through the group-commit writer; if the
lease was lost the runner stops without writing more. Consecutive steps are
staged and written as one transition (one transaction, consecutive sequences)
when nothing outside the process can observe the difference: the step before
a task starts and the one after it ends (`execution.running` + the first
`task.running`; a task's `task.completed` + the next one's `task.running`; the
last `task.completed` + `execution.completed`), and the whole run of a *pure*
task (see `TaskTypeSpec.pure`). A task with side effects starts only once its
`task.running` event is committed, as before. Task semantics:
- which tasks and items run, are skipped or end, and when the execution is
  done, is decided by the pure scheduler (`domain.schedule.next_step`); tasks
  whose dependencies are done run at the same time (each an asyncio task, the
  per-resource limits apply across them), pure tasks run inline;
- a completed task or item is never run again; one found RUNNING (its worker
  died) runs again: at-least-once;
- retryable failures are retried with exponential backoff while attempts
  remain; a failure for good stops new work, lets running work end, then
  fails the execution;
- cancellation marks running tasks and items CANCELLED and the rest SKIPPED.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime

from ..domain import lifecycle
from ..domain.conditions import ConditionError
from ..domain.definitions import RetryPolicy, TaskSpec, WorkflowDefinition
from ..domain.lifecycle import TaskUpdate, Transition
from ..domain.limits import DEFAULT_DATA_LIMITS, DataLimits, encoded_size, output_error
from ..domain.plan import MAX_ITEMS, WorkflowPlan, evaluate_when
from ..domain.records import (
    EventRecord,
    ExecutionRecord,
    ExecutionStatus,
    TaskError,
    TaskItemRecord,
    TaskRunRecord,
    TaskStatus,
)
from ..domain.resolution import (
    Item,
    ResolutionError,
    backoff_seconds,
    collect_item_outputs,
    referenced_secrets,
    resolve_items,
    resolve_outputs,
    resolve_task_inputs,
)
from ..domain.schedule import Finish, Skip, SkipCause, Step, TaskState, next_step
from ..domain.secrets import SecretUnavailable, mask, mask_value
from ..domain.task_types import TaskTypeSpec
from ..domain.values import JsonObject, JsonValue
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
    files_for: Callable[[str, str], FileAccess]  # (tenant id, execution id) → its files
    services: TaskServices
    limits: ResourceLimits
    data_limits: DataLimits = DEFAULT_DATA_LIMITS  # what outputs may be (domain.limits)


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
        skip_reason=new.skip_reason if new.skip_reason is not None else old.skip_reason,
        items=new.items if new.items is not None else old.items,
    )


class _Staged:
    """Steps of one execution not yet handed to the writer, merged into one transition."""

    def __init__(self, execution_id: str, token: str) -> None:
        self._execution_id = execution_id
        self._token = token
        # The merged transition's fields, built once in transition() (not copied
        # on every add: a run stages a few steps per task).
        self._status: ExecutionStatus | None = None
        self._started_at: datetime | None = None
        self._completed_at: datetime | None = None
        self._outputs: JsonObject | None = None
        self._error: TaskError | None = None
        self._release_lease = False
        self._expect_status: tuple[ExecutionStatus, ...] = ()
        self.tasks: dict[int, TaskUpdate] = {}
        self.events: list[lifecycle.NewEvent] = []

    def add(self, t: Transition) -> None:
        if t.status is not None:
            self._status = t.status
        self._started_at = self._started_at or t.started_at  # the first step's start stands
        self._completed_at = t.completed_at or self._completed_at
        if t.outputs is not None:
            self._outputs = t.outputs
        self._error = t.error or self._error
        self._release_lease = self._release_lease or t.release_lease
        self._expect_status = t.expect_status or self._expect_status
        for update_ in t.tasks:
            self.tasks[update_.position] = _merge_task_update(
                self.tasks.get(update_.position), update_
            )
        for event in t.events:
            # Each event keeps the execution status of its own step.
            self.events.append(event if event.status is not None else _with_status(event, t.status))

    def transition(self) -> Transition:
        return Transition(
            self._execution_id,
            self._token,
            status=self._status,
            started_at=self._started_at,
            completed_at=self._completed_at,
            outputs=self._outputs,
            error=self._error,
            tasks=tuple(self.tasks[p] for p in sorted(self.tasks)),
            events=tuple(self.events),
            expect_status=self._expect_status,
            release_lease=self._release_lease,
        )


def _with_status(event: lifecycle.NewEvent, status: ExecutionStatus | None) -> lifecycle.NewEvent:
    """`event` with its step's execution status (`dataclasses.replace`, 4× faster)."""
    return lifecycle.NewEvent(
        event.type,
        task_name=event.task_name,
        task_status=event.task_status,
        attempt=event.attempt,
        error=event.error,
        status=status,
        item_index=event.item_index,
        skip_reason=event.skip_reason,
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
        plan: WorkflowPlan,
        lease_token: str,
    ) -> None:
        self._deps = deps
        self._execution = execution
        self._definition = definition
        self._plan = plan
        self._token = lease_token
        self._tasks: list[TaskRunRecord] = list(execution.tasks)
        # Local state (`_tasks`) = what is committed + what the writer holds + `_staged`.
        self._staged: _Staged | None = None
        self._status = execution.status
        self.cancel_reason: str | None = None
        self.cancel_message = ""
        # Outputs of finished tasks by name; None for a skipped task.
        self._outputs: dict[str, JsonObject | None] = {}
        self._item_values: dict[int, list[JsonValue]] = {}  # a started for_each task's list
        self._units: dict[asyncio.Task[None], tuple[int, int | None]] = {}
        self._failure: TaskError | None = None  # the first failure for good
        self._inputs_size: int | None = None
        self._output_sizes: dict[str, tuple[JsonObject, int]] = {}  # name → (outputs, size)

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
        if any(e.status is None for e in step.events):
            events = tuple(
                e if e.status is not None else _with_status(e, self._status) for e in step.events
            )
            step = replace(step, events=events)
        self._staged.add(step)

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

    def _set_task(self, run: TaskRunRecord) -> TaskRunRecord:
        """Keep `run` (the current one with changes) as its task's local state."""
        self._tasks[run.position] = run
        return run

    def _item(self, position: int, index: int) -> TaskItemRecord:
        return (self._tasks[position].items or ())[index]

    def _set_item(self, position: int, item: TaskItemRecord) -> TaskRunRecord:
        """Keep `item` as item `item.index` of the task at `position`."""
        return self._set_task(lifecycle.with_item(self._tasks[position], item))

    async def run(self) -> None:
        try:
            await self._run()
        except asyncio.CancelledError:
            if self.cancel_reason != CancelReason.REQUESTED:
                raise
            await self.record_cancellation()

    async def record_cancellation(self) -> None:
        """Write CANCELLED (running tasks and items CANCELLED, pending ones SKIPPED),
        after whatever was staged (steps that already happened, in order)."""
        await self._stop_units()
        current = replace(self._execution, tasks=tuple(self._tasks))
        cancelled = lifecycle.cancel(current, self._token, self._deps.now(), self.cancel_message)
        if self._staged is None:
            await self._deps.apply(cancelled)
            return
        self._staged.add(cancelled)
        await self._flush()

    # -- the graph ----------------------------------------------------------

    async def _run(self) -> None:
        if self._execution.status == ExecutionStatus.PENDING:
            # Committed with the first task's task.running.
            self._stage(lifecycle.start(self._execution, self._token, self._deps.now()))
        for run in self._tasks:
            if run.status == TaskStatus.COMPLETED:
                self._outputs[run.name] = run.outputs or {}
            elif run.status == TaskStatus.SKIPPED:
                self._outputs[run.name] = None
            elif run.status == TaskStatus.FAILED and self._failure is None:
                self._failure = run.error  # recorded before a crash: it is the cause
        try:
            await self._resume()
            while True:
                step = next_step(self._plan, self._states())
                if step.outcome is not None:
                    await self._finish(step.outcome)
                    return
                if not step.is_empty:
                    await self._apply(step)
                    if self._too_many_staged():
                        await self._flush()
                    continue
                if not self._units:
                    raise RuntimeError(f"execution {self.execution_id}: nothing can run")
                # Let units just started stage (and commit) their first step with
                # what is staged here; commit the rest before waiting.
                await asyncio.sleep(0)
                await self._flush()
                done, _ = await asyncio.wait(self._units, return_when=asyncio.FIRST_COMPLETED)
                for unit in done:
                    del self._units[unit]
                    unit.result()  # LeaseLost and bugs propagate
        finally:
            await self._stop_units()

    def _states(self) -> list[TaskState]:
        return [
            TaskState(run.status, None if run.items is None else tuple(i.status for i in run.items))
            for run in self._tasks
        ]

    async def _stop_units(self) -> None:
        units = list(self._units)
        self._units.clear()
        for unit in units:
            unit.cancel()
        await asyncio.gather(*units, return_exceptions=True)

    async def _resume(self) -> None:
        """Work found RUNNING (its worker died) runs again."""
        for run in list(self._tasks):
            if run.status != TaskStatus.RUNNING:
                continue
            task = self._definition.tasks[run.position]
            if not task.for_each:
                await self._launch(run.position, None)
            elif run.items is None:  # expanded again
                self._set_task(replace(self._tasks[run.position], status=TaskStatus.PENDING))
            else:
                self._item_values[run.position] = resolve_items(
                    task, self._execution.inputs, self._outputs, MAX_ITEMS
                )
                for item in run.items:
                    if item.status == TaskStatus.RUNNING:
                        await self._launch(run.position, item.index)

    async def _apply(self, step: Step) -> None:
        for skip in step.skip:
            self._skip(skip)
        for finish in step.finish:
            self._finish_map(finish)
        for position in step.start:
            await self._start(position)
        for position, index in step.start_items:
            self._set_item(
                position, replace(self._item(position, index), status=TaskStatus.RUNNING)
            )
            await self._launch(position, index)

    def _skip(self, skip: Skip) -> None:
        run = self._set_task(
            replace(self._tasks[skip.task], status=TaskStatus.SKIPPED, skip_reason=skip.reason)
        )
        self._outputs[run.name] = None
        self._stage(lifecycle.skip_task(self.execution_id, self._token, run, skip.reason))

    def _fail_task(self, position: int, error: TaskError) -> None:
        run = self._set_task(replace(self._tasks[position], status=TaskStatus.FAILED, error=error))
        self._failure = self._failure or error
        self._stage(
            lifecycle.fail_task(self.execution_id, self._token, run, error, self._deps.now())
        )

    async def _start(self, position: int) -> None:
        """A task whose dependencies are done: its condition, then its run or its items."""
        task = self._definition.tasks[position]
        try:
            go = evaluate_when(
                self._definition,
                self._plan,
                position,
                self._deps.registry.specs(),
                self._execution.inputs,
                self._outputs,
            )
        except ConditionError as exc:
            self._fail_task(position, TaskError("CONDITION_FAILED", str(exc), False, task.name))
            return
        if not go:
            self._skip(Skip(position, SkipCause.CONDITION, f"when is false: {task.when}"))
            return
        if not task.for_each:
            await self._launch(position, None)
            return
        try:
            values = resolve_items(task, self._execution.inputs, self._outputs, MAX_ITEMS)
        except ResolutionError as exc:
            self._fail_task(position, TaskError(exc.code, str(exc), False, task.name))
            return
        self._item_values[position] = values
        kept = self._tasks[position].items or ()
        if len(kept) != len(values):  # a retry keeps completed items of the same list
            kept = ()
        items = tuple(
            kept[j] if kept and kept[j].status == TaskStatus.COMPLETED else TaskItemRecord(j)
            for j in range(len(values))
        )
        run = self._set_task(
            replace(
                self._tasks[position],
                status=TaskStatus.RUNNING,
                started_at=self._deps.now(),
                items=items,
            )
        )
        self._stage(lifecycle.start_map(self.execution_id, self._token, run))

    def _finish_map(self, finish: Finish) -> None:
        run = self._tasks[finish.task]
        for index in finish.skipped_items:
            run = self._set_item(
                finish.task, replace(self._item(finish.task, index), status=TaskStatus.SKIPPED)
            )
        items = run.items or ()
        outputs = None
        error = None
        if finish.status == TaskStatus.COMPLETED:
            spec = self._deps.registry.spec(run.type)
            fields = [f.name for f in spec.outputs] if spec else []
            outputs = collect_item_outputs(fields, [i.outputs for i in items])
            self._outputs[run.name] = outputs
        elif finish.status == TaskStatus.FAILED:
            bad = next(i for i in items if i.status == TaskStatus.FAILED)
            cause = bad.error or TaskError("FAILED", "the item failed")
            error = TaskError(
                "ITEM_FAILED",
                f"items[{bad.index}] failed: {cause.code}: {cause.message}",
                False,
                run.name,
            )
            self._failure = self._failure or error
        run = self._set_task(
            replace(
                self._tasks[finish.task],
                status=finish.status,
                completed_at=self._deps.now(),
                outputs=outputs,
                error=error,
            )
        )
        self._stage(lifecycle.finish_map(self.execution_id, self._token, run, finish.skipped_items))

    async def _finish(self, outcome: ExecutionStatus) -> None:
        now = self._deps.now()
        if outcome == ExecutionStatus.COMPLETED:
            try:
                final = resolve_outputs(
                    self._definition.outputs, self._execution.inputs, self._outputs
                )
            except ResolutionError as exc:
                await self._fail(TaskError("OUTPUT_ERROR", str(exc)))
                return
            if error := self._output_error("", final):
                await self._fail(error)
                return
            await self._write(lifecycle.complete(self.execution_id, self._token, final, now))
            return
        await self._fail(self._failure or TaskError("FAILED", "a task did not complete"))

    async def _fail(self, error: TaskError) -> None:
        await self._write(
            lifecycle.fail(self.execution_id, self._token, (), None, error, self._deps.now())
        )

    # -- units: one task, or one item of a for_each task ----------------------

    async def _launch(self, position: int, index: int | None) -> None:
        """Run a unit: inline when its task type is pure (quick, no I/O), else as
        an asyncio task beside the others."""
        spec = self._deps.registry.spec(self._tasks[position].type)
        if spec is not None and spec.pure and self._deps.registry.handler(spec.name):
            await self._run_unit(position, index)
            return
        if index is None:  # the scheduler sees it started
            self._set_task(replace(self._tasks[position], status=TaskStatus.RUNNING))
        unit = asyncio.create_task(
            self._run_unit(position, index), name=f"{self.execution_id}:{position}:{index}"
        )
        self._units[unit] = (position, index)

    async def _run_unit(self, position: int, index: int | None) -> None:
        """Attempts of one unit until it completes or fails for good."""
        task = self._definition.tasks[position]
        run = self._tasks[position]
        spec = self._deps.registry.spec(task.type)
        handler = self._deps.registry.handler(task.type)
        policy = (task.retry or RetryPolicy()).merged_over(
            spec.default_retry if spec else RetryPolicy(max_attempts=1)
        )
        timeout = task.timeout_seconds or (spec.default_timeout_seconds if spec else 60.0)
        current = run if index is None else (run.items or ())[index]
        attempts = current.attempts
        max_attempts = policy.max_attempts or 1
        if current.status == TaskStatus.RUNNING and attempts:
            # Interrupted by a crash: it runs again even if that exceeds the policy.
            max_attempts = max(max_attempts, attempts + 1)
        item = None if index is None else Item(index, self._item_values[position][index])
        pure = spec is not None and spec.pure and handler is not None
        gate = self._deps.limits.gate(spec.resource) if spec is not None else None
        while True:
            if gate is not None:
                await self._acquire(gate)
            try:
                outcome = await self._start_and_attempt(
                    task, spec, handler, position, item, attempts + 1, timeout, pure
                )
            finally:
                if gate is not None:
                    gate.release()
            attempts += 1
            if isinstance(outcome, dict):
                # Committed with the next step.
                self._stage(self._completed(position, index, attempts, outcome))
                return
            error = outcome.error
            if outcome.retry_after is not None and gate is not None:
                gate.pause(outcome.retry_after)  # the provider's whole budget waits
            if error.retryable and attempts < max_attempts:
                await self._write(self._retrying(position, index, attempts, error))
                await asyncio.sleep(
                    max(backoff_seconds(policy, attempts), outcome.retry_after or 0.0)
                )
                continue
            if index is None:
                self._fail_task(position, error)
            else:
                run = self._set_item(
                    position,
                    replace(
                        self._item(position, index),
                        status=TaskStatus.FAILED,
                        error=error,
                        completed_at=self._deps.now(),
                    ),
                )
                # The task fails (ITEM_FAILED) once its running items end.
                self._stage(
                    lifecycle.item_step(
                        self.execution_id,
                        self._token,
                        run,
                        index,
                        lifecycle.EventType.TASK_ITEM_FAILED,
                        error,
                    )
                )
            return

    def _completed(
        self, position: int, index: int | None, attempt: int, outputs: JsonObject
    ) -> Transition:
        now = self._deps.now()
        if index is None:
            run = self._set_task(
                replace(self._tasks[position], status=TaskStatus.COMPLETED, outputs=outputs)
            )
            self._outputs[run.name] = outputs
            return lifecycle.complete_task(
                self.execution_id, self._token, run, attempt, outputs, now
            )
        run = self._set_item(
            position,
            replace(
                self._item(position, index),
                status=TaskStatus.COMPLETED,
                outputs=outputs,
                completed_at=now,
                error=None,
            ),
        )
        return lifecycle.item_step(
            self.execution_id, self._token, run, index, lifecycle.EventType.TASK_ITEM_COMPLETED
        )

    def _retrying(
        self, position: int, index: int | None, attempt: int, error: TaskError
    ) -> Transition:
        if index is None:
            run = self._set_task(replace(self._tasks[position], error=error))
            return lifecycle.retry_task(self.execution_id, self._token, run, attempt, error)
        run = self._set_item(position, replace(self._item(position, index), error=error))
        return lifecycle.item_step(
            self.execution_id,
            self._token,
            run,
            index,
            lifecycle.EventType.TASK_ITEM_RETRYING,
            error,
        )

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
        position: int,
        item: Item | None,
        attempt: int,
        timeout: float,
        pure: bool,
    ) -> JsonObject | _Failed:
        """task.running / task.item.running (committed first unless the task is
        pure), then the attempt."""
        now = self._deps.now()
        # Local state first: a cancellation arriving during the write sees it.
        if item is None:
            started = self._tasks[position].started_at or now
            run = self._set_task(
                replace(
                    self._tasks[position],
                    status=TaskStatus.RUNNING,
                    attempts=attempt,
                    started_at=started,
                )
            )
            self._stage(lifecycle.start_task(self.execution_id, self._token, run, attempt, started))
        else:
            started = self._item(position, item.index).started_at or now
            run = self._set_item(
                position,
                replace(
                    self._item(position, item.index),
                    status=TaskStatus.RUNNING,
                    attempts=attempt,
                    started_at=started,
                ),
            )
            self._stage(
                lifecycle.item_step(
                    self.execution_id,
                    self._token,
                    run,
                    item.index,
                    lifecycle.EventType.TASK_ITEM_RUNNING,
                )
            )
        if not pure or self._too_many_staged():
            # A task with effects starts once its task.running is committed.
            await self._flush()
        return await self._attempt(task, spec, handler, item, attempt, timeout, pure)

    async def _attempt(
        self,
        task: TaskSpec,
        spec: TaskTypeSpec | None,
        handler: TaskHandler | None,
        item: Item | None,
        attempt: int,
        timeout: float,
        pure: bool,
    ) -> JsonObject | _Failed:
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
        tenant_id = self._execution.tenant_id
        try:
            secrets = await self._reveal_secrets(task, tenant_id)
        except SecretUnavailable as exc:
            return _Failed(TaskError("SECRET_UNAVAILABLE", str(exc), False, task.name))
        try:
            inputs = resolve_task_inputs(
                task, spec, self._execution.inputs, self._outputs, item, secrets
            )
        except ResolutionError as exc:
            return _Failed(TaskError(exc.code, str(exc), False, task.name))
        ctx = TaskContext(
            execution_id=self.execution_id,
            task_name=task.name,
            attempt=attempt,
            files=self._deps.files_for(self._execution.tenant_id, self.execution_id),
            services=self._deps.services,
            item_index=None if item is None else item.index,
            tenant_id=tenant_id,
        )
        # What the task hands back never carries a secret it was given: a provider
        # that echoes a key or a header back gets it masked (domain.secrets.mask).
        shown = secrets.values()
        try:
            if pure:  # computed in-process without waiting: a timer could not interrupt it
                produced = await handler(ctx, inputs)
            else:
                async with asyncio.timeout(timeout):
                    produced = await handler(ctx, inputs)
        except TaskFailure as failure:
            return _Failed(
                TaskError(failure.code, mask(failure.message, shown), failure.retryable, task.name),
                failure.retry_after,
            )
        except TimeoutError:
            return _Failed(
                TaskError("TIMEOUT", f"the attempt took longer than {timeout:g}s", True, task.name)
            )
        except Exception as exc:  # a bug in a task implementation: not retried
            message = mask(f"{type(exc).__name__}: {exc}", shown)
            # The traceback's frames could hold a secret: logged only without secrets.
            log.error(
                "task %s (%s) of %s raised %s",
                task.name,
                task.type,
                self.execution_id,
                message,
                exc_info=not secrets,
            )
            return _Failed(TaskError("TASK_ERROR", message, False, task.name))
        missing = [f.name for f in spec.outputs if f.name not in produced]
        if missing:
            return _Failed(
                TaskError(
                    "INVALID_OUTPUT", f"the task produced no {', '.join(missing)}", False, task.name
                )
            )
        result = {f.name: mask_value(produced[f.name], shown) for f in spec.outputs}
        if error := self._output_error(task.name, result):
            return _Failed(error)
        return result

    async def _reveal_secrets(self, task: TaskSpec, tenant_id: str) -> dict[str, str]:
        """The clear values of the secrets the task's inputs reference, read now (a
        secret set or replaced since the last attempt is the one used)."""
        names = referenced_secrets(task)
        source = self._deps.services.secrets
        if not names or source is None:
            return {}
        return await source.reveal(tenant_id, names)

    def _output_error(self, task_name: str, outputs: JsonObject) -> TaskError | None:
        """Outputs that JSON cannot carry or that are too large fail (domain.limits)."""
        return output_error(task_name, outputs, self._data_used(), self._deps.data_limits)

    def _data_used(self) -> int:
        """The bytes of the execution's inputs and of the outputs kept so far; each
        size is computed once (a run checks its data after every task)."""
        if self._inputs_size is None:
            self._inputs_size = encoded_size(dict(self._execution.inputs))
        total = self._inputs_size
        for name, outputs in self._outputs.items():
            if outputs is None:
                continue
            known = self._output_sizes.get(name)
            if known is None or known[0] is not outputs:
                known = self._output_sizes[name] = (outputs, encoded_size(dict(outputs)))
            total += known[1]
        return total
