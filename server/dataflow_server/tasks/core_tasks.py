"""Core task types (declarations)."""

from __future__ import annotations

import asyncio

from ..domain.definitions import RetryPolicy
from ..domain.task_types import FieldSpec, TaskTypeSpec
from ..domain.values import JsonObject, ValueType
from .base import TaskContext, TaskHandler
from .inputs import as_float

__all__ = ["HANDLERS", "SPECS"]

MAX_SLEEP_SECONDS = 3600

SLEEP = TaskTypeSpec(
    name="core.sleep",
    description="Waits for a number of seconds; produces no outputs.",
    inputs=(
        FieldSpec(
            "seconds",
            ValueType.NUMBER,
            f"How long to wait, 0 to {MAX_SLEEP_SECONDS} seconds.",
            True,
            minimum=0,
            maximum=MAX_SLEEP_SECONDS,
        ),
    ),
    outputs=(),
    default_retry=RetryPolicy(
        max_attempts=1,
        initial_backoff_seconds=1.0,
        backoff_multiplier=2.0,
        max_backoff_seconds=30.0,
    ),
    # Longer than the longest sleep, so the timeout never cuts a valid one short.
    default_timeout_seconds=MAX_SLEEP_SECONDS + 100.0,
)

SPECS: tuple[TaskTypeSpec, ...] = (SLEEP,)


async def run_sleep(ctx: TaskContext, inputs: JsonObject) -> JsonObject:
    await asyncio.sleep(as_float(inputs["seconds"]))
    return {}


HANDLERS: dict[str, TaskHandler] = {SLEEP.name: run_sleep}
