"""The WatchExecution snapshot contract (issue 10, item 9), as the proto states it:
the snapshot on the first and the terminal event is the execution's current
state, never older than the event; its `status` is the status after event
`last_sequence`, and the terminal event that ends the stream carries the final
state. Each event's own `status` is the status right after that event."""

from __future__ import annotations

import grpc
from google.protobuf import json_format

from dataflow.v1 import execution_pb2, execution_service_pb2
from tests.support.api import create_request, stubs, wait_terminal

ES = execution_service_pb2
Ex = execution_pb2.Execution

TWO_STEPS = {
    "title": "two steps",
    "inputs": [{"name": "text", "type": "text"}],
    "tasks": [
        {"name": "a", "type": "text.template", "inputs": {"template": "{{inputs.text}}"}},
        {"name": "b", "type": "text.template", "inputs": {"template": "{{tasks.a.outputs.text}}"}},
    ],
    "outputs": [{"name": "out", "type": "text", "value": "{{tasks.b.outputs.text}}"}],
}


async def test_snapshots_are_current_and_consistent(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = (await api.workflows.CreateWorkflow(create_request(TWO_STEPS))).workflow_id
    started = await api.executions.ExecuteWorkflow(
        json_format.ParseDict(
            {"workflow_id": wf, "inputs": {"text": "hi"}}, ES.ExecuteWorkflowRequest()
        )
    )
    execution_id = started.workflow_execution_id
    await wait_terminal(api, execution_id)

    for after in (0, 2):
        call = api.executions.WatchExecution(
            ES.WatchExecutionRequest(workflow_execution_id=execution_id, after_sequence=after)
        )
        events = [message.event async for message in call]
        status_after = {e.sequence: e.status for e in events}
        first, last = events[0], events[-1]
        assert first.sequence == after + 1
        # The replayed first event keeps its own status; its snapshot is current.
        if after == 0:
            assert (first.type, first.status) == ("execution.pending", Ex.PENDING)
        assert first.HasField("execution") and last.HasField("execution")
        assert first.execution.last_sequence >= first.sequence
        assert first.execution.status == status_after[first.execution.last_sequence]
        assert first.execution.status == Ex.COMPLETED  # already finished: current state
        # The terminal event that ends the stream carries exactly the final state.
        assert last.type == "execution.completed"
        assert last.execution.last_sequence == last.sequence
        assert last.execution.status == last.status == Ex.COMPLETED
        assert json_format.MessageToDict(last.execution.outputs) == {"out": "hi"}
        # Only the first and the terminal event carry a snapshot.
        assert not any(e.HasField("execution") for e in events[1:-1])
