"""Helpers for API tests: stubs on a channel, seed bodies, rich error details."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import json_format
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from dataflow.v1 import (
    execution_service_pb2_grpc,
    file_service_pb2_grpc,
    workflow_service_pb2,
    workflow_service_pb2_grpc,
)

_REPO = Path(__file__).resolve().parents[2]
# The product's Getting Started page (shared/ sits beside the repository); a copy is
# committed for checkouts without it.
SEED = next(
    p
    for p in (
        _REPO.parent / "shared" / "seed" / "000_ffa1f01059f4ddaa.txt",
        _REPO / "tests" / "data" / "getting-started.md",
    )
    if p.exists()
)

EXAMPLES = _REPO / "examples"


def load_example(name: str) -> dict[str, Any]:
    """A workflow shipped in examples/ (the README uses the same files)."""
    return dict(json.loads((EXAMPLES / name).read_text()))


#: The Getting Started page's Hello World workflow (examples/hello-world.json).
HELLO_WORLD: dict[str, Any] = load_example("hello-world.json")
#: The page's second example: download a page, extract its text, summarise it.
PIPELINE: dict[str, Any] = load_example("webpage-summary.json")


def hello_world() -> dict[str, Any]:
    return copy.deepcopy(HELLO_WORLD)


def seed_hello_world_body() -> dict[str, Any]:
    """The first JSON block of the Getting Started page, verbatim."""
    text = SEED.read_text()
    start = text.index("```json") + len("```json")
    return dict(json.loads(text[start : text.index("```", start)]))


@dataclass
class Stubs:
    workflows: workflow_service_pb2_grpc.WorkflowServiceStub
    executions: execution_service_pb2_grpc.ExecutionServiceStub
    files: file_service_pb2_grpc.FileServiceStub


def stubs(channel: grpc.aio.Channel) -> Stubs:
    return Stubs(
        workflow_service_pb2_grpc.WorkflowServiceStub(channel),
        execution_service_pb2_grpc.ExecutionServiceStub(channel),
        file_service_pb2_grpc.FileServiceStub(channel),
    )


def create_request(definition: dict[str, Any]) -> workflow_service_pb2.CreateWorkflowRequest:
    return json_format.ParseDict(
        {"workflow": definition}, workflow_service_pb2.CreateWorkflowRequest()
    )


def violations(error: grpc.aio.AioRpcError) -> dict[str, str]:
    """The BadRequest field violations of an error, by field path."""
    status = rpc_status.from_call(error)  # type: ignore[arg-type]
    assert status is not None, f"no rich status on {error.code()}: {error.details()}"
    found: dict[str, str] = {}
    for detail in status.details:
        bad_request = error_details_pb2.BadRequest()
        if detail.Unpack(bad_request):
            for v in bad_request.field_violations:
                found[v.field] = v.description
    return found


TERMINAL_EVENTS = ["execution.completed", "execution.failed", "execution.cancelled"]


async def wait_terminal(api: Stubs, execution_id: str, timeout: float = 30.0) -> Any:
    """The final execution snapshot, from WatchExecution's terminal event."""
    from dataflow.v1 import execution_service_pb2

    async def follow() -> Any:
        call = api.executions.WatchExecution(
            execution_service_pb2.WatchExecutionRequest(
                workflow_execution_id=execution_id, event_types=TERMINAL_EVENTS
            )
        )
        last = None
        async for message in call:
            last = message.event
        assert last is not None, "the watch ended without a terminal event"
        return last.execution

    import asyncio

    return await asyncio.wait_for(follow(), timeout)
