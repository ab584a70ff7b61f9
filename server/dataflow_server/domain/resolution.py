"""Execution-time semantics that need no I/O: typed template resolution, backoff."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .definitions import OutputSpec, RetryPolicy, TaskSpec
from .task_types import TaskTypeSpec
from .templates import TemplateRef, render, to_text
from .values import JsonValue, ValueType

__all__ = ["ResolutionError", "backoff_seconds", "resolve_outputs", "resolve_task_inputs"]


class ResolutionError(ValueError):
    """A value could not be resolved (e.g. an upstream output is missing)."""


def _resolver(inputs: Mapping[str, Any], task_outputs: Mapping[str, Mapping[str, Any]]) -> Any:
    def resolve(ref: TemplateRef) -> JsonValue:
        if ref.kind == "input":
            return inputs.get(ref.name)
        outputs = task_outputs.get(ref.name)
        if outputs is None:
            raise ResolutionError(f"task {ref.name!r} has no outputs (it has not completed)")
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


def _render(value: JsonValue, resolver: Any) -> JsonValue:
    try:
        return render(value, resolver)
    except ResolutionError:
        raise
    except ValueError as exc:  # TemplateRenderError and friends
        raise ResolutionError(str(exc)) from None


def resolve_task_inputs(
    task: TaskSpec,
    spec: TaskTypeSpec,
    inputs: Mapping[str, Any],
    task_outputs: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """The task's inputs with templates filled in, typed as declared, defaults applied."""
    resolver = _resolver(inputs, task_outputs)
    resolved: dict[str, Any] = {}
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


def resolve_outputs(
    outputs: tuple[OutputSpec, ...],
    inputs: Mapping[str, Any],
    task_outputs: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    resolver = _resolver(inputs, task_outputs)
    result: dict[str, Any] = {}
    for output in outputs:
        value_type = ValueType.parse(output.type) or ValueType.JSON
        result[output.name] = _coerce(_render(output.value, resolver), value_type)
    return result


def backoff_seconds(policy: RetryPolicy, attempt: int) -> float:
    """Delay after failed attempt number `attempt` (1-based), capped."""
    initial = policy.initial_backoff_seconds or 0.0
    multiplier = policy.backoff_multiplier or 1.0
    cap = policy.max_backoff_seconds if policy.max_backoff_seconds is not None else initial
    return float(min(initial * multiplier ** (attempt - 1), cap))
