"""WatchExecution with `batch_events`: a message carries every event ready at
once, and the stream says exactly what the one-event-per-message stream says
(the same events, in order, with the same snapshots), replayed or live."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
from google.protobuf import json_format

from dataflow.v1 import execution_pb2, execution_service_pb2
from dataflow_server.server import DataflowServer
from tests.support.api import create_request, stubs, wait_terminal
from tests.support.engine_tasks import THREE_ECHOES, Recorder

ES = execution_service_pb2

HELD = {
    "title": "held, then two echoes",
    "inputs": [],
    "tasks": [
        {"name": "wait", "type": "test.hold", "inputs": {}},
        {"name": "a", "type": "test.echo", "inputs": {"value": 1}},
        {"name": "b", "type": "test.echo", "inputs": {"value": 2}},
    ],
    "outputs": [],
}


async def execute(channel: grpc.aio.Channel, definition: dict[str, Any]) -> str:
    api = stubs(channel)
    workflow_id = (await api.workflows.CreateWorkflow(create_request(definition))).workflow_id
    started = await api.executions.ExecuteWorkflow(
        ES.ExecuteWorkflowRequest(workflow_id=workflow_id)
    )
    return started.workflow_execution_id


async def messages(
    channel: grpc.aio.Channel, execution_id: str, batch: bool, **request: Any
) -> list[ES.WatchExecutionResponse]:
    call = stubs(channel).executions.WatchExecution(
        ES.WatchExecutionRequest(workflow_execution_id=execution_id, batch_events=batch, **request)
    )
    return [message async for message in call]


def flattened(batches: list[ES.WatchExecutionResponse]) -> list[execution_pb2.ExecutionEvent]:
    events: list[execution_pb2.ExecutionEvent] = []
    for message in batches:
        assert not message.HasField("event")  # batched: the events are in `events` only
        assert len(message.events) >= 1  # never an empty message
        events.extend(message.events)
    return events


def as_dicts(events: list[execution_pb2.ExecutionEvent]) -> list[dict[str, Any]]:
    return [json_format.MessageToDict(e) for e in events]


async def test_a_replay_is_one_message_with_the_same_events(channel: grpc.aio.Channel) -> None:
    execution_id = await execute(channel, THREE_ECHOES)
    await wait_terminal(stubs(channel), execution_id)

    single = await messages(channel, execution_id, batch=False)
    assert all(m.HasField("event") and not m.events for m in single)
    batched = await messages(channel, execution_id, batch=True)
    # A finished execution's log is one page: one message.
    assert len(batched) == 1
    assert as_dicts(flattened(batched)) == as_dicts([m.event for m in single])

    # Resuming and filtering behave as without batches.
    for after in (1, 4, len(single) - 1):
        resumed = flattened(await messages(channel, execution_id, True, after_sequence=after))
        resumed_single = await messages(channel, execution_id, False, after_sequence=after)
        assert as_dicts(resumed) == as_dicts([m.event for m in resumed_single])
        assert [e.sequence for e in resumed] == list(range(after + 1, len(single) + 1))
    only = flattened(await messages(channel, execution_id, True, event_types=["task.completed"]))
    assert [e.type for e in only] == ["task.completed"] * 3
    assert len(await messages(channel, execution_id, True, after_sequence=len(single))) == 0


async def test_live_batches_are_consecutive_and_end_with_the_terminal_event(
    channel: grpc.aio.Channel, server: DataflowServer, recorder: Recorder
) -> None:
    execution_id = await execute(channel, HELD)
    await asyncio.wait_for(recorder.started.wait(), 30)
    # The held task may start before its `task.running` is durable: both watchers
    # read the execution once that event is, so that their first snapshots agree.
    read = ES.GetExecutionRequest(workflow_execution_id=execution_id)
    while (await stubs(channel).executions.GetExecution(read)).execution.last_sequence < 3:  # noqa: ASYNC110
        await asyncio.sleep(0.02)
    batched_call = asyncio.create_task(messages(channel, execution_id, batch=True))
    single_call = asyncio.create_task(messages(channel, execution_id, batch=False))
    # Both watchers are attached (and live) before the rest of the execution runs.
    while server.hub.watcher_count(execution_id) != 2:  # noqa: ASYNC110
        await asyncio.sleep(0.02)
    recorder.release.set()
    batched, single = await asyncio.wait_for(asyncio.gather(batched_call, single_call), 30)

    events = flattened(batched)
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert as_dicts(events) == as_dicts([m.event for m in single])
    assert events[-1].type == "execution.completed"
    # The snapshot rides on the first event sent and on the terminal one, not between.
    assert events[0].HasField("execution") and events[-1].HasField("execution")
    assert not any(e.HasField("execution") for e in events[1:-1])
    assert events[-1].execution.status == execution_pb2.Execution.COMPLETED
    assert len(batched) >= 2  # the replay, then what was published live


BIG = {
    "title": "large inputs",
    "inputs": [{"name": n, "type": "text"} for n in ("a", "b", "c")],
    "tasks": [{"name": "t", "type": "text.template", "inputs": {"template": "done"}}],
    "outputs": [],
}


async def test_large_snapshots_are_split_under_the_clients_receive_limit(
    channel: grpc.aio.Channel,
) -> None:
    """Two snapshots of ~3 MB each (inputs near the data limits) would make a 6 MB
    message, over every client's default 4 MiB receive limit: they go apart."""
    api = stubs(channel)
    workflow_id = (await api.workflows.CreateWorkflow(create_request(BIG))).workflow_id
    inputs = {n: n * 1_000_000 for n in ("a", "b", "c")}
    request = json_format.ParseDict(
        {"workflow_id": workflow_id, "inputs": inputs}, ES.ExecuteWorkflowRequest()
    )
    execution_id = (await api.executions.ExecuteWorkflow(request)).workflow_execution_id
    await wait_terminal(api, execution_id)

    batched = await messages(channel, execution_id, batch=True)  # default 4 MiB limit
    events = flattened(batched)
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert events[-1].type == "execution.completed"
    assert len(batched) >= 2
    assert all(m.ByteSize() < 4 * 1024 * 1024 for m in batched)
    with_snapshot = [e for e in events if e.HasField("execution")]
    assert len(with_snapshot) == 2
    assert json_format.MessageToDict(with_snapshot[0].execution.inputs) == inputs
