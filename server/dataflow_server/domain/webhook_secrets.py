"""A tenant's webhook signing secrets and their rotation (pure).

A rotation makes a new secret current and keeps the one it replaces signing
too until the window ends, so receivers can switch at their own pace: during
the window every delivery carries both signatures (Standard Webhooks allows
several in `webhook-signature`), afterwards only the current one. Rotating
again inside a window drops the oldest secret at once: at most two sign.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

__all__ = ["WebhookSecrets", "rotate"]


@dataclass(frozen=True, slots=True)
class WebhookSecrets:
    tenant_id: str
    current: str
    created_at: datetime
    previous: str | None = None
    rotated_at: datetime | None = None
    previous_expires_at: datetime | None = None

    def previous_at(self, now: datetime) -> str | None:
        """The previous secret while its window is open at `now`, else None."""
        if self.previous is None or self.previous_expires_at is None:
            return None
        return self.previous if now < self.previous_expires_at else None

    def as_of(self, now: datetime) -> WebhookSecrets:
        """As a reader sees them at `now`: without a previous secret whose window ended."""
        if self.previous is None or self.previous_at(now) is not None:
            return self
        return replace(self, previous=None, previous_expires_at=None)

    def signing(self, now: datetime) -> tuple[str, ...]:
        """The secrets a delivery sent at `now` is signed with: current first."""
        previous = self.previous_at(now)
        return (self.current,) if previous is None else (self.current, previous)


def rotate(
    secrets: WebhookSecrets, new_secret: str, now: datetime, window: timedelta
) -> WebhookSecrets:
    """`new_secret` becomes current; the replaced one keeps signing for `window`
    (a zero window revokes it at once, e.g. after a leak)."""
    return WebhookSecrets(
        tenant_id=secrets.tenant_id,
        current=new_secret,
        created_at=secrets.created_at,
        previous=secrets.current if window > timedelta(0) else None,
        rotated_at=now,
        previous_expires_at=now + window if window > timedelta(0) else None,
    )
