"""A validated workflow as the engine runs it: the task graph and each task's rules.

`validation.validate_definition` builds the plan while it checks a definition
(one walk, one set of rules); `workflow_plan` rebuilds it for a stored
definition, which is valid by construction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .definitions import TaskSpec, WorkflowDefinition
from .graph import TaskGraph
from .static_types import StaticType
from .task_types import TaskTypeSpec
from .values import ValueType

__all__ = [
    "DEFAULT_MAX_PARALLEL",
    "MAX_ITEMS",
    "MAX_PARALLEL",
    "TaskNode",
    "WorkflowPlan",
    "condition_variables",
    "output_static_type",
]

DEFAULT_MAX_PARALLEL = 4
MAX_PARALLEL = 100
# Items of one for_each task; a longer list fails the task (TOO_MANY_ITEMS).
MAX_ITEMS = 1000


@dataclass(frozen=True, slots=True)
class TaskNode:
    """One task as the scheduler sees it."""

    name: str
    upstream: frozenset[int]  # positions of the tasks it directly depends on
    conditional: bool = False  # has a `when`
    for_each: bool = False
    max_parallel: int = DEFAULT_MAX_PARALLEL
    allow_skipped: bool = False


@dataclass(frozen=True, slots=True)
class WorkflowPlan:
    nodes: tuple[TaskNode, ...]
    # Per task: the condition variables that may be null when it runs (outputs
    # of tasks that may have been skipped, seen from a task that runs anyway).
    nullable: tuple[frozenset[str], ...] = ()

    @property
    def graph(self) -> TaskGraph:
        return TaskGraph(tuple(n.upstream for n in self.nodes))

    def index(self, name: str) -> int:
        return next(i for i, n in enumerate(self.nodes) if n.name == name)


def output_static_type(
    task: TaskSpec, field: str, task_types: Mapping[str, TaskTypeSpec]
) -> StaticType | None:
    """The type of `tasks.TASK.outputs.FIELD`: a list of the field's type for a
    `for_each` task; None when the type or the field is unknown."""
    spec = task_types.get(task.type)
    output = spec.output(field) if spec else None
    if output is None:
        return None
    return StaticType(output.type, is_list=bool(task.for_each))


def condition_variables(
    defn: WorkflowDefinition,
    position: int,
    task_types: Mapping[str, TaskTypeSpec],
    nullable: frozenset[str] = frozenset(),
) -> dict[str, StaticType | None]:
    """The names a `when` of the task at `position` may use, with their types
    (None: dyn, for values that may be null)."""
    variables: dict[str, StaticType | None] = {}
    for spec in defn.inputs:
        value_type = ValueType.parse(spec.type)
        may_be_null = not spec.has_default and not spec.required
        variables[f"inputs.{spec.name}"] = (
            StaticType(value_type) if value_type and not may_be_null else None
        )
    seen: set[str] = set()
    for k, task in enumerate(defn.tasks):
        if k == position or task.name in seen:
            continue
        seen.add(task.name)
        task_type = task_types.get(task.type)
        for field in task_type.outputs if task_type else ():
            name = f"tasks.{task.name}.outputs.{field.name}"
            variables[name] = (
                None if name in nullable else output_static_type(task, field.name, task_types)
            )
    return variables
