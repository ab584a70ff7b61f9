"""Webhook deliveries end to end: real loopback receivers, the real dispatcher."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime
from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from dataflow.v1 import (
    execution_service_pb2,
    webhook_pb2,
    webhook_service_pb2,
    webhook_service_pb2_grpc,
)
from dataflow_client import WebhookVerificationError, verify_webhook
from dataflow_server.webhooks.dispatcher import classify
from dataflow_server.webhooks.signing import generate_secret, signed_headers
from tests.support.api import create_request, stubs, violations, wait_terminal
from tests.support.receiver import Answer, Receiver

ES = execution_service_pb2
WS = webhook_service_pb2
WD = webhook_pb2.WebhookDelivery
SECRET = generate_secret()
FAST = {
    "allow_private_networks": True,
    "webhook_secret": SECRET,
    "webhook_retry_schedule": (0.1, 0.1, 0.2, 0.2, 0.3, 0.3, 0.5, 0.5, 0.5, 0.5),
    # Generous: a loaded machine must not turn a receiver's 503 into a timeout.
    "webhook_timeout_seconds": 10.0,
}
fast_server = pytest.mark.parametrize("server_settings", [FAST], indirect=False)

CHAIN = {
    "title": "two steps",
    "tasks": [
        {"name": "a", "type": "text.template", "inputs": {"template": "x"}},
        {"name": "b", "type": "text.template", "inputs": {"template": "{{tasks.a.outputs.text}}y"}},
    ],
    "outputs": [{"name": "out", "type": "text", "value": "{{tasks.b.outputs.text}}"}],
}
EXPECTED_TYPES = [
    "execution.pending",
    "execution.running",
    "task.running",
    "task.completed",
    "task.running",
    "task.completed",
    "execution.completed",
]


def test_known_answer_vector_of_the_spec() -> None:
    headers = signed_headers(
        ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        datetime.fromtimestamp(1614265330, UTC),
        b'{"test": 2432232314}',
    )
    assert headers["webhook-signature"] == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert headers["webhook-timestamp"] == "1614265330"


def test_verify_webhook_accepts_ours_and_refuses_tampering() -> None:
    secret = generate_secret()
    body = b'{"type":"execution.completed"}'
    headers = signed_headers([secret], "msg_abcdefgh12345678", datetime.now(UTC), body)
    assert verify_webhook(headers, body, secret) == {"type": "execution.completed"}
    with pytest.raises(WebhookVerificationError):
        verify_webhook(headers, body + b" ", secret)
    with pytest.raises(WebhookVerificationError):
        verify_webhook(headers, body, generate_secret())


def test_several_signatures_verify_with_any_of_their_secrets() -> None:
    new, old, other = generate_secret(), generate_secret(), generate_secret()
    body = b'{"type":"execution.completed"}'
    headers = signed_headers([new, old], "msg_abcdefgh12345678", datetime.now(UTC), body)
    assert [s[:3] for s in headers["webhook-signature"].split(" ")] == ["v1,", "v1,"]
    for secrets in (new, old, [other, old], [new, other], (s for s in [other, new])):
        assert verify_webhook(headers, body, secrets) == {"type": "execution.completed"}
    for refused in (other, [other, generate_secret()]):
        with pytest.raises(WebhookVerificationError):
            verify_webhook(headers, body, refused)
    with pytest.raises(WebhookVerificationError):
        verify_webhook(headers, body + b" ", [new, old])
    with pytest.raises(ValueError):
        verify_webhook(headers, body, [])


def test_status_classes() -> None:
    assert [classify(s) for s in (200, 204, 301, 400, 404, 408, 410, 429, 500, 503)] == [
        "DELIVERED",
        "DELIVERED",
        "FAILED",
        "FAILED",
        "FAILED",
        "RETRY",
        "GONE",
        "RETRY",
        "RETRY",
        "RETRY",
    ]


async def _run(channel: grpc.aio.Channel, url: str, definition: dict[str, Any] = CHAIN) -> str:
    api = stubs(channel)
    wf = (await api.workflows.CreateWorkflow(create_request(definition))).workflow_id
    reply = await api.executions.ExecuteWorkflow(
        json_format.ParseDict(
            {"workflow_id": wf, "monitoring": {"webhook": url}}, ES.ExecuteWorkflowRequest()
        )
    )
    await wait_terminal(api, reply.workflow_execution_id)
    return reply.workflow_execution_id


async def _deliveries(channel: grpc.aio.Channel, execution_id: str) -> list[Any]:
    stub = webhook_service_pb2_grpc.WebhookServiceStub(channel)
    reply = await stub.ListWebhookDeliveries(
        WS.ListWebhookDeliveriesRequest(workflow_execution_id=execution_id)
    )
    return list(reply.deliveries)


async def _settled(channel: grpc.aio.Channel, execution_id: str, timeout: float = 30) -> list[Any]:
    """The deliveries once none is PENDING."""
    deadline = time.monotonic() + timeout
    while True:
        found = await _deliveries(channel, execution_id)
        if found and all(d.status != WD.PENDING for d in found):
            return found
        assert time.monotonic() < deadline, [(d.sequence, d.status) for d in found]
        await asyncio.sleep(0.1)


def _bodies(received: list[Any]) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in received]


@fast_server
async def test_signed_ordered_and_retried_until_delivered(
    channel: grpc.aio.Channel, receiver: Receiver
) -> None:
    receiver.answer(Answer(503), Answer(503), Answer(503))
    execution_id = await _run(channel, receiver.url)
    deliveries = await _settled(channel, execution_id)
    assert [d.status for d in deliveries] == [WD.DELIVERED] * len(EXPECTED_TYPES)
    assert [d.event_type for d in deliveries] == EXPECTED_TYPES
    assert deliveries[0].attempt_count == 4
    assert [a.status_code for a in deliveries[0].attempts] == [503, 503, 503, 200]
    delivered = receiver.delivered()
    # Every event once, in sequence order, each verifying with the server's secret.
    ids = [r.headers["webhook-id"] for r in delivered]
    assert len(ids) == len(set(ids)) == len(EXPECTED_TYPES)
    bodies = [verify_webhook(r.headers, r.body, SECRET) for r in delivered]
    assert [b["data"]["sequence"] for b in bodies] == list(range(1, 8))
    assert [b["type"] for b in bodies] == EXPECTED_TYPES
    # The retries of the first event carried the same webhook-id.
    assert {r.headers["webhook-id"] for r in receiver.requests[:4]} == {ids[0]}
    last = bodies[-1]["data"]
    assert last["workflow_execution_id"] == execution_id and last["status"] == "COMPLETED"
    assert last["outputs"] == {"out": "xy"}
    assert [t["status"] for t in last["tasks"]] == ["COMPLETED", "COMPLETED"]
    assert bodies[2]["data"]["task_name"] == "a"


@fast_server
async def test_receiver_down_then_up_gets_everything(
    channel: grpc.aio.Channel, receiver: Receiver
) -> None:
    receiver.stop()
    execution_id = await _run(channel, receiver.url)
    await asyncio.sleep(0.8)  # a few refused attempts
    first = (await _deliveries(channel, execution_id))[0]
    assert first.status == WD.PENDING and first.attempt_count >= 1
    assert first.attempts[0].status_code == 0 and first.attempts[0].error
    receiver.start()
    deliveries = await _settled(channel, execution_id)
    assert [d.status for d in deliveries] == [WD.DELIVERED] * len(EXPECTED_TYPES)
    assert [b["type"] for b in _bodies(receiver.delivered())] == EXPECTED_TYPES


@fast_server
async def test_redirect_fails_without_following(
    channel: grpc.aio.Channel, receiver: Receiver
) -> None:
    target = Receiver()
    target.start()
    try:
        receiver.answer(Answer(302, {"location": target.url}))
        execution_id = await _run(channel, receiver.url)
        deliveries = await _settled(channel, execution_id)
        assert deliveries[0].status == WD.FAILED and deliveries[0].attempt_count == 1
        assert deliveries[0].attempts[0].status_code == 302
        # Failed for good: the later events still go out, in order.
        assert [d.status for d in deliveries[1:]] == [WD.DELIVERED] * 6
        assert target.connections == 0
    finally:
        target.stop()


@fast_server
async def test_gone_stops_all_deliveries_to_the_url(
    channel: grpc.aio.Channel, receiver: Receiver
) -> None:
    receiver.answer(Answer(410))
    execution_id = await _run(channel, receiver.url)
    deliveries = await _settled(channel, execution_id)
    assert [d.status for d in deliveries] == [WD.FAILED] * len(EXPECTED_TYPES)
    assert len(receiver.requests) == 1
    again = await _run(channel, receiver.url)
    assert [d.status for d in await _settled(channel, again)] == [WD.FAILED] * 7
    assert len(receiver.requests) == 1


@fast_server
async def test_rate_limit_honours_retry_after(
    channel: grpc.aio.Channel, receiver: Receiver
) -> None:
    receiver.answer(Answer(429, {"retry-after": "1"}))
    execution_id = await _run(channel, receiver.url)
    await _settled(channel, execution_id)
    first, second = receiver.requests[0], receiver.requests[1]
    assert first.status == 429 and second.status == 200
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    # The schedule says 0.1 s; the receiver asked for 1 s.
    assert second.at - first.at >= 0.9


@pytest.mark.parametrize("server_settings", [{**FAST, "webhook_timeout_seconds": 0.5}])
async def test_slow_receiver_times_out_and_is_retried(
    channel: grpc.aio.Channel, receiver: Receiver
) -> None:
    receiver.answer(Answer(200, delay=2.0))
    execution_id = await _run(channel, receiver.url)
    deliveries = await _settled(channel, execution_id)
    assert deliveries[0].status == WD.DELIVERED
    assert deliveries[0].attempt_count >= 2  # the retry may time out too on a loaded machine
    assert deliveries[0].attempts[0].status_code == 0
    assert "took longer" in deliveries[0].attempts[0].error or "timed out" in (
        deliveries[0].attempts[0].error.lower()
    )


@pytest.mark.parametrize("server_settings", [{"webhook_secret": SECRET}])
async def test_private_targets_refused_by_default(
    channel: grpc.aio.Channel, receiver: Receiver
) -> None:
    api = stubs(channel)
    wf = (await api.workflows.CreateWorkflow(create_request(CHAIN))).workflow_id
    for url in (
        receiver.url,
        f"http://localhost:{receiver.port}/hook",
        f"http://127.1:{receiver.port}/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.1/hook",
        f"http://[::ffff:127.0.0.1]:{receiver.port}/hook",
    ):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await api.executions.ExecuteWorkflow(
                json_format.ParseDict(
                    {"workflow_id": wf, "monitoring": {"webhook": url}},
                    ES.ExecuteWorkflowRequest(),
                )
            )
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT, url
        assert set(violations(err.value)) == {"monitoring.webhook"}
    listed = await api.executions.ListExecutions(ES.ListExecutionsRequest(workflow_id=wf))
    assert list(listed.executions) == []
    await asyncio.sleep(0.3)
    assert receiver.connections == 0


@fast_server
async def test_private_target_allowed_when_configured(
    channel: grpc.aio.Channel, receiver: Receiver
) -> None:
    execution_id = await _run(channel, f"http://localhost:{receiver.port}/hook")
    deliveries = await _settled(channel, execution_id)
    assert all(d.status == WD.DELIVERED for d in deliveries)
    assert receiver.connections >= 1


@fast_server
async def test_redelivery_same_id_new_timestamp(
    channel: grpc.aio.Channel, receiver: Receiver
) -> None:
    execution_id = await _run(channel, receiver.url)
    deliveries = await _settled(channel, execution_id)
    last = deliveries[-1]
    stub = webhook_service_pb2_grpc.WebhookServiceStub(channel)
    before = len(receiver.requests)
    await asyncio.sleep(1.1)  # a later second for the new timestamp
    reply = await stub.RedeliverWebhook(WS.RedeliverWebhookRequest(webhook_id=last.webhook_id))
    assert reply.delivery.webhook_id == last.webhook_id
    again = await _settled(channel, execution_id)
    assert again[-1].attempt_count == 2
    resent = receiver.requests[before]
    original = next(r for r in receiver.requests if r.headers["webhook-id"] == last.webhook_id)
    assert resent.headers["webhook-id"] == last.webhook_id
    assert resent.headers["webhook-timestamp"] != original.headers["webhook-timestamp"]
    assert resent.body == original.body
    verify_webhook(resent.headers, resent.body, SECRET)
    for bad, code in (
        ("msg_doesnotexist00", grpc.StatusCode.NOT_FOUND),
        ("", grpc.StatusCode.INVALID_ARGUMENT),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.RedeliverWebhook(WS.RedeliverWebhookRequest(webhook_id=bad))
        assert err.value.code() == code


@fast_server
async def test_map_items_and_skips_reach_the_receiver(
    channel: grpc.aio.Channel, receiver: Receiver
) -> None:
    definition = {
        "title": "map and skip",
        "tasks": [
            {"name": "each", "type": "text.template", "for_each": '{{tasks.parse.outputs.value}}',
             "depends_on": ["parse"], "inputs": {"template": "{{index}}={{item}}"}},
            {"name": "parse", "type": "json.parse", "depends_on": [],
             "inputs": {"text": '["x", "y"]'}},
            {"name": "never", "type": "text.template", "when": "false",
             "inputs": {"template": "no"}},
        ],
        "outputs": [{"name": "out", "type": "json", "value": "{{tasks.each.outputs.text}}"}],
    }  # fmt: skip
    execution_id = await _run(channel, receiver.url, definition)
    await _settled(channel, execution_id)
    bodies = [verify_webhook(r.headers, r.body, SECRET) for r in receiver.delivered()]
    assert [b["data"]["sequence"] for b in bodies] == list(range(1, len(bodies) + 1))
    items = [
        (b["type"], b["data"]["item_index"], b["data"]["task_status"])
        for b in bodies
        if b["type"].startswith("task.item.")
    ]
    assert sorted(items) == [
        ("task.item.completed", 0, "COMPLETED"),
        ("task.item.completed", 1, "COMPLETED"),
        ("task.item.running", 0, "RUNNING"),
        ("task.item.running", 1, "RUNNING"),
    ]
    # An item's status is not its task's: the map is RUNNING until it completes.
    during = next(b for b in bodies if b["type"] == "task.item.completed")
    assert {t["name"]: t["status"] for t in during["data"]["tasks"]}["each"] == "RUNNING"
    skipped = next(b for b in bodies if b["type"] == "task.skipped")
    assert skipped["data"]["skip_reason"] == "when is false: false"
    assert bodies[-1]["data"]["outputs"] == {"out": ["0=x", "1=y"]}
