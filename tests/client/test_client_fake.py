"""The client facade and the CLI against a scripted in-process gRPC server:
rich error details, pagination, watch resumption after UNAVAILABLE and
RESOURCE_EXHAUSTED, chunked uploads and verified downloads.

The real server is exercised by test_client_live.py; this fake makes the
failure paths (broken streams, corrupted files) reproducible."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import any_pb2, timestamp_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

import dataflow_client._watch as watch_module
from dataflow.v1 import (
    execution_pb2,
    execution_service_pb2,
    execution_service_pb2_grpc,
    file_pb2,
    file_service_pb2,
    file_service_pb2_grpc,
    workflow_pb2,
    workflow_service_pb2,
    workflow_service_pb2_grpc,
)
from dataflow_client import (
    CHUNK_SIZE,
    AsyncDataflowClient,
    DataflowClient,
    DataflowError,
    ExecutionStatus,
    File,
)
from dataflow_client.cli import main
from tests.support.api import HELLO_WORLD

EXECUTION = "we-abcdefgh"
WORKFLOW = "wf-abcdefgh"
Ctx = grpc.ServicerContext


def _abort_bad_request(context: Ctx, message: str, violations: dict[str, str]) -> None:
    detail = any_pb2.Any()
    detail.Pack(
        error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=f, description=d)
                for f, d in violations.items()
            ]
        )
    )
    status = status_pb2.Status(code=code_pb2.INVALID_ARGUMENT, message=message, details=[detail])
    context.abort_with_status(rpc_status.to_status(status))


class Workflows(workflow_service_pb2_grpc.WorkflowServiceServicer):
    def __init__(self) -> None:
        self.created: list[workflow_pb2.Workflow] = []
        self.listed = [
            workflow_pb2.Workflow(workflow_id=f"wf-{i:08d}", workflow_version=1, title=f"w{i}")
            for i in range(7)
        ]

    def CreateWorkflow(self, request: Any, context: Ctx) -> Any:
        if request.workflow.title == "bad":
            _abort_bad_request(
                context,
                "the workflow definition is invalid",
                {
                    "tasks[0].inputs.voice": "must be one of alloy, echo",
                    "outputs[0].value": "unknown task",
                },
            )
        self.created.append(request.workflow)
        return workflow_service_pb2.CreateWorkflowResponse(workflow_id=WORKFLOW, workflow_version=1)

    def GetWorkflow(self, request: Any, context: Ctx) -> Any:
        context.abort(grpc.StatusCode.NOT_FOUND, f"workflow {request.workflow_id} not found")

    def ListWorkflows(self, request: Any, context: Ctx) -> Any:
        start = int(request.page_token or 0)
        end = start + (request.page_size or 50)
        return workflow_service_pb2.ListWorkflowsResponse(
            workflows=self.listed[start:end],
            next_page_token=str(end) if end < len(self.listed) else "",
        )


def _event(sequence: int, kind: str, **fields: Any) -> execution_pb2.ExecutionEvent:
    return execution_pb2.ExecutionEvent(
        sequence=sequence,
        type=kind,
        workflow_execution_id=EXECUTION,
        timestamp=timestamp_pb2.Timestamp(seconds=1_700_000_000 + sequence),
        **fields,
    )


def _snapshot(status: str, task_status: str, **fields: Any) -> execution_pb2.Execution:
    return execution_pb2.Execution(
        workflow_execution_id=EXECUTION,
        workflow_id=WORKFLOW,
        workflow_version=1,
        status=execution_pb2.Execution.Status.Value(status),
        tasks=[
            execution_pb2.TaskRun(
                name="text_to_speech",
                type="openai.audio.tts",
                status=execution_pb2.TaskRun.Status.Value(task_status),
            )
        ],
        **fields,
    )


def script(final: str = "COMPLETED") -> list[execution_pb2.ExecutionEvent]:
    """The event log of a one-task execution ending ``final``."""
    running = execution_pb2.Execution.RUNNING
    task_final = "COMPLETED" if final == "COMPLETED" else "FAILED"
    extra: dict[str, Any] = {}
    if final == "COMPLETED":
        extra["outputs"] = {"audio": {"file_id": "file-12345678", "name": "speech.mp3"}}
    else:
        extra["error"] = execution_pb2.ExecutionError(
            code="UPSTREAM_UNAVAILABLE", message="boom", task_name="text_to_speech"
        )
    return [
        _event(1, "execution.pending", status=execution_pb2.Execution.PENDING,
               execution=_snapshot("PENDING", "PENDING")),
        _event(2, "execution.running", status=running),
        _event(3, "task.running", status=running, task_name="text_to_speech",
               task_status=execution_pb2.TaskRun.RUNNING, attempt=1),
        _event(4, f"task.{task_final.lower()}", status=running, task_name="text_to_speech",
               task_status=execution_pb2.TaskRun.Status.Value(task_final), attempt=1),
        _event(5, f"execution.{final.lower()}", status=execution_pb2.Execution.Status.Value(final),
               execution=_snapshot(final, task_final, **extra)),
    ]  # fmt: skip


class Executions(execution_service_pb2_grpc.ExecutionServiceServicer):
    def __init__(self) -> None:
        self.events = script()
        # Per call: how many events to send, then the code to fail with (None: end).
        self.breaks: list[tuple[int, grpc.StatusCode | None]] = []
        self.watch_requests: list[execution_service_pb2.WatchExecutionRequest] = []
        self.executed: list[execution_service_pb2.ExecuteWorkflowRequest] = []

    def ExecuteWorkflow(self, request: Any, context: Ctx) -> Any:
        self.executed.append(request)
        return execution_service_pb2.ExecuteWorkflowResponse(
            workflow_execution_id=EXECUTION,
            workflow_id=request.workflow_id,
            workflow_version=1,
            status=execution_pb2.Execution.PENDING,
        )

    def GetExecution(self, request: Any, context: Ctx) -> Any:
        return execution_service_pb2.GetExecutionResponse(execution=self.events[-1].execution)

    def WatchExecution(self, request: Any, context: Ctx) -> Iterator[Any]:
        self.watch_requests.append(request)
        count, code = self.breaks.pop(0) if self.breaks else (len(self.events), None)
        wanted = [
            e
            for e in self.events
            if e.sequence > request.after_sequence
            and (not request.event_types or e.type in request.event_types)
        ]
        for event in wanted[:count]:
            yield execution_service_pb2.WatchExecutionResponse(event=event)
        if code is not None:
            context.abort(code, "stream broken on purpose")


class Files(file_service_pb2_grpc.FileServiceServicer):
    def __init__(self) -> None:
        self.content = b""
        self.metadata: file_service_pb2.UploadFileMetadata | None = None
        self.chunk_sizes: list[int] = []
        self.first_is_metadata = False
        self.corrupt = False

    def _file(self) -> file_pb2.File:
        assert self.metadata is not None
        return file_pb2.File(
            file_id="file-abcdefgh",
            name=self.metadata.name,
            content_type=self.metadata.content_type or "application/octet-stream",
            size_bytes=len(self.content),
            sha256=hashlib.sha256(self.content).hexdigest(),
        )

    def UploadFile(self, request_iterator: Iterator[Any], context: Ctx) -> Any:
        parts = list(request_iterator)
        self.first_is_metadata = parts[0].WhichOneof("part") == "metadata"
        self.metadata = parts[0].metadata
        self.chunk_sizes = [len(p.data) for p in parts[1:]]
        self.content = b"".join(p.data for p in parts[1:])
        return file_service_pb2.UploadFileResponse(file=self._file())

    def DownloadFile(self, request: Any, context: Ctx) -> Iterator[Any]:
        if request.file_id != "file-abcdefgh":
            context.abort(grpc.StatusCode.NOT_FOUND, f"file {request.file_id} not found")
        content = self.content + (b"x" if self.corrupt else b"")
        step = 300_000
        yield file_service_pb2.DownloadFileResponse(file=self._file(), data=content[:step])
        for start in range(step, len(content), step):
            yield file_service_pb2.DownloadFileResponse(data=content[start : start + step])


class MetadataRecorder(grpc.ServerInterceptor):
    """The method and metadata of every call, as the server received them."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, str]]] = []

    def intercept_service(self, continuation: Any, details: Any) -> Any:
        self.calls.append((details.method, dict(details.invocation_metadata)))
        return continuation(details)


class Fake:
    def __init__(self, credentials: grpc.ServerCredentials | None = None) -> None:
        self.workflows = Workflows()
        self.executions = Executions()
        self.files = Files()
        self.metadata = MetadataRecorder()
        self.server = grpc.server(
            futures.ThreadPoolExecutor(max_workers=8), interceptors=[self.metadata]
        )
        workflow_service_pb2_grpc.add_WorkflowServiceServicer_to_server(self.workflows, self.server)
        execution_service_pb2_grpc.add_ExecutionServiceServicer_to_server(
            self.executions, self.server
        )
        file_service_pb2_grpc.add_FileServiceServicer_to_server(self.files, self.server)
        port = (
            self.server.add_secure_port("127.0.0.1:0", credentials)
            if credentials is not None
            else self.server.add_insecure_port("127.0.0.1:0")
        )
        self.address = f"127.0.0.1:{port}"


@contextlib.contextmanager
def running_fake(credentials: grpc.ServerCredentials | None = None) -> Iterator[Fake]:
    """A started fake (plaintext, or TLS with `credentials`), stopped on exit."""
    server = Fake(credentials)
    server.server.start()
    try:
        yield server
    finally:
        server.server.stop(None)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[Fake]:
    monkeypatch.setattr(watch_module, "INITIAL_BACKOFF", 0.01)
    with running_fake() as server:
        yield server


@pytest.fixture
def client(fake: Fake) -> Iterator[DataflowClient]:
    with DataflowClient(fake.address, timeout=10) as c:
        yield c


# The Getting Started body, verbatim.
SEED = HELLO_WORLD


# -- unary calls and errors ---------------------------------------------------------


def test_create_converts_the_seed_dict(fake: Fake, client: DataflowClient) -> None:
    created = client.create_workflow(SEED)
    assert (created.workflow_id, created.workflow_version) == (WORKFLOW, 1)
    sent = fake.workflows.created[-1]
    assert sent.title == "Hello World Workflow"
    assert sent.tasks[0].inputs["voice"] == "alloy"
    assert sent.outputs[0].value.string_value == "{{tasks.text_to_speech.outputs.audio}}"
    client.create_workflow({"workflow": SEED})  # the grpcurl form is accepted too
    assert fake.workflows.created[-1] == sent


def test_rich_error_details_become_field_violations(client: DataflowClient) -> None:
    with pytest.raises(DataflowError) as info:
        client.create_workflow({**SEED, "title": "bad"})
    error = info.value
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.message == "the workflow definition is invalid"
    assert [(v.field, v.description) for v in error.violations] == [
        ("tasks[0].inputs.voice", "must be one of alloy, echo"),
        ("outputs[0].value", "unknown task"),
    ]
    assert error.__cause__ is not None  # the grpc error is chained, never raised


def test_plain_error_and_unencodable_definition(client: DataflowClient) -> None:
    with pytest.raises(DataflowError) as info:
        client.get_workflow("wf-missing1")
    assert info.value.code == grpc.StatusCode.NOT_FOUND
    assert info.value.message == "workflow wf-missing1 not found"
    assert info.value.violations == []
    with pytest.raises(DataflowError) as info:
        client.create_workflow({"title": "x", "tasks": [{"nope": 1}]})
    assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(DataflowError) as info:
        client.list_executions(WORKFLOW, status="SLEEPING")
    assert info.value.violations[0].field == "status"


def test_pagination_iterators(fake: Fake, client: DataflowClient) -> None:
    page = client.list_workflows(page_size=3)
    assert [w.workflow_id for w in page.items] == [f"wf-{i:08d}" for i in range(3)]
    assert page.next_page_token == "3"
    assert [w.title for w in client.iter_workflows(page_size=3)] == [f"w{i}" for i in range(7)]


def test_execute_request(fake: Fake, client: DataflowClient) -> None:
    started = client.execute(
        WORKFLOW, {"text": "Hello", "n": 3}, webhook="https://example.com/h", request_id="r1"
    )
    assert started.workflow_execution_id == EXECUTION
    assert started.status is ExecutionStatus.PENDING
    sent = fake.executions.executed[-1]
    assert dict(sent.inputs) == {"text": "Hello", "n": 3.0}
    assert (sent.monitoring.webhook, sent.request_id) == ("https://example.com/h", "r1")


def test_unreachable_server_is_unavailable() -> None:
    with DataflowClient("127.0.0.1:1") as c, pytest.raises(DataflowError) as info:
        c.list_task_types()
    assert info.value.code == grpc.StatusCode.UNAVAILABLE


# -- watch ------------------------------------------------------------------------------


def test_watch_resumes_without_gap_or_duplicate(fake: Fake, client: DataflowClient) -> None:
    fake.executions.breaks = [
        (2, grpc.StatusCode.UNAVAILABLE),
        (1, grpc.StatusCode.RESOURCE_EXHAUSTED),
        (0, grpc.StatusCode.UNAVAILABLE),
    ]
    events = list(client.watch(EXECUTION))
    assert [e.sequence for e in events] == [1, 2, 3, 4, 5]
    assert [r.after_sequence for r in fake.executions.watch_requests] == [0, 2, 3, 3]


def test_watch_gives_up_after_bounded_retries(fake: Fake, client: DataflowClient) -> None:
    fake.executions.breaks = [(0, grpc.StatusCode.UNAVAILABLE)] * 10
    with pytest.raises(DataflowError) as info:
        list(client.watch(EXECUTION, max_retries=3))
    assert info.value.code == grpc.StatusCode.UNAVAILABLE
    assert len(fake.executions.watch_requests) == 4


def test_watch_other_errors_are_not_retried(fake: Fake, client: DataflowClient) -> None:
    fake.executions.breaks = [(1, grpc.StatusCode.NOT_FOUND)]
    with pytest.raises(DataflowError) as info:
        list(client.watch(EXECUTION))
    assert info.value.code == grpc.StatusCode.NOT_FOUND
    assert len(fake.executions.watch_requests) == 1


def test_watch_break_after_terminal_event_is_not_an_error(
    fake: Fake, client: DataflowClient
) -> None:
    fake.executions.breaks = [(5, grpc.StatusCode.UNAVAILABLE)]
    assert len(list(client.watch(EXECUTION))) == 5
    assert len(fake.executions.watch_requests) == 1


def test_wait_returns_the_final_snapshot(fake: Fake, client: DataflowClient) -> None:
    fake.executions.breaks = [(0, grpc.StatusCode.UNAVAILABLE)]
    final = client.wait(EXECUTION, timeout=10)
    assert final.status is ExecutionStatus.COMPLETED
    assert final.outputs["audio"] == File("file-12345678", "speech.mp3")
    request = fake.executions.watch_requests[-1]
    assert set(request.event_types) == {
        "execution.completed",
        "execution.failed",
        "execution.cancelled",
    }


async def test_async_client(fake: Fake) -> None:
    fake.executions.breaks = [(3, grpc.StatusCode.UNAVAILABLE)]
    async with AsyncDataflowClient(fake.address, timeout=10) as c:
        assert (await c.create_workflow(SEED)).workflow_id == WORKFLOW
        titles = [w.title async for w in c.iter_workflows(page_size=2)]
        assert titles == [f"w{i}" for i in range(7)]
        with pytest.raises(DataflowError) as info:
            await c.create_workflow({**SEED, "title": "bad"})
        assert info.value.violations[0].field == "tasks[0].inputs.voice"
        assert [e.sequence async for e in c.watch(EXECUTION)] == [1, 2, 3, 4, 5]
        assert (await c.wait(EXECUTION)).status is ExecutionStatus.COMPLETED
        data = bytes(range(256)) * 5000  # 1.22 MiB
        stored = await c.upload_file(data, name="blob.bin")
        assert stored.size_bytes == len(data)
        assert fake.files.chunk_sizes == [CHUNK_SIZE, len(data) - CHUNK_SIZE]
        out = io.BytesIO()
        await c.download_file(stored.file_id, out)
        assert out.getvalue() == data


# -- files ----------------------------------------------------------------------------------


class RecordingStream(io.RawIOBase):
    """A readable stream that records how much each read asked for."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.asked: list[int] = []
        self.name = "/somewhere/stream.dat"

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.asked.append(size)
        n = self.left if size < 0 else min(size, self.left)
        self.left -= n
        return b"s" * n


def test_upload_path_in_chunks_metadata_first(
    fake: Fake, client: DataflowClient, tmp_path: Path
) -> None:
    path = tmp_path / "speech.mp3"
    data = hashlib.sha256(b"seed").digest() * (3 * CHUNK_SIZE // 32 + 100)
    path.write_bytes(data)
    stored = client.upload_file(path, content_type="audio/mpeg")
    assert fake.files.first_is_metadata
    assert fake.files.metadata is not None
    assert (fake.files.metadata.name, fake.files.metadata.content_type) == (
        "speech.mp3",
        "audio/mpeg",
    )
    assert fake.files.metadata.size_bytes == len(data)
    assert fake.files.chunk_sizes == [CHUNK_SIZE] * 3 + [3200]
    assert stored.sha256 == hashlib.sha256(data).hexdigest()

    out = tmp_path / "out" / "copy.mp3"
    out.parent.mkdir()
    got = client.download_file(stored.file_id, out)
    assert got.file_id == stored.file_id
    assert out.read_bytes() == data
    assert [p.name for p in out.parent.iterdir()] == ["copy.mp3"]  # no temporary left


def test_upload_stream_never_reads_more_than_a_chunk(fake: Fake, client: DataflowClient) -> None:
    stream = RecordingStream(2 * CHUNK_SIZE + 5)
    stored = client.upload_file(stream)
    assert stored.name == "stream.dat"
    assert stored.size_bytes == 2 * CHUNK_SIZE + 5
    assert stream.asked and all(0 < n <= CHUNK_SIZE for n in stream.asked)


def test_upload_missing_file_fails_before_calling(fake: Fake, client: DataflowClient) -> None:
    with pytest.raises(FileNotFoundError):
        client.upload_file("/nonexistent/file.bin")


def test_corrupted_download_is_not_kept(fake: Fake, client: DataflowClient, tmp_path: Path) -> None:
    client.upload_file(b"hello world", name="hello.txt")
    fake.files.corrupt = True
    out = tmp_path / "hello.txt"
    with pytest.raises(DataflowError) as info:
        client.download_file("file-abcdefgh", out)
    assert info.value.code == grpc.StatusCode.DATA_LOSS
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(DataflowError) as info:
        client.download_file("file-missing0", out)
    assert info.value.code == grpc.StatusCode.NOT_FOUND
    assert list(tmp_path.iterdir()) == []


# -- CLI --------------------------------------------------------------------------------------


def test_cli_create_error_prints_violations(
    fake: Fake, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hello.json"
    path.write_text(json.dumps({**SEED, "title": "bad"}))
    assert main(["--server", fake.address, "workflows", "create", "-f", str(path)]) == 2
    assert capsys.readouterr().err == (
        "error: INVALID_ARGUMENT: the workflow definition is invalid\n"
        "  tasks[0].inputs.voice: must be one of alloy, echo\n"
        "  outputs[0].value: unknown task\n"
    )
    path.write_text(json.dumps(SEED))
    assert main(["--server", fake.address, "--json", "workflows", "create", "-f", str(path)]) == 0
    assert json.loads(capsys.readouterr().out) == {"workflow_id": WORKFLOW, "workflow_version": 1}


@pytest.mark.parametrize(("final", "code"), [("COMPLETED", 0), ("FAILED", 1)])
def test_cli_run_watch(
    fake: Fake, final: str, code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.executions.events = script(final)
    fake.executions.breaks = [(2, grpc.StatusCode.UNAVAILABLE)]
    upload = tmp_path / "a.txt"
    upload.write_bytes(b"abc")
    argv = ["--server", fake.address, "run", WORKFLOW, "--input", "text=Hello",
            "--input", "n=3", "--input", f"doc=@{upload}", "--watch"]  # fmt: skip
    assert main(argv) == code
    out = capsys.readouterr().out
    assert f"Started execution {EXECUTION}" in out
    assert "text_to_speech" in out
    assert final in out
    if final == "COMPLETED":
        assert "file-12345678" in out  # the outputs table
    sent = fake.executions.executed[-1]
    assert sent.inputs["text"] == "Hello"
    assert sent.inputs["n"] == 3
    assert dict(sent.inputs["doc"]) == {"file_id": "file-abcdefgh"}


def test_cli_watch_json_is_one_document(fake: Fake, capsys: pytest.CaptureFixture[str]) -> None:
    fake.executions.breaks = [(2, grpc.StatusCode.UNAVAILABLE)]  # resumed, no duplicate
    assert main(["--server", fake.address, "--json", "executions", "watch", EXECUTION]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [int(e["sequence"]) for e in document["events"]] == [1, 2, 3, 4, 5]
    assert document["events"][-1]["type"] == "execution.completed"
    assert document["execution"]["status"] == "COMPLETED"


def test_cli_files(fake: Fake, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.bin"
    src.write_bytes(b"\x00\x01" * 1000)
    assert main(["--server", fake.address, "--json", "files", "upload", str(src)]) == 0
    stored = json.loads(capsys.readouterr().out)
    assert stored["file_id"] == "file-abcdefgh"
    assert stored["size_bytes"] == "2000"  # proto3 JSON: int64 as a string
    out = tmp_path / "out.bin"
    assert (
        main(["--server", fake.address, "files", "download", "file-abcdefgh", "-o", str(out)]) == 0
    )
    assert out.read_bytes() == src.read_bytes()
    assert "Saved file-abcdefgh" in capsys.readouterr().out
