"""How the clients reach the server: the channel's TLS and the API key on every call.

The key travels as ``authorization: Bearer <key>`` metadata, added by a client
interceptor rather than by gRPC call credentials: call credentials need a
secure channel, and a key must also work over the plaintext loopback channel
of the Getting Started. The key is kept out of every repr, log and error.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import grpc.aio

from . import _config

__all__ = ["Transport", "aio_channel", "sync_channel"]


def _env_flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _read(path: str | os.PathLike[str], what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc
        raise ValueError(f"cannot read the {what} {os.fspath(path)}: {reason}") from None


def _checked_key(key: str) -> str:
    # gRPC metadata values are printable ASCII; say so without echoing the key.
    if not key.isascii() or not key.isprintable() or " " in key:
        raise ValueError("the API key must be printable ASCII without spaces")
    return key


@dataclass(frozen=True)
class Transport:
    """The channel credentials (None: plaintext) and the API key (None: no key)."""

    credentials: Any = None
    api_key: str | None = field(default=None, repr=False)

    @property
    def tls(self) -> bool:
        return self.credentials is not None

    def __repr__(self) -> str:
        key = "***" if self.api_key else None
        return f"Transport(tls={self.tls}, api_key={key})"

    @classmethod
    def resolve(
        cls,
        api_key: str | None = None,
        tls: bool | None = None,
        ca_file: str | os.PathLike[str] | None = None,
        client_cert_file: str | os.PathLike[str] | None = None,
        client_key_file: str | os.PathLike[str] | None = None,
        *,
        env: Mapping[str, str] | None = None,
    ) -> Transport:
        """Each argument, else its environment variable (``DATAFLOW_API_KEY``,
        ``DATAFLOW_TLS``, ``DATAFLOW_CA_FILE``, ``DATAFLOW_CLIENT_CERT_FILE``,
        ``DATAFLOW_CLIENT_KEY_FILE``). TLS is on when asked for or when any file
        is given; without a CA file the system's trusted roots verify the server."""
        e = os.environ if env is None else env
        key = api_key or (e.get(_config.API_KEY_ENV) or "").strip() or None
        ca = ca_file or e.get(_config.CA_FILE_ENV) or None
        cert = client_cert_file or e.get(_config.CLIENT_CERT_FILE_ENV) or None
        private = client_key_file or e.get(_config.CLIENT_KEY_FILE_ENV) or None
        secure = _env_flag(e.get(_config.TLS_ENV)) if tls is None else tls
        if (cert is None) != (private is None):
            raise ValueError("a client certificate needs its key, and a key its certificate")
        credentials = None
        if secure or ca or cert:
            credentials = grpc.ssl_channel_credentials(
                root_certificates=_read(ca, "CA file") if ca else None,
                private_key=_read(private, "client key") if private else None,
                certificate_chain=_read(cert, "client certificate") if cert else None,
            )
        return cls(credentials, _checked_key(key) if key else None)

    def sync_interceptors(self) -> list[Any]:
        return [_BearerAuth(self.api_key)] if self.api_key else []

    def aio_interceptors(self) -> list[Any]:
        if not self.api_key:
            return []
        auth = _BearerAuth(self.api_key)
        return [
            _AioUnaryUnary(auth),
            _AioUnaryStream(auth),
            _AioStreamUnary(auth),
            _AioStreamStream(auth),
        ]


def sync_channel(address: str, options: list[tuple[str, Any]], transport: Transport) -> Any:
    """A blocking channel to ``address`` with the transport's TLS and key."""
    if transport.credentials is not None:
        channel = grpc.secure_channel(address, transport.credentials, options=options)
    else:
        channel = grpc.insecure_channel(address, options=options)
    interceptors = transport.sync_interceptors()
    return grpc.intercept_channel(channel, *interceptors) if interceptors else channel


def aio_channel(address: str, options: list[tuple[str, Any]], transport: Transport) -> Any:
    """An asyncio channel to ``address`` with the transport's TLS and key."""
    interceptors = transport.aio_interceptors() or None
    if transport.credentials is not None:
        return grpc.aio.secure_channel(
            address, transport.credentials, options=options, interceptors=interceptors
        )
    return grpc.aio.insecure_channel(address, options=options, interceptors=interceptors)


class _SyncCallDetails(grpc.ClientCallDetails):  # type: ignore[misc]
    def __init__(self, details: Any, metadata: list[tuple[str, str]]) -> None:
        self.method = details.method
        self.timeout = details.timeout
        self.metadata = metadata
        self.credentials = details.credentials
        self.wait_for_ready = getattr(details, "wait_for_ready", None)
        self.compression = getattr(details, "compression", None)


class _BearerAuth(
    grpc.UnaryUnaryClientInterceptor,  # type: ignore[misc]
    grpc.UnaryStreamClientInterceptor,  # type: ignore[misc]
    grpc.StreamUnaryClientInterceptor,  # type: ignore[misc]
    grpc.StreamStreamClientInterceptor,  # type: ignore[misc]
):
    """Adds the key to every call of a blocking channel (and gives the metadata
    to the asyncio interceptors below)."""

    def __init__(self, api_key: str) -> None:
        self._header = ("authorization", f"Bearer {api_key}")

    def __repr__(self) -> str:
        return "BearerAuth(***)"

    def metadata(self, given: Any) -> list[tuple[str, str]]:
        kept = [(k, v) for k, v in (given or ()) if k.lower() != "authorization"]
        return [*kept, self._header]

    def _details(self, details: Any) -> _SyncCallDetails:
        return _SyncCallDetails(details, self.metadata(details.metadata))

    def intercept_unary_unary(self, continuation: Any, details: Any, request: Any) -> Any:
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation: Any, details: Any, request: Any) -> Any:
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation: Any, details: Any, requests: Any) -> Any:
        return continuation(self._details(details), requests)

    def intercept_stream_stream(self, continuation: Any, details: Any, requests: Any) -> Any:
        return continuation(self._details(details), requests)


class _AioAuth:
    """grpc.aio files an interceptor under one call kind only: one class per kind."""

    def __init__(self, auth: _BearerAuth) -> None:
        self._auth = auth

    def __repr__(self) -> str:
        return f"{type(self).__name__}(***)"

    def _details(self, details: Any) -> Any:
        return grpc.aio.ClientCallDetails(
            details.method,
            details.timeout,
            grpc.aio.Metadata(*self._auth.metadata(details.metadata)),
            details.credentials,
            details.wait_for_ready,
        )


class _AioUnaryUnary(_AioAuth, grpc.aio.UnaryUnaryClientInterceptor):  # type: ignore[misc]
    async def intercept_unary_unary(self, continuation: Any, details: Any, request: Any) -> Any:
        return await continuation(self._details(details), request)


class _AioUnaryStream(_AioAuth, grpc.aio.UnaryStreamClientInterceptor):  # type: ignore[misc]
    async def intercept_unary_stream(self, continuation: Any, details: Any, request: Any) -> Any:
        return await continuation(self._details(details), request)


class _AioStreamUnary(_AioAuth, grpc.aio.StreamUnaryClientInterceptor):  # type: ignore[misc]
    async def intercept_stream_unary(self, continuation: Any, details: Any, requests: Any) -> Any:
        return await continuation(self._details(details), requests)


class _AioStreamStream(_AioAuth, grpc.aio.StreamStreamClientInterceptor):  # type: ignore[misc]
    async def intercept_stream_stream(self, continuation: Any, details: Any, requests: Any) -> Any:
        return await continuation(self._details(details), requests)
