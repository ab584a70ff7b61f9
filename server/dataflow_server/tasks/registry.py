"""The task catalogue: every task type's declaration, and later its handler.

Declarations (`TaskTypeSpec`) live in one module per family and are all that
validation and `ListTaskTypes` need; the engine attaches runtime handlers to
the same registry when the implementations exist.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

from ..domain.task_types import TaskTypeSpec
from ..domain.values import JsonObject
from . import core_tasks, html_tasks, http_tasks, json_tasks, openai_specs, text_tasks
from .base import TaskContext, TaskHandler

__all__ = ["FAMILIES", "TaskHandler", "TaskRegistry", "default_registry"]


FAMILIES: tuple[tuple[TaskTypeSpec, ...], ...] = (
    openai_specs.SPECS,
    http_tasks.SPECS,
    html_tasks.SPECS,
    text_tasks.SPECS,
    json_tasks.SPECS,
    core_tasks.SPECS,
)


class TaskRegistry:
    """Task types by name; iteration and `specs()` are sorted by name."""

    def __init__(self, specs: Iterable[TaskTypeSpec] = ()) -> None:
        self._specs: dict[str, TaskTypeSpec] = {}
        self._handlers: dict[str, TaskHandler] = {}
        self._sorted: Mapping[str, TaskTypeSpec] | None = None  # specs(), until a register
        for spec in specs:
            self.register(spec)

    def register(self, spec: TaskTypeSpec, handler: TaskHandler | None = None) -> None:
        """Add a type; a name can be registered once (a handler can be attached later)."""
        if spec.name in self._specs:
            raise ValueError(f"task type {spec.name!r} is already registered")
        self._specs[spec.name] = spec
        self._sorted = None
        if handler is not None:
            self._handlers[spec.name] = handler

    def attach_handler(self, name: str, handler: TaskHandler) -> None:
        """Give a declared type its runtime implementation."""
        if name not in self._specs:
            raise KeyError(f"unknown task type {name!r}")
        self._handlers[name] = handler

    def spec(self, name: str) -> TaskTypeSpec | None:
        return self._specs.get(name)

    def handler(self, name: str) -> TaskHandler | None:
        return self._handlers.get(name)

    def specs(self) -> Mapping[str, TaskTypeSpec]:
        """A read-only, name-sorted view (what `validate_definition` takes)."""
        if self._sorted is None:
            self._sorted = MappingProxyType({n: self._specs[n] for n in sorted(self._specs)})
        return self._sorted

    def __iter__(self) -> Iterator[TaskTypeSpec]:
        return iter([self._specs[name] for name in sorted(self._specs)])

    def __contains__(self, name: object) -> bool:
        return name in self._specs


def _imported_on_first_call(module: str, name: str) -> TaskHandler:
    """The handler `name` of tasks/`module`.py, imported when a task first needs it
    (the OpenAI SDK costs a quarter of the start-up time and ~30 MB: see
    tasks/openai_specs.py)."""

    async def handler(ctx: TaskContext, inputs: JsonObject) -> JsonObject:
        handlers: Mapping[str, TaskHandler] = importlib.import_module(
            f"{__package__}.{module}"
        ).HANDLERS
        return await handlers[name](ctx, inputs)

    return handler


# Families whose runtime implementation exists; the others are declared only
# (a task of such a type fails with TASK_TYPE_UNAVAILABLE).
IMPLEMENTED = (
    core_tasks.HANDLERS,
    text_tasks.HANDLERS,
    json_tasks.HANDLERS,
    {spec.name: _imported_on_first_call("openai_tasks", spec.name) for spec in openai_specs.SPECS},
    http_tasks.HANDLERS,
    html_tasks.HANDLERS,
)


def default_registry() -> TaskRegistry:
    """The full catalogue with every handler that exists."""
    registry = TaskRegistry(spec for family in FAMILIES for spec in family)
    for handlers in IMPLEMENTED:
        for name, handler in handlers.items():
            registry.attach_handler(name, handler)
    return registry
