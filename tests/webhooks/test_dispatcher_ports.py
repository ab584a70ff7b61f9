"""The dispatcher against its ports in memory (no database) and a real loopback
receiver: each tenant's deliveries are signed with that tenant's secrets only."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from dataflow_server.domain.records import DeliveryStatus
from dataflow_server.net import AddressPolicy, GuardedHttpClient
from dataflow_server.webhooks.dispatcher import WebhookDispatcher
from dataflow_server.webhooks.signing import generate_secret
from tests.support.memory_outbox import MemoryWebhookOutbox
from tests.support.receiver import Answer, Receiver, verifies


@pytest.fixture
async def outbox() -> AsyncIterator[MemoryWebhookOutbox]:
    yield MemoryWebhookOutbox()


async def _dispatch_all(outbox: MemoryWebhookOutbox) -> None:
    client = GuardedHttpClient(AddressPolicy(allow_private=True))
    dispatcher = WebhookDispatcher(outbox, outbox, client, (0.05, 0.05, 0.05), timeout=10.0)
    dispatcher.start()
    try:
        deadline = time.monotonic() + 30
        while any(d.status == DeliveryStatus.PENDING for d in outbox.deliveries):
            assert time.monotonic() < deadline, [
                (d.webhook_id, d.status) for d in outbox.deliveries
            ]
            await asyncio.sleep(0.05)
    finally:
        await dispatcher.stop()
        await client.aclose()


async def test_each_tenant_signed_with_its_own_secrets(
    outbox: MemoryWebhookOutbox, receiver: Receiver
) -> None:
    receiver.answer(Answer(503))  # one retry: still in order, same signer
    for tenant in ("acme", "globex"):
        for n in range(3):
            outbox.add(tenant, f"we-{tenant}", receiver.url, {"type": "t", "data": {"n": n}})
    # acme is rotating (both sign); globex's secret is created at its first need.
    await outbox.webhook_secrets(["acme"], generate_secret)
    acme = await outbox.rotate_webhook_secret("acme", generate_secret(), timedelta(hours=1))
    assert acme.previous is not None
    acme_previous = acme.previous
    await _dispatch_all(outbox)
    globex = await outbox.find_webhook_secrets("globex")
    assert globex is not None and globex.previous is None
    assert all(d.status == DeliveryStatus.DELIVERED for d in outbox.deliveries)
    assert sum(len(d.outcomes) for d in outbox.deliveries) == 7  # the 503 was retried

    by_id = {d.webhook_id: d for d in outbox.deliveries}
    got = receiver.delivered()
    assert len(got) == 6
    for r in got:
        tenant = by_id[r.headers["webhook-id"]].tenant_id
        if tenant == "acme":
            assert len(r.headers["webhook-signature"].split(" ")) == 2
            assert verifies(r, acme.current) and verifies(r, acme_previous)
            assert not verifies(r, globex.current)
        else:
            assert len(r.headers["webhook-signature"].split(" ")) == 1
            assert verifies(r, globex.current)
            assert not verifies(r, acme.current) and not verifies(r, acme_previous)
    for tenant in ("acme", "globex"):  # in order per execution
        mine = [r for r in got if by_id[r.headers["webhook-id"]].tenant_id == tenant]
        assert [json.loads(r.body)["data"]["n"] for r in mine] == [0, 1, 2]
