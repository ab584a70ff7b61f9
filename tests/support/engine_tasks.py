"""Test-only task types (registered by tests, never shipped): failure, retry, timeout paths."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from dataflow_server.domain.definitions import RetryPolicy
from dataflow_server.domain.task_types import FieldSpec, TaskTypeSpec
from dataflow_server.domain.values import ValueType
from dataflow_server.tasks.base import TaskContext, TaskFailure
from dataflow_server.tasks.http_tasks import HTTP_RESOURCE
from dataflow_server.tasks.registry import TaskRegistry, default_registry

FAST_RETRY = RetryPolicy(
    max_attempts=3, initial_backoff_seconds=0.05, backoff_multiplier=2.0, max_backoff_seconds=1.0
)


def _key(ctx: TaskContext) -> tuple[str, str]:
    """(execution, task) for a task; (execution, "task[index]") for an item of a map."""
    name = ctx.task_name if ctx.item_index is None else f"{ctx.task_name}[{ctx.item_index}]"
    return ctx.execution_id, name


async def until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Wait for `condition` (a liveness bound, not a timing assertion)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, f"never happened: {what}"
        await asyncio.sleep(0.005)


class Recorder:
    """Counts calls per (execution, task) and lets a test hold a task mid-run."""

    def __init__(self) -> None:
        self.calls: defaultdict[tuple[str, str], int] = defaultdict(int)
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        # Attempts of test.wait / test.gated in progress now, and the most at once.
        self.running = 0
        self.max_running = 0

    async def wait_released(self) -> None:
        """Counts this attempt as running until the test releases it."""
        self.running += 1
        self.max_running = max(self.max_running, self.running)
        try:
            await self.release.wait()
        finally:
            self.running -= 1


def test_registry(recorder: Recorder) -> TaskRegistry:
    registry = default_registry()

    async def flaky(ctx: TaskContext, inputs: dict[str, Any]) -> dict[str, Any]:
        """Fails retryably until its call number `succeed_on` (counted across retries)."""
        key = _key(ctx)
        recorder.calls[key] += 1
        if recorder.calls[key] < inputs["succeed_on"]:
            raise TaskFailure(
                "UPSTREAM_UNAVAILABLE", f"call {recorder.calls[key]} failed", retryable=True
            )
        return {"attempt": ctx.attempt}

    async def fail(ctx: TaskContext, inputs: dict[str, Any]) -> dict[str, Any]:
        recorder.calls[_key(ctx)] += 1
        raise TaskFailure(inputs["code"], inputs["message"], retryable=inputs["retryable"])

    async def hold(ctx: TaskContext, inputs: dict[str, Any]) -> dict[str, Any]:
        """Signals that it started, then waits until released."""
        recorder.calls[_key(ctx)] += 1
        recorder.started.set()
        await recorder.release.wait()
        return {}

    async def step(ctx: TaskContext, inputs: dict[str, Any]) -> dict[str, Any]:
        """Waits `seconds`, then returns `value`, or fails (BAD_VALUE) when it equals `fail_on`."""
        recorder.calls[_key(ctx)] += 1
        await asyncio.sleep(inputs["seconds"])
        if "fail_on" in inputs and inputs["value"] == inputs["fail_on"]:
            raise TaskFailure("BAD_VALUE", f"refused {inputs['value']!r}")
        return {"value": inputs["value"]}

    async def wait(ctx: TaskContext, inputs: dict[str, Any]) -> dict[str, Any]:
        await recorder.wait_released()
        return {}

    async def echo(ctx: TaskContext, inputs: dict[str, Any]) -> dict[str, Any]:
        recorder.calls[_key(ctx)] += 1
        return {"value": inputs["value"], "number": inputs["number"]}

    registry.register(
        TaskTypeSpec(
            "test.flaky",
            "fails retryably until an attempt",
            (FieldSpec("succeed_on", ValueType.INTEGER, required=True),),
            (FieldSpec("attempt", ValueType.INTEGER),),
            default_retry=FAST_RETRY,
            default_timeout_seconds=5,
        ),
        flaky,
    )
    registry.register(
        TaskTypeSpec(
            "test.fail",
            "always fails",
            (
                FieldSpec("code", ValueType.TEXT, default="BROKEN"),
                FieldSpec("message", ValueType.TEXT, default="it broke"),
                FieldSpec("retryable", ValueType.BOOLEAN, default=False),
            ),
            (),
            default_retry=FAST_RETRY,
            default_timeout_seconds=5,
        ),
        fail,
    )
    registry.register(
        TaskTypeSpec("test.hold", "waits until released", (), (), default_timeout_seconds=60),
        hold,
    )
    # Awaits I/O (the release) like a model call; test.gated uses the http resource's bound.
    registry.register(
        TaskTypeSpec("test.wait", "waits, counted", (), (), default_timeout_seconds=60), wait
    )
    registry.register(
        TaskTypeSpec(
            "test.gated",
            "waits, counted, bounded",
            (),
            (),
            default_timeout_seconds=60,
            resource=HTTP_RESOURCE,
        ),
        wait,
    )
    registry.register(
        TaskTypeSpec(
            "test.echo",
            "returns its inputs",
            (
                FieldSpec("value", ValueType.JSON, required=True),
                FieldSpec("number", ValueType.NUMBER, default=0),
            ),
            (FieldSpec("value", ValueType.JSON), FieldSpec("number", ValueType.NUMBER)),
        ),
        echo,
    )
    registry.register(
        TaskTypeSpec(
            "test.step",
            "waits, then returns its value or fails on one value",
            (
                FieldSpec("value", ValueType.JSON, required=True),
                FieldSpec("seconds", ValueType.NUMBER, default=0),
                FieldSpec("fail_on", ValueType.JSON),
            ),
            (FieldSpec("value", ValueType.JSON),),
            default_retry=RetryPolicy(max_attempts=1),
            default_timeout_seconds=10,
        ),
        step,
    )
    # Declared without an implementation (as a newer definition might use).
    registry.register(TaskTypeSpec("test.unimplemented", "declared only", (), ()))
    return registry


# Workflows of the test task types that several API tests run.
THREE_ECHOES: dict[str, Any] = {
    "title": "three echoes",
    "inputs": [],
    "tasks": [{"name": f"echo{i}", "type": "test.echo", "inputs": {"value": i}} for i in range(3)],
    "outputs": [],
}
HELD: dict[str, Any] = {
    "title": "held until released",
    "inputs": [],
    "tasks": [{"name": "wait", "type": "test.hold", "inputs": {}}],
    "outputs": [],
}
