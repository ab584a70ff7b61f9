"""Runs the HTTP app with uvicorn inside the gRPC server's event loop.

uvicorn's own signal handling is off: the process's SIGTERM handler
(dataflow_server.server.serve_forever) drains gRPC and HTTP together. The
socket is bound here, before uvicorn starts, so a busy port fails the start
with ListenError and port 0 reports the port it got.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import uvicorn
from starlette.routing import BaseRoute

from ...listen import ListenError, split_host_port
from ...tls import ServerTls
from .app import HttpApi, build_http_app

__all__ = ["HttpServer", "start_http_server"]


class _EmbeddedServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # the host process handles signals


def _bind(listen: str) -> socket.socket:
    try:
        host, port = split_host_port(listen)
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (ValueError, OSError) as exc:
        raise ListenError(f"cannot listen for HTTP on {listen!r}: {exc}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ListenError(f"cannot listen for HTTP on {listen}: {exc.strerror or exc}") from None
    return sock


@dataclass
class HttpServer:
    api: HttpApi
    server: uvicorn.Server
    sock: socket.socket
    main_loop: asyncio.Task[None]
    host: str
    port: int

    @property
    def address(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    async def stop(self, grace: float) -> None:
        """Stop accepting, end event streams, give requests in flight `grace` seconds."""
        self.api.closing.set()
        self.server.config.timeout_graceful_shutdown = max(int(grace), 1)
        self.server.should_exit = True
        await self.main_loop
        await self.server.shutdown(sockets=[self.sock])


async def start_http_server(
    api: HttpApi,
    listen: str,
    extra_routes: Sequence[BaseRoute] = (),
    tls: ServerTls | None = None,
) -> HttpServer:
    sock = _bind(listen)
    config = uvicorn.Config(
        build_http_app(api, extra_routes),
        lifespan="off",
        log_config=None,
        access_log=False,
        ws="none",
        timeout_graceful_shutdown=5,
        # Longer than the usual proxy and load-balancer idle timeouts (60 s), so that
        # the client side closes idle connections first and never sends a request
        # down one the server is closing.
        timeout_keep_alive=75,
        **(tls.uvicorn_options() if tls is not None else {}),
    )
    config.load()
    server = _EmbeddedServer(config)
    server.lifespan = config.lifespan_class(config)
    try:
        await server.startup(sockets=[sock])
    except BaseException:
        sock.close()
        raise
    host, port = sock.getsockname()[:2]
    return HttpServer(
        api, server, sock, asyncio.create_task(server.main_loop()), str(host), int(port)
    )
