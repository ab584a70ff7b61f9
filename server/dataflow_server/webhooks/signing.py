"""Standard Webhooks (standardwebhooks.com) signing, by the reference library.

Headers: `webhook-id` (the same on every attempt of one event),
`webhook-timestamp` (unix seconds of this attempt) and `webhook-signature`:
one `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` per signing
secret (keyed by the base64-decoded part of the `whsec_…` secret),
space-separated — two while a tenant's secret rotation window is open.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

__all__ = ["SECRET_PREFIX", "generate_secret", "is_valid_secret", "signed_headers"]

SECRET_PREFIX = "whsec_"


def generate_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def is_valid_secret(secret: str) -> bool:
    body = secret.removeprefix(SECRET_PREFIX)
    try:
        return len(base64.b64decode(body, validate=True)) >= 16
    except ValueError:
        return False


def signed_headers(
    signing_secrets: Sequence[str], webhook_id: str, timestamp: datetime, body: bytes
) -> dict[str, str]:
    """The headers of one attempt, signed with every secret in `signing_secrets`."""
    if not signing_secrets:
        raise ValueError("a webhook needs at least one signing secret")
    ts = timestamp.astimezone(UTC)
    data = body.decode()
    signatures = [
        Webhook(secret).sign(msg_id=webhook_id, timestamp=ts, data=data)
        for secret in signing_secrets
    ]
    return {
        "content-type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(ts.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
