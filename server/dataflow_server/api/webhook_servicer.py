"""dataflow.v1.WebhookService: the delivery log and redelivery."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from google.protobuf import timestamp_pb2

from dataflow.v1 import webhook_pb2
from dataflow.v1 import webhook_service_pb2 as pb
from dataflow.v1 import webhook_service_pb2_grpc as pb_grpc

from ..app.webhooks import WebhookDeliveries
from ..store.webhook_deliveries import DeliveryRecord

__all__ = ["WebhookServicer", "delivery_to_proto"]

Context = Any  # grpc.aio.ServicerContext


def _ts(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    t = timestamp_pb2.Timestamp()
    t.FromDatetime(value)
    return t


def delivery_to_proto(d: DeliveryRecord) -> webhook_pb2.WebhookDelivery:
    return webhook_pb2.WebhookDelivery(
        webhook_id=d.webhook_id,
        workflow_execution_id=d.execution_id,
        sequence=d.sequence,
        event_type=d.event_type,
        url=d.url,
        status=webhook_pb2.WebhookDelivery.Status.Value(d.status),
        attempt_count=d.attempt_count,
        next_attempt_at=_ts(d.next_attempt_at),
        delivered_at=_ts(d.delivered_at),
        created_at=_ts(d.created_at),
        attempts=[
            webhook_pb2.WebhookAttempt(
                attempted_at=_ts(a.attempted_at),
                status_code=a.status_code or 0,
                error=a.error or "",
                latency_ms=a.latency_ms,
            )
            for a in d.attempts
        ],
    )


class WebhookServicer(pb_grpc.WebhookServiceServicer):
    def __init__(self, deliveries: WebhookDeliveries) -> None:
        self._deliveries = deliveries

    async def ListWebhookDeliveries(
        self, request: pb.ListWebhookDeliveriesRequest, context: Context
    ) -> pb.ListWebhookDeliveriesResponse:
        page = await self._deliveries.list(
            request.workflow_execution_id, request.page_size, request.page_token
        )
        return pb.ListWebhookDeliveriesResponse(
            deliveries=[delivery_to_proto(d) for d in page.items],
            next_page_token=page.next_cursor or "",
        )

    async def RedeliverWebhook(
        self, request: pb.RedeliverWebhookRequest, context: Context
    ) -> pb.RedeliverWebhookResponse:
        record = await self._deliveries.redeliver(request.webhook_id)
        return pb.RedeliverWebhookResponse(delivery=delivery_to_proto(record))
