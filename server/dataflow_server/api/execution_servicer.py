"""dataflow.v1.ExecutionService: proto ⇄ use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from dataflow.v1 import execution_pb2
from dataflow.v1 import execution_service_pb2 as pb
from dataflow.v1 import execution_service_pb2_grpc as pb_grpc

from ..app.executions import ExecutionRequest, Executions
from ..app.watch import WatchedEvent
from ..domain.records import EventRecord, ExecutionRecord
from .caller import current_caller
from .convert import (
    duration_to_seconds,
    event_to_proto,
    execution_status_from_proto,
    execution_to_proto,
    full_view_from_proto,
    struct_to_dict,
)

__all__ = ["ExecutionServicer"]

Context = Any  # grpc.aio.ServicerContext
M = TypeVar("M")
# A batched watch message stays well below clients' default 4 MiB receive limit: an
# execution's snapshot alone may approach it, so two snapshots never share a message.
_BATCH_BYTES = 1 << 20


class _PerEvent(Generic[M]):
    """A message built once per (event, snapshot) for every watcher the hub hands
    them to (the hub gives all watchers of an execution the same objects)."""

    def __init__(self, build: Callable[[EventRecord, ExecutionRecord | None], M]) -> None:
        self._build = build
        # (id(event), id(snapshot)) → (event, snapshot, message); the records are
        # kept so that their ids cannot be reused while cached.
        self._cache: dict[tuple[int, int], tuple[EventRecord, ExecutionRecord | None, M]] = {}

    def __call__(self, event: EventRecord, snapshot: ExecutionRecord | None) -> M:
        key = (id(event), id(snapshot))
        hit = self._cache.get(key)
        if hit is not None and hit[0] is event and hit[1] is snapshot:
            return hit[2]
        message = self._build(event, snapshot)
        if len(self._cache) >= 256:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = (event, snapshot, message)
        return message


def _started(record: ExecutionRecord) -> pb.ExecuteWorkflowResponse:
    return pb.ExecuteWorkflowResponse(
        workflow_execution_id=record.execution_id,
        workflow_id=record.workflow_id,
        workflow_version=record.workflow_version,
        status=execution_pb2.Execution.Status.Value(record.status.value),
    )


def _execution_request(
    request: pb.ExecuteWorkflowRequest | pb.ExecuteAndWatchRequest,
) -> ExecutionRequest:
    return ExecutionRequest(
        workflow_id=request.workflow_id,
        inputs=struct_to_dict(request.inputs),
        webhook=request.monitoring.webhook,
        request_id=request.request_id,
    )


def _time_left(context: Context) -> float | None:
    """Seconds until the call's deadline (None: no deadline, or over HTTP)."""
    remaining = None if context is None else context.time_remaining()
    return None if remaining is None else float(remaining)


class ExecutionServicer(pb_grpc.ExecutionServiceServicer):
    def __init__(self, executions: Executions) -> None:
        self._executions = executions
        self._event = _PerEvent(event_to_proto)
        self._watch_response = _PerEvent(
            lambda event, snapshot: pb.WatchExecutionResponse(event=self._event(event, snapshot))
        )
        self._event_size = _PerEvent(
            lambda event, snapshot: self._event(event, snapshot).ByteSize()
        )

    async def ExecuteWorkflow(
        self, request: pb.ExecuteWorkflowRequest, context: Context
    ) -> pb.ExecuteWorkflowResponse:
        execution = _execution_request(request)
        if not request.HasField("wait"):
            record, _ = await self._executions.execute(current_caller(), execution)
            return _started(record)
        wait = duration_to_seconds(request.wait, "wait")
        record = await self._executions.execute_and_wait(
            current_caller(), execution, wait, _time_left(context)
        )
        response = _started(record)
        response.execution.CopyFrom(execution_to_proto(record))
        return response

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
        batches = self._executions.watch(
            current_caller(),
            request.workflow_execution_id,
            request.after_sequence,
            tuple(request.event_types),
            request.workflow_id,
        )
        if request.batch_events:
            async for batch in batches:
                for events in self._chunks(batch):
                    yield pb.WatchExecutionResponse(events=events)
            return
        async for batch in batches:
            for watched in batch:
                yield self._watch_response(watched.event, watched.snapshot)

    async def ExecuteAndWatch(
        self, request: pb.ExecuteAndWatchRequest, context: Context
    ) -> AsyncIterator[pb.ExecuteAndWatchResponse]:
        record, first, batches = await self._executions.execute_and_watch(
            current_caller(), _execution_request(request), tuple(request.event_types)
        )
        started: pb.ExecuteWorkflowResponse | None = _started(record)
        try:
            for events in self._chunks(first):
                yield pb.ExecuteAndWatchResponse(started=started, events=events)
                started = None
            async for batch in batches:
                for events in self._chunks(batch):
                    yield pb.ExecuteAndWatchResponse(events=events)
        finally:
            # The stream holds a subscription until closed, also when the caller
            # went away before the first batch was sent.
            aclose = getattr(batches, "aclose", None)
            if aclose is not None:
                await aclose()

    def _chunks(
        self, batch: Sequence[WatchedEvent]
    ) -> Iterator[list[execution_pb2.ExecutionEvent]]:
        """The batch's events in as few messages as fit `_BATCH_BYTES` (one event
        always fits: the data limits keep any event with its snapshot under 4 MiB);
        an empty batch is one empty message."""
        if len(batch) <= 1:
            yield [self._event(w.event, w.snapshot) for w in batch]
            return
        events: list[execution_pb2.ExecutionEvent] = []
        size = 0
        for watched in batch:
            grown = size + self._event_size(watched.event, watched.snapshot)
            if events and grown > _BATCH_BYTES:
                yield events
                events, grown = [], grown - size
            events.append(self._event(watched.event, watched.snapshot))
            size = grown
        yield events

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
