"""Property-based suite over every RPC, through a real server process (issue 10).

For any generated or mutated request (definitions, inputs, ids, page tokens,
enum values, NaN/±Infinity, deep nesting, unicode and NUL, sizes at and past
the limits, garbage bytes on the wire), the answer is clean (see
`tests/fuzz/client.py` for the oracle), nothing of a refused request is
stored, and the server stays SERVING. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from dataflow.v1 import (
    execution_service_pb2,
    file_service_pb2,
    secret_service_pb2,
    webhook_service_pb2,
    workflow_service_pb2,
)
from tests.fuzz.client import METHODS, FuzzClient
from tests.fuzz.strategies import (
    any_values,
    definitions,
    enum_numbers,
    huge_texts,
    ids,
    int32s,
    names,
    page_tokens,
    text,
    workflow_message,
)

ES = execution_service_pb2
WS = workflow_service_pb2
FS = file_service_pb2
HS = webhook_service_pb2
SS = secret_service_pb2

EVENT_TYPES = ["execution.completed", "task.running", "execution.pending", "nope", ""]
WEBHOOKS = [
    "",
    "ftp://example.com/hook",
    "http://127.0.0.1/hook",
    "http://[::1]:8080/",
    "http://user:pw@192.0.2.1/",
    "http://10.0.0.1:99999/",
    "https://" + "a" * 300,
    "not a url",
]


@given(data=st.data())
def test_create_and_update_definitions(fuzz: FuzzClient, data: st.DataObject) -> None:
    create = WS.CreateWorkflowRequest()
    workflow_message(data.draw(definitions()), create.workflow)
    fuzz.call("CreateWorkflow", create)
    update = WS.UpdateWorkflowRequest(workflow_id=data.draw(ids(fuzz.workflow_ids, "wf")))
    workflow_message(data.draw(definitions()), update.workflow)
    fuzz.call("UpdateWorkflow", update)


@given(data=st.data())
def test_execute(fuzz: FuzzClient, data: st.DataObject) -> None:
    request = ES.ExecuteWorkflowRequest(
        workflow_id=data.draw(ids(fuzz.workflow_ids, "wf")),
        request_id=data.draw(st.one_of(st.just(""), text, huge_texts)),
    )
    request.monitoring.webhook = data.draw(st.sampled_from(WEBHOOKS))
    given_inputs = data.draw(st.dictionaries(names, any_values, max_size=4))
    if data.draw(st.booleans()):
        given_inputs.setdefault("text", "hello")
    request.inputs.update(given_inputs)
    if data.draw(st.booleans()):
        # Short waits only (a valid one holds the answer until the execution ends).
        request.wait.seconds = data.draw(st.sampled_from([0, 0, -1, 61, 2**40, -(2**40)]))
        request.wait.nanos = data.draw(st.sampled_from([0, 50_000_000, -1, 10**9, -(10**9)]))
    fuzz.call("ExecuteWorkflow", request)
    streamed = ES.ExecuteAndWatchRequest(
        workflow_id=request.workflow_id,
        request_id=request.request_id,
        event_types=data.draw(
            st.lists(
                st.sampled_from(["execution.completed", "task.running", "nope", ""]), max_size=2
            )
        ),
    )
    streamed.monitoring.webhook = request.monitoring.webhook
    streamed.inputs.update(given_inputs)
    fuzz.call("ExecuteAndWatch", streamed)


@given(data=st.data())
def test_reads_lists_and_controls(fuzz: FuzzClient, data: st.DataObject) -> None:
    workflow_id = data.draw(ids(fuzz.workflow_ids, "wf"))
    execution_id = data.draw(ids(fuzz.execution_ids, "we"))
    token = data.draw(page_tokens(fuzz.page_tokens))
    size = data.draw(int32s)
    requests: list[tuple[str, Any]] = [
        ("GetWorkflow", WS.GetWorkflowRequest(workflow_id=workflow_id, workflow_version=size)),
        (
            "ListWorkflows",
            WS.ListWorkflowsRequest(
                page_size=size, page_token=token, show_archived=data.draw(st.booleans())
            ),
        ),
        ("ListTaskTypes", WS.ListTaskTypesRequest()),
        (
            "GetExecution",
            ES.GetExecutionRequest(
                workflow_execution_id=execution_id,
                workflow_id=data.draw(st.one_of(st.just(""), st.just(workflow_id))),
            ),
        ),
        (
            "ListExecutions",
            ES.ListExecutionsRequest(
                workflow_id=workflow_id,
                page_size=size,
                page_token=token,
                status=data.draw(enum_numbers),
                view=data.draw(enum_numbers),
            ),
        ),
        (
            "CancelExecution",
            ES.CancelExecutionRequest(
                workflow_execution_id=execution_id,
                reason=data.draw(st.one_of(text, huge_texts)),
            ),
        ),
        ("RetryExecution", ES.RetryExecutionRequest(workflow_execution_id=execution_id)),
        ("GetFile", FS.GetFileRequest(file_id=data.draw(ids(fuzz.file_ids, "file")))),
        ("DownloadFile", FS.DownloadFileRequest(file_id=data.draw(ids(fuzz.file_ids, "file")))),
        (
            "ListWebhookDeliveries",
            HS.ListWebhookDeliveriesRequest(
                workflow_execution_id=execution_id, page_size=size, page_token=token
            ),
        ),
        (
            "RedeliverWebhook",
            HS.RedeliverWebhookRequest(
                webhook_id=data.draw(st.one_of(text, st.just("msg_abcdefgh12345678")))
            ),
        ),
        ("DeleteWorkflow", WS.DeleteWorkflowRequest(workflow_id=data.draw(ids([], "wf")))),
        ("GetWebhookSecret", HS.GetWebhookSecretRequest()),
        (
            "RotateWebhookSecret",
            HS.RotateWebhookSecretRequest(window_seconds=data.draw(int32s))
            if data.draw(st.booleans())
            else HS.RotateWebhookSecretRequest(),
        ),
        (
            "SetSecret",
            SS.SetSecretRequest(
                name=data.draw(st.one_of(names, text)), value=data.draw(st.one_of(text, huge_texts))
            ),
        ),
        ("ListSecrets", SS.ListSecretsRequest(page_size=size, page_token=token)),
        ("DeleteSecret", SS.DeleteSecretRequest(name=data.draw(st.one_of(names, text)))),
    ]
    for name, request in data.draw(st.lists(st.sampled_from(requests), min_size=2, max_size=4)):
        fuzz.call(name, request)


@given(data=st.data())
def test_watch(fuzz: FuzzClient, data: st.DataObject) -> None:
    request = ES.WatchExecutionRequest(
        workflow_execution_id=data.draw(ids(fuzz.execution_ids, "we")),
        after_sequence=data.draw(int32s),
        event_types=data.draw(st.lists(st.one_of(st.sampled_from(EVENT_TYPES), text), max_size=3)),
    )
    fuzz.call("WatchExecution", request)


@given(data=st.data())
def test_upload(fuzz: FuzzClient, data: st.DataObject) -> None:
    metadata = FS.UploadFileMetadata(
        name=data.draw(st.one_of(text, huge_texts, st.sampled_from(["a.txt", "../x", "a\x00b"]))),
        content_type=data.draw(text),
        size_bytes=data.draw(st.integers(-(2**63), 2**63 - 1)),
        sha256=data.draw(st.one_of(st.just(""), text, st.just("0" * 64))),
    )
    parts = [
        FS.UploadFileRequest(metadata=metadata) if kind else FS.UploadFileRequest(data=chunk)
        for kind, chunk in data.draw(
            st.lists(st.tuples(st.booleans(), st.binary(max_size=64)), max_size=4)
        )
    ]
    if data.draw(st.booleans()):
        parts.insert(0, FS.UploadFileRequest(metadata=metadata))
    fuzz.call("UploadFile", parts)


@st.composite
def wire_bytes(draw: st.DrawFn, valid: bytes) -> bytes:
    """Garbage, or a valid request truncated or with bytes flipped."""
    choice = draw(st.integers(0, 3))
    if choice == 0 or not valid:
        return draw(st.binary(min_size=1, max_size=120))
    if choice == 1:
        return valid[: draw(st.integers(0, len(valid) - 1))]
    flipped = bytearray(valid)
    for _ in range(draw(st.integers(1, 4))):
        flipped[draw(st.integers(0, len(flipped) - 1))] = draw(st.integers(0, 255))
    return bytes(flipped)


_VALID_BYTES = {
    "CreateWorkflow": WS.CreateWorkflowRequest(
        workflow=workflow_message(
            {
                "title": "t",
                "inputs": [{"name": "text", "type": "text"}],
                "tasks": [
                    {"name": "t", "type": "json.parse", "inputs": {"text": "{{inputs.text}}"}}
                ],
                "outputs": [],
            }
        )
    ).SerializeToString(),
    "GetExecution": ES.GetExecutionRequest(
        workflow_execution_id="we-abcdefgh1234", workflow_id="wf-abcdefgh1234"
    ).SerializeToString(),
    "WatchExecution": ES.WatchExecutionRequest(
        workflow_execution_id="we-abcdefgh1234", after_sequence=3, event_types=["task.running"]
    ).SerializeToString(),
    "UploadFile": FS.UploadFileRequest(
        metadata=FS.UploadFileMetadata(name="a.txt", size_bytes=5)
    ).SerializeToString(),
}


@given(data=st.data())
def test_garbage_on_the_wire(fuzz: FuzzClient, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(METHODS)))
    payload = data.draw(wire_bytes(_VALID_BYTES.get(name, b"")))
    fuzz.raw(name, [payload] if METHODS[name].client_streaming else payload)


def test_nothing_refused_was_stored_and_the_server_serves(fuzz: FuzzClient) -> None:
    fuzz.assert_nothing_else_stored()
    assert fuzz.serving()
