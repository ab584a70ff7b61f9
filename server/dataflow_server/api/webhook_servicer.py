"""dataflow.v1.WebhookService: the delivery log, redelivery, the tenant's signing secret."""

from __future__ import annotations

from typing import Any

from dataflow.v1 import webhook_service_pb2 as pb
from dataflow.v1 import webhook_service_pb2_grpc as pb_grpc

from ..app.webhooks import WebhookDeliveries, WebhookSigningSecrets
from .caller import current_caller
from .convert import delivery_to_proto, webhook_secret_to_proto

__all__ = ["WebhookServicer"]

Context = Any  # grpc.aio.ServicerContext


class WebhookServicer(pb_grpc.WebhookServiceServicer):
    def __init__(self, deliveries: WebhookDeliveries, secrets: WebhookSigningSecrets) -> None:
        self._deliveries = deliveries
        self._secrets = secrets

    async def ListWebhookDeliveries(
        self, request: pb.ListWebhookDeliveriesRequest, context: Context
    ) -> pb.ListWebhookDeliveriesResponse:
        page = await self._deliveries.list(
            current_caller(),
            request.workflow_execution_id,
            request.page_size,
            request.page_token,
            request.workflow_id,
        )
        return pb.ListWebhookDeliveriesResponse(
            deliveries=[delivery_to_proto(d) for d in page.items],
            next_page_token=page.next_cursor or "",
        )

    async def RedeliverWebhook(
        self, request: pb.RedeliverWebhookRequest, context: Context
    ) -> pb.RedeliverWebhookResponse:
        record = await self._deliveries.redeliver(current_caller(), request.webhook_id)
        return pb.RedeliverWebhookResponse(delivery=delivery_to_proto(record))

    async def GetWebhookSecret(
        self, request: pb.GetWebhookSecretRequest, context: Context
    ) -> pb.GetWebhookSecretResponse:
        secrets = await self._secrets.get(current_caller())
        return pb.GetWebhookSecretResponse(secret=webhook_secret_to_proto(secrets))

    async def RotateWebhookSecret(
        self, request: pb.RotateWebhookSecretRequest, context: Context
    ) -> pb.RotateWebhookSecretResponse:
        window = request.window_seconds if request.HasField("window_seconds") else None
        secrets = await self._secrets.rotate(current_caller(), window)
        return pb.RotateWebhookSecretResponse(secret=webhook_secret_to_proto(secrets))
