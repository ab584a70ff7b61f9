"""Two server replicas on one PostgreSQL database: every execution runs once, every
task once, and every webhook event is delivered once (claims use SKIP LOCKED)."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import grpc
import pytest
from google.protobuf import json_format

from dataflow.v1 import execution_pb2, execution_service_pb2
from dataflow_server.config import Settings
from dataflow_server.server import start_server
from dataflow_server.webhooks.signing import generate_secret
from tests.support.api import create_request, stubs, wait_terminal
from tests.support.receiver import Receiver

ES = execution_service_pb2

CHAIN = {
    "title": "replicated",
    "inputs": [{"name": "n", "type": "integer"}],
    "tasks": [
        {"name": "a", "type": "text.template", "inputs": {"template": "{{inputs.n}}"}},
        {"name": "nap", "type": "core.sleep", "inputs": {"seconds": 0.05}},
        {"name": "b", "type": "text.template", "inputs": {"template": "{{tasks.a.outputs.text}}!"}},
    ],
    "outputs": [{"name": "out", "type": "text", "value": "{{tasks.b.outputs.text}}"}],
}


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_two_replicas_share_the_work_without_duplicates(
    database_url: str, tmp_path: Path, receiver: Receiver
) -> None:
    secret = generate_secret()
    replicas = [
        await start_server(
            Settings(
                listen="127.0.0.1:0",
                data_dir=tmp_path / f"replica{i}",
                database_url=database_url,
                max_in_flight=4,
                allow_private_networks=True,
                webhook_secret=secret,
                webhook_retry_schedule=(0.1,) * 5,
                shutdown_grace_seconds=2.0,
            )
        )
        for i in range(2)
    ]
    try:
        channels = [grpc.aio.insecure_channel(r.address) for r in replicas]
        apis = [stubs(ch) for ch in channels]
        wf = (await apis[0].workflows.CreateWorkflow(create_request(CHAIN))).workflow_id
        ids = []
        for n in range(24):  # submitted alternately to both replicas
            reply = await apis[n % 2].executions.ExecuteWorkflow(
                json_format.ParseDict(
                    {
                        "workflow_id": wf,
                        "inputs": {"n": n},
                        "monitoring": {"webhook": receiver.url},
                    },
                    ES.ExecuteWorkflowRequest(),
                )
            )
            ids.append(reply.workflow_execution_id)
        finals = await asyncio.gather(*(wait_terminal(apis[1], i, timeout=60) for i in ids))
        assert [f.status for f in finals] == [execution_pb2.Execution.COMPLETED] * 24
        for n, final in enumerate(finals):
            assert json_format.MessageToDict(final.outputs) == {"out": f"{n}!"}
        # Each task ran once: one task.running event per task, no retries.
        for execution_id in ids:
            call = apis[0].executions.WatchExecution(
                ES.WatchExecutionRequest(workflow_execution_id=execution_id)
            )
            events = [m.event async for m in call]
            running = Counter(e.task_name for e in events if e.type == "task.running")
            assert running == {"a": 1, "nap": 1, "b": 1}
        # Both replicas executed some of the work.
        assert all(r.executor.claimed_total > 0 for r in replicas)
        # Every event delivered exactly once (9 events per execution).
        deadline = asyncio.get_running_loop().time() + 30
        while len(receiver.delivered()) < 24 * 9:
            assert asyncio.get_running_loop().time() < deadline, len(receiver.delivered())
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # nothing more arrives
        webhook_ids = Counter(r.headers["webhook-id"] for r in receiver.requests)
        assert len(webhook_ids) == 24 * 9
        assert set(webhook_ids.values()) == {1}
        for channel in channels:
            await channel.close()
    finally:
        for replica in replicas:
            await replica.stop(grace=1.0)
