"""The SSRF guard: address categories, URL checks, and real requests to loopback listeners.

Every listener counts the connections it accepts: a refused destination must
leave it at zero. Nothing here ever connects to a non-loopback address: those
are refused before any socket is opened (the connector is also checked with a
recording inner backend). Allowed paths use `allow_private=True`, or the
test-only `PublicPorts` policy that treats chosen loopback ports as public, with
an injected resolver for made-up names like `public.test`.
"""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

import httpcore
import pytest

from dataflow_server.net import (
    AddressPolicy,
    BlockedDestination,
    GuardedHttpClient,
    InvalidUrl,
    IPAddress,
    ResponseTooLarge,
    TlsError,
    TooManyRedirects,
    UpstreamTimeout,
    UpstreamUnavailable,
    check_url,
    classify_address,
    parse_host_literal,
    system_resolver,
)
from dataflow_server.net.guard import GuardedNetworkBackend
from tests.net.loopback import Recorded, Reply, gzip_bomb, loopback_server

LOOPBACK = ipaddress.IPv4Address("127.0.0.1")

# ------------------------------------------------------------------ test-only seams


class PublicPorts(AddressPolicy):
    """TEST-ONLY policy: 127.0.0.1 on the given ports counts as public; everything else
    is judged by the real policy (private networks refused)."""

    def __init__(self, *ports: int) -> None:
        super().__init__(allow_private=False)
        self.ports = set(ports)

    def check_destination(self, ip: IPAddress, port: int) -> str | None:
        if ip == LOOPBACK and port in self.ports:
            return None
        return super().check_destination(ip, port)


class FakeDns:
    """TEST-ONLY resolver: made-up names to fixed answers (a list per call, the last
    one repeating); other names go to the system resolver."""

    def __init__(self, answers: dict[str, Sequence[Sequence[str]]]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> list[IPAddress]:
        self.calls.append(host)
        if host not in self.answers:
            return await system_resolver(host, port)
        sequence = self.answers[host]
        answer = sequence[min(self.calls.count(host), len(sequence)) - 1]
        return [ipaddress.ip_address(a) for a in answer]


def public_dns(**extra: Sequence[str]) -> FakeDns:
    return FakeDns({"public.test": [["127.0.0.1"]], **{k: [v] for k, v in extra.items()}})


def ok(text: str = "ok") -> Reply:
    return Reply(200, [("Content-Type", "text/plain")], text.encode())


# ------------------------------------------------------------------ address categories

REFUSED = [
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback"),
    ("10.0.0.1", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.255", "private"),
    ("192.168.1.1", "private"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("169.254.169.254", "cloud metadata"),
    ("169.254.1.1", "link-local"),
    ("0.0.0.0", "unspecified"),
    ("0.1.2.3", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("255.255.255.255", "broadcast"),
    ("240.0.0.1", "reserved"),
    ("192.0.0.8", "reserved"),
    ("192.88.99.1", "reserved"),
    ("192.0.2.1", "documentation"),
    ("198.51.100.7", "documentation"),
    ("203.0.113.9", "documentation"),
    ("198.18.0.1", "benchmarking"),
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fc00::1", "unique local"),
    ("fd12:3456::1", "unique local"),
    ("fd00:ec2::254", "cloud metadata"),
    ("fe80::1", "link-local"),
    ("fe80::1%1", "link-local"),
    ("fec0::1", "site-local"),
    ("ff02::1", "multicast"),
    ("ff0e::1", "multicast"),
    ("2001:db8::1", "documentation"),
    ("3fff::1", "documentation"),
    ("2001:2::1", "benchmarking"),
    ("100::1", "discard"),
    ("2001::1", "Teredo"),
    ("5f00::1", "SRv6"),
    ("4000::1", "reserved"),
    ("::ffff:127.0.0.1", "IPv4-mapped form of 127.0.0.1, loopback"),
    ("::ffff:10.0.0.1", "IPv4-mapped form of 10.0.0.1, private"),
    ("::ffff:169.254.169.254", "cloud metadata"),
    ("::127.0.0.1", "IPv4-compatible form of 127.0.0.1, loopback"),
    ("::8.8.8.8", "deprecated IPv4-compatible"),
    ("64:ff9b::127.0.0.1", "NAT64 form of 127.0.0.1, loopback"),
    ("64:ff9b::a00:1", "NAT64 form of 10.0.0.1, private"),
    ("64:ff9b:1::1", "local-use NAT64"),
    ("2002:7f00:1::", "6to4 form of 127.0.0.1, loopback"),
    ("2002:a9fe:a9fe::1", "6to4 form of 169.254.169.254"),
    ("2002:c0a8:101::", "6to4 form of 192.168.1.1, private"),
]

PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "100.63.255.255",
    "100.128.0.1",
    "172.32.0.1",
    "2606:4700:4700::1111",
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
]


@pytest.mark.parametrize(("address", "category"), REFUSED)
def test_policy_refuses_non_public_addresses(address: str, category: str) -> None:
    ip = ipaddress.ip_address(address)
    found = classify_address(ip)
    assert found is not None and category in found
    reason = AddressPolicy().check(ip)
    assert reason is not None and category in reason
    assert AddressPolicy(allow_private=True).check(ip) is None


@pytest.mark.parametrize("address", PUBLIC)
def test_policy_allows_public_addresses(address: str) -> None:
    assert classify_address(ipaddress.ip_address(address)) is None
    assert AddressPolicy().check(address) is None


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0X7F000001", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("0", "0.0.0.0"),
        ("[::1]", "::1"),
        ("::1", "::1"),
        ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1"),
        ("[0:0:0:0:0:ffff:7f00:1]", "::ffff:127.0.0.1"),
        ("localhost", None),
        ("example.com", None),
        ("127.0.0.1.", None),
        ("1.2.3.4.5", None),
        ("08.1.1.1", None),
        ("0x7g", None),
        ("", None),
        ("[zz::1::2]", None),
    ],
)
def test_hosts_are_read_as_resolvers_read_them(host: str, expected: str | None) -> None:
    ip = parse_host_literal(host)
    assert (None if ip is None else ip) == (
        None if expected is None else ipaddress.ip_address(expected)
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1:8080/",
        "http://0x7f000001/",
        "http://2130706433/",
        "http://017700000001/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "https://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[fd00::1]:9000/x",
        "http://0.0.0.0:8080/",
        "http://100.64.1.1/",
    ],
)
def test_literal_private_urls_are_blocked(url: str) -> None:
    with pytest.raises(BlockedDestination) as err:
        check_url(url, AddressPolicy())
    assert "refused" in err.value.reason and err.value.address is not None
    assert "DATAFLOW_ALLOW_PRIVATE_NETWORKS" in err.value.reason
    check_url(url, AddressPolicy(allow_private=True))  # scheme and host are fine


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://example.com/", "only http and https"),
        ("javascript:alert(1)", "only http and https"),
        ("example.com/path", "only http and https"),
        ("http://", "no host"),
        ("http:///path", "no host"),
        ("http://user:secret@example.com/", "credentials"),
        ("http://user@example.com/", "credentials"),
        ("http://example.com:99999/", "port 99999 is out of range"),
        ("http://example.com:port/", "not a valid URL"),
        ("http://[::g]/", "not a valid URL"),
    ],
)
def test_bad_urls_are_invalid_for_either_policy(url: str, reason: str) -> None:
    for policy in (AddressPolicy(), AddressPolicy(allow_private=True)):
        with pytest.raises(InvalidUrl) as err:
            check_url(url, policy)
        assert reason in err.value.reason


def test_public_urls_pass() -> None:
    assert check_url("HTTPS://Example.COM:8443/a?b=c", AddressPolicy()).host == "example.com"
    assert check_url("http://8.8.8.8/", AddressPolicy()).port is None


# ------------------------------------------------------------------ the connector


class RecordingBackend(httpcore.AsyncNetworkBackend):
    """TEST-ONLY inner backend: records connect calls and never opens a socket."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.calls.append((host, port))
        raise httpcore.ConnectError("recording backend: not connecting")


@pytest.mark.parametrize(
    "host",
    [
        "10.0.0.1",
        "169.254.169.254",
        "127.1",
        "0x7f000001",
        "::1",
        "::ffff:127.0.0.1",
        "localhost",
        "private.test",
        "mixed.test",
        "metadata.test",
    ],
)
async def test_connector_refuses_before_any_connect(host: str) -> None:
    inner = RecordingBackend()
    dns = FakeDns(
        {
            "private.test": [["10.1.2.3"]],
            "mixed.test": [["8.8.8.8", "192.168.0.10"]],
            "metadata.test": [["169.254.169.254"]],
        }
    )
    backend = GuardedNetworkBackend(AddressPolicy(), resolver=dns, inner=inner)
    with pytest.raises(BlockedDestination):
        await backend.connect_tcp(host, 80, timeout=5)
    assert inner.calls == []


async def test_connector_connects_to_the_checked_address_only() -> None:
    inner = RecordingBackend()
    dns = FakeDns({"public.example": [["8.8.8.8", "2001:4860:4860::8888"]]})
    backend = GuardedNetworkBackend(AddressPolicy(), resolver=dns, inner=inner)
    with pytest.raises(httpcore.ConnectError):
        await backend.connect_tcp("public.example", 443, timeout=5)
    # Each checked address tried in turn, by IP: the name is never handed on to resolve again.
    assert inner.calls == [("8.8.8.8", 443), ("2001:4860:4860::8888", 443)]
    assert dns.calls == ["public.example"]
    with pytest.raises(BlockedDestination):
        await backend.connect_unix_socket("/var/run/docker.sock")


# ------------------------------------------------------------------ requests to loopback


@pytest.mark.parametrize(
    "template",
    [
        "http://127.0.0.1:{port}/",
        "http://127.1:{port}/",
        "http://0x7f000001:{port}/",
        "http://2130706433:{port}/",
        "http://017700000001:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://localhost:{port}/",
    ],
)
async def test_loopback_forms_are_refused_and_never_connected(template: str) -> None:
    async with loopback_server(ok()) as listener:
        url = template.format(port=listener.port)
        async with GuardedHttpClient(AddressPolicy()) as client:
            with pytest.raises(BlockedDestination) as err:
                await client.request("GET", url)
            assert "loopback" in err.value.reason
        assert listener.connections == 0
        # The same URL does reach the listener when private networks are allowed.
        async with GuardedHttpClient(AddressPolicy(allow_private=True)) as client:
            response = await client.request("GET", url)
        assert (response.status, response.content) == (200, b"ok")
        assert listener.connections == 1


@pytest.mark.parametrize(
    ("url", "category"),
    [
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("http://10.0.0.1/", "private (RFC 1918)"),
        ("http://[fd00:ec2::254]/", "cloud metadata"),
        ("http://100.100.100.200/", "carrier-grade NAT"),
    ],
)
async def test_non_loopback_private_targets_are_refused_before_connecting(
    url: str, category: str
) -> None:
    async with GuardedHttpClient(AddressPolicy()) as client:
        with pytest.raises(BlockedDestination) as err:
            await asyncio.wait_for(client.request("GET", url, timeout=30), 5)
    assert category in err.value.category


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


async def test_ipv6_loopback_is_refused() -> None:
    if not _ipv6_loopback():
        async with GuardedHttpClient(AddressPolicy()) as client:
            with pytest.raises(BlockedDestination):
                await client.request("GET", "http://[::1]:9/")
        return
    async with loopback_server(ok(), host="::1") as listener:
        async with GuardedHttpClient(AddressPolicy()) as client:
            with pytest.raises(BlockedDestination) as err:
                await client.request("GET", listener.url())
            assert "loopback" in err.value.reason
        assert listener.connections == 0
        async with GuardedHttpClient(AddressPolicy(allow_private=True)) as client:
            assert (await client.request("GET", listener.url())).status == 200
        assert listener.connections == 1


async def test_names_resolving_to_private_addresses_are_refused() -> None:
    async with loopback_server(ok()) as listener:
        port = listener.port
        dns = FakeDns({"intranet.test": [["127.0.0.1"]], "mixed.test": [["127.0.0.1", "10.0.0.5"]]})
        # 127.0.0.1:port counts as public here, so only the other answer can be refused.
        async with GuardedHttpClient(PublicPorts(port), resolver=dns) as client:
            with pytest.raises(BlockedDestination) as err:
                await client.request("GET", f"http://mixed.test:{port}/")
            assert "'mixed.test' refused: it resolves to 10.0.0.5" in err.value.reason
        async with GuardedHttpClient(AddressPolicy(), resolver=dns) as client:
            with pytest.raises(BlockedDestination) as err:
                await client.request("GET", f"http://intranet.test:{port}/")
            assert "it resolves to 127.0.0.1 (loopback address)" in err.value.reason
            with pytest.raises(BlockedDestination):
                await client.check_destination(f"http://intranet.test:{port}/")
        assert listener.connections == 0


async def test_a_public_name_keeps_its_host_header() -> None:
    async with loopback_server(ok()) as listener:
        dns = public_dns()
        async with GuardedHttpClient(PublicPorts(listener.port), resolver=dns) as client:
            response = await client.request("GET", f"http://public.test:{listener.port}/p?q=1")
            assert await client.check_destination(listener.url(host="public.test")) == [LOOPBACK]
        assert response.status == 200
        (seen,) = listener.requests
        assert seen.headers["host"] == f"public.test:{listener.port}"
        assert seen.target == "/p?q=1"


async def test_dns_rebinding_cannot_swap_the_checked_address() -> None:
    """The name is resolved once per connection and that checked address is used; when the
    next answer is private, the next connection is refused."""
    async with loopback_server(ok()) as listener:
        dns = FakeDns({"rebind.test": [["127.0.0.1"], ["10.0.0.1"]]})
        url = f"http://rebind.test:{listener.port}/"
        async with GuardedHttpClient(PublicPorts(listener.port), resolver=dns) as client:
            assert (await client.request("GET", url)).status == 200
            assert dns.calls == ["rebind.test"]
            with pytest.raises(BlockedDestination):
                await client.request("GET", url)
        assert listener.connections == 1


# ------------------------------------------------------------------ redirects


def redirect_to(location: str, status: int = 302) -> Reply:
    return Reply(status, [("Location", location)])


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{private}/",
        "http://127.1:{private}/",
        "http://[::ffff:127.0.0.1]:{private}/",
        "http://private.test:{private}/",
        "http://localhost:{private}/",
    ],
)
async def test_redirect_to_a_private_address_is_refused(target: str) -> None:
    async with loopback_server(ok("secret")) as private:
        location = target.format(private=private.port)
        async with loopback_server(redirect_to(location)) as public:
            dns = public_dns(**{"private.test": ["127.0.0.1"]})
            async with GuardedHttpClient(PublicPorts(public.port), resolver=dns) as client:
                with pytest.raises(BlockedDestination) as err:
                    await client.request("GET", f"http://public.test:{public.port}/start")
            assert "redirect" in err.value.reason and "loopback" in err.value.reason
            assert public.connections == 1
        assert private.connections == 0


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("http://10.0.0.1/admin", "private (RFC 1918)"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://public.test:70/", "only http and https"),
        ("http://user:pw@public.test/", "credentials"),
    ],
)
async def test_redirects_to_refused_urls(location: str, expected: str) -> None:
    async with (
        loopback_server(redirect_to(location, 301)) as public,
        GuardedHttpClient(PublicPorts(public.port), resolver=public_dns()) as client,
    ):
        with pytest.raises(BlockedDestination) as err:
            await client.request("GET", f"http://public.test:{public.port}/")
    assert expected in err.value.reason


async def test_at_most_five_redirects() -> None:
    def chain(request: Recorded) -> Reply:
        hop = int(request.target.strip("/") or 0)
        return ok(f"arrived after {hop}") if hop >= limit else redirect_to(f"/{hop + 1}")

    async with (
        loopback_server(chain) as server,
        GuardedHttpClient(AddressPolicy(allow_private=True)) as client,
    ):
        limit = 5
        response = await client.request("GET", server.url("/0"))
        assert response.content == b"arrived after 5" and len(response.redirects) == 5
        limit = 6
        with pytest.raises(TooManyRedirects):
            await client.request("GET", server.url("/0"))
        not_followed = await client.request("GET", server.url("/0"), follow_redirects=False)
        assert not_followed.status == 302 and not_followed.headers["location"] == "/1"


@pytest.mark.parametrize(
    ("status", "method", "expected_method", "keeps_body"),
    [
        (301, "POST", "GET", False),
        (302, "POST", "GET", False),
        (303, "POST", "GET", False),
        (303, "PUT", "GET", False),
        (307, "POST", "POST", True),
        (308, "PUT", "PUT", True),
        (302, "PUT", "PUT", True),
    ],
)
async def test_redirect_methods_as_browsers_do(
    status: int, method: str, expected_method: str, keeps_body: bool
) -> None:
    async with (
        loopback_server(
            lambda r: ok() if r.target == "/to" else redirect_to("/to", status)
        ) as server,
        GuardedHttpClient(AddressPolicy(allow_private=True)) as client,
    ):
        await client.request(
            method,
            server.url("/from"),
            content=b'{"a": 1}',
            headers={"Content-Type": "application/json", "Authorization": "Bearer t"},
        )
    first, second = server.requests
    assert (first.method, first.body) == (method, b'{"a": 1}')
    assert second.method == expected_method
    assert second.body == (b'{"a": 1}' if keeps_body else b"")
    assert ("content-type" in second.headers) == keeps_body
    assert second.headers["authorization"] == "Bearer t"  # same origin: kept


async def test_cross_origin_redirect_drops_credentials() -> None:
    async with (
        loopback_server(ok()) as other,
        loopback_server(redirect_to(other.url("/landing"))) as first,
        GuardedHttpClient(AddressPolicy(allow_private=True)) as client,
    ):
        await client.request(
            "GET",
            first.url("/"),
            headers={"Authorization": "Bearer secret", "Cookie": "s=1", "X-Keep": "1"},
        )
    (sent_first,) = first.requests
    (sent_other,) = other.requests
    assert sent_first.headers["authorization"] == "Bearer secret"
    assert "authorization" not in sent_other.headers and "cookie" not in sent_other.headers
    assert sent_other.headers["x-keep"] == "1"
    assert sent_other.headers["host"] == f"127.0.0.1:{other.port}"


# ------------------------------------------------------------------ caps, timeouts, errors


async def test_response_size_cap() -> None:
    big = b"x" * 5000

    def pages(request: Recorded) -> Reply:
        if request.target == "/declared":
            return Reply(200, body=big)
        if request.target == "/streamed":
            return Reply(200, stream=[b"x" * 1000] * 50)
        if request.target == "/gzip":
            return Reply(200, [("Content-Encoding", "gzip")], gzip_bomb(10 * 1024 * 1024))
        return Reply(200, body=b"y" * 4096)

    async with (
        loopback_server(pages) as server,
        GuardedHttpClient(AddressPolicy(allow_private=True), max_response_bytes=4096) as client,
    ):
        for path in ("/declared", "/streamed", "/gzip"):
            with pytest.raises(ResponseTooLarge) as err:
                await client.request("GET", server.url(path))
            assert err.value.limit == 4096 and "4 KiB" in err.value.reason
        exact = await client.request("GET", server.url("/exact"))
        assert len(exact.content) == 4096 and not exact.truncated
        cut = await client.post(server.url("/streamed"), b"{}", max_response_bytes=100)
        assert (len(cut.content), cut.truncated) == (100, True)
    assert len(gzip_bomb(10 * 1024 * 1024)) < 20 * 1024


async def test_gzip_bodies_are_decoded() -> None:
    body = gzip.compress(b"hello " * 100)
    async with (
        loopback_server(Reply(200, [("Content-Encoding", "gzip")], body)) as server,
        GuardedHttpClient(AddressPolicy(allow_private=True)) as client,
    ):
        response = await client.request("GET", server.url())
    assert response.content == b"hello " * 100


async def test_cookies_are_never_kept_between_calls() -> None:
    async with (
        loopback_server(Reply(200, [("Set-Cookie", "session=abc; Path=/")])) as server,
        GuardedHttpClient(AddressPolicy(allow_private=True)) as client,
    ):
        first = await client.request("GET", server.url())
        await client.request("GET", server.url())
    assert first.headers["set-cookie"].startswith("session=abc")
    assert all("cookie" not in r.headers for r in server.requests)


async def test_proxy_environment_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    async with loopback_server(ok("proxied")) as proxy, loopback_server(ok("direct")) as target:
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "HTTPS_PROXY"):
            monkeypatch.setenv(name, proxy.url())
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        async with GuardedHttpClient(AddressPolicy(allow_private=True)) as client:
            response = await client.request("GET", target.url())
    assert response.content == b"direct" and proxy.connections == 0


async def test_timeout_covers_the_whole_exchange() -> None:
    async with (
        loopback_server(Reply(200, body=b"late", delay=3.0)) as server,
        GuardedHttpClient(AddressPolicy(allow_private=True)) as client,
    ):
        started = asyncio.get_running_loop().time()
        with pytest.raises(UpstreamTimeout):
            await client.request("GET", server.url(), timeout=0.3)
        assert asyncio.get_running_loop().time() - started < 2.0


async def test_unreachable_and_unresolvable_hosts() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]

    async def no_such_name(host: str, port: int) -> list[IPAddress]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    async with GuardedHttpClient(
        AddressPolicy(allow_private=True), resolver=no_such_name
    ) as client:
        with pytest.raises(UpstreamUnavailable) as err:
            await client.request("GET", f"http://127.0.0.1:{closed_port}/")
        assert "cannot connect" in err.value.reason
        with pytest.raises(UpstreamUnavailable) as err:
            await client.request("GET", "http://nowhere.test/")
        assert "cannot resolve host 'nowhere.test'" in err.value.reason
        with pytest.raises(UpstreamUnavailable):
            await client.check_destination("http://nowhere.test/")


# ------------------------------------------------------------------ TLS to a checked address


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for public.test (made with the openssl command)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=public.test",
            "-addext",
            "subjectAltName=DNS:public.test",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


async def test_tls_verifies_the_host_name_while_connecting_to_the_checked_ip(
    certificate: tuple[Path, Path],
) -> None:
    cert, key = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    sni: list[str | None] = []
    server_context.sni_callback = lambda _sock, name, _ctx: sni.append(name)
    trust = ssl.create_default_context(cafile=str(cert))
    async with loopback_server(ok("over tls"), ssl_context=server_context) as server:
        dns = public_dns()
        async with GuardedHttpClient(
            PublicPorts(server.port), resolver=dns, verify=trust
        ) as client:
            response = await client.request("GET", f"https://public.test:{server.port}/")
            assert response.content == b"over tls"
            assert sni == ["public.test"]
            assert server.requests[0].headers["host"] == f"public.test:{server.port}"
            # The same server by its IP: the certificate does not name it.
        async with GuardedHttpClient(AddressPolicy(allow_private=True), verify=trust) as client:
            with pytest.raises(TlsError):
                await client.request("GET", f"https://127.0.0.1:{server.port}/")


async def test_shared_client_serves_concurrent_requests() -> None:
    async with (
        loopback_server(lambda r: ok(r.target)) as server,
        GuardedHttpClient(AddressPolicy(allow_private=True)) as client,
    ):
        responses = await asyncio.gather(
            *(client.request("GET", server.url(f"/{i}")) for i in range(20))
        )
    assert sorted(r.content for r in responses) == sorted(f"/{i}".encode() for i in range(20))
