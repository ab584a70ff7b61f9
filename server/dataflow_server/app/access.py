"""Who is calling: the ONE check both edges (gRPC and HTTP) run on every request.

`Authenticator.authenticate(authorization)` turns the `authorization` value
(``Bearer dfk_…``) into a `Caller` or raises `Unauthenticated`; `admit` adds
what a request needs beyond that: the method's scope and the key's rate limit.
`admit_session` is the same for a web console request (its session holds the
key's id): one bucket per key, whether it is sent in a header or by a cookie.

- Lookups are cached for `cache_seconds` (positive results only), so a busy
  key is not a database read per request. Expiry is checked on every request
  against the clock; a revocation (`dataflow-server keys revoke`, another
  process) takes effect within `cache_seconds`.
- Last use is recorded in memory and written in one batch every
  `flush_seconds` (and when the server stops), not once per request.
- Rate limits are token buckets per key, in this process (each replica
  counts its own requests).
- A stream outlives its admission: `guard_stream` re-checks the key every
  `cache_seconds` while the stream is open and ends it with Unauthenticated
  once the key is revoked or has expired (within twice `cache_seconds`).
- The key itself is never logged and never quoted in an error message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from cachetools import TTLCache

from ..domain.access import Caller, Scope
from ..domain.api_keys import ApiKeyRecord, checked_key, hash_key
from ..domain.errors import PermissionDenied, ResourceExhausted, Unauthenticated
from ..domain.rate_limit import TokenBucket

__all__ = ["Authenticator", "KeyLookup", "RateLimit"]

log = logging.getLogger(__name__)

_T = TypeVar("_T")
# The shortest interval between an open stream's key checks (a tiny cache window
# in tests must not turn watchers into a busy loop).
_MIN_STREAM_CHECK_SECONDS = 0.05

_SCHEME = "bearer"
_HOW = "send `authorization: Bearer <API key>` (keys come from `dataflow-server keys create`)"


class KeyLookup(Protocol):
    """What authentication needs of storage (store/api_keys.py `ApiKeyStore`)."""

    def now(self) -> datetime: ...

    async def find_by_hash(self, key_hash: str) -> ApiKeyRecord | None: ...

    async def get(self, key_id: str) -> ApiKeyRecord | None: ...

    async def record_last_use(self, used: Mapping[str, datetime]) -> None: ...


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Requests per second per key (None: unlimited) and the burst a key may spend at once
    (None: one second's worth)."""

    per_second: float | None = None
    burst: float | None = None

    def bucket_for(self, key: ApiKeyRecord, now: float) -> TokenBucket | None:
        rate = key.rate_limit or self.per_second
        if rate is None:
            return None
        return TokenBucket.full(rate, self.burst or max(1.0, rate), now)


class Authenticator:
    def __init__(
        self,
        keys: KeyLookup,
        *,
        rate_limit: RateLimit = RateLimit(),
        cache_seconds: float = 5.0,
        flush_seconds: float = 10.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._keys = keys
        self._rate_limit = rate_limit
        self._monotonic = monotonic
        self._stream_check_seconds = max(cache_seconds, _MIN_STREAM_CHECK_SECONDS)
        # key hash → record (positive results only: an unknown key is never cached).
        self._cache: TTLCache[str, ApiKeyRecord] = TTLCache(
            maxsize=10_000, ttl=cache_seconds, timer=monotonic
        )
        # key id → record, for the web console's sessions (which hold the id, not the key).
        self._by_id: TTLCache[str, ApiKeyRecord] = TTLCache(
            maxsize=10_000, ttl=cache_seconds, timer=monotonic
        )
        self._buckets: dict[str, TokenBucket | None] = {}  # key id → bucket
        self._used: dict[str, datetime] = {}  # key id → last use not yet written
        self._flush_seconds = flush_seconds
        self._flusher: asyncio.Task[None] | None = None

    async def authenticate(self, authorization: str | None) -> Caller:
        """The caller `authorization` (``Bearer <key>``) stands for, else Unauthenticated."""
        return (await self._key(authorization))[1]

    async def caller_for_key(self, key_id: str) -> Caller:
        """The caller the key `key_id` makes now (a console session re-checks its key on
        each use); Unauthenticated when it is unknown, revoked or expired."""
        return self._use(await self._record(key_id))

    async def admit(self, authorization: str | None, needed: Scope | None) -> Caller:
        """Authenticate, then check the key's rate limit and that its scope covers `needed`
        (None: the method declares no scope, which is refused)."""
        key, caller = await self._key(authorization)
        return self._admitted(key, caller, needed)

    async def admit_session(self, caller: Caller, needed: Scope | None) -> Caller:
        """`admit` for a console session's `caller` (its key already re-checked with
        `caller_for_key`): the same rate limit, on the same bucket as the key's header
        requests, and the same scope check."""
        if caller.key_id is None:
            raise Unauthenticated("a console session always names its API key")
        return self._admitted(await self._record(caller.key_id), caller, needed)

    def _admitted(self, key: ApiKeyRecord, caller: Caller, needed: Scope | None) -> Caller:
        """What every authenticated request passes, however it was authenticated."""
        self._take_token(key)
        if needed is None:
            raise PermissionDenied("this method declares no required scope; it is refused")
        caller.require(needed)
        return caller

    async def _record(self, key_id: str) -> ApiKeyRecord:
        record = self._by_id.get(key_id)
        if record is None:
            record = await self._keys.get(key_id)
            if record is None:
                raise Unauthenticated(f"the API key {key_id} is not known to this server")
            self._by_id[key_id] = record
        return record

    def guard_stream(self, caller: Caller, stream: AsyncIterator[_T]) -> AsyncIterator[_T]:
        """`stream` for as long as `caller`'s key stays valid: the key is re-checked (through
        the cache, so a thousand watchers of one key share a read) every cache window
        while the stream is open, idle or not, and the stream ends with Unauthenticated
        once it is revoked or has expired. A caller without a key is not checked."""
        if caller.key_id is None:
            return stream
        return self._guarded(caller.key_id, stream)

    async def _guarded(self, key_id: str, stream: AsyncIterator[_T]) -> AsyncIterator[_T]:
        iterator = aiter(stream)
        # The stream's next step runs as its own future: a key check must not cancel it
        # half-way (an async generator cancelled mid-step cannot be resumed).
        step: asyncio.Future[_T] | None = None
        check_at = self._monotonic() + self._stream_check_seconds
        try:
            while True:
                step = asyncio.ensure_future(anext(iterator))
                while not step.done():
                    await asyncio.wait({step}, timeout=max(0.0, check_at - self._monotonic()))
                    if self._monotonic() >= check_at:  # idle or busy, once per window
                        await self.caller_for_key(key_id)  # Unauthenticated once revoked
                        check_at = self._monotonic() + self._stream_check_seconds
                done, step = step, None
                yield done.result()
        except StopAsyncIteration:
            return
        finally:
            if step is not None:
                step.cancel()
                await asyncio.wait({step})
                if not step.cancelled():
                    step.exception()  # retrieved: not reported as lost
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None:
                await aclose()

    async def _key(self, authorization: str | None) -> tuple[ApiKeyRecord, Caller]:
        key = checked_key(_bearer_token(authorization))
        digest = hash_key(key)
        record = self._cache.get(digest)
        if record is None:
            record = await self._keys.find_by_hash(digest)
            if record is None:
                raise Unauthenticated("the API key is not known to this server")
            self._cache[digest] = record
        return record, self._use(record)

    def _use(self, record: ApiKeyRecord) -> Caller:
        """The key's caller now (Unauthenticated once revoked or expired); notes the use."""
        now = self._keys.now()
        caller = record.caller_at(now)
        self._used[record.key_id] = now
        return caller

    def _take_token(self, key: ApiKeyRecord) -> None:
        now = self._monotonic()
        if key.key_id not in self._buckets:
            self._buckets[key.key_id] = self._rate_limit.bucket_for(key, now)
        bucket = self._buckets[key.key_id]
        if bucket is None:
            return
        wait = bucket.take(now)
        if wait > 0:
            raise ResourceExhausted(
                f"the API key {key.key_id} is over its rate limit of "
                f"{bucket.rate:g} requests per second; retry in {wait:.2f} s",
                retry_after_seconds=wait,
            )

    # --- last use, written in batches ----------------------------------------
    def start(self) -> None:
        self._flusher = asyncio.create_task(self._flush_periodically(), name="api-key-last-use")

    async def stop(self) -> None:
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
            self._flusher = None
        await self.flush()

    async def flush(self) -> None:
        """Write the last uses seen since the previous flush (kept for the next on failure)."""
        used, self._used = self._used, {}
        try:
            await self._keys.record_last_use(used)
        except Exception:
            log.warning("could not record API key last use; retrying later", exc_info=True)
            for key_id, at in used.items():
                self._used.setdefault(key_id, at)

    async def _flush_periodically(self) -> None:
        while True:
            await asyncio.sleep(self._flush_seconds)
            await self.flush()


def _bearer_token(authorization: str | None) -> str:
    if not authorization or not authorization.strip():
        raise Unauthenticated(f"this server requires an API key: {_HOW}")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != _SCHEME or not token.strip():
        raise Unauthenticated(f"the authorization is not a bearer token: {_HOW}")
    return token.strip()
