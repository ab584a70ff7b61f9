"""What the guarded HTTP client raises. Every error carries a readable `reason`."""

from __future__ import annotations

__all__ = [
    "BlockedDestination",
    "InvalidRequest",
    "InvalidUrl",
    "NetError",
    "ResponseTooLarge",
    "TlsError",
    "TooManyRedirects",
    "UpstreamTimeout",
    "UpstreamUnavailable",
]


class NetError(Exception):
    """Base of the guarded client's errors."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidUrl(NetError):
    """The caller's URL cannot be used: malformed, not http(s), no host, or credentials in it."""


class InvalidRequest(NetError):
    """The request cannot be sent as given (e.g. a header value with a line break)."""


class BlockedDestination(NetError):
    """The guard refused a destination: a non-public address (literal or resolved), or a
    redirect to a URL that may not be followed. Nothing was sent to it.

    `category` names the refused range ("loopback", "private (RFC 1918)", ...) or
    "redirect" for an unusable redirect target; `address` is the refused IP, if any.
    """

    def __init__(self, reason: str, *, category: str, address: str | None = None) -> None:
        super().__init__(reason)
        self.category = category
        self.address = address


class TooManyRedirects(NetError):
    """More redirects than allowed."""


class ResponseTooLarge(NetError):
    """The response body is larger than the cap; reading stopped at the cap."""

    def __init__(self, reason: str, *, limit: int) -> None:
        super().__init__(reason)
        self.limit = limit


class UpstreamTimeout(NetError):
    """Connecting, sending or receiving took longer than allowed."""


class UpstreamUnavailable(NetError):
    """The host could not be resolved or reached, or broke the exchange (refused, reset,
    malformed response)."""


class TlsError(NetError):
    """The TLS handshake failed, e.g. the certificate does not verify for the host name."""
