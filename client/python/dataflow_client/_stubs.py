"""The generated stubs of every service on one channel: the raw API under the facade."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dataflow.v1 import (
    execution_service_pb2_grpc,
    file_service_pb2_grpc,
    secret_service_pb2_grpc,
    webhook_service_pb2_grpc,
    workflow_service_pb2_grpc,
)

__all__ = ["Stubs"]


@dataclass(frozen=True)
class Stubs:
    """``client.stubs``: call any RPC with request and response messages, e.g.
    ``client.stubs.executions.GetExecution(GetExecutionRequest(...))``."""

    workflows: workflow_service_pb2_grpc.WorkflowServiceStub
    executions: execution_service_pb2_grpc.ExecutionServiceStub
    files: file_service_pb2_grpc.FileServiceStub
    webhooks: webhook_service_pb2_grpc.WebhookServiceStub
    secrets: secret_service_pb2_grpc.SecretServiceStub

    @classmethod
    def on(cls, channel: Any) -> Stubs:
        """The stubs on a ``grpc.Channel`` or a ``grpc.aio.Channel``."""
        return cls(
            workflow_service_pb2_grpc.WorkflowServiceStub(channel),
            execution_service_pb2_grpc.ExecutionServiceStub(channel),
            file_service_pb2_grpc.FileServiceStub(channel),
            webhook_service_pb2_grpc.WebhookServiceStub(channel),
            secret_service_pb2_grpc.SecretServiceStub(channel),
        )
