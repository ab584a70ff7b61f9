"""dataflow.v1.SecretService: set, list and delete the caller's tenant's secrets."""

from __future__ import annotations

from typing import Any

from dataflow.v1 import secret_service_pb2 as pb
from dataflow.v1 import secret_service_pb2_grpc as pb_grpc

from ..app.secrets import Secrets
from .caller import current_caller
from .convert import secret_to_proto

__all__ = ["SecretServicer"]

Context = Any  # grpc.aio.ServicerContext


class SecretServicer(pb_grpc.SecretServiceServicer):
    def __init__(self, secrets: Secrets) -> None:
        self._secrets = secrets

    async def SetSecret(
        self, request: pb.SetSecretRequest, context: Context
    ) -> pb.SetSecretResponse:
        record = await self._secrets.set(current_caller(), request.name, request.value)
        return pb.SetSecretResponse(secret=secret_to_proto(record))

    async def ListSecrets(
        self, request: pb.ListSecretsRequest, context: Context
    ) -> pb.ListSecretsResponse:
        page = await self._secrets.list(current_caller(), request.page_size, request.page_token)
        return pb.ListSecretsResponse(
            secrets=[secret_to_proto(s) for s in page.items],
            next_page_token=page.next_cursor or "",
        )

    async def DeleteSecret(
        self, request: pb.DeleteSecretRequest, context: Context
    ) -> pb.DeleteSecretResponse:
        await self._secrets.delete(current_caller(), request.name)
        return pb.DeleteSecretResponse()
