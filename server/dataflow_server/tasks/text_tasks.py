"""Text task types (declarations)."""

from __future__ import annotations

from ..domain.definitions import RetryPolicy
from ..domain.task_types import FieldSpec, TaskTypeSpec
from ..domain.values import JsonObject, ValueType
from .base import TaskContext, TaskHandler

__all__ = ["HANDLERS", "SPECS"]

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
    pure=True,
)

SPECS: tuple[TaskTypeSpec, ...] = (TEMPLATE,)


async def run_template(ctx: TaskContext, inputs: JsonObject) -> JsonObject:
    # The engine already filled in the template's references (typed as text).
    return {"text": inputs["template"]}


HANDLERS: dict[str, TaskHandler] = {TEMPLATE.name: run_template}
