"""TLS (and mutual TLS) for both edges: gRPC and the HTTP API.

`DATAFLOW_TLS_CERT_FILE` and `DATAFLOW_TLS_KEY_FILE` switch both listeners to
TLS; `DATAFLOW_TLS_CLIENT_CA_FILE` also requires every client to present a
certificate signed by that CA. The files are read and checked once, before the
database is opened, with the standard library's `ssl` module (the same checks
the HTTP edge's handshakes will make): a certificate without its key, an
unreadable file, a PEM that does not parse or a key that does not match the
certificate stops the start with one line naming the variable.

The material is read at start only: a renewed certificate takes a restart.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from .config import ConfigError, Settings

__all__ = ["ServerTls", "TlsError", "load_server_tls"]


class TlsError(ConfigError):
    """The TLS settings cannot be used; the message names the variable to fix."""


@dataclass(frozen=True)
class ServerTls:
    """Checked TLS material: the PEM bytes gRPC wants and the paths uvicorn wants."""

    cert_file: Path
    key_file: Path
    client_ca_file: Path | None
    cert_chain: bytes = field(repr=False)
    private_key: bytes = field(repr=False)
    client_ca: bytes | None = field(repr=False)

    @property
    def mutual(self) -> bool:
        """Whether clients must present a certificate (mTLS)."""
        return self.client_ca is not None

    def grpc_credentials(self) -> Any:
        """`grpc.ServerCredentials` for `add_secure_port`."""
        import grpc

        return grpc.ssl_server_credentials(
            [(self.private_key, self.cert_chain)],
            root_certificates=self.client_ca,
            require_client_auth=self.mutual,
        )

    def uvicorn_options(self) -> dict[str, Any]:
        """The `uvicorn.Config` keywords of the same material."""
        options: dict[str, Any] = {
            "ssl_certfile": str(self.cert_file),
            "ssl_keyfile": str(self.key_file),
        }
        if self.client_ca_file is not None:
            options["ssl_ca_certs"] = str(self.client_ca_file)
            options["ssl_cert_reqs"] = ssl.CERT_REQUIRED
        return options


def _read(path: Path, variable: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TlsError(f"{variable}: cannot read {path}: {exc.strerror or exc}") from None
    if b"-----BEGIN " not in data:
        raise TlsError(f"{variable}: {path} is not a PEM file")
    return data


def _encrypted_key(key_file: Path) -> NoReturn:
    # Called by OpenSSL for a passphrase instead of prompting on the terminal.
    raise TlsError(
        f"DATAFLOW_TLS_KEY_FILE: {key_file} is encrypted; give the key without a passphrase "
        "(readable by the server's user only)"
    )


def load_server_tls(settings: Settings) -> ServerTls | None:
    """The checked TLS material, or None when TLS is off (no variable set).

    Raises `TlsError` for half a configuration or a file that cannot serve.
    """
    cert_file, key_file = settings.tls_cert_file, settings.tls_key_file
    client_ca_file = settings.tls_client_ca_file
    if cert_file is None and key_file is None:
        if client_ca_file is not None:
            raise TlsError(
                "DATAFLOW_TLS_CLIENT_CA_FILE needs DATAFLOW_TLS_CERT_FILE and "
                "DATAFLOW_TLS_KEY_FILE (client certificates are checked over TLS only)"
            )
        return None
    if cert_file is None or key_file is None:
        given, missing = (
            ("DATAFLOW_TLS_KEY_FILE", "DATAFLOW_TLS_CERT_FILE")
            if cert_file is None
            else ("DATAFLOW_TLS_CERT_FILE", "DATAFLOW_TLS_KEY_FILE")
        )
        raise TlsError(f"{given} is set but {missing} is not: TLS needs both")
    cert_chain = _read(cert_file, "DATAFLOW_TLS_CERT_FILE")
    private_key = _read(key_file, "DATAFLOW_TLS_KEY_FILE")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(cert_file, key_file, password=lambda: _encrypted_key(key_file))
    except ssl.SSLError as exc:
        raise TlsError(
            f"DATAFLOW_TLS_CERT_FILE / DATAFLOW_TLS_KEY_FILE: {cert_file} and {key_file} "
            f"are not a certificate and its private key ({exc.reason or exc})"
        ) from None
    client_ca = None
    if client_ca_file is not None:
        client_ca = _read(client_ca_file, "DATAFLOW_TLS_CLIENT_CA_FILE")
        try:
            context.load_verify_locations(cafile=client_ca_file)
        except ssl.SSLError as exc:
            raise TlsError(
                f"DATAFLOW_TLS_CLIENT_CA_FILE: {client_ca_file} holds no usable CA "
                f"certificate ({exc.reason or exc})"
            ) from None
    return ServerTls(cert_file, key_file, client_ca_file, cert_chain, private_key, client_ca)
