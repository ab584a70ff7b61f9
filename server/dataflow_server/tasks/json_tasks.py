"""JSON task types (declarations)."""

from __future__ import annotations

import json

from ..domain.definitions import RetryPolicy
from ..domain.task_types import FieldSpec, TaskTypeSpec
from ..domain.values import JsonObject, JsonValue, ValueType
from .base import TaskContext, TaskFailure, TaskHandler
from .inputs import as_text

__all__ = ["HANDLERS", "SPECS"]

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
    pure=True,
)

SPECS: tuple[TaskTypeSpec, ...] = (PARSE,)

MAX_JSON_TEXT_BYTES = 10 * 1024 * 1024


async def run_parse(ctx: TaskContext, inputs: JsonObject) -> JsonObject:
    text = as_text(inputs["text"])
    if len(text.encode()) > MAX_JSON_TEXT_BYTES:
        raise TaskFailure("INPUT_TOO_LARGE", f"text exceeds {MAX_JSON_TEXT_BYTES} bytes")
    try:
        value: JsonValue = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TaskFailure(
            "INVALID_JSON", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    return {"value": value}


HANDLERS: dict[str, TaskHandler] = {PARSE.name: run_parse}
