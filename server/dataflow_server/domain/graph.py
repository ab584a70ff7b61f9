"""The dependency graph of a workflow's tasks: pure algorithms over task positions.

A task's upstream tasks are those it directly depends on: the task listed
before it when it has no `depends_on`, the tasks `depends_on` names, and the
tasks its templates and its `when` reference. Validation builds the graph and
reports cycles; the scheduler (`domain.schedule`) walks it.

Skipping (docs/workflows.md): a task is skipped when its `when` is false, or
when a task it depends on was skipped and it does not allow skipped
dependencies. `may_be_skipped` and `guaranteed_upstream` are the static side
of that rule: which tasks can end SKIPPED, and which tasks have surely
completed whenever a given task runs (so that their outputs are present).
"""

from __future__ import annotations

import graphlib
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["TaskGraph"]


@dataclass(frozen=True, slots=True)
class TaskGraph:
    """`upstream[i]`: the positions task `i` directly depends on."""

    upstream: tuple[frozenset[int], ...]

    def find_cycle(self) -> list[int] | None:
        """A cycle as positions `[a, b, ..., a]`, each depending on the one
        before it, or None when the graph is acyclic."""
        sorter = graphlib.TopologicalSorter({i: deps for i, deps in enumerate(self.upstream)})
        try:
            sorter.prepare()
        except graphlib.CycleError as err:
            cycle: list[int] = list(err.args[1])
            return cycle
        return None

    def topological_order(self) -> tuple[int, ...]:
        """Positions with every task after its upstream tasks, ties by position.

        Requires an acyclic graph."""
        sorter = graphlib.TopologicalSorter({i: deps for i, deps in enumerate(self.upstream)})
        sorter.prepare()
        order: list[int] = []
        while sorter.is_active():
            ready = sorted(sorter.get_ready())
            order.extend(ready)
            sorter.done(*ready)
        return tuple(order)

    def ancestors(self) -> tuple[frozenset[int], ...]:
        """Every task each task runs after, directly or transitively (acyclic graph)."""
        return self.guaranteed_upstream([False] * len(self.upstream))

    def may_be_skipped(
        self, conditional: Sequence[bool], allow_skipped: Sequence[bool]
    ) -> frozenset[int]:
        """The tasks that can end SKIPPED in an execution that completes: those
        with a `when`, and those downstream of one through tasks that do not
        allow skipped dependencies (acyclic graph)."""
        skippable: set[int] = set()
        for i in self.topological_order():
            if conditional[i] or (
                not allow_skipped[i] and any(d in skippable for d in self.upstream[i])
            ):
                skippable.add(i)
        return frozenset(skippable)

    def guaranteed_upstream(self, allow_skipped: Sequence[bool]) -> tuple[frozenset[int], ...]:
        """For each task, the tasks that have surely COMPLETED whenever it runs.

        A task that does not allow skipped dependencies runs only when all of
        them completed, and each of those ran only when its own guaranteed
        tasks completed; a task that allows skipped dependencies is guaranteed
        nothing (acyclic graph)."""
        found: list[frozenset[int]] = [frozenset()] * len(self.upstream)
        for i in self.topological_order():
            if allow_skipped[i]:
                continue
            acc: set[int] = set(self.upstream[i])
            for d in self.upstream[i]:
                acc |= found[d]
            found[i] = frozenset(acc)
        return tuple(found)
