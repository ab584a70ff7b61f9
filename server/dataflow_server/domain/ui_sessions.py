"""Web console sessions (pure; no I/O).

The console signs in with an API key once; from then on the browser holds an
opaque random token in an HttpOnly cookie (EventSource cannot send an
Authorization header). The server keeps only the token's SHA-256, so a copy of
the database does not give anyone a session. A session ends at the first of:
its absolute lifetime, an idle gap longer than the idle lifetime, sign-out, or
its key being revoked or expiring (checked on every use by the key's id).

State-changing requests authenticated by the cookie must also carry a CSRF
token: an HMAC of the session token, so it is bound to the session, needs no
storage, and cannot be computed by a page that cannot read the cookie.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from .access import Scope

__all__ = ["SessionLifetime", "UiSession", "csrf_token_for", "csrf_token_matches", "token_hash"]

_CSRF_LABEL = b"dataflow console csrf v1"


def token_hash(token: str) -> str:
    """What the database stores of a session token (hex SHA-256)."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token_for(token: str) -> str:
    """The CSRF token of the session whose (secret) token is `token`."""
    return hmac.new(token.encode(), _CSRF_LABEL, hashlib.sha256).hexdigest()


def csrf_token_matches(token: str, presented: str) -> bool:
    return hmac.compare_digest(csrf_token_for(token), presented)


@dataclass(frozen=True, slots=True)
class UiSession:
    """A stored session: whose key it was opened with, and its clock."""

    token_hash: str
    tenant_id: str
    key_id: str
    scope: Scope
    created_at: datetime
    expires_at: datetime  # the absolute end
    last_seen_at: datetime


@dataclass(frozen=True, slots=True)
class SessionLifetime:
    """How long a session lives: `idle` without a request, `absolute` in all."""

    idle: timedelta
    absolute: timedelta

    def ends_at(self, session: UiSession) -> datetime:
        return min(session.expires_at, session.last_seen_at + self.idle)

    def is_live(self, session: UiSession, now: datetime) -> bool:
        return now < self.ends_at(session)

    def needs_touch(self, session: UiSession, now: datetime) -> bool:
        """Whether to record `now` as the last use: at most once per 1/20 of the idle
        lifetime, so that reads and event streams do not write on every request."""
        return now - session.last_seen_at >= self.idle / 20
