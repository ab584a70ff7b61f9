"""ExecuteAndWatch: ExecuteWorkflow and WatchExecution in one call. The first
message names the execution (`started`) before any event; the events are those
a watch sends, from the first, consecutive, ending with the terminal one; a
refused request sends nothing and stores nothing; the stream holds nothing
once it ends or its caller goes away."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
import pytest

from dataflow.v1 import execution_pb2, execution_service_pb2
from dataflow_server.server import DataflowServer
from tests.support.api import create_request, stubs, violations
from tests.support.engine_tasks import HELD, THREE_ECHOES, Recorder, until

ES = execution_service_pb2
EX = execution_pb2.Execution


async def create(channel: grpc.aio.Channel, definition: dict[str, Any]) -> str:
    reply = await stubs(channel).workflows.CreateWorkflow(create_request(definition))
    return reply.workflow_id


async def stream(
    channel: grpc.aio.Channel, request: ES.ExecuteAndWatchRequest
) -> list[ES.ExecuteAndWatchResponse]:
    call = stubs(channel).executions.ExecuteAndWatch(request, timeout=30)
    return [message async for message in call]


def events_of(messages: list[ES.ExecuteAndWatchResponse]) -> list[execution_pb2.ExecutionEvent]:
    return [event for message in messages for event in message.events]


async def test_one_call_from_the_start_to_the_outcome(channel: grpc.aio.Channel) -> None:
    workflow_id = await create(channel, THREE_ECHOES)
    messages = await stream(channel, ES.ExecuteAndWatchRequest(workflow_id=workflow_id))

    started = messages[0].started
    assert started.workflow_execution_id.startswith("we-")
    assert started.workflow_id == workflow_id and started.workflow_version == 1
    assert started.status == EX.PENDING
    assert not any(m.HasField("started") for m in messages[1:])
    events = events_of(messages)
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert events[0].type == "execution.pending"
    assert events[0].execution.status == EX.PENDING  # as accepted, with its tasks
    assert len(events[0].execution.tasks) == 3
    assert events[-1].type == "execution.completed"
    assert events[-1].execution.status == EX.COMPLETED
    assert events[-1].execution.last_sequence == events[-1].sequence

    # The same events as a watch of the execution replays (its first snapshot aside).
    watch = stubs(channel).executions.WatchExecution(
        ES.WatchExecutionRequest(workflow_execution_id=started.workflow_execution_id)
    )
    watched = [m.event async for m in watch]
    assert [(e.sequence, e.type, e.task_name, e.status) for e in watched] == [
        (e.sequence, e.type, e.task_name, e.status) for e in events
    ]
    assert watched[-1].execution == events[-1].execution


async def test_filtered_events_still_start_with_the_execution(
    channel: grpc.aio.Channel, recorder: Recorder
) -> None:
    workflow_id = await create(channel, HELD)
    call = stubs(channel).executions.ExecuteAndWatch(
        ES.ExecuteAndWatchRequest(workflow_id=workflow_id, event_types=["execution.completed"]),
        timeout=30,
    )
    first = await call.read()
    # The id before any event, while the execution is held: resumable from here.
    assert first.started.workflow_execution_id.startswith("we-")
    assert list(first.events) == []
    recorder.release.set()
    rest = []
    while (message := await call.read()) is not grpc.aio.EOF:
        rest.append(message)
    assert [e.type for e in events_of(rest)] == ["execution.completed"]


async def test_many_streams_at_once_each_get_every_event_in_order(
    channel: grpc.aio.Channel,
) -> None:
    """Each stream subscribes in the step that stores its execution: none misses
    the first events its execution publishes, however busy the server."""
    workflow_id = await create(channel, THREE_ECHOES)
    runs = await asyncio.gather(
        *(stream(channel, ES.ExecuteAndWatchRequest(workflow_id=workflow_id)) for _ in range(40))
    )
    for messages in runs:
        events = events_of(messages)
        assert [e.sequence for e in events] == list(range(1, 10)), [e.type for e in events]
        assert events[-1].type == "execution.completed"


async def test_a_repeated_request_id_streams_the_original(channel: grpc.aio.Channel) -> None:
    workflow_id = await create(channel, THREE_ECHOES)
    request = ES.ExecuteAndWatchRequest(workflow_id=workflow_id, request_id="stream-1")
    first = await stream(channel, request)
    again = await stream(channel, request)
    assert again[0].started.workflow_execution_id == first[0].started.workflow_execution_id
    assert [e.sequence for e in events_of(again)] == [e.sequence for e in events_of(first)]
    listed = await stubs(channel).executions.ListExecutions(
        ES.ListExecutionsRequest(workflow_id=workflow_id)
    )
    assert len(listed.executions) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"event_types": ["nope"]}, "event_types"),
        ({"inputs": {"unexpected": 1}}, "inputs.unexpected"),
        ({"request_id": "x" * 129}, "request_id"),
    ],
)
async def test_a_refused_request_sends_nothing_and_stores_nothing(
    channel: grpc.aio.Channel, change: dict[str, Any], field: str
) -> None:
    workflow_id = await create(channel, THREE_ECHOES)
    request = ES.ExecuteAndWatchRequest(workflow_id=workflow_id)
    if "inputs" in change:
        request.inputs.update(change["inputs"])
    if "event_types" in change:
        request.event_types.extend(change["event_types"])
    if "request_id" in change:
        request.request_id = change["request_id"]
    call = stubs(channel).executions.ExecuteAndWatch(request, timeout=30)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        async for _ in call:
            pytest.fail("a message before the refusal")
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in violations(refused.value)
    listed = await stubs(channel).executions.ListExecutions(
        ES.ListExecutionsRequest(workflow_id=workflow_id)
    )
    assert len(listed.executions) == 0


async def test_the_stream_holds_nothing_once_it_ends_or_its_caller_leaves(
    channel: grpc.aio.Channel, server: DataflowServer, recorder: Recorder
) -> None:
    workflow_id = await create(channel, HELD)
    call = stubs(channel).executions.ExecuteAndWatch(
        ES.ExecuteAndWatchRequest(workflow_id=workflow_id), timeout=30
    )
    execution_id = (await call.read()).started.workflow_execution_id
    await asyncio.wait_for(recorder.started.wait(), 30)
    assert server.hub.watcher_count(execution_id) == 1
    call.cancel()
    await until(lambda: server.hub.watcher_count(execution_id) == 0, "the stream let go")

    recorder.release.set()
    done = await stream(channel, ES.ExecuteAndWatchRequest(workflow_id=workflow_id))
    assert events_of(done)[-1].type == "execution.completed"
    assert server.hub.watcher_count(done[0].started.workflow_execution_id) == 0
