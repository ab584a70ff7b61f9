"""The webhook dispatcher: sends the outbox, in order per execution, with retries.

- Claims due deliveries (one per execution at a time: the lowest pending
  sequence) with a short claim, so replicas never send the same attempt twice
  (`FOR UPDATE SKIP LOCKED` on PostgreSQL).
- Sends each through the SSRF-guarded client: no redirects followed, 15 s
  timeout, response body ignored beyond a small cap.
- 2xx: delivered. Timeouts, connection errors, 408, 429 (Retry-After
  honoured) and 5xx: retried on the schedule (with ±10% jitter) until it is
  exhausted. 3xx and other 4xx: failed. 410: failed, and the URL receives
  nothing more. A refused destination: failed without a connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import secrets
import socket
import time
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from ..domain.webhook_payload import encode_body
from ..net.client import GuardedHttpClient
from ..net.errors import BlockedDestination, InvalidUrl, NetError
from ..store import webhook_deliveries as deliveries
from ..store.sql import SqlStore
from .signing import WebhookSigner

__all__ = ["WebhookDispatcher", "classify"]

log = logging.getLogger(__name__)

SEND_TIMEOUT_SECONDS = 15.0
CLAIM_SECONDS = 60.0
IDLE_POLL_SECONDS = 1.0
MAX_RETRY_AFTER_SECONDS = 86400.0
RETRYABLE_STATUSES = frozenset({408, 429})


def classify(status: int) -> str:
    """DELIVERED, RETRY, GONE or FAILED for an HTTP status."""
    if 200 <= status < 300:
        return "DELIVERED"
    if status in RETRYABLE_STATUSES or status >= 500:
        return "RETRY"
    if status == 410:
        return "GONE"
    return "FAILED"


def _retry_after(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    with contextlib.suppress(TypeError, ValueError):
        return max(0.0, (parsedate_to_datetime(value) - now).total_seconds())
    return None


class WebhookDispatcher:
    def __init__(
        self,
        store: SqlStore,
        client: GuardedHttpClient,
        signer: WebhookSigner,
        schedule: tuple[float, ...],
        *,
        concurrency: int = 16,
        timeout: float = SEND_TIMEOUT_SECONDS,
    ) -> None:
        self._timeout = timeout
        self._store = store
        self._client = client
        self._signer = signer
        self._schedule = schedule
        self._concurrency = concurrency
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._wake = asyncio.Event()
        self._inflight: set[asyncio.Task[None]] = set()
        self._loop: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        self._loop = asyncio.create_task(self._run(), name="webhook-dispatcher")

    def notify(self) -> None:
        self._wake.set()

    async def stop(self, grace: float = 5.0) -> None:
        """Stop claiming; give attempts in flight `grace` seconds (unfinished ones are
        retried after their claim expires, by this or another replica)."""
        self._stopping = True
        self._wake.set()
        if self._loop is not None:
            self._loop.cancel()
            await asyncio.gather(self._loop, return_exceptions=True)
        if self._inflight:
            _, pending = await asyncio.wait(self._inflight, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def _run(self) -> None:
        while not self._stopping:
            free = self._concurrency - len(self._inflight)
            claimed = 0
            if free > 0:
                try:
                    claimed = await self._claim(free)
                except Exception:
                    log.exception("claiming webhook deliveries failed; retrying")
                    await asyncio.sleep(IDLE_POLL_SECONDS)
            if claimed and claimed == free:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), IDLE_POLL_SECONDS)

    async def _claim(self, limit: int) -> int:
        async with self._store.write_transaction() as conn:
            due = await deliveries.claim_due(
                conn,
                self.owner,
                limit,
                CLAIM_SECONDS,
                self._store.now(),
                skip_locked=self._store.dialect_name == "postgresql",
            )
        for delivery in due:
            task = asyncio.create_task(self._deliver(delivery))
            self._inflight.add(task)
            task.add_done_callback(self._done)
        return len(due)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._inflight.discard(task)
        self._wake.set()  # the next delivery of that execution may be due now

    async def _deliver(self, d: deliveries.DueDelivery) -> None:
        started = self._store.now()
        if d.endpoint_disabled:
            await self._record(
                d, started, None, "endpoint disabled: it answered 410 Gone", 0, "FAILED"
            )
            return
        body = encode_body(d.payload)
        headers = self._signer.headers(d.webhook_id, started, body)
        clock = time.monotonic()
        status: int | None = None
        error: str | None = None
        verdict = "RETRY"
        retry_after: float | None = None
        try:
            response = await self._client.post(
                d.url, body, headers, timeout=self._timeout, max_response_bytes=4096
            )
            status = response.status
            verdict = classify(status)
            if status == 429:
                retry_after = _retry_after(response.headers.get("retry-after"), started)
            if verdict != "DELIVERED":
                error = f"HTTP {status} {response.reason_phrase}".strip()
        except (BlockedDestination, InvalidUrl) as exc:
            error, verdict = f"refused: {exc}", "FAILED"
        except NetError as exc:  # timeouts, connection errors, TLS failures
            error = str(exc)
        except Exception as exc:  # never let one delivery stop the dispatcher
            log.exception("webhook %s: unexpected error", d.webhook_id)
            error = f"{type(exc).__name__}: {exc}"
        latency_ms = int((time.monotonic() - clock) * 1000)
        await self._record(d, started, status, error, latency_ms, verdict, retry_after)

    async def _record(
        self,
        d: deliveries.DueDelivery,
        started: datetime,
        status: int | None,
        error: str | None,
        latency_ms: int,
        verdict: str,
        retry_after: float | None = None,
    ) -> None:
        next_at = None
        if verdict == "RETRY":
            attempt = d.attempts + 1  # attempts made, this one included
            if attempt <= len(self._schedule):
                delay = self._schedule[attempt - 1] * random.uniform(0.9, 1.1)
                if retry_after is not None:
                    delay = max(delay, min(retry_after, MAX_RETRY_AFTER_SECONDS))
                next_at = self._store.now() + timedelta(seconds=delay)
                new_status = deliveries.PENDING
            else:
                new_status = deliveries.FAILED
                error = f"{error}; retries exhausted"
        elif verdict == "DELIVERED":
            new_status = deliveries.DELIVERED
        else:
            new_status = deliveries.FAILED
        outcome = deliveries.AttemptOutcome(started, status, error, latency_ms, new_status, next_at)
        try:
            async with self._store.write_transaction() as conn:
                kept = await deliveries.record_attempt(conn, d.id, self.owner, outcome)
                if kept and verdict == "GONE":
                    await deliveries.disable_endpoint(
                        conn,
                        d.tenant_id,
                        d.url,
                        "the endpoint answered 410 Gone",
                        self._store.now(),
                    )
        except Exception:
            # The claim expires and the delivery is attempted again (at-least-once).
            log.exception("webhook %s: recording the attempt failed", d.webhook_id)
            return
        if not kept:
            log.warning("webhook %s: claim lost before the attempt was recorded", d.webhook_id)
