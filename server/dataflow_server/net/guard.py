"""The SSRF guard: URL checks, and a network backend that connects only to checked addresses.

Two layers, both on every hop (redirects included):

1. `check_url` refuses what a URL alone shows: a scheme other than http or
   https, no host, credentials in the URL, or a literal address the policy
   refuses (read the way resolvers read hosts, so `127.1` or `0x7f000001` are
   loopback too).
2. `GuardedNetworkBackend.connect_tcp` is the only place a socket is opened. It
   resolves the host once, refuses the connection if ANY resolved address is
   refused, and then connects to one of those very addresses. The address that
   was checked is the address that is used, so a DNS answer that changes between
   a check and a connect (rebinding) cannot slip a private address in.

Why a network backend: httpcore (under httpx) opens every connection through
`AsyncNetworkBackend.connect_tcp(host, port, ...)` and only afterwards starts
TLS with the URL's host name as SNI and for certificate verification, and httpx
writes the Host header from the URL. Swapping the backend therefore changes
where the socket goes and nothing else: TLS and Host stay those of the name.
Wrapping httpx at a higher level (checking, then letting httpx resolve again)
would leave exactly the check-then-connect gap this closes.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence

import httpcore
import httpx

from .addresses import AddressPolicy, IPAddress, classify_address, parse_host_literal
from .errors import BlockedDestination, InvalidUrl

__all__ = [
    "ALLOWED_SCHEMES",
    "GuardedNetworkBackend",
    "Resolver",
    "check_url",
    "display_url",
    "resolve_checked",
    "system_resolver",
]

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
PRIVATE_NETWORKS_HINT = "private networks are refused unless DATAFLOW_ALLOW_PRIVATE_NETWORKS=true"

Resolver = Callable[[str, int], Awaitable[Sequence[IPAddress]]]
"""Resolves a host name to its addresses (the system resolver by default; tests inject one)."""


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """The host's addresses from getaddrinfo (in the resolver's order, without duplicates)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except UnicodeError:  # the IDNA codec refuses it (an empty or 64+ character label)
        raise socket.gaierror(socket.EAI_NONAME, "not a valid host name") from None
    found: list[IPAddress] = []
    for family, _type, _proto, _name, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        ip = ipaddress.ip_address(sockaddr[0])
        if isinstance(ip, ipaddress.IPv6Address) and len(sockaddr) >= 4 and sockaddr[3]:
            ip = ipaddress.IPv6Address(f"{ip}%{sockaddr[3]}")
        if ip not in found:
            found.append(ip)
    return found


def display_url(url: httpx.URL) -> str:
    """The URL for messages: scheme, host, port and path; never credentials or the query."""
    shown = url.copy_with(query=None, fragment=None)
    if url.userinfo:
        shown = shown.copy_with(username=None, password=None)
    return str(shown)


def _refusal(host: str, ip: IPAddress, reason: str) -> BlockedDestination:
    category = classify_address(ip)
    what = reason if category is None else f"{category} address"
    if host.strip("[]") == str(ip):
        detail = f"destination {ip} refused ({what})"
    elif parse_host_literal(host) is not None:
        detail = f"destination {host!r} refused: it is {ip} ({what})"
    else:
        detail = f"destination {host!r} refused: it resolves to {ip} ({what})"
    return BlockedDestination(
        f"{detail}; {PRIVATE_NETWORKS_HINT}", category=category or "refused", address=str(ip)
    )


def check_url(url: str | httpx.URL, policy: AddressPolicy) -> httpx.URL:
    """The parsed URL if it may be requested; `InvalidUrl` or `BlockedDestination` if not.

    Checks the scheme, host and credentials, and a literal address against the
    policy. Host names are resolved and checked when connecting.
    """
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise InvalidUrl(f"not a valid URL: {exc}") from None
    scheme = parsed.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise InvalidUrl(f"only http and https URLs are allowed, not {scheme or 'no scheme'!r}")
    host = parsed.raw_host.decode("ascii")
    if not host:
        raise InvalidUrl("the URL has no host")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise InvalidUrl(f"not a valid URL: port {parsed.port} is out of range")
    if parsed.userinfo:
        raise InvalidUrl("credentials in the URL are not allowed; send them in a header")
    ip = parse_host_literal(host)
    if ip is not None:
        port = parsed.port or DEFAULT_PORTS[scheme]
        reason = policy.check_destination(ip, port)
        if reason is not None:
            raise _refusal(host, ip, reason)
    return parsed


async def resolve_checked(
    host: str, port: int, policy: AddressPolicy, resolver: Resolver = system_resolver
) -> list[IPAddress]:
    """The host's addresses, every one allowed by the policy.

    A literal address is used as is; a name is resolved once. If any address is
    refused the whole host is (`BlockedDestination`): a name that also points
    somewhere private is not one to trust. Resolution failures raise `OSError`.
    """
    literal = parse_host_literal(host)
    if literal is not None:
        addresses: Sequence[IPAddress] = [literal]
    else:
        addresses = await resolver(host, port)
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, f"no address for {host!r}")
    for ip in addresses:
        reason = policy.check_destination(ip, port)
        if reason is not None:
            raise _refusal(host, ip, reason)
    return list(addresses)


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to addresses the policy allows.

    `connect_tcp` resolves (bounded by the connect timeout), checks every
    address, and connects to the checked addresses in turn through the inner
    backend (anyio). Refusals raise `BlockedDestination`, which httpx passes
    through unchanged; resolution and connection failures raise httpcore's
    `ConnectError`/`ConnectTimeout`, which httpx maps to its own.
    """

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        resolver: Resolver = system_resolver,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._policy = policy
        self._resolver = resolver
        self._inner = inner if inner is not None else httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        try:
            async with asyncio.timeout_at(deadline):
                addresses = await resolve_checked(host, port, self._policy, self._resolver)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host!r} timed out") from None
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve host {host!r}: {exc}") from exc
        last: Exception | None = None
        for ip in addresses:
            remaining = None if deadline is None else max(deadline - loop.time(), 0.0)
            try:
                return await self._inner.connect_tcp(
                    str(ip),
                    port,
                    timeout=remaining,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectTimeout:
                raise
            except httpcore.ConnectError as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedDestination(
            "connections to unix sockets are not allowed", category="unix socket"
        )

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)

    def __repr__(self) -> str:
        return f"GuardedNetworkBackend({self._policy!r})"
