"""The sync client, the asyncio client and the ``dataflow`` CLI against a real
``dataflow-server`` process (``server_process`` from tests/support/servers.py,
on SQLite and on PostgreSQL)."""

from __future__ import annotations

import concurrent.futures
import contextlib
import copy
import hashlib
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import grpc
import pytest

from dataflow.v1 import workflow_service_pb2
from dataflow_client import (
    CHUNK_SIZE,
    AsyncDataflowClient,
    DataflowClient,
    DataflowError,
    ExecutionStatus,
    File,
    TaskStatus,
    WorkflowState,
)
from tests.support.api import HELLO_WORLD
from tests.support.servers import REPO, ServerProcess

# The Getting Started body, verbatim.
SEED = HELLO_WORLD


def bad_seed() -> dict[str, Any]:
    body = copy.deepcopy(SEED)
    body["tasks"][0]["inputs"]["voice"] = "nobody"
    return body


def big_payload() -> bytes:
    """2.5 MiB of non-repeating bytes: three chunks, the last one partial."""
    block = b"".join(hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(1024))
    return (block * (CHUNK_SIZE * 5 // 2 // len(block) + 1))[: CHUNK_SIZE * 5 // 2]


def violation_fields(error: DataflowError) -> list[str]:
    return [v.field for v in error.violations]


# -- sync client ----------------------------------------------------------------------


def test_sync_client(server_process: ServerProcess, tmp_path: Path) -> None:
    with DataflowClient(server_process.address, timeout=30) as client:
        created = client.create_workflow(SEED)
        assert created.workflow_id.startswith("wf-")
        assert created.workflow_version == 1
        wf_id = created.workflow_id

        workflow = client.get_workflow(wf_id)
        assert (workflow.workflow_id, workflow.workflow_version) == (wf_id, 1)
        assert workflow.title == "Hello World Workflow"
        assert [t.name for t in workflow.tasks] == ["text_to_speech"]
        assert workflow.tasks[0].inputs["voice"] == "alloy"
        assert workflow.state is WorkflowState.ACTIVE and str(workflow.state) == "ACTIVE"
        assert workflow.created_at is not None and workflow.created_at.tzinfo is not None
        # The raw API stays reachable: the message behind the object, and the stubs.
        assert workflow.raw.workflow_id == wf_id
        raw = client.stubs.workflows.GetWorkflow(
            workflow_service_pb2.GetWorkflowRequest(workflow_id=wf_id)
        )
        assert raw.workflow == workflow.raw

        # Pagination: newest first, across pages.
        others = [client.create_workflow(SEED).workflow_id for _ in range(2)]
        page = client.list_workflows(page_size=2)
        assert [w.workflow_id for w in page] == others[::-1]
        assert page.next_page_token
        rest = client.list_workflows(page_size=2, page_token=page.next_page_token)
        assert [w.workflow_id for w in rest.items] == [wf_id]
        assert not rest.next_page_token
        assert [w.workflow_id for w in client.iter_workflows(page_size=1)] == [
            *others[::-1],
            wf_id,
        ]

        # Execute: PENDING with a we- id, pinned to version 1.
        started = client.execute(wf_id, {"text": "Hello"})
        assert started.workflow_execution_id.startswith("we-")
        assert (started.workflow_id, started.workflow_version) == (wf_id, 1)
        assert started.status is ExecutionStatus.PENDING and str(started.status) == "PENDING"
        we_id = started.workflow_execution_id

        execution = client.get_execution(we_id)
        assert (execution.workflow_execution_id, execution.workflow_id) == (we_id, wf_id)
        assert [t.name for t in execution.tasks] == ["text_to_speech"]
        assert execution.inputs["text"] == "Hello"
        assert client.get_execution(we_id, workflow_id=wf_id).workflow_execution_id == we_id
        with pytest.raises(DataflowError) as info:
            client.get_execution(we_id, workflow_id=others[0])
        assert info.value.code == grpc.StatusCode.NOT_FOUND

        # Idempotent execute.
        first = client.execute(wf_id, {"text": "Hi"}, request_id="req-1")
        again = client.execute(wf_id, {"text": "Hi"}, request_id="req-1")
        assert again.workflow_execution_id == first.workflow_execution_id
        with pytest.raises(DataflowError) as info:
            client.execute(wf_id, {"text": "Different"}, request_id="req-1")
        assert info.value.code == grpc.StatusCode.ALREADY_EXISTS

        listed = [e.workflow_execution_id for e in client.iter_executions(wf_id, page_size=1)]
        assert listed == [first.workflow_execution_id, we_id]
        status = client.get_execution(we_id).status
        filtered = client.list_executions(wf_id, status=status)
        assert we_id in [e.workflow_execution_id for e in filtered]
        full = client.list_executions(wf_id, full=True).items
        assert all(e.tasks for e in full)

        # The watch stream starts with a snapshot of the execution.
        events = client.watch(we_id)
        event = next(events)
        events.close()
        assert (event.sequence, event.type) == (1, "execution.pending")
        assert event.execution is not None
        assert event.execution.workflow_execution_id == we_id

        # Versions.
        updated = client.update_workflow(wf_id, {**SEED, "title": "Hello again"})
        assert updated.workflow_version == 2
        assert client.get_workflow(wf_id).title == "Hello again"
        assert client.get_workflow(wf_id, version=1).title == "Hello World Workflow"
        assert client.get_execution(we_id).workflow_version == 1

        # Errors with field violations.
        with pytest.raises(DataflowError) as info:
            client.create_workflow(bad_seed())
        assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT
        assert "tasks[0].inputs.voice" in violation_fields(info.value)
        with pytest.raises(DataflowError) as info:
            client.execute(wf_id, {})
        assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT
        assert "inputs.text" in violation_fields(info.value)
        with pytest.raises(DataflowError) as info:
            client.get_workflow("wf-doesnotexist")
        assert info.value.code == grpc.StatusCode.NOT_FOUND
        with pytest.raises(DataflowError) as info:
            client.get_execution("we-doesnotexist")
        assert info.value.code == grpc.StatusCode.NOT_FOUND

        # Archive.
        archived = client.delete_workflow(others[0])
        assert archived.state is WorkflowState.ARCHIVED
        with pytest.raises(DataflowError) as info:
            client.execute(others[0], {"text": "Hello"})
        assert info.value.code == grpc.StatusCode.FAILED_PRECONDITION
        assert others[0] not in [w.workflow_id for w in client.iter_workflows()]
        assert others[0] in [w.workflow_id for w in client.iter_workflows(show_archived=True)]

        names = [t.name for t in client.list_task_types()]
        assert "openai.audio.tts" in names
        assert names == sorted(names)

        # Files: a path larger than one chunk, round trip to a path and a stream.
        data = big_payload()
        source = tmp_path / "speech.mp3"
        source.write_bytes(data)
        stored = client.upload_file(source)
        assert isinstance(stored, File) and stored.file_id.startswith("file-")
        assert (stored.name, stored.size_bytes) == ("speech.mp3", len(data))
        assert stored.sha256 == hashlib.sha256(data).hexdigest()
        assert client.get_file(stored.file_id) == stored
        target = tmp_path / "copy.mp3"
        assert client.download_file(stored.file_id, target).file_id == stored.file_id
        assert target.read_bytes() == data
        sink = io.BytesIO()
        client.download_file(stored.file_id, sink)
        assert sink.getvalue() == data
        # A special file (here a FIFO; /dev/null alike) is written in place, not replaced.
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        # Our own write end keeps reads blocking until the download is done, and its
        # close ends them even if the download never opened the FIFO (no hang).
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        os.set_blocking(reader, True)
        keeper = os.open(fifo, os.O_WRONLY)

        def drain() -> bytes:
            received = b""
            while len(received) < len(data) and (chunk := os.read(reader, 1 << 16)):
                received += chunk
            return received

        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            drained = pool.submit(drain)
            try:
                client.download_file(stored.file_id, fifo)
            finally:
                os.close(keeper)
            assert drained.result(timeout=30) == data
        os.close(reader)
        assert stat.S_ISFIFO(fifo.stat().st_mode)
        with pytest.raises(DataflowError) as info:
            client.get_file("file-doesnotexist")
        assert info.value.code == grpc.StatusCode.NOT_FOUND


# -- asyncio client ----------------------------------------------------------------------


async def test_async_client(server_process: ServerProcess) -> None:
    async with AsyncDataflowClient(server_process.address, timeout=30) as client:
        created = await client.create_workflow(SEED)
        wf_id = created.workflow_id
        assert wf_id.startswith("wf-")
        assert (await client.get_workflow(wf_id)).title == "Hello World Workflow"
        second = (await client.create_workflow(SEED)).workflow_id
        ids = [w.workflow_id async for w in client.iter_workflows(page_size=1)]
        assert ids == [second, wf_id]

        started = await client.execute(wf_id, {"text": "Hello"})
        assert started.workflow_execution_id.startswith("we-")
        assert started.status is ExecutionStatus.PENDING and str(started.status) == "PENDING"
        we_id = started.workflow_execution_id
        execution = await client.get_execution(we_id)
        assert execution.workflow_id == wf_id
        listed = [e.workflow_execution_id async for e in client.iter_executions(wf_id)]
        assert listed == [we_id]

        async with contextlib.aclosing(client.watch(we_id)) as events:
            first = await anext(events)
        assert (first.sequence, first.type) == (1, "execution.pending")
        assert first.execution is not None
        assert first.execution.workflow_execution_id == we_id

        with pytest.raises(DataflowError) as info:
            await client.create_workflow(bad_seed())
        assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT
        assert "tasks[0].inputs.voice" in violation_fields(info.value)
        with pytest.raises(DataflowError) as info:
            await client.get_workflow("wf-doesnotexist")
        assert info.value.code == grpc.StatusCode.NOT_FOUND

        data = big_payload()
        stored = await client.upload_file(io.BytesIO(data), name="blob.bin")
        assert (stored.name, stored.size_bytes) == ("blob.bin", len(data))
        sink = io.BytesIO()
        await client.download_file(stored.file_id, sink)
        assert sink.getvalue() == data


# -- CLI ---------------------------------------------------------------------------------


def dataflow(
    address: str, *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "client/python"), str(REPO / "server")]),
        "COLUMNS": "200",
    }
    env.pop("DATAFLOW_ADDRESS", None)
    return subprocess.run(
        [sys.executable, "-m", "dataflow_client.cli", "--server", address, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


def test_cli(server_process: ServerProcess, tmp_path: Path) -> None:
    address = server_process.address
    hello = tmp_path / "hello.json"
    hello.write_text(json.dumps(SEED, indent=2))

    done = dataflow(address, "workflows", "create", "-f", str(hello))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Created workflow wf-")
    done = dataflow(address, "--json", "workflows", "create", "-f", "-", stdin=hello.read_text())
    assert done.returncode == 0, done.stderr
    created = json.loads(done.stdout)
    wf_id = created["workflow_id"]
    assert created == {"workflow_id": wf_id, "workflow_version": 1}

    done = dataflow(address, "workflows", "get", wf_id)
    assert done.returncode == 0, done.stderr
    assert "Hello World Workflow" in done.stdout and "text_to_speech" in done.stdout
    done = dataflow(address, "workflows", "get", wf_id, "--json")
    assert json.loads(done.stdout)["tasks"][0]["inputs"] == {
        "text": "{{inputs.text}}",
        "voice": "alloy",
    }
    done = dataflow(address, "workflows", "list")
    assert done.returncode == 0 and wf_id in done.stdout
    done = dataflow(address, "--json", "workflows", "list", "--limit", "1")
    assert [w["workflow_id"] for w in json.loads(done.stdout)["workflows"]] == [wf_id]

    done = dataflow(address, "run", wf_id, "--input", "text=Hello")
    assert done.returncode == 0, done.stderr
    assert "Started execution we-" in done.stdout and "PENDING" in done.stdout
    done = dataflow(address, "--json", "run", wf_id, "--input", "text=Hello", "--request-id", "r")
    started = json.loads(done.stdout)
    assert started["workflow_execution_id"].startswith("we-")
    assert {k: started[k] for k in ("workflow_id", "workflow_version", "status")} == {
        "workflow_id": wf_id,
        "workflow_version": 1,
        "status": "PENDING",
    }
    we_id = started["workflow_execution_id"]
    done = dataflow(address, "executions", "list", wf_id)
    assert done.returncode == 0 and we_id in done.stdout
    done = dataflow(address, "--json", "executions", "get", we_id)
    assert json.loads(done.stdout)["workflow_execution_id"] == we_id
    done = dataflow(address, "executions", "get", we_id)
    assert done.returncode == 0 and "text_to_speech" in done.stdout

    # Refused requests: the violations, exit code 2, no traceback.
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_seed()))
    done = dataflow(address, "workflows", "create", "-f", str(bad))
    assert done.returncode == 2
    assert done.stderr.startswith("error: INVALID_ARGUMENT: ")
    assert "\n  tasks[0].inputs.voice: " in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    done = dataflow(address, "run", wf_id, "--input", "nope=1")
    assert done.returncode == 2
    assert "\n  inputs.nope: " in done.stderr or "\n  inputs.text: " in done.stderr
    done = dataflow(address, "workflows", "get", "wf-doesnotexist")
    assert done.returncode == 1
    assert done.stderr.startswith("error: NOT_FOUND: ")
    assert "Traceback" not in done.stderr

    done = dataflow(address, "--json", "task-types", "list")
    assert "openai.audio.tts" in [t["name"] for t in json.loads(done.stdout)["task_types"]]

    # Files, larger than a chunk; a file input given as @path.
    data = big_payload()
    (tmp_path / "in.bin").write_bytes(data)
    done = dataflow(address, "--json", "files", "upload", str(tmp_path / "in.bin"))
    assert done.returncode == 0, done.stderr
    file_id = json.loads(done.stdout)["file_id"]
    done = dataflow(address, "files", "get", file_id)
    assert done.returncode == 0 and "in.bin" in done.stdout
    done = dataflow(address, "files", "download", file_id, "-o", str(tmp_path / "out.bin"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.bin").read_bytes() == data
    (tmp_path / "dl").mkdir()
    done = dataflow(address, "files", "download", file_id, cwd=tmp_path / "dl")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "dl" / "in.bin").read_bytes() == data


def test_cli_unreachable_server(tmp_path: Path) -> None:
    done = dataflow("127.0.0.1:1", "workflows", "list")
    assert done.returncode == 1
    assert done.stderr.startswith("error: cannot reach server at 127.0.0.1:1")
    assert "Traceback" not in done.stderr


# -- to the end: built-in local task types, run by the server's engine ----------------------

GREETING: dict[str, Any] = {
    "title": "Greeting",
    "inputs": [{"name": "name", "type": "text"}],
    "tasks": [
        {"name": "pause", "type": "core.sleep", "inputs": {"seconds": 0.2}},
        {
            "name": "greet",
            "type": "text.template",
            "inputs": {"template": "Hello, {{inputs.name}}!"},
        },
    ],
    "outputs": [{"name": "greeting", "type": "text", "value": "{{tasks.greet.outputs.text}}"}],
}
BROKEN: dict[str, Any] = {
    "title": "Broken",
    "tasks": [{"name": "parse", "type": "json.parse", "inputs": {"text": "{not json"}}],
}
SLOW: dict[str, Any] = {
    "title": "Slow",
    "tasks": [{"name": "nap", "type": "core.sleep", "inputs": {"seconds": 60}}],
}
TERMINAL = {"execution.completed", "execution.failed", "execution.cancelled"}


def test_watch_wait_cancel_retry(server_process: ServerProcess) -> None:
    with DataflowClient(server_process.address, timeout=30) as client:
        wf_id = client.create_workflow(GREETING).workflow_id
        we_id = client.execute(wf_id, {"name": "Ada"}).workflow_execution_id
        final = client.wait(we_id, timeout=60)
        assert final.status is ExecutionStatus.COMPLETED, final
        assert f"{final.status}" == "COMPLETED"  # prints its name
        assert final.outputs == {"greeting": "Hello, Ada!"}
        assert [t.status for t in final.tasks] == [TaskStatus.COMPLETED] * 2
        assert final.completed_at is not None and final.started_at is not None
        assert final.completed_at >= final.started_at

        # The whole log, again: 1, 2, 3... without gap, ending with the terminal event.
        events = list(client.watch(we_id, timeout=60))
        assert [e.sequence for e in events] == list(range(1, len(events) + 1))
        assert events[0].execution is not None
        assert events[-1].type == "execution.completed"
        assert events[-1].execution is not None
        assert events[-1].execution.outputs["greeting"] == "Hello, Ada!"
        assert {e.task_name for e in events if e.type.startswith("task.")} == {"pause", "greet"}
        resumed = list(client.watch(we_id, after_sequence=events[-2].sequence, timeout=60))
        assert [e.sequence for e in resumed] == [events[-1].sequence]
        only = list(client.watch(we_id, event_types=["task.completed"], timeout=60))
        assert [e.task_name for e in only] == ["pause", "greet"]

        broken_id = client.create_workflow(BROKEN).workflow_id
        failed = client.wait(client.execute(broken_id).workflow_execution_id, timeout=60)
        assert failed.status is ExecutionStatus.FAILED
        assert failed.error is not None and failed.error.task_name == "parse"

        slow_id = client.execute(client.create_workflow(SLOW).workflow_id).workflow_execution_id
        cancelled = client.cancel(slow_id, reason="not today")
        assert cancelled.workflow_execution_id == slow_id
        assert client.wait(slow_id, timeout=60).status is ExecutionStatus.CANCELLED
        with pytest.raises(DataflowError) as info:
            client.cancel(slow_id)
        assert info.value.code == grpc.StatusCode.FAILED_PRECONDITION
        retried = client.retry(slow_id)
        assert retried.status in (ExecutionStatus.PENDING, ExecutionStatus.RUNNING)
        client.cancel(slow_id)
        assert client.wait(slow_id, timeout=60).status is ExecutionStatus.CANCELLED


async def test_async_watch_and_wait(server_process: ServerProcess) -> None:
    async with AsyncDataflowClient(server_process.address, timeout=30) as client:
        wf_id = (await client.create_workflow(GREETING)).workflow_id
        we_id = (await client.execute(wf_id, {"name": "Bo"})).workflow_execution_id
        types = [e.type async for e in client.watch(we_id, timeout=60)]
        assert types[0] == "execution.pending"
        assert types[-1] == "execution.completed"
        final = await client.wait(we_id, timeout=60)
        assert final.outputs["greeting"] == "Hello, Bo!"


def test_cli_run_watch(server_process: ServerProcess, tmp_path: Path) -> None:
    address = server_process.address
    (tmp_path / "greeting.json").write_text(json.dumps(GREETING))
    (tmp_path / "broken.json").write_text(json.dumps(BROKEN))
    create = ("--json", "workflows", "create", "-f")
    wf_id = json.loads(dataflow(address, *create, str(tmp_path / "greeting.json")).stdout)[
        "workflow_id"
    ]

    done = dataflow(address, "run", wf_id, "--input", "name=Ada", "--watch")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "COMPLETED" in done.stdout
    assert "Hello, Ada!" in done.stdout  # the outputs table
    assert "greet" in done.stdout and "pause" in done.stdout

    done = dataflow(address, "--json", "run", wf_id, "--inputs-json", '{"name": "Bo"}', "--watch")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)  # one JSON document
    assert document["started"]["status"] == "PENDING"  # the ExecuteWorkflow response
    assert document["events"][0]["type"] == "execution.pending"
    assert document["events"][-1]["type"] == "execution.completed"
    assert document["execution"]["outputs"] == {"greeting": "Hello, Bo!"}

    broken_id = json.loads(dataflow(address, *create, str(tmp_path / "broken.json")).stdout)[
        "workflow_id"
    ]
    done = dataflow(address, "run", broken_id, "--watch")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAILED" in done.stdout
    assert "Traceback" not in done.stderr

    # --wait: quietly to the end, then the execution (one call while it ends in a minute).
    done = dataflow(address, "run", wf_id, "--input", "name=Cy", "--wait")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "COMPLETED" in done.stdout and "Hello, Cy!" in done.stdout
    done = dataflow(address, "--json", "run", wf_id, "--input", "name=Di", "--wait")
    assert json.loads(done.stdout)["outputs"] == {"greeting": "Hello, Di!"}
    done = dataflow(address, "run", broken_id, "--wait")
    assert done.returncode == 1 and "FAILED" in done.stdout, done.stdout + done.stderr
    refused = dataflow(address, "run", wf_id, "--wait", "--watch")
    assert refused.returncode == 2 and "not allowed with" in refused.stderr


NAP: dict[str, Any] = {
    "title": "Nap",
    "tasks": [{"name": "nap", "type": "core.sleep", "inputs": {"seconds": 1.5}}],
}


def test_run_returns_the_outcome(
    server_process: ServerProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    with DataflowClient(server_process.address, timeout=30) as client:
        wf_id = client.create_workflow(GREETING).workflow_id
        final = client.run(wf_id, {"name": "Ada"})
        assert final.status is ExecutionStatus.COMPLETED
        assert final.outputs == {"greeting": "Hello, Ada!"}
        assert client.get_execution(final.workflow_execution_id) == final

        failed = client.run(client.create_workflow(BROKEN).workflow_id)
        assert failed.status is ExecutionStatus.FAILED
        assert failed.error is not None and failed.error.task_name == "parse"

        started = client.execute(wf_id, {"name": "Bo"}, wait=20)
        assert started.status is ExecutionStatus.COMPLETED
        assert (
            started.execution is not None and started.execution.outputs["greeting"] == "Hello, Bo!"
        )

        # Beyond the server's wait, run follows the execution's events to its end.
        monkeypatch.setattr("dataflow_client._run.MAX_WAIT_SECONDS", 0.3)
        nap_id = client.create_workflow(NAP).workflow_id
        assert client.run(nap_id).status is ExecutionStatus.COMPLETED
        with pytest.raises(DataflowError) as info:
            client.run(nap_id, timeout=0.5)
        assert info.value.code == grpc.StatusCode.DEADLINE_EXCEEDED


async def test_async_run(server_process: ServerProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    async with AsyncDataflowClient(server_process.address, timeout=30) as client:
        wf_id = (await client.create_workflow(GREETING)).workflow_id
        finals = [await client.run(wf_id, {"name": f"n{i}"}) for i in range(3)]
        assert [f.outputs["greeting"] for f in finals] == [f"Hello, n{i}!" for i in range(3)]
        monkeypatch.setattr("dataflow_client._run.MAX_WAIT_SECONDS", 0.3)
        nap_id = (await client.create_workflow(NAP)).workflow_id
        assert (await client.run(nap_id)).status is ExecutionStatus.COMPLETED
