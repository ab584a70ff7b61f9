"""Standard Webhooks (standardwebhooks.com) signing, by the reference library.

Headers: `webhook-id` (the same on every attempt of one event),
`webhook-timestamp` (unix seconds of this attempt) and `webhook-signature`
(`v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed by the
base64-decoded part of the `whsec_…` secret).
"""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

__all__ = [
    "SECRET_PREFIX",
    "WEBHOOK_SECRET_SETTING",
    "WebhookSigner",
    "generate_secret",
    "is_valid_secret",
]

SECRET_PREFIX = "whsec_"
#: The stored setting holding the secret generated at the first start.
WEBHOOK_SECRET_SETTING = "webhook_secret"


def generate_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def is_valid_secret(secret: str) -> bool:
    body = secret.removeprefix(SECRET_PREFIX)
    try:
        return len(base64.b64decode(body, validate=True)) >= 16
    except ValueError:
        return False


class WebhookSigner:
    def __init__(self, secret: str) -> None:
        self._webhook = Webhook(secret)

    def headers(self, webhook_id: str, timestamp: datetime, body: bytes) -> dict[str, str]:
        ts = timestamp.astimezone(UTC)
        signature = self._webhook.sign(msg_id=webhook_id, timestamp=ts, data=body.decode())
        return {
            "content-type": "application/json",
            "webhook-id": webhook_id,
            "webhook-timestamp": str(int(ts.timestamp())),
            "webhook-signature": signature,
        }
