"""Checking a listen address before anything else starts.

`dataflow-server` checks every address it will listen on before it opens
the database, so a busy port costs one line and exit code 2 instead of a
traceback after the migrations ran. The check binds a throwaway socket the
way gRPC and uvicorn do (SO_REUSEADDR, every resolved address) and closes it.
"""

from __future__ import annotations

import contextlib
import errno
import socket

__all__ = ["ListenError", "check_listen_address", "split_host_port"]


class ListenError(OSError):
    """The server cannot listen on an address; the message names it and its variable."""


def split_host_port(address: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:50051`` for IPv6) as its host and port."""
    host, sep, port_text = address.rpartition(":")
    if not sep or not host or not port_text.isdigit() or int(port_text) > 65535:
        raise ValueError(f"expected HOST:PORT, got {address!r}")
    return host.removeprefix("[").removesuffix("]"), int(port_text)


def check_listen_address(address: str, variable: str) -> None:
    """Raise `ListenError` unless every address `address` resolves to can be bound.

    `variable` is the setting the address came from (``DATAFLOW_LISTEN``), named
    in the message so the user knows what to change. Port 0 and ``unix:``
    addresses are not checked (any port will do; gRPC reports socket paths).
    """
    if address.startswith("unix:"):
        return
    try:
        host, port = split_host_port(address)
    except ValueError as exc:
        raise ListenError(f"cannot listen on {address!r} (set by {variable}): {exc}") from None
    if port == 0:
        return
    try:
        resolved = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ListenError(
            f"cannot listen on {address} (set by {variable}): "
            f"unknown host {host!r} ({exc.strerror})"
        ) from None
    failures = [_bind_error(family, sockaddr) for family, _, _, _, sockaddr in resolved]
    # A busy port or a privileged one is fatal on any address; another error
    # (say, no IPv6 for "localhost") only when no address at all can be bound.
    fatal = next((e for e in failures if e is not None and e.errno in _FATAL), None)
    if fatal is None and all(failures):
        fatal = failures[0]
    if fatal is not None:
        reason = (
            "the address is already in use (is another server running?)"
            if fatal.errno == errno.EADDRINUSE
            else fatal.strerror or str(fatal)
        )
        raise ListenError(f"cannot listen on {address} (set by {variable}): {reason}")


_FATAL = frozenset({errno.EADDRINUSE, errno.EACCES})


def _bind_error(family: int, sockaddr: tuple[object, ...]) -> OSError | None:
    """The error of binding a throwaway socket to `sockaddr`, or None."""
    try:
        with contextlib.closing(socket.socket(family, socket.SOCK_STREAM)) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(sockaddr)
    except OSError as exc:
        return exc
    return None
