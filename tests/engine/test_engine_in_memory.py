"""The engine (executor, runner, group-commit writer, control) against the in-memory
ports: the lifecycle's events in order, fencing, many executions waiting at once,
cancellation. No database, no RPC: the engine's own logic, fast."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from dataflow_server.domain.access import DEFAULT_TENANT
from dataflow_server.domain.definitions import definition_from_dict
from dataflow_server.domain.lifecycle import EventType, LeaseLost, NewEvent, Transition
from dataflow_server.domain.records import ExecutionStatus, TaskStatus
from dataflow_server.engine.control import ExecutionControl
from dataflow_server.engine.events import EventHub
from dataflow_server.engine.executor import Executor
from dataflow_server.engine.group_commit import GroupCommitWriter
from dataflow_server.tasks.base import FileAccess
from tests.support.engine_tasks import Recorder, until
from tests.support.engine_tasks import test_registry as registry_with_test_tasks
from tests.support.memory_store import MemoryStore


class NoFiles:
    """These tests' tasks use no files."""

    async def save(self, data: bytes, name: str, content_type: str) -> dict[str, Any]:
        raise AssertionError("no task here stores a file")

    async def read(self, file_value: Any) -> bytes:
        raise AssertionError("no task here reads a file")


@dataclass
class Engine:
    store: MemoryStore
    executor: Executor
    control: ExecutionControl
    recorder: Recorder

    def run(self, tasks: list[dict[str, Any]], count: int = 1, **inputs: Any) -> list[str]:
        workflow_id = self.store.add_workflow(
            definition_from_dict({"title": "t", "tasks": tasks, "outputs": []})
        )
        ids = [self.store.add_execution(workflow_id, inputs) for _ in range(count)]
        self.executor.notify()
        return ids

    async def finished(self, execution_id: str) -> ExecutionStatus:
        await until(
            lambda: self.store.events(execution_id)[-1].type.is_terminal, "a terminal event"
        )
        return (await self.store.get_execution(DEFAULT_TENANT, execution_id)).status


@pytest.fixture
async def engine() -> AsyncIterator[Engine]:
    store = MemoryStore()
    recorder = Recorder()
    hub = EventHub()
    writer = GroupCommitWriter(store, on_committed=hub.publish)
    files: Callable[[str, str], FileAccess] = lambda _tenant, _execution: NoFiles()  # noqa: E731
    executor = Executor(
        store,
        writer,
        registry_with_test_tasks(recorder),
        files,
        max_in_flight=100,
        lease_seconds=30,
    )
    executor.start()
    try:
        yield Engine(store, executor, ExecutionControl(store, writer, executor, hub), recorder)
    finally:
        recorder.release.set()
        await executor.drain(1.0)
        await writer.stop()


def task(name: str, type_: str, **inputs: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, "inputs": inputs}


async def test_a_chain_writes_the_lifecycle_in_order(engine: Engine) -> None:
    (eid,) = engine.run(
        [
            task("a", "text.template", template="hi {{inputs.n}}"),
            task("b", "test.echo", value="{{tasks.a.outputs.text}}"),
        ],
        n="x",
    )
    assert await engine.finished(eid) == ExecutionStatus.COMPLETED
    events = engine.store.events(eid)
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert [(e.type, e.task_name) for e in events] == [
        (EventType.EXECUTION_PENDING, ""),
        (EventType.EXECUTION_RUNNING, ""),
        (EventType.TASK_RUNNING, "a"),
        (EventType.TASK_COMPLETED, "a"),
        (EventType.TASK_RUNNING, "b"),
        (EventType.TASK_COMPLETED, "b"),
        (EventType.EXECUTION_COMPLETED, ""),
    ]
    record = await engine.store.get_execution(DEFAULT_TENANT, eid)
    assert record.tasks[1].outputs == {"value": "hi x", "number": 0}


async def test_failure_skips_the_rest(engine: Engine) -> None:
    (eid,) = engine.run([task("a", "test.fail"), task("b", "text.template", template="x")])
    assert await engine.finished(eid) == ExecutionStatus.FAILED
    record = await engine.store.get_execution(DEFAULT_TENANT, eid)
    assert [t.status for t in record.tasks] == [TaskStatus.FAILED, TaskStatus.SKIPPED]
    assert [e.type for e in engine.store.events(eid)][-3:] == [
        EventType.TASK_FAILED,
        EventType.TASK_SKIPPED,
        EventType.EXECUTION_FAILED,
    ]


async def test_a_stale_lease_writes_nothing(engine: Engine) -> None:
    (eid,) = engine.run([task("h", "test.wait")])
    await until(lambda: engine.recorder.running == 1, "the task waiting")
    stale = Transition(eid, "not-the-lease", events=(NewEvent(EventType.EXECUTION_RUNNING),))
    ([result], _, _) = await engine.store.apply_transitions([stale])
    assert isinstance(result, LeaseLost)
    before = engine.store.events(eid)
    engine.recorder.release.set()
    assert await engine.finished(eid) == ExecutionStatus.COMPLETED
    assert engine.store.events(eid)[: len(before)] == before


async def test_many_wait_at_once_and_commits_are_grouped(engine: Engine) -> None:
    ids = engine.run([task("h", "test.wait")], count=60)
    await until(lambda: engine.recorder.running == 60, "60 executions waiting at once")
    engine.recorder.release.set()
    assert [await engine.finished(eid) for eid in ids] == [ExecutionStatus.COMPLETED] * 60
    # 60 executions × 2 writes each, far fewer transactions: group commit.
    assert engine.store.transactions < 120


async def test_cancel_a_running_execution(engine: Engine) -> None:
    (eid,) = engine.run([task("h", "test.wait"), task("t", "text.template", template="x")])
    await until(lambda: engine.recorder.running == 1, "the task waiting")
    record = await engine.control.cancel(DEFAULT_TENANT, eid, "enough")
    assert record.status == ExecutionStatus.CANCELLED
    assert [t.status for t in record.tasks] == [TaskStatus.CANCELLED, TaskStatus.SKIPPED]
    assert engine.store.events(eid)[-1].type == EventType.EXECUTION_CANCELLED
