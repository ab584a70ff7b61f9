"""Per-resource bounds on task attempts: concurrency, request rate, provider back-off.

An execution waiting for I/O costs a coroutine, not a worker: what bounds work
is the resource it uses. Each task type names its resource (`TaskTypeSpec.resource`,
e.g. `openai`, `http`); an attempt takes a slot of that resource's `ResourceGate`
before it starts and gives it back when it ends. A gate has

- a concurrency bound (attempts in progress at once),
- a rate bound (attempts started per minute, a token bucket holding one
  second's worth so that a burst cannot exceed the provider's window),
- a pause: a provider answered 429 with `Retry-After`, so new attempts of
  that resource wait until then. Other resources are not affected.

Waiters are served in arrival order. Types without a resource (pure, in-process
tasks; `core.sleep`) take no slot.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["ResourceGate", "ResourceLimit", "ResourceLimits"]


@dataclass(frozen=True, slots=True)
class ResourceLimit:
    """Bounds of one resource; None: unbounded."""

    concurrency: int | None = None
    per_minute: float | None = None


class ResourceGate:
    def __init__(
        self, name: str, limit: ResourceLimit, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.name = name
        self.limit = limit
        self._clock = clock
        self._slots = asyncio.Semaphore(limit.concurrency) if limit.concurrency else None
        self._rate = limit.per_minute / 60.0 if limit.per_minute else None  # tokens per second
        self._capacity = max(1.0, self._rate) if self._rate else 0.0
        self._tokens = self._capacity
        self._refilled = clock()
        self._paused_until = 0.0
        self._turn = asyncio.Lock()  # one waiter at a time for the pause and the rate

    def pause(self, seconds: float) -> None:
        """No new attempt starts for `seconds` (a provider's Retry-After)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def would_wait(self) -> bool:
        """Whether `acquire` could not return at once."""
        if self._slots is not None and self._slots.locked():
            return True
        if self._turn.locked() or self._paused_until > self._clock():
            return True
        return self._rate is not None and self._available_tokens() < 1.0

    def _available_tokens(self) -> float:
        assert self._rate is not None
        now = self._clock()
        self._tokens = min(self._capacity, self._tokens + (now - self._refilled) * self._rate)
        self._refilled = now
        return self._tokens

    async def _wait_turn(self) -> None:
        async with self._turn:
            while True:
                wait = self._paused_until - self._clock()
                if wait <= 0 and self._rate is not None:
                    tokens = self._available_tokens()
                    if tokens >= 1.0:
                        self._tokens -= 1.0
                        return
                    wait = (1.0 - tokens) / self._rate
                elif wait <= 0:
                    return
                await asyncio.sleep(wait)

    async def acquire(self) -> None:
        if self._slots is not None:
            await self._slots.acquire()
        try:
            if self._rate is not None or self._paused_until > self._clock():
                await self._wait_turn()
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        if self._slots is not None:
            self._slots.release()


class ResourceLimits:
    """The gates of one process, by resource name."""

    def __init__(self, limits: Mapping[str, ResourceLimit] | None = None) -> None:
        self._gates = {name: ResourceGate(name, limit) for name, limit in (limits or {}).items()}

    def gate(self, resource: str) -> ResourceGate | None:
        return self._gates.get(resource) if resource else None
