"""The ceiling: a trivial grpc.aio echo server and its client, measured like Dataflow.

    python -m bench.echo server --listen 127.0.0.1:PORT
    python -m bench.echo client --address 127.0.0.1:PORT [--requests N] [--in-flight N] ...

The server has three methods on raw bytes (no protobuf, no application
work): `Unary` answers its request, `Subscribe` streams what `Publish`
broadcasts to every subscriber (the shape of WatchExecution fan-out). The
client prints one JSON line: unary calls/s at 64 in flight, unary latency at
one in flight, and the per-message delivery latency of a fan-out burst with
as many streams and messages as the Dataflow fan-out scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import struct
import time
from typing import Any

import grpc

from .common import emit, run_concurrently, summary_ms

SERVICE = "bench.Echo"
PAYLOAD = b"x" * 120  # about the size of an ExecuteWorkflow request / event message
_HEADER = struct.Struct("<dI")  # sent-at (time.time()), sequence


class _Hub:
    def __init__(self) -> None:
        self.subscribers: set[asyncio.Queue[bytes | None]] = set()


async def serve(listen: str) -> None:
    hub = _Hub()

    async def unary(request: bytes, context: Any) -> bytes:
        return request

    async def subscribe(request: bytes, context: Any) -> Any:
        queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        hub.subscribers.add(queue)
        try:
            yield _HEADER.pack(time.time(), 0) + PAYLOAD  # "attached"
            while (message := await queue.get()) is not None:
                yield message
        finally:
            hub.subscribers.discard(queue)

    async def publish(request: bytes, context: Any) -> bytes:
        count, interval = struct.unpack("<Id", request)
        for sequence in range(1, count + 1):
            message = _HEADER.pack(time.time(), sequence) + PAYLOAD
            for queue in hub.subscribers:
                queue.put_nowait(message)
            await asyncio.sleep(interval)
        for queue in hub.subscribers:
            queue.put_nowait(None)
        return b""

    server = grpc.aio.server()
    server.add_generic_rpc_handlers(
        (
            grpc.method_handlers_generic_handler(
                SERVICE,
                {
                    "Unary": grpc.unary_unary_rpc_method_handler(unary),
                    "Subscribe": grpc.unary_stream_rpc_method_handler(subscribe),
                    "Publish": grpc.unary_unary_rpc_method_handler(publish),
                },
            ),
        )
    )
    server.add_insecure_port(listen)
    await server.start()
    await server.wait_for_termination()


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {}
    async with grpc.aio.insecure_channel(args.address) as channel:
        call = channel.unary_unary(f"/{SERVICE}/Unary")
        await channel.channel_ready()
        for _ in range(200):  # warm up
            await call(PAYLOAD)

        async def one(_: int) -> None:
            await call(PAYLOAD)

        elapsed = await run_concurrently(args.requests, args.in_flight, one)
        result["unary_rps"] = round(args.requests / elapsed, 1)

        latencies: list[float] = []
        for _ in range(args.latency_requests):
            start = time.perf_counter()
            await call(PAYLOAD)
            latencies.append(time.perf_counter() - start)
        result["unary_latency"] = summary_ms(latencies)

    result["fanout"] = await _fanout(args)
    return result


async def _fanout(args: argparse.Namespace) -> dict[str, Any]:
    channels = [grpc.aio.insecure_channel(args.address) for _ in range(args.fanout_channels)]
    try:
        for ch in channels:
            await ch.channel_ready()
        calls = [
            channels[i % len(channels)].unary_stream(f"/{SERVICE}/Subscribe")(b"")
            for i in range(args.watchers)
        ]
        started = time.perf_counter()
        await asyncio.gather(*(c.read() for c in calls))  # everyone attached
        attach_s = time.perf_counter() - started
        latencies: list[float] = []
        complete = 0

        async def drain(call: Any) -> None:
            nonlocal complete
            expected = 1
            while (message := await call.read()) is not grpc.aio.EOF:
                now = time.time()
                sent, sequence = _HEADER.unpack_from(message)
                if sequence != expected:
                    raise RuntimeError(f"echo fan-out: got {sequence}, expected {expected}")
                expected += 1
                latencies.append(now - sent)
            if expected - 1 == args.events:
                complete += 1

        publish = channels[0].unary_unary(f"/{SERVICE}/Publish")
        burst = time.perf_counter()
        await asyncio.gather(
            publish(struct.pack("<Id", args.events, args.event_interval)),
            *(drain(c) for c in calls),
        )
        return {
            "watchers": args.watchers,
            "events": args.events,
            "event_interval_ms": args.event_interval * 1000,
            "attach_s": round(attach_s, 3),
            "burst_s": round(time.perf_counter() - burst, 3),
            "complete_watchers": complete,
            "delivery": summary_ms(latencies),
        }
    finally:
        for ch in channels:
            await ch.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.echo")
    sub = parser.add_subparsers(dest="role", required=True)
    s = sub.add_parser("server")
    s.add_argument("--listen", required=True)
    c = sub.add_parser("client")
    c.add_argument("--address", required=True)
    c.add_argument("--requests", type=int, default=5000)
    c.add_argument("--in-flight", type=int, default=64)
    c.add_argument("--latency-requests", type=int, default=1000)
    c.add_argument("--watchers", type=int, default=1000)
    c.add_argument("--events", type=int, default=43)
    c.add_argument("--event-interval", type=float, default=0.001)
    c.add_argument("--fanout-channels", type=int, default=10)
    args = parser.parse_args()
    if args.role == "server":
        asyncio.run(serve(args.listen))
    else:
        emit(asyncio.run(measure(args)))


if __name__ == "__main__":
    main()
