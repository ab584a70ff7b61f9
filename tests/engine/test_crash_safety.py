"""A real server process killed with SIGKILL mid-run, and drained with SIGTERM."""

from __future__ import annotations

import signal
import time
from collections import defaultdict
from typing import Any

import grpc
from google.protobuf import json_format

from dataflow.v1 import (
    execution_pb2,
    execution_service_pb2,
    execution_service_pb2_grpc,
    workflow_service_pb2_grpc,
)
from tests.support.api import create_request
from tests.support.servers import ServerProcess

ES = execution_service_pb2
Ex = execution_pb2.Execution
TERMINAL = (Ex.COMPLETED, Ex.FAILED, Ex.CANCELLED)

CHAIN = {
    "title": "chain with a nap",
    "inputs": [{"name": "n", "type": "integer"}],
    "tasks": [
        {"name": "before", "type": "text.template", "inputs": {"template": "n={{inputs.n}}"}},
        {"name": "nap", "type": "core.sleep", "inputs": {"seconds": 1.5}},
        {
            "name": "after",
            "type": "text.template",
            "inputs": {"template": "{{tasks.before.outputs.text}}!"},
        },
    ],
    "outputs": [{"name": "out", "type": "text", "value": "{{tasks.after.outputs.text}}"}],
}


def _submit(address: str, count: int) -> list[str]:
    return _submit_definition(address, CHAIN, [{"n": i} for i in range(count)])


def _submit_definition(
    address: str, definition: dict[str, Any], inputs: list[dict[str, Any]]
) -> list[str]:
    """Create `definition`, then execute it once per inputs."""
    with grpc.insecure_channel(address) as ch:
        wf = (
            workflow_service_pb2_grpc.WorkflowServiceStub(ch)
            .CreateWorkflow(create_request(definition))
            .workflow_id
        )
        ex = execution_service_pb2_grpc.ExecutionServiceStub(ch)
        return [
            ex.ExecuteWorkflow(
                json_format.ParseDict(
                    {"workflow_id": wf, "inputs": given}, ES.ExecuteWorkflowRequest()
                )
            ).workflow_execution_id
            for given in inputs
        ]


def _executions(address: str, ids: list[str]) -> list[Any]:
    with grpc.insecure_channel(address) as ch:
        ex = execution_service_pb2_grpc.ExecutionServiceStub(ch)
        return [
            ex.GetExecution(ES.GetExecutionRequest(workflow_execution_id=i)).execution for i in ids
        ]


def _events(address: str, execution_id: str) -> list[Any]:
    with grpc.insecure_channel(address) as ch:
        ex = execution_service_pb2_grpc.ExecutionServiceStub(ch)
        call = ex.WatchExecution(
            ES.WatchExecutionRequest(workflow_execution_id=execution_id), timeout=30
        )
        return [m.event for m in call]


def _wait_all_terminal(address: str, ids: list[str], timeout: float) -> list[Any]:
    deadline = time.monotonic() + timeout
    while True:
        found = _executions(address, ids)
        if all(e.status in TERMINAL for e in found) or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_sigkill_mid_run_then_restart_completes_everything(server_process: ServerProcess) -> None:
    address = server_process.address
    ids = _submit(address, 32)
    # Kill while some tasks have completed and others are running.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        statuses = [e.status for e in _executions(address, ids)]
        if statuses.count(Ex.RUNNING) >= 8:
            break
        time.sleep(0.05)
    before = _executions(address, ids)
    assert any(e.status == Ex.RUNNING for e in before)
    server_process.kill()

    server_process.start()
    final = _wait_all_terminal(address, ids, timeout=90)
    assert [e.status for e in final] == [Ex.COMPLETED] * len(ids), server_process.log()[-3000:]
    for i, execution in enumerate(final):
        assert json_format.MessageToDict(execution.outputs) == {"out": f"n={i}!"}
        events = _events(address, execution.workflow_execution_id)
        assert [e.sequence for e in events] == list(range(1, len(events) + 1))
        completed_at: dict[str, int] = {}
        runs: defaultdict[str, list[int]] = defaultdict(list)
        for e in events:
            if e.type == "task.completed":
                assert e.task_name not in completed_at, "a task completed twice"
                completed_at[e.task_name] = e.sequence
            if e.type == "task.running":
                runs[e.task_name].append(e.sequence)
        # No task ran again after it had completed.
        for name, seq in completed_at.items():
            assert all(r < seq for r in runs[name]), (name, runs[name], seq)
        assert set(completed_at) == {"before", "nap", "after"}


def test_sigterm_drains_running_work_and_releases_the_rest(server_process: ServerProcess) -> None:
    address = server_process.address
    ids = _submit(address, 4)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if all(e.status == Ex.RUNNING for e in _executions(address, ids)):
            break
        time.sleep(0.05)
    server_process.signal(signal.SIGTERM)
    assert server_process.wait(timeout=30) == 0
    log = server_process.log()
    assert "draining" in log and "stopped" in log
    # The grace period (5 s) covered the 1.5 s naps: everything finished before exit.
    server_process.start()
    final = _executions(address, ids)
    assert [e.status for e in final] == [Ex.COMPLETED] * 4


def test_sigterm_with_short_grace_hands_leases_back(server_process: ServerProcess) -> None:
    address = server_process.address
    server_process.kill()
    server_process.env["DATAFLOW_SHUTDOWN_GRACE_SECONDS"] = "0.2"
    server_process.env["DATAFLOW_LEASE_SECONDS"] = (
        "600"  # only a released lease lets a restart resume
    )
    server_process.start()
    ids = _submit(address, 3)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if all(e.status == Ex.RUNNING for e in _executions(address, ids)):
            break
        time.sleep(0.05)
    server_process.signal(signal.SIGTERM)
    assert server_process.wait(timeout=30) == 0
    assert "released 3 leases" in server_process.log()
    server_process.start()
    final = _wait_all_terminal(address, ids, timeout=30)
    assert [e.status for e in final] == [Ex.COMPLETED] * 3
