"""A tiny HTTP/1.1 server on loopback that counts every accepted connection.

Used by the SSRF tests ("the listener records zero connections") and the
http.request task tests. Each connection serves one request and closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import inspect
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field

__all__ = ["LoopbackServer", "Recorded", "Reply", "gzip_bomb", "loopback_server"]


@dataclass
class Recorded:
    method: str
    target: str
    headers: dict[str, str]  # lower-cased names
    body: bytes


@dataclass
class Reply:
    status: int = 200
    headers: Sequence[tuple[str, str]] = ()
    body: bytes = b""
    delay: float = 0.0  # seconds before answering
    # Sent without Content-Length, ending with the connection (a body of unknown size).
    stream: Sequence[bytes] | None = None


Handler = Callable[[Recorded], Reply | Awaitable[Reply]]

REASONS = {200: "OK", 204: "No Content", 301: "Moved Permanently", 302: "Found", 303: "See Other"}


@dataclass
class LoopbackServer:
    handler: Handler
    host: str = "127.0.0.1"
    ssl_context: ssl.SSLContext | None = None
    connections: int = 0
    requests: list[Recorded] = field(default_factory=list)
    port: int = 0
    _server: asyncio.Server | None = None

    def url(self, path: str = "/", host: str | None = None) -> str:
        name = host or (f"[{self.host}]" if ":" in self.host else self.host)
        scheme = "https" if self.ssl_context else "http"
        return f"{scheme}://{name}:{self.port}{path}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, 0, ssl=self.ssl_context)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers: dict[str, str] = {}
            for line in lines[1:]:
                if line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
            recorded = Recorded(method, target, headers, body)
            self.requests.append(recorded)
            answer = self.handler(recorded)
            reply = await answer if inspect.isawaitable(answer) else answer
            if reply.delay:
                await asyncio.sleep(reply.delay)
            reason = REASONS.get(reply.status, "Status")
            out = [f"HTTP/1.1 {reply.status} {reason}"]
            out += [f"{name}: {value}" for name, value in reply.headers]
            if reply.stream is None:
                out.append(f"Content-Length: {len(reply.body)}")
            out.append("Connection: close")
            writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1"))
            if reply.stream is None:
                writer.write(reply.body)
            else:
                for chunk in reply.stream:
                    writer.write(chunk)
                    await writer.drain()
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


@contextlib.asynccontextmanager
async def loopback_server(
    handler: Handler | Reply, host: str = "127.0.0.1", ssl_context: ssl.SSLContext | None = None
) -> AsyncIterator[LoopbackServer]:
    """A started server; `handler` may be a fixed `Reply`."""
    if isinstance(handler, Reply):
        fixed = handler
        server = LoopbackServer(lambda _: fixed, host, ssl_context)
    else:
        server = LoopbackServer(handler, host, ssl_context)
    await server.start()
    try:
        yield server
    finally:
        await server.close()


def gzip_bomb(size: int) -> bytes:
    """`size` zero bytes, gzip-compressed (a few KiB on the wire)."""
    return gzip.compress(b"\0" * size, compresslevel=9)
