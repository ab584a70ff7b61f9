"""WatchExecution as server-sent events.

`id:` is the event's sequence, `event:` its type, `data:` the event's proto3
JSON (the first and the terminal one carry the execution snapshot, as over
gRPC). `Last-Event-ID` (or `?last_event_id=` for clients that cannot set
headers) becomes `after_sequence`, so a reconnect resumes with no gap and no
duplicate. A comment line every `keepalive` seconds keeps proxies from
closing an idle stream; the stream ends after the terminal event, on server
shutdown, or at once when the client goes away (its watcher is released).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from google.protobuf import json_format
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from dataflow.v1 import execution_pb2, execution_service_pb2

from ...domain.errors import InvalidArgument
from .problems import problem_for
from .routes import HttpRoute
from .transcode import request_message

__all__ = ["EventStreamResponse", "watch_endpoint"]

LAST_EVENT_ID_QUERY = "last_event_id"
_ENCODED_CACHE_SIZE = 256

Call = Callable[[Any, Any], Any]


class EventStreamResponse(StreamingResponse):
    """A stream that stops as soon as the client disconnects, even while idle.

    Starlette notices a gone client only when a write fails (ASGI 2.4); an
    idle watcher would live until the next keep-alive. Listening for
    `http.disconnect` alongside releases it at once.
    """

    media_type = "text/event-stream"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        stream = asyncio.ensure_future(self.stream_response(send))
        disconnect = asyncio.ensure_future(self.listen_for_disconnect(receive))
        try:
            await asyncio.wait({stream, disconnect}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (stream, disconnect):
                task.cancel()
            await asyncio.gather(stream, disconnect, return_exceptions=True)


class _EventEncoder:
    """SSE frames, encoded once per event for all the clients watching it.

    The servicer hands every watcher of an execution the same response
    object, so the frame is keyed by it (the object is kept alive with it).
    """

    def __init__(self) -> None:
        self._frames: dict[int, tuple[Any, bytes]] = {}

    def __call__(self, response: execution_service_pb2.WatchExecutionResponse) -> bytes:
        if response.events:  # `batch_events=true`: the frames of every event, in one write
            return b"".join(_frame(event) for event in response.events)
        hit = self._frames.get(id(response))
        if hit is not None and hit[0] is response:
            return hit[1]
        frame = _frame(response.event)
        if len(self._frames) >= _ENCODED_CACHE_SIZE:
            self._frames.pop(next(iter(self._frames)))
        self._frames[id(response)] = (response, frame)
        return frame


def _frame(event: execution_pb2.ExecutionEvent) -> bytes:
    data = json.dumps(
        json_format.MessageToDict(event, preserving_proto_field_name=True),
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return f"id: {event.sequence}\nevent: {event.type}\ndata: {data}\n\n".encode()


async def _frames(
    events: AsyncIterator[Any],
    encode: Callable[[Any], bytes],
    on_error: Callable[[Exception], bytes],
    keepalive: float,
    closing: asyncio.Event,
) -> AsyncIterator[bytes]:
    iterator = events.__aiter__()
    pending: asyncio.Future[Any] | None = None
    closed = asyncio.ensure_future(closing.wait())
    try:
        yield b": connected\n\n"  # sends the headers now: the client knows it is subscribed
        while True:
            if pending is None:
                pending = asyncio.ensure_future(iterator.__anext__())
            done, _ = await asyncio.wait(
                {pending, closed}, timeout=keepalive, return_when=asyncio.FIRST_COMPLETED
            )
            if pending in done:
                finished, pending = pending, None
                try:
                    item = finished.result()
                except StopAsyncIteration:
                    return
                except Exception as exc:
                    yield on_error(exc)
                    return
                yield encode(item)
            elif closed in done:
                yield b": the server is shutting down; reconnect with Last-Event-ID\n\n"
                return
            else:
                yield b": keep-alive\n\n"
    finally:
        closed.cancel()
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await pending
        with contextlib.suppress(RuntimeError):
            await iterator.aclose()  # type: ignore[attr-defined]


def _last_event_id(request: Request) -> int | None:
    raw = request.headers.get("last-event-id") or request.query_params.get(LAST_EVENT_ID_QUERY)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise InvalidArgument.single(
            "Last-Event-ID", "must be the id (sequence) of an event received before"
        )
    return int(raw)


def watch_endpoint(
    route: HttpRoute,
    watch: Call,
    get_execution: Call,
    body_limit: int,
    keepalive: float,
    closing: asyncio.Event,
) -> Callable[[Request], Awaitable[Response]]:
    encode = _EventEncoder()

    async def endpoint(request: Request) -> Response:
        message = await request_message(
            route, request, body_limit, skip_query=frozenset({LAST_EVENT_ID_QUERY})
        )
        resume = _last_event_id(request)
        if resume is not None:
            message.after_sequence = resume  # type: ignore[attr-defined]
        # Unknown ids and an execution of another workflow are answered 404
        # before the stream starts; later errors arrive as an `error` event.
        await get_execution(
            execution_service_pb2.GetExecutionRequest(
                workflow_execution_id=message.workflow_execution_id,  # type: ignore[attr-defined]
                workflow_id=message.workflow_id,  # type: ignore[attr-defined]
            ),
            None,
        )

        def on_error(exc: Exception) -> bytes:
            return b"event: error\ndata: " + bytes(problem_for(request, exc).body) + b"\n\n"

        frames = _frames(watch(message, None), encode, on_error, keepalive, closing)
        return EventStreamResponse(
            frames, headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        )

    return endpoint
