"""A typed Python client of the Dataflow API.

:class:`DataflowClient` (blocking) and :class:`AsyncDataflowClient` (asyncio)
wrap the generated ``dataflow.v1`` stubs; every failed call raises
:class:`DataflowError` with the status code, message and field violations.

The package imports grpc and the stubs only when one of these names is first
used, so that ``dataflow --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._config import ADDRESS_ENV, CHUNK_SIZE, DEFAULT_ADDRESS, TERMINAL_EVENT_TYPES

if TYPE_CHECKING:
    from dataflow.v1.execution_pb2 import Execution, ExecutionEvent, TaskRun
    from dataflow.v1.execution_service_pb2 import ExecuteWorkflowResponse
    from dataflow.v1.file_pb2 import File
    from dataflow.v1.workflow_pb2 import TaskType, Workflow
    from dataflow.v1.workflow_service_pb2 import (
        CreateWorkflowResponse,
        UpdateWorkflowResponse,
    )

    from ._async import AsyncDataflowClient
    from ._errors import DataflowError, FieldViolation
    from ._sync import DataflowClient
    from ._webhooks import WebhookVerificationError, verify_webhook

__all__ = [
    "ADDRESS_ENV",
    "CHUNK_SIZE",
    "DEFAULT_ADDRESS",
    "TERMINAL_EVENT_TYPES",
    "AsyncDataflowClient",
    "CreateWorkflowResponse",
    "DataflowClient",
    "DataflowError",
    "ExecuteWorkflowResponse",
    "Execution",
    "ExecutionEvent",
    "FieldViolation",
    "File",
    "TaskRun",
    "TaskType",
    "UpdateWorkflowResponse",
    "WebhookVerificationError",
    "Workflow",
    "verify_webhook",
]

_LAZY = {
    "AsyncDataflowClient": "dataflow_client._async",
    "DataflowClient": "dataflow_client._sync",
    "DataflowError": "dataflow_client._errors",
    "FieldViolation": "dataflow_client._errors",
    "WebhookVerificationError": "dataflow_client._webhooks",
    "verify_webhook": "dataflow_client._webhooks",
    "Execution": "dataflow.v1.execution_pb2",
    "ExecutionEvent": "dataflow.v1.execution_pb2",
    "TaskRun": "dataflow.v1.execution_pb2",
    "ExecuteWorkflowResponse": "dataflow.v1.execution_service_pb2",
    "File": "dataflow.v1.file_pb2",
    "TaskType": "dataflow.v1.workflow_pb2",
    "Workflow": "dataflow.v1.workflow_pb2",
    "CreateWorkflowResponse": "dataflow.v1.workflow_service_pb2",
    "UpdateWorkflowResponse": "dataflow.v1.workflow_service_pb2",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
