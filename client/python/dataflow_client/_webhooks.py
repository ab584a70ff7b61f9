"""Verifying Dataflow's webhook deliveries (Standard Webhooks), for receivers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

__all__ = ["WebhookVerificationError", "verify_webhook"]


def verify_webhook(
    headers: Mapping[str, str], body: bytes | str, secrets: str | Iterable[str]
) -> Any:
    """Check a delivery's `webhook-signature` and `webhook-timestamp` (±5 minutes)
    and return the parsed JSON body. Raises `WebhookVerificationError` when it does
    not verify.

    `secrets`: one `whsec_…` secret, or several (e.g. `WebhookSecret.secrets`, or
    the old and the new one while you switch after a rotation). A delivery verifies
    when any of its signatures (`webhook-signature` holds one per signing secret,
    space-separated: two during the server's rotation window) matches any of them.

    Pass the raw body bytes exactly as received; header names are case-insensitive.
    De-duplicate on `headers["webhook-id"]`: retries of one event carry the same id.
    """
    candidates = [secrets] if isinstance(secrets, str) else list(secrets)
    if not candidates:
        raise ValueError("verify_webhook needs at least one secret")
    plain = dict(headers)
    for secret in candidates[:-1]:
        try:
            return Webhook(secret).verify(body, plain)
        except WebhookVerificationError:
            continue  # the next secret may be the one
    return Webhook(candidates[-1]).verify(body, plain)
