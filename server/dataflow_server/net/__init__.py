"""Outbound HTTP that cannot be turned against the server's own network (SSRF guard).

Used by the `http.request` task and the webhook dispatcher:

    client = GuardedHttpClient(AddressPolicy(allow_private=settings.allow_private_networks))
    response = await client.request("GET", url, timeout=30)        # follows redirects
    response = await client.post(url, body, headers, timeout=15)    # webhooks: no redirects
    await client.check_destination(url)                             # validate without sending

Errors are `NetError` subclasses; `BlockedDestination` means nothing was sent.
"""

from .addresses import AddressPolicy, IPAddress, classify_address, parse_host_literal
from .client import (
    DEFAULT_MAX_REDIRECTS,
    DEFAULT_MAX_RESPONSE_BYTES,
    GuardedHttpClient,
    HttpResponse,
)
from .errors import (
    BlockedDestination,
    InvalidRequest,
    InvalidUrl,
    NetError,
    ResponseTooLarge,
    TlsError,
    TooManyRedirects,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from .guard import Resolver, check_url, system_resolver

__all__ = [
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "AddressPolicy",
    "BlockedDestination",
    "GuardedHttpClient",
    "HttpResponse",
    "IPAddress",
    "InvalidRequest",
    "InvalidUrl",
    "NetError",
    "Resolver",
    "ResponseTooLarge",
    "TlsError",
    "TooManyRedirects",
    "UpstreamTimeout",
    "UpstreamUnavailable",
    "check_url",
    "classify_address",
    "parse_host_literal",
    "system_resolver",
]
