"""Execution-time semantics that need no I/O: typed template resolution, backoff.

`task_outputs` maps each finished task's name to its outputs, or to None when it
was skipped: a reference to a skipped task resolves to null (validation allows
that only where null fits: an optional input, text, an output with a default).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .definitions import OutputSpec, RetryPolicy, TaskSpec
from .task_types import TaskTypeSpec
from .templates import Resolver, TemplateRef, find_refs, render, to_text
from .values import JsonObject, JsonValue, ValueType

__all__ = [
    "Item",
    "ResolutionError",
    "backoff_seconds",
    "collect_item_outputs",
    "referenced_secrets",
    "resolve_items",
    "resolve_outputs",
    "resolve_task_inputs",
]

TaskOutputs = Mapping[str, Mapping[str, JsonValue] | None]


class ResolutionError(ValueError):
    """A value could not be resolved (e.g. an upstream output is missing)."""

    def __init__(self, message: str, code: str = "INPUT_ERROR") -> None:
        super().__init__(message)
        self.code = code


class _Absent(Exception):
    """A reference names a task that was skipped (only raised when asked to)."""


@dataclass(frozen=True, slots=True)
class Item:
    """The item a for_each task runs for: `{{item}}` and `{{index}}`."""

    index: int
    value: JsonValue


def _resolver(
    inputs: Mapping[str, JsonValue],
    task_outputs: TaskOutputs,
    item: Item | None = None,
    absent_raises: bool = False,
    secrets: Mapping[str, str] | None = None,
) -> Resolver:
    def resolve(ref: TemplateRef) -> JsonValue:
        if ref.kind == "input":
            return inputs.get(ref.name)
        if ref.kind == "secret":
            if secrets is None:  # validation allows secrets only in task inputs
                raise ResolutionError(f"{ref.braced} cannot be used here")
            if ref.name not in secrets:
                raise ResolutionError(
                    f"secret {ref.name!r} is not set in this execution's tenant: set it "
                    "(dataflow secrets set NAME) and retry the execution",
                    "SECRET_NOT_FOUND",
                )
            return secrets[ref.name]
        if ref.kind in ("item", "index"):
            if item is None:
                raise ResolutionError(f"{ref.braced} is defined only in a for_each task")
            return item.index if ref.kind == "index" else item.value
        if ref.name not in task_outputs:
            raise ResolutionError(f"task {ref.name!r} has no outputs (it has not completed)")
        outputs = task_outputs[ref.name]
        if outputs is None:  # skipped
            if absent_raises:
                raise _Absent(ref.name)
            return None
        if ref.field not in outputs:
            raise ResolutionError(f"task {ref.name!r} produced no output {ref.field!r}")
        return outputs[ref.field]

    return resolve


def _coerce(value: JsonValue, value_type: ValueType) -> JsonValue:
    """Fit a resolved value to its destination type (validation allowed the pair)."""
    if value is None:
        return None
    if value_type == ValueType.TEXT and not isinstance(value, str):
        return to_text(value)
    if value_type == ValueType.INTEGER and isinstance(value, float) and value.is_integer():
        return int(value)
    if value_type == ValueType.NUMBER and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _render(value: JsonValue, resolver: Resolver) -> JsonValue:
    try:
        return render(value, resolver)
    except (ResolutionError, _Absent):
        raise
    except ValueError as exc:  # TemplateRenderError and friends
        raise ResolutionError(str(exc)) from None


def resolve_task_inputs(
    task: TaskSpec,
    spec: TaskTypeSpec,
    inputs: Mapping[str, JsonValue],
    task_outputs: TaskOutputs,
    item: Item | None = None,
    secrets: Mapping[str, str] | None = None,
) -> JsonObject:
    """The task's inputs with templates filled in, typed as declared, defaults applied.
    `secrets` holds the clear values of the secrets the inputs reference
    (`referenced_secrets`); the result is for the running task only."""
    resolver = _resolver(inputs, task_outputs, item, secrets=secrets or {})
    resolved: JsonObject = {}
    for field in spec.inputs:
        if field.name in task.inputs:
            value = _coerce(_render(task.inputs[field.name], resolver), field.type)
        else:
            value = field.default
        if value is not None:
            resolved[field.name] = value
        elif field.required:
            raise ResolutionError(f"input {field.name!r} resolved to nothing")
    return resolved


def referenced_secrets(task: TaskSpec) -> frozenset[str]:
    """The names of the secrets a task's inputs reference."""
    if not isinstance(task.inputs, dict):
        return frozenset()
    return frozenset(
        ref.name
        for value in task.inputs.values()
        for _, parsed in find_refs(value)
        for ref in parsed.refs
        if ref.kind == "secret"
    )


def resolve_outputs(
    outputs: tuple[OutputSpec, ...],
    inputs: Mapping[str, JsonValue],
    task_outputs: TaskOutputs,
) -> JsonObject:
    """The workflow outputs; an output whose value refers to a skipped task takes
    its default."""
    resolver = _resolver(inputs, task_outputs)
    strict = _resolver(inputs, task_outputs, absent_raises=True)
    result: JsonObject = {}
    for output in outputs:
        value_type = ValueType.parse(output.type) or ValueType.JSON
        if output.has_default:
            try:
                value = _render(output.value, strict)
            except _Absent:
                value = _render(output.default, resolver)
        else:
            value = _render(output.value, resolver)
        result[output.name] = _coerce(value, value_type)
    return result


def resolve_items(
    task: TaskSpec, inputs: Mapping[str, JsonValue], task_outputs: TaskOutputs, most: int
) -> list[JsonValue]:
    """The list a for_each task maps over; ResolutionError (NOT_A_LIST,
    TOO_MANY_ITEMS) when it is not a list of at most `most` items."""
    value = _render(task.for_each, _resolver(inputs, task_outputs))
    if not isinstance(value, list):
        kind = "null" if value is None else type(value).__name__
        raise ResolutionError(f"for_each yielded {kind}, not a list", "NOT_A_LIST")
    if len(value) > most:
        raise ResolutionError(
            f"for_each yielded {len(value)} items; at most {most} are allowed", "TOO_MANY_ITEMS"
        )
    return value


def backoff_seconds(policy: RetryPolicy, attempt: int) -> float:
    """Delay after failed attempt number `attempt` (1-based), capped."""
    initial = policy.initial_backoff_seconds or 0.0
    multiplier = policy.backoff_multiplier or 1.0
    cap = policy.max_backoff_seconds if policy.max_backoff_seconds is not None else initial
    return float(min(initial * multiplier ** (attempt - 1), cap))


def collect_item_outputs(
    fields: Sequence[str], items: Sequence[Mapping[str, JsonValue] | None]
) -> JsonObject:
    """A for_each task's outputs: each field a list of the items' values, in item order."""
    return {f: [(outputs or {}).get(f) for outputs in items] for f in fields}
