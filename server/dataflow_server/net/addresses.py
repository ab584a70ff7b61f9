"""Which IP addresses outbound requests may reach, and how hosts are read as addresses.

`classify_address` names the category of any address that is not on the public
internet (loopback, private, link-local, carrier-grade NAT, multicast, ...);
`AddressPolicy` turns that into a refusal unless private networks are allowed.
The explicit tables come first because `ipaddress.is_global` differs between
Python versions (3.11.7 still calls 100.64.0.1's neighbours, 6to4 and NAT64
embeddings of 127.0.0.1, or fec0::/10 "global"); anything else that is not
`is_global`, or is reserved, is refused as well.

IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, the
deprecated IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96 and 6to4 2002::/16)
are judged by the IPv4 address they embed.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import TypeAlias

__all__ = [
    "AddressPolicy",
    "IPAddress",
    "classify_address",
    "parse_host_literal",
]

IPAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network

METADATA_ADDRESSES = frozenset(
    {ipaddress.IPv4Address("169.254.169.254"), ipaddress.IPv6Address("fd00:ec2::254")}
)

# (network, category): the first match names the address's category.
_IPV4_CATEGORIES: tuple[tuple[ipaddress.IPv4Network, str], ...] = (
    (_V4("0.0.0.0/8"), "unspecified ('this network')"),
    (_V4("127.0.0.0/8"), "loopback"),
    (_V4("10.0.0.0/8"), "private (RFC 1918)"),
    (_V4("172.16.0.0/12"), "private (RFC 1918)"),
    (_V4("192.168.0.0/16"), "private (RFC 1918)"),
    (_V4("100.64.0.0/10"), "carrier-grade NAT (RFC 6598)"),
    (_V4("169.254.0.0/16"), "link-local"),
    (_V4("192.0.0.0/24"), "reserved (IETF protocol assignments)"),
    (_V4("192.0.2.0/24"), "documentation"),
    (_V4("198.51.100.0/24"), "documentation"),
    (_V4("203.0.113.0/24"), "documentation"),
    (_V4("198.18.0.0/15"), "benchmarking"),
    (_V4("192.88.99.0/24"), "reserved (deprecated 6to4 relay)"),
    (_V4("224.0.0.0/4"), "multicast"),
    (_V4("255.255.255.255/32"), "broadcast"),
    (_V4("240.0.0.0/4"), "reserved"),
)

_IPV6_CATEGORIES: tuple[tuple[ipaddress.IPv6Network, str], ...] = (
    (_V6("::/128"), "unspecified"),
    (_V6("::1/128"), "loopback"),
    (_V6("64:ff9b:1::/48"), "private (local-use NAT64)"),
    (_V6("fc00::/7"), "private (unique local)"),
    (_V6("fe80::/10"), "link-local"),
    (_V6("fec0::/10"), "site-local (deprecated)"),
    (_V6("ff00::/8"), "multicast"),
    (_V6("2001:db8::/32"), "documentation"),
    (_V6("3fff::/20"), "documentation"),
    (_V6("2001:2::/48"), "benchmarking"),
    (_V6("100::/64"), "reserved (discard-only)"),
    (_V6("2001::/32"), "reserved (Teredo)"),
    (_V6("5f00::/16"), "reserved (SRv6)"),
)

_IPV4_MAPPED = _V6("::ffff:0:0/96")
_IPV4_COMPATIBLE = _V6("::/96")
_NAT64 = _V6("64:ff9b::/96")
_SIX_TO_FOUR = _V6("2002::/16")

_LEGACY_IPV4_CHARS = frozenset("0123456789abcdefxABCDEFX.")


def classify_address(ip: IPAddress) -> str | None:
    """The category of an address outside the public internet, or None for a public one."""
    if isinstance(ip, ipaddress.IPv4Address):
        return _classify_v4(ip)
    return _classify_v6(ip)


def _classify_v4(ip: ipaddress.IPv4Address) -> str | None:
    if ip in METADATA_ADDRESSES:
        return "link-local (cloud metadata endpoint)"
    for network, category in _IPV4_CATEGORIES:
        if ip in network:
            return category
    if not ip.is_global or ip.is_reserved or ip.is_multicast:
        return "reserved"
    return None


def _embedded(category: str | None, form: str, v4: ipaddress.IPv4Address) -> str | None:
    return None if category is None else f"{form} of {v4}, {category}"


def _classify_v6(ip: ipaddress.IPv6Address) -> str | None:
    if ip.scope_id:
        ip = ipaddress.IPv6Address(ip.packed)  # fe80::1%eth0: judge the address itself
    if ip in METADATA_ADDRESSES:
        return "private (cloud metadata endpoint)"
    mapped = ip.ipv4_mapped
    if mapped is not None and ip in _IPV4_MAPPED:
        return _embedded(_classify_v4(mapped), "IPv4-mapped form", mapped)
    for network, category in _IPV6_CATEGORIES[:2]:  # :: and ::1 lie inside ::/96
        if ip in network:
            return category
    if ip in _IPV4_COMPATIBLE:
        v4 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        return _embedded(_classify_v4(v4), "IPv4-compatible form", v4) or (
            "reserved (deprecated IPv4-compatible)"
        )
    if ip in _NAT64:
        v4 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        return _embedded(_classify_v4(v4), "NAT64 form", v4)  # a public v4 behind NAT64 is fine
    if ip in _SIX_TO_FOUR and ip.sixtofour is not None:
        found = _embedded(_classify_v4(ip.sixtofour), "6to4 form", ip.sixtofour)
        if found is not None:
            return found
    for network, category in _IPV6_CATEGORIES[2:]:
        if ip in network:
            return category
    if not ip.is_global or ip.is_reserved or ip.is_multicast:
        return "reserved"
    return None


def parse_host_literal(host: str) -> IPAddress | None:
    """The address a URL host denotes by itself (no DNS), read the way resolvers read it.

    IPv6 in brackets or bare (a `%25` zone is decoded); IPv4 in every form
    `inet_aton` accepts, as getaddrinfo does: `127.1`, `0x7f000001`,
    `2130706433`, `017700000001`, `0x7f.1`. Anything else is a name: None.
    """
    text = host.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if ":" in text:
        try:
            return ipaddress.IPv6Address(text.replace("%25", "%"))
        except ValueError:
            return None
    if not text or not set(text) <= _LEGACY_IPV4_CHARS:
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(text))
    except OSError:
        return None


class AddressPolicy:
    """Refuses every address outside the public internet unless private networks are allowed.

    `check_destination` is where the connector asks (address and port); it
    defers to `check`. Tests override it to treat one loopback port as public.
    """

    def __init__(self, *, allow_private: bool = False) -> None:
        self._allow_private = allow_private

    @property
    def allow_private(self) -> bool:
        return self._allow_private

    def check(self, ip: IPAddress | str) -> str | None:
        """Why the address is refused (naming its category), or None when it may be reached."""
        address = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
        if self._allow_private:
            return None
        category = classify_address(address)
        if category is None:
            return None
        return f"{address}: {category} address"

    def check_destination(self, ip: IPAddress, port: int) -> str | None:
        """Like `check`, for one address and port the connector is about to use."""
        return self.check(ip)

    def __repr__(self) -> str:
        return f"AddressPolicy(allow_private={self._allow_private})"
