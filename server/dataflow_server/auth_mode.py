"""Whether the server requires API keys (DATAFLOW_AUTH), decided before anything starts.

Like Redis's protected mode: without DATAFLOW_AUTH, authentication is off only
while every listen address is loopback (the README's Getting Started works as
is); a server reachable from elsewhere refuses to start until the operator
chooses, because "anyone who can reach the port can do anything" must be a
decision, not a default.
"""

from __future__ import annotations

import ipaddress
import socket

from .config import ConfigError, Settings
from .listen import split_host_port

__all__ = ["ProtectedModeError", "auth_required", "is_loopback"]


class ProtectedModeError(ConfigError):
    """A non-loopback listen address without DATAFLOW_AUTH; the message says what to set."""


def is_loopback(address: str) -> bool:
    """Whether `address` (HOST:PORT, or unix:PATH) is reachable only from this machine.

    A host name counts when every address it resolves to is loopback; an unspecified
    address (0.0.0.0, [::]) or a name that does not resolve does not.
    """
    if address.startswith("unix:"):
        return True
    try:
        host, _ = split_host_port(address)
    except ValueError:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        resolved = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return False
    return bool(resolved) and all(
        ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]).is_loopback
        for *_, sockaddr in resolved
    )


def auth_required(settings: Settings) -> bool:
    """True when API keys are required; ProtectedModeError when it is not decided
    and some listen address is reachable from other machines."""
    if settings.auth is not None:
        return settings.auth == "required"
    exposed = [(a, v) for a, v in settings.listen_addresses() if not is_loopback(a)]
    if exposed:
        address, variable = exposed[0]
        raise ProtectedModeError(
            f"refusing to serve {variable}={address} (not loopback) without authentication: "
            "set DATAFLOW_AUTH=required and create a key with "
            "`dataflow-server keys create --tenant NAME`, or DATAFLOW_AUTH=off "
            "to accept every caller as the default tenant"
        )
    return False
