"""The typed results of the Python client (issue 10, item 10): dataclasses with
enums that print their names, plain inputs and outputs with `File` values,
datetimes, and the raw messages still reachable; and a facade that covers
every RPC of the generated stubs, in both the blocking and the asyncio client."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

from google.protobuf import json_format, timestamp_pb2

from dataflow.v1 import (
    execution_pb2,
    execution_service_pb2,
    file_service_pb2,
    secret_service_pb2,
    webhook_pb2,
    webhook_service_pb2,
    workflow_pb2,
    workflow_service_pb2,
)
from dataflow_client import (
    AsyncDataflowClient,
    DataflowClient,
    Execution,
    ExecutionEvent,
    ExecutionStatus,
    File,
    TaskStatus,
    WebhookDelivery,
    Workflow,
    WorkflowState,
)
from dataflow_client._convert import to_struct, to_workflow
from tests.support.api import HELLO_WORLD

#: Every RPC of the API and the facade method that calls it.
FACADE = {
    "CreateWorkflow": "create_workflow",
    "GetWorkflow": "get_workflow",
    "ListWorkflows": "list_workflows",
    "UpdateWorkflow": "update_workflow",
    "DeleteWorkflow": "delete_workflow",
    "ListTaskTypes": "list_task_types",
    "ExecuteWorkflow": "execute",
    "GetExecution": "get_execution",
    "ListExecutions": "list_executions",
    "WatchExecution": "watch",
    "ExecuteAndWatch": "execute_and_watch",
    "CancelExecution": "cancel",
    "RetryExecution": "retry",
    "UploadFile": "upload_file",
    "GetFile": "get_file",
    "DownloadFile": "download_file",
    "ListWebhookDeliveries": "list_webhook_deliveries",
    "RedeliverWebhook": "redeliver_webhook",
    "GetWebhookSecret": "get_webhook_secret",
    "RotateWebhookSecret": "rotate_webhook_secret",
    "SetSecret": "set_secret",
    "ListSecrets": "list_secrets",
    "DeleteSecret": "delete_secret",
}
SERVICES = (
    workflow_service_pb2,
    execution_service_pb2,
    file_service_pb2,
    webhook_service_pb2,
    secret_service_pb2,
)


def test_the_facade_covers_every_rpc_of_the_stubs() -> None:
    rpcs = {
        method.name
        for module in SERVICES
        for service in module.DESCRIPTOR.services_by_name.values()
        for method in service.methods
    }
    assert rpcs == set(FACADE), "a new RPC needs a facade method (and an entry here)"
    for rpc, name in FACADE.items():
        blocking = getattr(DataflowClient, name)
        asynchronous = getattr(AsyncDataflowClient, name)
        assert not inspect.iscoroutinefunction(blocking), rpc
        assert inspect.iscoroutinefunction(asynchronous) or inspect.isasyncgenfunction(
            asynchronous
        ), rpc
        # Same parameters in both, so code moves between them unchanged.
        assert inspect.signature(blocking).parameters.keys() == (
            inspect.signature(asynchronous).parameters.keys()
        ), rpc
    # And every RPC stays callable with raw messages through ``client.stubs``.
    with DataflowClient("127.0.0.1:1") as client:
        callable_rpcs = {
            rpc
            for stub in vars(client.stubs).values()
            for rpc in FACADE
            if callable(getattr(stub, rpc, None))
        }
    assert callable_rpcs == set(FACADE)


def ts(seconds: int) -> timestamp_pb2.Timestamp:
    return timestamp_pb2.Timestamp(seconds=seconds, nanos=500_000_000)


def test_execution_is_typed_and_keeps_its_message() -> None:
    message = json_format.ParseDict(
        {
            "workflow_execution_id": "we-abcdefgh",
            "workflow_id": "wf-abcdefgh",
            "workflow_version": 2,
            "status": "COMPLETED",
            "tasks": [
                {
                    "name": "text_to_speech",
                    "type": "openai.audio.tts",
                    "status": "COMPLETED",
                    "attempts": 1,
                    "started_at": "2026-01-02T03:04:05Z",
                    "completed_at": "2026-01-02T03:04:06.5Z",
                }
            ],
            "inputs": {"text": "Hello", "count": 3},
            "outputs": {
                "audio": {
                    "file_id": "file-12345678",
                    "name": "speech.mp3",
                    "content_type": "audio/mpeg",
                    "size_bytes": 266,
                    "sha256": "ab" * 32,
                },
                "ratio": 0.5,
                "info": {"pages": [1, 2], "ok": True},
            },
            "monitoring": {"webhook": "https://example.com/h"},
            "created_at": "2026-01-02T03:04:05Z",
        },
        execution_pb2.Execution(),
    )
    execution = Execution.from_proto(message)
    assert execution.status is ExecutionStatus.COMPLETED
    assert str(execution.status) == "COMPLETED" and f"{execution.status}" == "COMPLETED"
    assert execution.status == "COMPLETED" and execution.status.terminal
    assert execution.tasks[0].status is TaskStatus.COMPLETED
    assert execution.inputs == {"text": "Hello", "count": 3}
    assert type(execution.inputs["count"]) is int
    audio = execution.outputs["audio"]
    assert audio == File("file-12345678", "speech.mp3", "audio/mpeg", 266, "ab" * 32)
    assert type(audio.size_bytes) is int and "266" in repr(audio) and "266.0" not in repr(audio)
    assert execution.outputs["ratio"] == 0.5
    assert execution.outputs["info"] == {"pages": [1, 2], "ok": True}
    assert execution.created_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert execution.started_at is None
    assert execution.tasks[0].completed_at == datetime(2026, 1, 2, 3, 4, 6, 500_000, tzinfo=UTC)
    assert execution.webhook == "https://example.com/h" and execution.error is None
    assert execution.raw is message  # the message, for what the typed view leaves out
    assert "raw" not in repr(execution) and "COMPLETED" in repr(execution)


def test_events_enums_and_unknown_values() -> None:
    event = ExecutionEvent.from_proto(
        execution_pb2.ExecutionEvent(
            sequence=4,
            type="task.failed",
            status=execution_pb2.Execution.RUNNING,
            task_name="parse",
            task_status=execution_pb2.TaskRun.FAILED,
            attempt=2,
            timestamp=ts(1_700_000_000),
            error=execution_pb2.ExecutionError(code="BAD_JSON", message="nope", task_name="parse"),
        )
    )
    assert (str(event.status), str(event.task_status)) == ("RUNNING", "FAILED")
    assert event.error is not None and str(event.error) == "[parse] BAD_JSON: nope"
    assert event.execution is None
    assert event.timestamp == datetime.fromtimestamp(1_700_000_000.5, UTC)
    plain = ExecutionEvent.from_proto(execution_pb2.ExecutionEvent(sequence=1, type="x"))
    assert (plain.task_name, plain.task_status, plain.error) == (None, None, None)
    # A status a newer server added is UNSPECIFIED, not an error.
    assert Execution.from_proto(execution_pb2.Execution(status=42)).status is (
        ExecutionStatus.UNSPECIFIED
    )


def test_workflow_and_definition_round_trip() -> None:
    message = to_workflow(HELLO_WORLD)
    message.workflow_id, message.workflow_version = "wf-abcdefgh", 3
    message.state = workflow_pb2.WORKFLOW_STATE_ARCHIVED
    workflow = Workflow.from_proto(message)
    assert workflow.state is WorkflowState.ARCHIVED and str(workflow.state) == "ARCHIVED"
    assert workflow.inputs[0].required and workflow.inputs[0].default is None
    assert workflow.tasks[0].inputs == {"text": "{{inputs.text}}", "voice": "alloy"}
    assert workflow.outputs[0].value == "{{tasks.text_to_speech.outputs.audio}}"
    assert workflow.definition() == HELLO_WORLD
    assert to_workflow(workflow) == to_workflow(HELLO_WORLD)  # create_workflow(workflow) works


def test_file_values_go_out_as_file_ids() -> None:
    struct = to_struct({"audio": File("file-12345678", "a.mp3", size_bytes=3), "n": [1]})
    assert json_format.MessageToDict(struct) == {"audio": {"file_id": "file-12345678"}, "n": [1]}


def test_webhook_delivery_attempts() -> None:
    delivery = WebhookDelivery.from_proto(
        webhook_pb2.WebhookDelivery(
            webhook_id="msg_x",
            sequence=1,
            status=webhook_pb2.WebhookDelivery.DELIVERED,
            attempts=[
                webhook_pb2.WebhookAttempt(
                    attempted_at=ts(10), error="timed out", latency_ms=15_000
                ),
                webhook_pb2.WebhookAttempt(attempted_at=ts(20), status_code=204, latency_ms=12),
            ],
        )
    )
    assert str(delivery.status) == "DELIVERED"
    first, second = delivery.attempts
    assert (first.status_code, first.error, first.latency_ms) == (None, "timed out", 15000)
    assert (second.status_code, second.error) == (204, None)
    assert second.attempted_at == datetime.fromtimestamp(20.5, UTC)


def test_graph_fields_and_for_each_items() -> None:
    task = Workflow.from_proto(
        to_workflow(
            {
                "title": "fan out",
                "inputs": [{"name": "parts", "type": "json"}],
                "tasks": [
                    {"name": "a", "type": "text.template", "inputs": {"template": "x"}},
                    {
                        "name": "b",
                        "type": "text.template",
                        "inputs": {"template": "{{item}}"},
                        "depends_on": ["a"],
                        "when": "inputs.parts != []",
                        "for_each": "{{inputs.parts}}",
                        "max_parallel": 2,
                    },
                ],
            }
        )
    ).tasks[1]
    assert (task.depends_on, task.when, task.for_each, task.max_parallel) == (
        ["a"],
        "inputs.parts != []",
        "{{inputs.parts}}",
        2,
    )
    run = Execution.from_proto(
        json_format.ParseDict(
            {
                "tasks": [
                    {"name": "s", "status": "SKIPPED", "skip_reason": "when is false"},
                    {
                        "name": "b",
                        "status": "RUNNING",
                        "items": [
                            {"index": 0, "status": "COMPLETED", "outputs": {"text": "x"}},
                            {"index": 1, "status": "RUNNING"},
                        ],
                    },
                ]
            },
            execution_pb2.Execution(),
        )
    )
    skipped, fanned = run.tasks
    assert (skipped.status, skipped.skip_reason, fanned.skip_reason) == (
        TaskStatus.SKIPPED,
        "when is false",
        None,
    )
    assert [(i.index, str(i.status), i.outputs) for i in fanned.items] == [
        (0, "COMPLETED", {"text": "x"}),
        (1, "RUNNING", {}),
    ]
    event = ExecutionEvent.from_proto(
        execution_pb2.ExecutionEvent(type="task.item.completed", task_name="b", item_index=0)
    )
    assert (event.item_index, event.skip_reason) == (0, None)
