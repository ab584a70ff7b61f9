"""A typed Python client of the Dataflow API.

:class:`DataflowClient` (blocking) and :class:`AsyncDataflowClient` (asyncio)
wrap the generated ``dataflow.v1`` stubs. They return typed objects
(:class:`Execution`, :class:`Workflow`, :class:`File`…: dataclasses whose
statuses are enums printing their names, with plain-dict inputs and outputs and
``datetime`` timestamps); each keeps its message in ``.raw``, and
``client.stubs`` calls the stubs directly. Every failed call raises
:class:`DataflowError` with the status code, message and field violations.

The package imports grpc and the stubs only when one of these names is first
used, so that ``dataflow --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._config import ADDRESS_ENV, CHUNK_SIZE, DEFAULT_ADDRESS, TERMINAL_EVENT_TYPES

if TYPE_CHECKING:
    from ._async import AsyncDataflowClient
    from ._errors import DataflowError, FieldViolation
    from ._model import (
        DeliveryStatus,
        Execution,
        ExecutionError,
        ExecutionEvent,
        ExecutionStatus,
        File,
        Page,
        RetryPolicy,
        StartedExecution,
        Task,
        TaskItemRun,
        TaskRun,
        TaskStatus,
        TaskType,
        TaskTypeField,
        WebhookAttempt,
        WebhookDelivery,
        Workflow,
        WorkflowInput,
        WorkflowOutput,
        WorkflowRef,
        WorkflowState,
    )
    from ._stubs import Stubs
    from ._sync import DataflowClient
    from ._webhooks import WebhookVerificationError, verify_webhook

__all__ = [
    "ADDRESS_ENV",
    "CHUNK_SIZE",
    "DEFAULT_ADDRESS",
    "TERMINAL_EVENT_TYPES",
    "AsyncDataflowClient",
    "DataflowClient",
    "DataflowError",
    "DeliveryStatus",
    "Execution",
    "ExecutionError",
    "ExecutionEvent",
    "ExecutionStatus",
    "FieldViolation",
    "File",
    "Page",
    "RetryPolicy",
    "Secret",
    "StartedExecution",
    "Stubs",
    "Task",
    "TaskItemRun",
    "TaskRun",
    "TaskStatus",
    "TaskType",
    "TaskTypeField",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookVerificationError",
    "Workflow",
    "WorkflowInput",
    "WorkflowOutput",
    "WorkflowRef",
    "WorkflowState",
    "verify_webhook",
]

_LAZY = {
    "AsyncDataflowClient": "dataflow_client._async",
    "DataflowClient": "dataflow_client._sync",
    "DataflowError": "dataflow_client._errors",
    "FieldViolation": "dataflow_client._errors",
    "Stubs": "dataflow_client._stubs",
    "WebhookVerificationError": "dataflow_client._webhooks",
    "verify_webhook": "dataflow_client._webhooks",
    "DeliveryStatus": "dataflow_client._model",
    "Execution": "dataflow_client._model",
    "ExecutionError": "dataflow_client._model",
    "ExecutionEvent": "dataflow_client._model",
    "ExecutionStatus": "dataflow_client._model",
    "File": "dataflow_client._model",
    "Page": "dataflow_client._model",
    "RetryPolicy": "dataflow_client._model",
    "Secret": "dataflow_client._model",
    "StartedExecution": "dataflow_client._model",
    "Task": "dataflow_client._model",
    "TaskItemRun": "dataflow_client._model",
    "TaskRun": "dataflow_client._model",
    "TaskStatus": "dataflow_client._model",
    "TaskType": "dataflow_client._model",
    "TaskTypeField": "dataflow_client._model",
    "WebhookAttempt": "dataflow_client._model",
    "WebhookDelivery": "dataflow_client._model",
    "Workflow": "dataflow_client._model",
    "WorkflowInput": "dataflow_client._model",
    "WorkflowOutput": "dataflow_client._model",
    "WorkflowRef": "dataflow_client._model",
    "WorkflowState": "dataflow_client._model",
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
