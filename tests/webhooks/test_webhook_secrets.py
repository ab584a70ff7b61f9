"""Per-tenant webhook signing secrets and their rotation, end to end: a real server,
real loopback receivers, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import httpx
import pytest
from google.protobuf import json_format

from dataflow.v1 import (
    execution_service_pb2,
    webhook_pb2,
    webhook_service_pb2,
    webhook_service_pb2_grpc,
)
from dataflow_client import verify_webhook
from dataflow_server.server import DataflowServer
from dataflow_server.webhooks.signing import generate_secret
from tests.support.api import TERMINAL_EVENTS, create_request, stubs, violations
from tests.support.keys import AUTH_REQUIRED, IssuedKey, issue_test_key
from tests.support.receiver import Receiver, verifies
from tests.webhooks.test_webhooks import CHAIN, EXPECTED_TYPES, _run, _settled

WS = webhook_service_pb2
WD = webhook_pb2.WebhookDelivery
GENERATED = {
    "allow_private_networks": True,
    "webhook_retry_schedule": (0.1, 0.2, 0.3),
    "webhook_timeout_seconds": 10.0,
}
generated_secret = pytest.mark.parametrize("server_settings", [GENERATED])


def _stub(channel: grpc.aio.Channel) -> webhook_service_pb2_grpc.WebhookServiceStub:
    return webhook_service_pb2_grpc.WebhookServiceStub(channel)


async def _secret(channel: grpc.aio.Channel) -> webhook_pb2.WebhookSecret:
    return (await _stub(channel).GetWebhookSecret(WS.GetWebhookSecretRequest())).secret


async def _rotate(
    channel: grpc.aio.Channel, window: int | None = None
) -> webhook_pb2.WebhookSecret:
    request = WS.RotateWebhookSecretRequest()
    if window is not None:
        request.window_seconds = window
    return (await _stub(channel).RotateWebhookSecret(request)).secret


def _signatures(received: Any) -> list[str]:
    return str(received.headers["webhook-signature"]).split(" ")


async def _deliver_one_execution(channel: grpc.aio.Channel, receiver: Receiver) -> list[Any]:
    """What the receiver got (2xx) for one new execution, in order."""
    before = len(receiver.delivered())
    execution_id = await _run(channel, receiver.url)
    await _settled(channel, execution_id)
    got = receiver.delivered()[before:]
    assert len(got) == len(EXPECTED_TYPES)
    return got


@generated_secret
async def test_rotation_window_signs_with_both_then_a_zero_window_with_one(
    channel: grpc.aio.Channel, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    # The server logs at INFO (its drivers' DEBUG logs show every SQL parameter);
    # our own code at every level.
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="dataflow_server")
    first = await _secret(channel)
    assert first.current_secret.startswith("whsec_") and not first.previous_secret
    assert (await _secret(channel)).current_secret == first.current_secret  # stored
    before = await _deliver_one_execution(channel, receiver)
    for r in before:
        assert len(_signatures(r)) == 1
        verify_webhook(r.headers, r.body, first.current_secret)

    # Rotation with the configured window (24 h): both signatures on every delivery.
    second = await _rotate(channel)
    assert second.previous_secret == first.current_secret
    assert second.current_secret not in (first.current_secret, "")
    expires = second.previous_expires_at.ToDatetime(UTC)
    rotated = second.rotated_at.ToDatetime(UTC)
    assert expires - rotated == timedelta(hours=24)
    assert await _secret(channel) == second
    during = await _deliver_one_execution(channel, receiver)
    for r in during:
        assert len(_signatures(r)) == 2
        verify_webhook(r.headers, r.body, first.current_secret)  # receivers not switched yet
        verify_webhook(r.headers, r.body, second.current_secret)  # and those that have
        assert not verifies(r, generate_secret())
    # A redelivery signs with the secrets of its send time: both now.
    old = before[-1]
    resent_from = len(receiver.requests)
    await _stub(channel).RedeliverWebhook(
        WS.RedeliverWebhookRequest(webhook_id=old.headers["webhook-id"])
    )
    await _wait_for(lambda: len(receiver.requests) > resent_from)
    resent = receiver.requests[resent_from]
    assert resent.headers["webhook-id"] == old.headers["webhook-id"]
    assert len(_signatures(resent)) == 2
    verify_webhook(resent.headers, resent.body, second.current_secret)

    # A zero window (a leaked secret): only the new one, at once.
    third = await _rotate(channel, window=0)
    assert not third.previous_secret and not third.HasField("previous_expires_at")
    after = await _deliver_one_execution(channel, receiver)
    for r in after:
        assert len(_signatures(r)) == 1
        verify_webhook(r.headers, r.body, third.current_secret)
        assert not verifies(r, second.current_secret) and not verifies(r, first.current_secret)

    # The secrets are never in delivery bodies or logs.
    secrets = (first.current_secret, second.current_secret, third.current_secret)
    for r in receiver.requests:
        assert not any(s.encode() in r.body for s in secrets)
        assert not any(s[6:].encode() in r.body for s in secrets)  # nor their key
    assert caplog.records and not any(s[6:] in caplog.text for s in secrets)


@pytest.mark.parametrize("server_settings", [GENERATED])
async def test_after_the_window_only_the_new_secret_signs(
    channel: grpc.aio.Channel, receiver: Receiver
) -> None:
    first = await _secret(channel)
    second = await _rotate(channel, window=1)
    assert second.previous_secret == first.current_secret
    # No timed assertion: wait until the server itself says the window is over.
    deadline = time.monotonic() + 30
    while (await _secret(channel)).previous_secret:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.2)
    assert datetime.now(UTC) >= second.previous_expires_at.ToDatetime(UTC)
    for r in await _deliver_one_execution(channel, receiver):
        assert len(_signatures(r)) == 1
        verify_webhook(r.headers, r.body, second.current_secret)
        assert not verifies(r, first.current_secret)


async def test_bad_windows_are_refused_and_change_nothing(channel: grpc.aio.Channel) -> None:
    before = await _secret(channel)
    for window in (-1, 30 * 86400 + 1, -(2**31)):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await _rotate(channel, window)
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert set(violations(err.value)) == {"window_seconds"}
    assert await _secret(channel) == before
    longest = await _rotate(channel, 30 * 86400)
    assert longest.previous_secret == before.current_secret


FIXED = generate_secret()


@pytest.mark.parametrize("server_settings", [{**GENERATED, "webhook_secret": FIXED}])
async def test_a_configured_secret_is_the_default_tenants_and_is_not_rotated(
    channel: grpc.aio.Channel, receiver: Receiver
) -> None:
    assert (await _secret(channel)).current_secret == FIXED
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await _rotate(channel)
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "DATAFLOW_WEBHOOK_SECRET" in (err.value.details() or "")
    assert FIXED not in (err.value.details() or "")
    assert (await _secret(channel)).current_secret == FIXED
    for r in await _deliver_one_execution(channel, receiver):
        verify_webhook(r.headers, r.body, FIXED)


async def test_http_routes_read_and_rotate(server: DataflowServer) -> None:
    assert server.http is not None
    async with httpx.AsyncClient(base_url=f"http://{server.http.address}", timeout=30) as http:
        got = await http.get("/webhook-secret")
        assert got.status_code == 200
        current = got.json()["current_secret"]
        rotated = await http.post("/webhook-secret/rotate", json={"window_seconds": 60})
        assert rotated.status_code == 200
        body = rotated.json()
        assert body["previous_secret"] == current and body["current_secret"] != current
        assert set(body) == {
            "current_secret",
            "previous_secret",
            "previous_expires_at",
            "rotated_at",
        }
        bad = await http.post("/webhook-secret/rotate", json={"window_seconds": -5})
        assert bad.status_code == 400
        assert (await http.get("/webhook-secret")).json() == body


async def _wait_for(predicate: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def _run_as(channel: grpc.aio.Channel, key: IssuedKey, url: str) -> str:
    """A new execution of `key`'s tenant with its webhook at `url`, followed to its end."""
    api = stubs(channel)
    created = await api.workflows.CreateWorkflow(create_request(CHAIN), metadata=key.metadata)
    reply = await api.executions.ExecuteWorkflow(
        json_format.ParseDict(
            {"workflow_id": created.workflow_id, "monitoring": {"webhook": url}},
            execution_service_pb2.ExecuteWorkflowRequest(),
        ),
        metadata=key.metadata,
    )
    watch = api.executions.WatchExecution(
        execution_service_pb2.WatchExecutionRequest(
            workflow_execution_id=reply.workflow_execution_id, event_types=TERMINAL_EVENTS
        ),
        metadata=key.metadata,
    )
    assert [m.event.type async for m in watch] == ["execution.completed"]
    return str(reply.workflow_execution_id)


async def _delivered_as(
    channel: grpc.aio.Channel, key: IssuedKey, execution_id: str, receiver: Receiver
) -> list[Any]:
    """The requests `receiver` answered for the execution, once all its deliveries are made."""
    deadline = time.monotonic() + 30
    request = WS.ListWebhookDeliveriesRequest(workflow_execution_id=execution_id)
    while True:
        found = await _stub(channel).ListWebhookDeliveries(request, metadata=key.metadata)
        statuses = [d.status for d in found.deliveries]
        if len(statuses) == len(EXPECTED_TYPES) and set(statuses) == {WD.DELIVERED}:
            break
        assert time.monotonic() < deadline, statuses
        await asyncio.sleep(0.1)
    return [
        r
        for r in receiver.delivered()
        if json.loads(r.body)["data"]["workflow_execution_id"] == execution_id
    ]


@pytest.mark.parametrize("server_settings", [AUTH_REQUIRED | GENERATED])
async def test_each_tenants_deliveries_verify_with_its_own_secret_only(
    server: DataflowServer,
    channel: grpc.aio.Channel,
    receiver: Receiver,
    other_receiver: Receiver,
) -> None:
    """Two tenants of one server, each with its webhook receiver: a delivery verifies
    with its tenant's secrets (as `GetWebhookSecret` shows them to that tenant's admin)
    and with no secret of the other tenant, also while one of them rotates."""
    acme = await issue_test_key(server, tenant="acme", scope="admin")
    globex = await issue_test_key(server, tenant="globex", scope="admin")
    read = WS.GetWebhookSecretRequest()
    acme_first = (await _stub(channel).GetWebhookSecret(read, metadata=acme.metadata)).secret
    globex_secret = (await _stub(channel).GetWebhookSecret(read, metadata=globex.metadata)).secret
    assert acme_first.current_secret != globex_secret.current_secret

    for rotating in (False, True):
        if rotating:  # acme rotates; both its secrets sign, still none of globex's
            acme_secret = (
                await _stub(channel).RotateWebhookSecret(
                    WS.RotateWebhookSecretRequest(), metadata=acme.metadata
                )
            ).secret
            assert acme_secret.previous_secret == acme_first.current_secret
        else:
            acme_secret = acme_first
        acme_secrets = [s for s in (acme_secret.current_secret, acme_secret.previous_secret) if s]
        runs = [
            (await _run_as(channel, acme, receiver.url), acme),
            (await _run_as(channel, globex, other_receiver.url), globex),
        ]
        for (execution_id, key), hooked in zip(runs, (receiver, other_receiver), strict=True):
            got = await _delivered_as(channel, key, execution_id, hooked)
            assert [json.loads(r.body)["type"] for r in got] == EXPECTED_TYPES
            for r in got:
                if key is acme:
                    assert len(_signatures(r)) == len(acme_secrets)
                    assert all(verifies(r, s) for s in acme_secrets)
                    assert not verifies(r, globex_secret.current_secret)
                else:
                    assert len(_signatures(r)) == 1
                    assert verifies(r, globex_secret.current_secret)
                    assert not any(verifies(r, s) for s in acme_secrets)
    # Each receiver got its own tenant's two executions, nothing else.
    for hooked in (receiver, other_receiver):
        assert len(hooked.delivered()) == 2 * len(EXPECTED_TYPES)
    # acme's rotation left globex's secret as it was.
    assert (await _stub(channel).GetWebhookSecret(read, metadata=globex.metadata)).secret == (
        globex_secret
    )
