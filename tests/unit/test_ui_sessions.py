"""Console session lifetimes and CSRF tokens (domain/ui_sessions.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dataflow_server.domain.access import Scope
from dataflow_server.domain.ui_sessions import (
    SessionLifetime,
    UiSession,
    csrf_token_for,
    csrf_token_matches,
    token_hash,
)

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LIFETIME = SessionLifetime(idle=timedelta(hours=2), absolute=timedelta(hours=12))


def session(last_seen: datetime) -> UiSession:
    return UiSession(
        token_hash("t"), "acme", "key-1", Scope.READ, T0, T0 + LIFETIME.absolute, last_seen
    )


def test_a_session_ends_when_idle_or_at_its_absolute_end() -> None:
    fresh = session(T0)
    assert LIFETIME.is_live(fresh, T0 + timedelta(hours=1, minutes=59))
    assert not LIFETIME.is_live(fresh, T0 + timedelta(hours=2))  # idle
    busy = session(T0 + timedelta(hours=11, minutes=30))
    assert LIFETIME.is_live(busy, T0 + timedelta(hours=11, minutes=59))
    assert not LIFETIME.is_live(busy, T0 + timedelta(hours=12))  # absolute, however busy
    assert not LIFETIME.needs_touch(fresh, T0 + timedelta(minutes=5))
    assert LIFETIME.needs_touch(fresh, T0 + timedelta(minutes=6))


def test_the_csrf_token_is_bound_to_its_session_token() -> None:
    assert csrf_token_matches("token-a", csrf_token_for("token-a"))
    assert not csrf_token_matches("token-b", csrf_token_for("token-a"))
    assert not csrf_token_matches("token-a", "")
    assert csrf_token_for("token-a") != token_hash("token-a")  # the stored hash is no token
