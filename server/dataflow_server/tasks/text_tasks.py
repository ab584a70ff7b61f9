"""Text task types (declarations)."""

from __future__ import annotations

from ..domain.definitions import RetryPolicy
from ..domain.task_types import FieldSpec, TaskTypeSpec
from ..domain.values import ValueType

__all__ = ["SPECS"]

# Local and deterministic: a retry would fail the same way.
_NO_RETRY = RetryPolicy(
    max_attempts=1, initial_backoff_seconds=1.0, backoff_multiplier=2.0, max_backoff_seconds=30.0
)

TEMPLATE = TaskTypeSpec(
    name="text.template",
    description="Builds a text from a template such as "
    "'Dear {{inputs.name}}, {{tasks.summary.outputs.text}}'.",
    inputs=(
        FieldSpec(
            "template",
            ValueType.TEXT,
            "The text; its {{...}} references are filled in like any task input.",
            True,
        ),
    ),
    outputs=(FieldSpec("text", ValueType.TEXT, "The resulting text."),),
    default_retry=_NO_RETRY,
    default_timeout_seconds=10.0,
)

SPECS: tuple[TaskTypeSpec, ...] = (TEMPLATE,)
