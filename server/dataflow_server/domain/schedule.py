"""What an execution does next: a pure function of its plan and its task states.

The engine records what happened (a task started, an item completed...),
then asks `next_step` what to do, applies it, and asks again until the step
is empty; `Step.outcome` is set once nothing is left to run.

The rules (docs/workflows.md):

- A task starts once every task it depends on is done: COMPLETED, or SKIPPED
  when it allows skipped dependencies. If one of them was SKIPPED and it does
  not, it is SKIPPED too (`SkipCause.DEPENDENCY`). Starting means: evaluate
  `when` (false → SKIPPED with `SkipCause.CONDITION`), then run the task, or
  for a `for_each` task resolve its list of items.
- Items of a `for_each` task start in index order, at most `max_parallel` at
  a time; the task COMPLETES when every item has.
- When a task or an item FAILS, nothing new starts anywhere: tasks not yet
  started are SKIPPED (`SkipCause.STOPPED`), what is running finishes, a
  `for_each` task ends FAILED (its own item failed) or CANCELLED (stopped by
  another failure) with its unstarted items SKIPPED, and the execution FAILS.
- On cancel the same happens, except that the engine cancels what is running
  and the execution ends CANCELLED.
- `retry_states` prepares a RetryExecution: what failed, was cancelled or was
  skipped because of that runs again; completed tasks and items, and tasks
  skipped by a condition, are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from .plan import WorkflowPlan
from .records import ExecutionStatus, TaskStatus

__all__ = ["Finish", "Skip", "SkipCause", "Step", "TaskState", "next_step", "retry_states"]

_DONE = (TaskStatus.COMPLETED, TaskStatus.SKIPPED)
_STOPPING = (TaskStatus.FAILED, TaskStatus.CANCELLED)


class SkipCause(StrEnum):
    CONDITION = "condition"  # its `when` was false
    DEPENDENCY = "dependency"  # a task it depends on was skipped
    STOPPED = "stopped"  # a failure or a cancel came first: a retry runs it


@dataclass(frozen=True, slots=True)
class TaskState:
    status: TaskStatus = TaskStatus.PENDING
    # A for_each task's items, once its list is resolved; None before that
    # and for other tasks.
    items: tuple[TaskStatus, ...] | None = None
    skip_cause: SkipCause | None = None


@dataclass(frozen=True, slots=True)
class Skip:
    task: int
    cause: SkipCause
    reason: str


@dataclass(frozen=True, slots=True)
class Finish:
    """A for_each task whose items are all done (or stopped)."""

    task: int
    status: TaskStatus  # COMPLETED, FAILED or CANCELLED
    skipped_items: tuple[int, ...] = ()  # never started: they become SKIPPED


@dataclass(frozen=True, slots=True)
class Step:
    start: tuple[int, ...] = ()  # tasks to start (evaluate when, run or expand)
    start_items: tuple[tuple[int, int], ...] = ()  # (task, item) to run
    skip: tuple[Skip, ...] = ()
    finish: tuple[Finish, ...] = ()
    outcome: ExecutionStatus | None = None  # set once nothing is left to run

    @property
    def is_empty(self) -> bool:
        return not (self.start or self.start_items or self.skip or self.finish)


def next_step(plan: WorkflowPlan, states: Sequence[TaskState], *, cancelling: bool = False) -> Step:
    """What to do now, given every task's state (in the plan's order)."""
    nodes = plan.nodes
    stopped_by = next(
        (
            nodes[i].name
            for i, st in enumerate(states)
            if st.status in _STOPPING or (st.items and TaskStatus.FAILED in st.items)
        ),
        None,
    )
    stopping = cancelling or stopped_by is not None
    start: list[int] = []
    start_items: list[tuple[int, int]] = []
    skip: list[Skip] = []
    finish: list[Finish] = []
    for i, (node, state) in enumerate(zip(nodes, states, strict=True)):
        if state.status is TaskStatus.PENDING:
            if stopping:
                reason = (
                    "the execution was cancelled"
                    if cancelling
                    else f"not run: tasks.{stopped_by} failed"
                )
                skip.append(Skip(i, SkipCause.STOPPED, reason))
                continue
            upstream = sorted(node.upstream)
            if any(states[d].status not in _DONE for d in upstream):
                continue
            skipped = [d for d in upstream if states[d].status is TaskStatus.SKIPPED]
            if skipped and not node.allow_skipped:
                reason = f"tasks.{nodes[skipped[0]].name} was skipped"
                skip.append(Skip(i, SkipCause.DEPENDENCY, reason))
            else:
                start.append(i)
        elif state.status is TaskStatus.RUNNING and state.items is not None:
            items = state.items
            running = sum(1 for s in items if s is TaskStatus.RUNNING)
            pending = [j for j, s in enumerate(items) if s is TaskStatus.PENDING]
            if not stopping:
                free = max(node.max_parallel - running, 0)
                start_items.extend((i, j) for j in pending[:free])
                if running == 0 and not pending:
                    finish.append(Finish(i, TaskStatus.COMPLETED))
            elif running == 0:
                status = TaskStatus.FAILED if TaskStatus.FAILED in items else TaskStatus.CANCELLED
                finish.append(Finish(i, status, tuple(pending)))
    outcome = None
    if all(st.status not in (TaskStatus.PENDING, TaskStatus.RUNNING) for st in states):
        if cancelling:
            outcome = ExecutionStatus.CANCELLED
        elif any(st.status is TaskStatus.FAILED for st in states):
            outcome = ExecutionStatus.FAILED
        elif any(st.status is TaskStatus.CANCELLED for st in states):
            outcome = ExecutionStatus.CANCELLED
        else:
            outcome = ExecutionStatus.COMPLETED
    return Step(tuple(start), tuple(start_items), tuple(skip), tuple(finish), outcome)


def retry_states(states: Sequence[TaskState]) -> tuple[TaskState, ...]:
    """The states a retried execution resumes from: failed, cancelled and
    stopped work is pending again; completed work and decided skips stay."""
    again = (TaskStatus.FAILED, TaskStatus.CANCELLED, TaskStatus.SKIPPED)
    result = []
    for st in states:
        if st.items is not None and st.status is not TaskStatus.COMPLETED:
            items = tuple(TaskStatus.PENDING if s in again else s for s in st.items)
            result.append(TaskState(TaskStatus.RUNNING, items))
        elif st.status in _STOPPING or st.skip_cause is SkipCause.STOPPED:
            result.append(TaskState())
        else:
            result.append(replace(st))
    return tuple(result)
