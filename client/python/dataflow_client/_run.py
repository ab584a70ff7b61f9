"""The attempts of ``run``'s ExecuteWorkflow, shared by the sync and asyncio clients.

The call carries a request id (random unless given) and is repeated after
UNAVAILABLE with that same id: an answer lost on the way is not a second
execution, the repeat returns the first one (waiting for its outcome).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any

import grpc

from dataflow.v1 import execution_service_pb2

from . import _convert
from ._config import MAX_WAIT_SECONDS, RUN_ANSWER_SLACK_SECONDS
from ._errors import DataflowError
from ._watch import backoff

__all__ = ["RUN_RETRIES", "RunAttempts"]

#: How many times in a row ``run`` repeats its ExecuteWorkflow after UNAVAILABLE.
RUN_RETRIES = 8


class RunAttempts:
    """Where ``run`` stands: its request, its deadline, the failures in a row."""

    def __init__(
        self,
        workflow_id: str,
        inputs: Mapping[str, Any] | None,
        webhook: str | None,
        request_id: str | None,
        timeout: float | None,
    ) -> None:
        self._deadline = None if timeout is None else time.monotonic() + timeout
        self._request = _convert.execute_request(
            workflow_id, inputs, webhook, request_id or uuid.uuid4().hex
        )
        self._failures = 0

    def remaining(self) -> float | None:
        """Seconds left of ``run``'s timeout (None: no timeout)."""
        if self._deadline is None:
            return None
        return max(self._deadline - time.monotonic(), 0.0)

    def call(self) -> tuple[execution_service_pb2.ExecuteWorkflowRequest, float]:
        """The next attempt's request and its own deadline: the server waits at
        most a minute, and answers a little before the deadline."""
        remaining = self.remaining()
        if remaining is None:
            wait, deadline = MAX_WAIT_SECONDS, MAX_WAIT_SECONDS + RUN_ANSWER_SLACK_SECONDS
        else:
            wait, deadline = min(MAX_WAIT_SECONDS, remaining), max(remaining, 0.001)
        self._request.wait.FromNanoseconds(round(wait * 1e9))
        return self._request, deadline

    def retry_delay(self, error: DataflowError) -> float | None:
        """Seconds before repeating the call after ``error``; None to raise it."""
        if error.code != grpc.StatusCode.UNAVAILABLE or self._failures >= RUN_RETRIES:
            return None
        delay = backoff(self._failures, self.remaining())
        if delay is not None:
            self._failures += 1
        return delay
