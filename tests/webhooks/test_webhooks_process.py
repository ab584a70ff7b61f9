"""Webhooks with a real server process: crash safety, the CLI, the generated secret."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import grpc
from google.protobuf import json_format

from dataflow.v1 import (
    execution_service_pb2,
    execution_service_pb2_grpc,
    webhook_pb2,
    webhook_service_pb2,
    webhook_service_pb2_grpc,
    workflow_service_pb2_grpc,
)
from dataflow_client import verify_webhook
from tests.support.api import create_request
from tests.support.receiver import Receiver
from tests.support.servers import ServerProcess

WD = webhook_pb2.WebhookDelivery
CHAIN = {
    "title": "two steps",
    "tasks": [
        {"name": "a", "type": "text.template", "inputs": {"template": "x"}},
        {"name": "b", "type": "text.template", "inputs": {"template": "y"}},
    ],
}


def _execute(address: str, url: str) -> str:
    with grpc.insecure_channel(address) as ch:
        wf = workflow_service_pb2_grpc.WorkflowServiceStub(ch).CreateWorkflow(create_request(CHAIN))
        reply = execution_service_pb2_grpc.ExecutionServiceStub(ch).ExecuteWorkflow(
            json_format.ParseDict(
                {"workflow_id": wf.workflow_id, "monitoring": {"webhook": url}},
                execution_service_pb2.ExecuteWorkflowRequest(),
            )
        )
        return reply.workflow_execution_id


def _deliveries(address: str, execution_id: str) -> list[Any]:
    with grpc.insecure_channel(address) as ch:
        stub = webhook_service_pb2_grpc.WebhookServiceStub(ch)
        return list(
            stub.ListWebhookDeliveries(
                webhook_service_pb2.ListWebhookDeliveriesRequest(workflow_execution_id=execution_id)
            ).deliveries
        )


def _wait(predicate: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _webhook_secret_command(proc: ServerProcess, *args: str) -> subprocess.CompletedProcess[str]:
    """`dataflow-server webhook-secret` (the operator's read-only command)."""
    return subprocess.run(
        [sys.executable, "-m", "dataflow_server.main", "webhook-secret", *args],
        env=proc.env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _secret(proc: ServerProcess) -> str:
    out = _webhook_secret_command(proc)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def _restart_fast(proc: ServerProcess) -> None:
    proc.kill()
    proc.env["DATAFLOW_ALLOW_PRIVATE_NETWORKS"] = "true"
    proc.env["DATAFLOW_WEBHOOK_RETRY_SCHEDULE"] = "0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2"
    proc.start()


def test_pending_deliveries_survive_sigkill(server_process: ServerProcess) -> None:
    _restart_fast(server_process)
    receiver = Receiver()
    receiver.start()
    port = receiver.port
    receiver.stop()  # down: deliveries stay pending
    try:
        execution_id = _execute(server_process.address, f"http://127.0.0.1:{port}/hook")
        _wait(lambda: len(_deliveries(server_process.address, execution_id)) == 7)
        assert all(
            d.status == WD.PENDING for d in _deliveries(server_process.address, execution_id)
        )
        server_process.kill()
        receiver.port = port
        receiver.start()
        server_process.start()
        _wait(
            lambda: all(
                d.status == WD.DELIVERED for d in _deliveries(server_process.address, execution_id)
            )
        )
        secret = _secret(server_process)
        assert secret.startswith("whsec_")
        bodies = [verify_webhook(r.headers, r.body, secret) for r in receiver.delivered()]
        assert [b["data"]["sequence"] for b in bodies] == list(range(1, 8))
    finally:
        receiver.stop()


def test_delivery_log_and_redelivery_with_the_cli(
    server_process: ServerProcess, receiver: Receiver
) -> None:
    _restart_fast(server_process)
    execution_id = _execute(server_process.address, receiver.url)
    _wait(
        lambda: (
            len(receiver.delivered()) == 7
            and all(
                d.status == WD.DELIVERED for d in _deliveries(server_process.address, execution_id)
            )
        )
    )
    cli = [sys.executable, "-m", "dataflow_client.cli", "--server", server_process.address]
    listed = subprocess.run(
        [*cli, "webhooks", "list", execution_id],
        capture_output=True,
        text=True,
        timeout=60,
        env={**server_process.env, "COLUMNS": "200"},
    )
    assert listed.returncode == 0, listed.stderr
    assert "execution.completed" in listed.stdout and "DELIVERED" in listed.stdout
    as_json = subprocess.run(
        [*cli, "--json", "webhooks", "list", execution_id],
        capture_output=True,
        text=True,
        timeout=60,
    )
    first = json.loads(as_json.stdout)["deliveries"][0]  # one JSON document
    assert first["sequence"] == 1 and first["attempts"][0]["status_code"] == 200
    redo = subprocess.run(
        [*cli, "webhooks", "redeliver", first["webhook_id"]],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert redo.returncode == 0, redo.stderr
    _wait(lambda: len(receiver.delivered()) == 8)
    assert receiver.delivered()[-1].headers["webhook-id"] == first["webhook_id"]
    missing = subprocess.run(
        [*cli, "webhooks", "redeliver", "msg_nosuchdelivery1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 1 and "NOT_FOUND" in missing.stderr


def test_rotating_with_the_cli_and_reading_as_the_operator(server_process: ServerProcess) -> None:
    cli = [sys.executable, "-m", "dataflow_client.cli", "--server", server_process.address]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*cli, *args], capture_output=True, text=True, timeout=60, env=server_process.env
        )

    before = _secret(server_process)  # the operator's view: created at the first start
    shown = run("webhooks", "secret")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == before + "\n"
    rotated = run("webhooks", "rotate-secret", "--window-seconds", "3600")
    assert rotated.returncode == 0, rotated.stderr
    lines = rotated.stdout.splitlines()
    new = lines[-1]  # the current secret is the last line
    assert new.startswith("whsec_") and new != before
    assert lines[0].startswith("previous (signs too, until ") and lines[0].endswith(before)
    as_json = json.loads(run("--json", "webhooks", "secret").stdout)
    assert as_json["current_secret"] == new and as_json["previous_secret"] == before
    operator = _webhook_secret_command(server_process, "--tenant", "default")
    assert operator.returncode == 0 and operator.stdout == new + "\n"
    assert "rotation window is open" in operator.stderr and before not in operator.stderr
    revoked = run("webhooks", "rotate-secret", "--window-seconds", "0")
    assert revoked.stdout.count("whsec_") == 1
    bad = run("webhooks", "rotate-secret", "--window-seconds", "-1")
    assert bad.returncode == 2 and "window_seconds" in bad.stderr  # a usage error
    unknown = _webhook_secret_command(server_process, "--tenant", "nobody")
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert "no webhook secret of tenant 'nobody'" in unknown.stderr
