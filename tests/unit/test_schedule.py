"""The pure scheduler: examples, then properties over random DAGs (hypothesis).

The simulation plays the engine: it applies each step, evaluates `when`
from a drawn table, finishes running tasks and items in an order hypothesis
chooses, and may inject failures or a cancel. The scheduler must run every
task at most once, only after all its dependencies, never more than
`max_parallel` items at once, and always reach an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from dataflow_server.domain.plan import TaskNode, WorkflowPlan
from dataflow_server.domain.records import ExecutionStatus, TaskStatus
from dataflow_server.domain.schedule import (
    SkipCause,
    Step,
    TaskState,
    next_step,
    retry_states,
)

P, R, C, F, X, S = (
    TaskStatus.PENDING,
    TaskStatus.RUNNING,
    TaskStatus.COMPLETED,
    TaskStatus.FAILED,
    TaskStatus.CANCELLED,
    TaskStatus.SKIPPED,
)


def plan(*nodes: TaskNode) -> WorkflowPlan:
    return WorkflowPlan(nodes)


def node(name: str, *upstream: int, **rules: object) -> TaskNode:
    return TaskNode(name, frozenset(upstream), **rules)  # type: ignore[arg-type]


class TestExamples:
    def test_sequence_starts_one_task_at_a_time(self) -> None:
        p = plan(node("a"), node("b", 0), node("c", 1))
        assert next_step(p, [TaskState()] * 3).start == (0,)
        step = next_step(p, [TaskState(C), TaskState(), TaskState()])
        assert step.start == (1,)
        assert step.outcome is None

    def test_independent_tasks_start_together_and_join_waits(self) -> None:
        p = plan(node("a"), node("b"), node("join", 0, 1))
        assert next_step(p, [TaskState()] * 3).start == (0, 1)
        assert next_step(p, [TaskState(C), TaskState(R), TaskState()]).is_empty
        assert next_step(p, [TaskState(C), TaskState(C), TaskState()]).start == (2,)

    def test_skip_propagates_unless_allowed(self) -> None:
        p = plan(
            node("detect"),
            node("translate", 0, conditional=True),
            node("speak", 1),
            node("join", 0, 1, allow_skipped=True),
        )
        states = [TaskState(C), TaskState(S, skip_cause=SkipCause.CONDITION)] + [TaskState()] * 2
        step = next_step(p, states)
        assert step.start == (3,)
        assert [(s.task, s.cause, s.reason) for s in step.skip] == [
            (2, SkipCause.DEPENDENCY, "tasks.translate was skipped")
        ]

    def test_items_run_in_waves_of_max_parallel(self) -> None:
        p = plan(node("map", for_each=True, max_parallel=2))
        step = next_step(p, [TaskState(R, (P,) * 6)])
        assert step.start_items == ((0, 0), (0, 1))
        step = next_step(p, [TaskState(R, (C, R, P, P, P, P))])
        assert step.start_items == ((0, 2),)
        step = next_step(p, [TaskState(R, (C,) * 6)])
        assert [(f.task, f.status) for f in step.finish] == [(0, C)]

    def test_empty_list_completes_at_once(self) -> None:
        p = plan(node("map", for_each=True))
        assert [f.status for f in next_step(p, [TaskState(R, ())]).finish] == [C]

    def test_failed_item_lets_running_items_finish_then_fails_the_task(self) -> None:
        p = plan(node("map", for_each=True, max_parallel=2), node("other"), node("after", 0))
        states = [TaskState(R, (F, R, P)), TaskState(R), TaskState()]
        step = next_step(p, states)
        assert step.start_items == ()
        assert step.finish == ()  # item 1 is still running
        assert [(s.task, s.cause) for s in step.skip] == [(2, SkipCause.STOPPED)]
        assert step.skip[0].reason == "not run: tasks.map failed"
        step = next_step(p, [TaskState(R, (F, C, P)), TaskState(C), TaskState(S)])
        assert [(f.task, f.status, f.skipped_items) for f in step.finish] == [(0, F, (2,))]
        done = next_step(p, [TaskState(F, (F, C, S)), TaskState(C), TaskState(S)])
        assert done.outcome is ExecutionStatus.FAILED

    def test_cancel_skips_pending_and_stops_maps(self) -> None:
        p = plan(node("map", for_each=True), node("later", 0))
        step = next_step(p, [TaskState(R, (X, C, P)), TaskState()], cancelling=True)
        assert [(f.status, f.skipped_items) for f in step.finish] == [(X, (2,))]
        assert step.skip[0].reason == "the execution was cancelled"
        done = next_step(p, [TaskState(X, (X, C, S)), TaskState(S)], cancelling=True)
        assert done.outcome is ExecutionStatus.CANCELLED

    def test_outcome_completed_with_skips(self) -> None:
        p = plan(node("a", conditional=True), node("b", 0))
        states = [TaskState(S, skip_cause=SkipCause.CONDITION), TaskState(S)]
        assert next_step(p, states).outcome is ExecutionStatus.COMPLETED

    def test_retry_keeps_completed_work_and_decided_skips(self) -> None:
        states = [
            TaskState(C),
            TaskState(S, skip_cause=SkipCause.CONDITION),
            TaskState(F, (C, F, S)),
            TaskState(S, skip_cause=SkipCause.STOPPED),
            TaskState(X),
        ]
        assert retry_states(states) == (
            TaskState(C),
            TaskState(S, skip_cause=SkipCause.CONDITION),
            TaskState(R, (C, P, P)),
            TaskState(),
            TaskState(),
        )


# --------------------------------------------------------------------------
# Properties over random DAGs


@dataclass
class Scenario:
    plan: WorkflowPlan
    when: list[bool]  # the value of each task's condition (used when it has one)
    item_counts: list[int]
    fail: set[tuple[int, int]]  # (task, item or -1) that fail when they run
    cancel_after: int | None  # cancel after this many completions


@st.composite
def scenarios(draw: st.DrawFn, allow_failures: bool = True) -> Scenario:
    n = draw(st.integers(1, 8))
    nodes = []
    for i in range(n):
        upstream = draw(st.sets(st.integers(0, i - 1), max_size=3)) if i else set()
        nodes.append(
            TaskNode(
                f"t{i}",
                frozenset(upstream),
                conditional=draw(st.booleans()),
                for_each=draw(st.booleans()),
                max_parallel=draw(st.integers(1, 3)),
                allow_skipped=draw(st.booleans()),
            )
        )
    item_counts = [draw(st.integers(0, 5)) if nd.for_each else 0 for nd in nodes]
    fail: set[tuple[int, int]] = set()
    cancel_after = None
    if allow_failures:
        units = [(i, -1) for i, nd in enumerate(nodes) if not nd.for_each] + [
            (i, j) for i, nd in enumerate(nodes) if nd.for_each for j in range(item_counts[i])
        ]
        if units:
            fail = draw(st.sets(st.sampled_from(units), max_size=2))
        cancel_after = draw(st.none() | st.integers(0, 6))
    when = [draw(st.booleans()) for _ in nodes]
    return Scenario(WorkflowPlan(tuple(nodes)), when, item_counts, fail, cancel_after)


@dataclass
class Run:
    """The simulated engine's record of one execution."""

    scenario: Scenario
    states: list[TaskState]
    started: list[int] = field(default_factory=list)
    started_items: list[tuple[int, int]] = field(default_factory=list)
    completions: int = 0
    cancelling: bool = False

    def check_start(self, i: int) -> None:
        node = self.scenario.plan.nodes[i]
        assert i not in self.started, f"t{i} started twice"
        for d in node.upstream:
            assert self.states[d].status in (C, S), f"t{i} started before t{d} was done"
            if self.states[d].status is S:
                assert node.allow_skipped, f"t{i} started after skipped t{d}"
        self.started.append(i)

    def apply(self, step: Step) -> None:
        sc = self.scenario
        for skip in step.skip:
            self.states[skip.task] = TaskState(S, skip_cause=skip.cause)
        for i in step.start:
            self.check_start(i)
            if sc.plan.nodes[i].conditional and not sc.when[i]:
                self.states[i] = TaskState(S, skip_cause=SkipCause.CONDITION)
            elif sc.plan.nodes[i].for_each:
                self.states[i] = TaskState(R, (P,) * sc.item_counts[i])
            else:
                self.states[i] = TaskState(R)
        for i, j in step.start_items:
            items = self.states[i].items
            assert items is not None and items[j] is P
            assert (i, j) not in self.started_items, f"t{i}.items[{j}] started twice"
            assert all(s is not P for s in items[:j]), "items start in index order"
            self.started_items.append((i, j))
            self.set_item(i, j, R)
            running = sum(1 for s in self.item_states(i) if s is R)
            assert running <= sc.plan.nodes[i].max_parallel
        for fin in step.finish:
            items = list(self.item_states(i := fin.task))
            for j in fin.skipped_items:
                items[j] = S
            self.states[i] = TaskState(fin.status, tuple(items))

    def item_states(self, i: int) -> tuple[TaskStatus, ...]:
        items = self.states[i].items
        assert items is not None
        return items

    def set_item(self, i: int, j: int, status: TaskStatus) -> None:
        items = list(self.item_states(i))
        items[j] = status
        self.states[i] = TaskState(R, tuple(items))

    def running_units(self) -> list[tuple[int, int]]:
        units = []
        for i, st_ in enumerate(self.states):
            if st_.status is R and st_.items is None:
                units.append((i, -1))
            elif st_.status is R and st_.items is not None:
                units.extend((i, j) for j, s in enumerate(st_.items) if s is R)
        return units

    def finish_unit(self, unit: tuple[int, int]) -> None:
        i, j = unit
        status = X if self.cancelling else (F if unit in self.scenario.fail else C)
        if j < 0:
            self.states[i] = TaskState(status)
        else:
            self.set_item(i, j, status)
        self.completions += 1


def simulate(run: Run, data: st.DataObject) -> ExecutionStatus:
    sc = run.scenario
    for _ in range(10_000):
        step = next_step(sc.plan, run.states, cancelling=run.cancelling)
        if step.outcome is not None:
            assert step.is_empty
            return step.outcome
        if not step.is_empty:
            run.apply(step)
            continue
        units = run.running_units()
        assert units, f"stuck: nothing runs and no outcome in {run.states}"
        if sc.cancel_after is not None and run.completions >= sc.cancel_after:
            run.cancelling = True  # the engine cancels everything that runs
            for unit in units:
                run.finish_unit(unit)
            continue
        run.finish_unit(data.draw(st.sampled_from(units), label="finishes next"))
    raise AssertionError("no outcome after 10,000 steps")


def expected_statuses(sc: Scenario) -> list[TaskStatus]:
    """The reference model of a run without failures: skips propagate."""
    result: list[TaskStatus] = []
    for i, nd in enumerate(sc.plan.nodes):
        dependency_skipped = any(result[d] is S for d in nd.upstream) and not nd.allow_skipped
        condition_false = nd.conditional and not sc.when[i]
        result.append(S if dependency_skipped or condition_false else C)
    return result


@settings(max_examples=200, deadline=None)
@given(scenarios(allow_failures=False), st.data())
def test_every_task_runs_once_after_its_dependencies(sc: Scenario, data: st.DataObject) -> None:
    run = Run(sc, [TaskState() for _ in sc.plan.nodes])
    assert simulate(run, data) is ExecutionStatus.COMPLETED
    expected = expected_statuses(sc)
    assert [s.status for s in run.states] == expected
    # Exactly once: every task that completed was started once, and every item.
    completed = [i for i, s in enumerate(expected) if s is C]
    assert sorted(i for i in run.started if expected[i] is C) == completed
    assert sorted(run.started_items) == [
        (i, j) for i in completed if sc.plan.nodes[i].for_each for j in range(sc.item_counts[i])
    ]


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.data())
def test_failures_and_cancels_end_the_execution(sc: Scenario, data: st.DataObject) -> None:
    run = Run(sc, [TaskState() for _ in sc.plan.nodes])
    outcome = simulate(run, data)
    statuses = [s.status for s in run.states]
    assert all(s not in (P, R) for s in statuses)
    if run.cancelling:
        assert outcome is ExecutionStatus.CANCELLED
    elif F in statuses:
        assert outcome is ExecutionStatus.FAILED
    else:
        assert outcome is ExecutionStatus.COMPLETED
        assert statuses == expected_statuses(sc)
    if outcome is ExecutionStatus.COMPLETED:
        return
    # A retry without failures completes, and never re-runs completed work.
    done_tasks = {i for i, s in enumerate(run.states) if s.status is C and s.items is None}
    done_items = {
        (i, j)
        for i, s in enumerate(run.states)
        for j, item in enumerate(s.items or ())
        if item is C
    }
    sc.fail, sc.cancel_after = set(), None
    again = Run(sc, list(retry_states(run.states)))
    assert simulate(again, data) is ExecutionStatus.COMPLETED
    assert not done_tasks & set(again.started)
    assert not done_items & set(again.started_items)
    assert [s.status for s in again.states] == expected_statuses(sc)
