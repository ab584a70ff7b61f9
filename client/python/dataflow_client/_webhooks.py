"""Verifying Dataflow's webhook deliveries (Standard Webhooks), for receivers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

__all__ = ["WebhookVerificationError", "verify_webhook"]


def verify_webhook(headers: Mapping[str, str], body: bytes | str, secret: str) -> Any:
    """Check a delivery's `webhook-signature` and `webhook-timestamp` (±5 minutes)
    against `secret` (`whsec_…`, see `dataflow-server webhook-secret`) and return the
    parsed JSON body. Raises `WebhookVerificationError` when it does not verify.

    Pass the raw body bytes exactly as received; header names are case-insensitive.
    De-duplicate on `headers["webhook-id"]`: retries of one event carry the same id.
    """
    return Webhook(secret).verify(body, dict(headers))
