"""dataflow.v1.ExecutionService: proto ⇄ use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from dataflow.v1 import execution_pb2
from dataflow.v1 import execution_service_pb2 as pb
from dataflow.v1 import execution_service_pb2_grpc as pb_grpc

from ..app.executions import ExecutionRequest, Executions
from ..domain.records import EventRecord, ExecutionRecord
from .caller import current_caller
from .convert import (
    event_to_proto,
    execution_status_from_proto,
    execution_to_proto,
    full_view_from_proto,
    struct_to_dict,
)

__all__ = ["ExecutionServicer"]

Context = Any  # grpc.aio.ServicerContext
_RESPONSE_CACHE_SIZE = 256


class ExecutionServicer(pb_grpc.ExecutionServiceServicer):
    def __init__(self, executions: Executions) -> None:
        self._executions = executions
        # (id(event), id(snapshot)) → (event, snapshot, response); the records are
        # kept so that their ids cannot be reused while cached.
        self._responses: dict[
            tuple[int, int],
            tuple[EventRecord, ExecutionRecord | None, pb.WatchExecutionResponse],
        ] = {}

    async def ExecuteWorkflow(
        self, request: pb.ExecuteWorkflowRequest, context: Context
    ) -> pb.ExecuteWorkflowResponse:
        record, _ = await self._executions.execute(
            current_caller(),
            ExecutionRequest(
                workflow_id=request.workflow_id,
                inputs=struct_to_dict(request.inputs),
                webhook=request.monitoring.webhook,
                request_id=request.request_id,
            ),
        )
        return pb.ExecuteWorkflowResponse(
            workflow_execution_id=record.execution_id,
            workflow_id=record.workflow_id,
            workflow_version=record.workflow_version,
            status=execution_pb2.Execution.Status.Value(record.status.value),
        )

    async def GetExecution(
        self, request: pb.GetExecutionRequest, context: Context
    ) -> pb.GetExecutionResponse:
        record = await self._executions.get(
            current_caller(), request.workflow_execution_id, request.workflow_id
        )
        return pb.GetExecutionResponse(execution=execution_to_proto(record))

    async def ListExecutions(
        self, request: pb.ListExecutionsRequest, context: Context
    ) -> pb.ListExecutionsResponse:
        full = full_view_from_proto(request.view)
        page = await self._executions.list(
            current_caller(),
            request.workflow_id,
            request.page_size,
            request.page_token,
            execution_status_from_proto(request.status),
            full,
        )
        return pb.ListExecutionsResponse(
            executions=[execution_to_proto(r, full=full) for r in page.items],
            next_page_token=page.next_cursor or "",
        )

    async def WatchExecution(
        self, request: pb.WatchExecutionRequest, context: Context
    ) -> AsyncIterator[pb.WatchExecutionResponse]:
        async for watched in self._executions.watch(
            current_caller(),
            request.workflow_execution_id,
            request.after_sequence,
            tuple(request.event_types),
            request.workflow_id,
        ):
            yield self._watch_response(watched.event, watched.snapshot)

    def _watch_response(
        self, event: EventRecord, snapshot: ExecutionRecord | None
    ) -> pb.WatchExecutionResponse:
        """The response for an event; watchers of one execution get the same event
        objects from the hub, so the message is built once for all of them."""
        key = (id(event), id(snapshot))
        hit = self._responses.get(key)
        if hit is not None and hit[0] is event and hit[1] is snapshot:
            return hit[2]
        response = pb.WatchExecutionResponse(event=event_to_proto(event, snapshot))
        if len(self._responses) >= _RESPONSE_CACHE_SIZE:
            self._responses.pop(next(iter(self._responses)))
        self._responses[key] = (event, snapshot, response)
        return response

    async def CancelExecution(
        self, request: pb.CancelExecutionRequest, context: Context
    ) -> pb.CancelExecutionResponse:
        record = await self._executions.cancel(
            current_caller(), request.workflow_execution_id, request.reason, request.workflow_id
        )
        return pb.CancelExecutionResponse(execution=execution_to_proto(record))

    async def RetryExecution(
        self, request: pb.RetryExecutionRequest, context: Context
    ) -> pb.RetryExecutionResponse:
        record = await self._executions.retry(
            current_caller(), request.workflow_execution_id, request.workflow_id
        )
        return pb.RetryExecutionResponse(execution=execution_to_proto(record))
