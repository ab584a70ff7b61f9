"""The webhook dispatcher's storage ports in memory: the contract of
`engine.ports.WebhookOutbox` (exclusive claims, one delivery per execution at a
time in sequence order, attempts fenced by the claim's owner) and of
`WebhookSecretStore`, without a database."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from dataflow_server.domain.records import (
    AttemptOutcome,
    DeliveryStatus,
    DueDelivery,
)
from dataflow_server.domain.webhook_secrets import WebhookSecrets, rotate
from dataflow_server.engine.ports import WebhookOutbox, WebhookSecretStore


@dataclass
class MemoryDelivery:
    id: int
    tenant_id: str
    execution_id: str
    sequence: int
    webhook_id: str
    url: str
    payload: dict[str, Any]
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    claimed_by: str | None = None
    claim_expires_at: datetime | None = None
    outcomes: list[AttemptOutcome] = field(default_factory=list)


class MemoryWebhookOutbox:
    def __init__(self) -> None:
        self.deliveries: list[MemoryDelivery] = []
        self.disabled: set[tuple[str, str]] = set()
        self._secrets: dict[str, WebhookSecrets] = {}
        self._ids = itertools.count(1)

    def now(self) -> datetime:
        return datetime.now(UTC)

    # --- test setup ---------------------------------------------------------
    def add(self, tenant_id: str, execution_id: str, url: str, payload: dict[str, Any]) -> str:
        sequence = 1 + sum(1 for d in self.deliveries if d.execution_id == execution_id)
        number = next(self._ids)
        webhook_id = f"msg_memory{number:08d}"
        self.deliveries.append(
            MemoryDelivery(number, tenant_id, execution_id, sequence, webhook_id, url, payload)
        )
        return webhook_id

    # --- WebhookOutbox --------------------------------------------------------
    async def claim_webhook_deliveries(
        self, owner: str, limit: int, claim_seconds: float
    ) -> list[DueDelivery]:
        now = self.now()
        claimed: list[DueDelivery] = []
        for d in sorted(self.deliveries, key=lambda d: (d.next_attempt_at, d.id)):
            if len(claimed) == limit:
                break
            earlier_pending = any(
                e.execution_id == d.execution_id
                and e.sequence < d.sequence
                and e.status == DeliveryStatus.PENDING
                for e in self.deliveries
            )
            held = d.claim_expires_at is not None and d.claim_expires_at >= now
            if d.status != DeliveryStatus.PENDING or d.next_attempt_at > now or held:
                continue
            if earlier_pending:
                continue
            d.claimed_by, d.claim_expires_at = owner, now + timedelta(seconds=claim_seconds)
            claimed.append(
                DueDelivery(
                    d.id,
                    d.tenant_id,
                    d.webhook_id,
                    d.url,
                    d.payload,
                    d.attempts,
                    (d.tenant_id, d.url) in self.disabled,
                )
            )
        return claimed

    async def record_webhook_attempt(
        self, delivery: DueDelivery, owner: str, outcome: AttemptOutcome
    ) -> bool:
        d = next(d for d in self.deliveries if d.id == delivery.id)
        if d.claimed_by != owner:
            return False
        d.status, d.attempts = outcome.new_status, d.attempts + 1
        d.claimed_by = d.claim_expires_at = None
        if outcome.next_attempt_at is not None:
            d.next_attempt_at = outcome.next_attempt_at
        d.outcomes.append(outcome)
        if outcome.disable_endpoint is not None:
            self.disabled.add((d.tenant_id, d.url))
        return True

    # --- WebhookSecretStore ---------------------------------------------------
    async def webhook_secrets(
        self, tenant_ids: Collection[str], new_secret: Callable[[], str]
    ) -> dict[str, WebhookSecrets]:
        for tenant_id in tenant_ids:
            if tenant_id not in self._secrets:
                self._secrets[tenant_id] = WebhookSecrets(tenant_id, new_secret(), self.now())
        return {tenant_id: self._secrets[tenant_id] for tenant_id in tenant_ids}

    async def find_webhook_secrets(self, tenant_id: str) -> WebhookSecrets | None:
        return self._secrets.get(tenant_id)

    async def rotate_webhook_secret(
        self, tenant_id: str, new_secret: str, window: timedelta
    ) -> WebhookSecrets:
        stored = self._secrets.get(tenant_id)
        if stored is None:
            stored = self._secrets[tenant_id] = WebhookSecrets(tenant_id, new_secret, self.now())
            return stored
        self._secrets[tenant_id] = rotate(stored, new_secret, self.now(), window)
        return self._secrets[tenant_id]


def _implements(outbox: MemoryWebhookOutbox) -> tuple[WebhookOutbox, WebhookSecretStore]:
    return outbox, outbox  # mypy checks the fake satisfies both ports
