"""Web console sessions: sign in with an API key, resume on each request, sign out.

The key is checked by the one shared authenticator (app/access.py); the session
stores the key's id, tenant and scope, never the key. Each use re-checks the key
by its id (through the authenticator's short cache), so revoking or expiring the
key ends its sessions; the session's own idle and absolute lifetimes end it too.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from ..domain.access import Caller, Scope
from ..domain.errors import Unauthenticated
from ..domain.ui_sessions import SessionLifetime, UiSession, csrf_token_for, token_hash

__all__ = ["KeyCheck", "SignedIn", "UiSessionStore", "UiSessions"]

TOKEN_BYTES = 32  # 256 random bits, URL-safe base64 in the cookie


class KeyCheck(Protocol):
    """What sessions need of the shared authenticator."""

    async def authenticate(self, authorization: str | None) -> Caller: ...

    async def caller_for_key(self, key_id: str) -> Caller:
        """The key's caller now; Unauthenticated when it is unknown, revoked or expired."""
        ...


class UiSessionStore(Protocol):
    async def create(self, session: UiSession) -> None: ...

    async def find(self, token_hash: str) -> UiSession | None: ...

    async def touch(self, tenant_id: str, token_hash: str, now: datetime) -> None: ...

    async def delete(self, tenant_id: str, token_hash: str) -> None: ...

    async def delete_for_key(self, tenant_id: str, key_id: str) -> int: ...

    async def delete_ended(self, now: datetime, idle_since: datetime) -> int: ...


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A session as its holder sees it: the secret token (for the cookie) and the rest."""

    token: str
    caller: Caller
    expires_at: datetime

    @property
    def csrf_token(self) -> str:
        return csrf_token_for(self.token)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class UiSessions:
    def __init__(
        self,
        store: UiSessionStore,
        keys: KeyCheck,
        lifetime: SessionLifetime,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._store = store
        self._keys = keys
        self._lifetime = lifetime
        self._clock = clock

    @property
    def lifetime(self) -> SessionLifetime:
        return self._lifetime

    async def sign_in(self, api_key: str) -> SignedIn:
        """A new session for a valid key (Unauthenticated otherwise; nothing stored)."""
        caller = await self._keys.authenticate(f"Bearer {api_key}")
        if caller.key_id is None:  # authentication is off: nothing to sign in to
            raise Unauthenticated("authentication is off on this server; no sign-in is needed")
        now = self._clock()
        await self._store.delete_ended(now, now - self._lifetime.idle)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        session = UiSession(
            token_hash=token_hash(token),
            tenant_id=caller.tenant_id,
            key_id=caller.key_id,
            scope=caller.scope,
            created_at=now,
            expires_at=now + self._lifetime.absolute,
            last_seen_at=now,
        )
        await self._store.create(session)
        return SignedIn(token, caller, session.expires_at)

    async def resume(self, token: str) -> SignedIn:
        """The live session of `token`, its key re-checked; Unauthenticated if it has ended."""
        session = await self._store.find(token_hash(token))
        if session is None:
            raise Unauthenticated("the console session has ended; sign in again")
        now = self._clock()
        if not self._lifetime.is_live(session, now):
            await self._store.delete(session.tenant_id, session.token_hash)
            raise Unauthenticated("the console session has expired; sign in again")
        try:
            key_caller = await self._keys.caller_for_key(session.key_id)
            if key_caller.tenant_id != session.tenant_id:
                raise Unauthenticated("the API key of this session changed tenant")
        except Unauthenticated:
            await self._store.delete_for_key(session.tenant_id, session.key_id)
            raise Unauthenticated(
                "the API key of this console session was revoked or has expired; sign in again"
            ) from None
        if self._lifetime.needs_touch(session, now):
            await self._store.touch(session.tenant_id, session.token_hash, now)
        # Never more than the key grants now, nor than it granted at sign-in.
        caller = Caller(
            session.tenant_id, Scope(min(session.scope, key_caller.scope)), session.key_id
        )
        return SignedIn(token, caller, session.expires_at)

    async def sign_out(self, token: str) -> None:
        session = await self._store.find(token_hash(token))
        if session is not None:
            await self._store.delete(session.tenant_id, session.token_hash)
