"""JSON task types (declarations)."""

from __future__ import annotations

from ..domain.definitions import RetryPolicy
from ..domain.task_types import FieldSpec, TaskTypeSpec
from ..domain.values import ValueType

__all__ = ["SPECS"]

# Local and deterministic: a retry would fail the same way.
_NO_RETRY = RetryPolicy(
    max_attempts=1, initial_backoff_seconds=1.0, backoff_multiplier=2.0, max_backoff_seconds=30.0
)

PARSE = TaskTypeSpec(
    name="json.parse",
    description="Parses a JSON text into a value.",
    inputs=(FieldSpec("text", ValueType.TEXT, "The JSON text.", True),),
    outputs=(FieldSpec("value", ValueType.JSON, "The parsed value."),),
    default_retry=_NO_RETRY,
    default_timeout_seconds=10.0,
)

SPECS: tuple[TaskTypeSpec, ...] = (PARSE,)
