"""dataflow.v1.WebhookService: the delivery log and redelivery."""

from __future__ import annotations

from typing import Any

from dataflow.v1 import webhook_service_pb2 as pb
from dataflow.v1 import webhook_service_pb2_grpc as pb_grpc

from ..app.webhooks import WebhookDeliveries
from .caller import current_caller
from .convert import delivery_to_proto

__all__ = ["WebhookServicer"]

Context = Any  # grpc.aio.ServicerContext


class WebhookServicer(pb_grpc.WebhookServiceServicer):
    def __init__(self, deliveries: WebhookDeliveries) -> None:
        self._deliveries = deliveries

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
