"""The resume logic of ``watch``, shared by the sync and asyncio clients."""

from __future__ import annotations

import time
from collections.abc import Iterable

import grpc

from dataflow.v1 import execution_pb2, execution_service_pb2

from . import _convert
from ._config import TERMINAL_EVENT_TYPES
from ._errors import DataflowError

__all__ = ["WatchState", "backoff"]

#: Codes after which a broken watch stream is resumed.
RESUMABLE = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.RESOURCE_EXHAUSTED})
#: Seconds before the first resume; doubled on each failure in a row.
INITIAL_BACKOFF = 0.2
#: Upper bound of the backoff.
MAX_BACKOFF = 5.0


def backoff(failures: int, remaining: float | None) -> float | None:
    """Seconds before the next try after ``failures`` in a row (doubling from
    ``INITIAL_BACKOFF`` up to ``MAX_BACKOFF``); None when the deadline comes first."""
    delay = min(INITIAL_BACKOFF * 2.0**failures, MAX_BACKOFF)
    return None if remaining is not None and remaining <= delay else delay


class WatchState:
    """Where a watch stands: the last sequence seen, whether the execution is
    terminal, how many resumes in a row failed, and the overall deadline."""

    def __init__(
        self,
        execution_id: str,
        after_sequence: int,
        event_types: Iterable[str],
        timeout: float | None,
        max_retries: int,
    ) -> None:
        self.execution_id = execution_id
        self.last_sequence = after_sequence
        self.event_types = tuple(event_types)
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.max_retries = max_retries
        self.failures = 0
        self.terminal = False

    def request(self) -> execution_service_pb2.WatchExecutionRequest:
        return _convert.watch_request(self.execution_id, self.last_sequence, self.event_types)

    def remaining(self) -> float | None:
        """Seconds left before the deadline, for the next call."""
        if self.deadline is None:
            return None
        return max(self.deadline - time.monotonic(), 0.001)

    def received(
        self,
        response: (
            execution_service_pb2.WatchExecutionResponse
            | execution_service_pb2.ExecuteAndWatchResponse
        ),
    ) -> Iterable[execution_pb2.ExecutionEvent]:
        """The events of one message, each noted as seen once it is handed over.

        The request asks for batches (`events`); a server older than that
        field sends one `event` per message. An ExecuteAndWatch message names
        the execution (`started`, on the first one) and may carry no event."""
        if isinstance(response, execution_service_pb2.ExecuteAndWatchResponse):
            if response.HasField("started"):
                self.execution_id = response.started.workflow_execution_id
            events: Iterable[execution_pb2.ExecutionEvent] = response.events
        else:
            events = response.events if response.events else (response.event,)
        for event in events:
            self.seen(event)
            yield event

    def seen(self, event: execution_pb2.ExecutionEvent) -> None:
        self.last_sequence = max(self.last_sequence, event.sequence)
        # An execution that was retried has events after a terminal one, so
        # this records the latest event only: the server ends the stream.
        self.terminal = event.type in TERMINAL_EVENT_TYPES
        self.failures = 0

    def retry_delay(self, error: DataflowError) -> float | None:
        """Seconds to wait before resuming after ``error``; ``None`` when the
        error is to be raised (or ignored, when already terminal)."""
        if error.code not in RESUMABLE or self.failures >= self.max_retries:
            return None
        delay = backoff(self.failures, self.remaining())
        if delay is not None:
            self.failures += 1
        return delay
