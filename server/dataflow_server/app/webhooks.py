"""Webhook use cases: the URL check at ExecuteWorkflow, the delivery log, redelivery."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from ..domain.access import Caller
from ..domain.errors import InvalidArgument
from ..domain.limits import DEFAULT_DATA_LIMITS, delivery_size
from ..domain.records import DeliveryRecord, Page
from ..net.client import GuardedHttpClient
from ..net.errors import BlockedDestination, InvalidUrl, NetError
from ..store.sql import SqlStore
from .checks import check_in_workflow, checked_execution_id
from .pagination import bounded_page, checked_page_size

__all__ = ["WebhookDeliveries", "WebhookUrlCheck"]

_WEBHOOK_ID = re.compile(r"^msg_[A-Za-z0-9]{8,64}$")


class WebhookUrlCheck:
    """Refuses webhook URLs the dispatcher would refuse (SSRF guard, literal or resolved)."""

    def __init__(self, client: GuardedHttpClient) -> None:
        self._client = client

    async def __call__(self, url: str) -> str | None:
        try:
            await self._client.check_destination(url, timeout=5.0)
        except BlockedDestination as exc:
            return f"is not allowed: {exc}"
        except InvalidUrl as exc:
            return f"is not a valid webhook URL: {exc}"
        except NetError as exc:
            return f"cannot be used: {exc}"
        return None


class WebhookDeliveries:
    def __init__(self, store: SqlStore, on_redeliver: Callable[[], None] | None = None) -> None:
        self._store = store
        self._on_redeliver = on_redeliver

    async def list(
        self,
        caller: Caller,
        execution_id: str,
        page_size: int,
        page_token: str,
        workflow_id: str = "",
    ) -> Page[DeliveryRecord]:
        checked_execution_id(execution_id)
        if workflow_id:
            check_in_workflow(
                await self._store.get_execution(caller.tenant_id, execution_id), workflow_id
            )

        def fetch(size: int) -> Awaitable[Page[DeliveryRecord]]:
            return self._store.list_webhook_deliveries(
                caller.tenant_id, execution_id, size, page_token or None
            )

        max_bytes = DEFAULT_DATA_LIMITS.max_page_bytes
        return await bounded_page(fetch, checked_page_size(page_size), max_bytes, delivery_size)

    async def redeliver(self, caller: Caller, webhook_id: str) -> DeliveryRecord:
        if not webhook_id:
            raise InvalidArgument.single("webhook_id", "is required")
        if not _WEBHOOK_ID.match(webhook_id):
            raise InvalidArgument.single("webhook_id", "must look like msg_…")
        record = await self._store.redeliver_webhook(caller.tenant_id, webhook_id)
        if self._on_redeliver is not None:
            self._on_redeliver()
        return record
