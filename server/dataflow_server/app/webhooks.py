"""Webhook use cases: the URL check at ExecuteWorkflow, the delivery log, redelivery,
and each tenant's signing secrets (read, rotate)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

from ..domain.access import DEFAULT_TENANT, Caller, Scope
from ..domain.errors import FailedPrecondition, InvalidArgument
from ..domain.limits import DEFAULT_DATA_LIMITS, delivery_size
from ..domain.records import DeliveryRecord, Page
from ..domain.webhook_secrets import WebhookSecrets
from ..engine.ports import WebhookSecretStore
from ..net.client import GuardedHttpClient
from ..net.errors import BlockedDestination, InvalidUrl, NetError
from ..store.sql import SqlStore
from ..webhooks.signing import generate_secret
from .checks import check_in_workflow, checked_execution_id
from .pagination import bounded_page, checked_page_size

__all__ = ["MAX_ROTATION_WINDOW", "WebhookDeliveries", "WebhookSigningSecrets", "WebhookUrlCheck"]

MAX_ROTATION_WINDOW = timedelta(days=30)

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


class WebhookSigningSecrets:
    """A tenant's admin reads the tenant's webhook signing secrets and rotates them."""

    def __init__(
        self,
        store: WebhookSecretStore,
        rotation_window: timedelta,
        *,
        fixed_default_secret: str | None = None,
    ) -> None:
        self._store = store
        self._window = rotation_window
        # DATAFLOW_WEBHOOK_SECRET: the default tenant's secret, set at every start.
        self._fixed_default = fixed_default_secret

    async def prepare(self) -> None:
        """At start: the default tenant has its secret (the fixed one when configured,
        replacing a stored one at once), so `dataflow-server webhook-secret` finds it."""
        fixed = self._fixed_default
        found = await self._store.webhook_secrets(
            [DEFAULT_TENANT], (lambda: fixed) if fixed else generate_secret
        )
        if fixed and found[DEFAULT_TENANT].current != fixed:
            await self._store.rotate_webhook_secret(DEFAULT_TENANT, fixed, timedelta(0))

    async def get(self, caller: Caller) -> WebhookSecrets:
        """Current (created on first need) and, during a rotation window, previous."""
        caller.require(Scope.ADMIN)
        tenant_id = caller.tenant_id
        found = await self._store.webhook_secrets([tenant_id], generate_secret)
        return found[tenant_id].as_of(self._store.now())

    async def rotate(self, caller: Caller, window_seconds: int | None = None) -> WebhookSecrets:
        """A new current secret; the replaced one keeps signing for the window
        (`window_seconds`, else the configured one; 0 revokes it at once)."""
        caller.require(Scope.ADMIN)
        tenant_id = caller.tenant_id
        window = self._window
        if window_seconds is not None:
            limit = int(MAX_ROTATION_WINDOW.total_seconds())
            if not 0 <= window_seconds <= limit:
                raise InvalidArgument.single(
                    "window_seconds", f"must be between 0 and {limit} (30 days)"
                )
            window = timedelta(seconds=window_seconds)
        if self._fixed_default and tenant_id == DEFAULT_TENANT:
            raise FailedPrecondition(
                "the default tenant's webhook secret is set by DATAFLOW_WEBHOOK_SECRET; "
                "change that variable (or unset it) to rotate"
            )
        rotated = await self._store.rotate_webhook_secret(tenant_id, generate_secret(), window)
        return rotated.as_of(self._store.now())
