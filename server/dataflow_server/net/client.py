"""The guarded HTTP client shared by the `http.request` task and the webhook dispatcher.

One `httpx.AsyncClient` over `GuardedTransport` (httpx's transport with the
guarded network backend), used only through `GuardedHttpClient`, which adds:

- a URL check on every hop (`check_url`), and the address check at connect time;
- redirects followed by hand, at most `max_redirects`, each target checked
  again; 303 (and 301/302 after a POST) continue as GET without a body, as
  browsers do; Authorization, Proxy-Authorization, Cookie and Host are dropped
  when a redirect leaves the origin (scheme, host, port);
- a response-size cap: the body is streamed and reading stops past the cap
  (`ResponseTooLarge`, or a truncated body when asked to truncate); the cap
  counts decoded bytes, so a small gzip "bomb" is stopped too (one received
  chunk is decompressed whole, which bounds the overshoot);
- one overall deadline per call, redirects and body included;
- errors as `NetError` subclasses, never raw httpx/httpcore exceptions.

The client keeps no state between calls: cookies are never stored (a jar whose
policy accepts no domain), and no environment settings are read (no proxies
from HTTP_PROXY, no .netrc), since a proxy would bypass the address checks.
TLS verification uses the system-independent certifi bundle, or SSL_CERT_FILE
/ SSL_CERT_DIR when set.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.message
import http.cookiejar
import ssl
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

import httpcore
import httpx

from .addresses import AddressPolicy, IPAddress
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
from .guard import (
    DEFAULT_PORTS,
    GuardedNetworkBackend,
    Resolver,
    check_url,
    display_url,
    resolve_checked,
    system_resolver,
)

__all__ = [
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "GuardedHttpClient",
    "GuardedTransport",
    "HttpResponse",
]

DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
DEFAULT_USER_AGENT = "Dataflow/0.1"

DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Headers describing a request body: dropped with the body when a redirect turns into a GET.
_BODY_HEADERS = (
    "content-type",
    "content-encoding",
    "content-language",
    "content-location",
    "content-length",
    "transfer-encoding",
)
# Headers that must not follow a redirect to another origin.
_ORIGIN_BOUND_HEADERS = ("authorization", "proxy-authorization", "cookie", "host")


@dataclass(frozen=True)
class HttpResponse:
    """A complete response: status, headers and the (decoded, capped) body."""

    status: int
    reason_phrase: str
    headers: httpx.Headers
    content: bytes
    url: str  # the final URL, after redirects
    redirects: tuple[str, ...] = ()  # the URLs that answered with a followed redirect
    truncated: bool = False  # the body was cut at the cap (only when truncation was asked for)
    elapsed_seconds: float = 0.0

    @property
    def content_type(self) -> str:
        return str(self.headers.get("content-type", ""))

    @property
    def charset(self) -> str | None:
        """The charset parameter of Content-Type, if any."""
        if not self.content_type:
            return None
        message = email.message.Message()
        message["content-type"] = self.content_type
        charset = message.get_param("charset")
        return charset.strip() if isinstance(charset, str) and charset.strip() else None


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's HTTP transport whose connection pool opens sockets only through
    `GuardedNetworkBackend`.

    httpx 0.28 has no public parameter for httpcore's network backend (httpcore
    has, since 0.17), so after httpx builds its transport we replace its pool
    with an identical `httpcore.AsyncConnectionPool` that has our backend. The
    alternative, a transport of our own over httpcore, would copy httpx's
    request/response and exception mapping; this keeps all of it. If httpx's
    internals change, construction fails loudly rather than running unguarded.
    """

    def __init__(
        self,
        backend: GuardedNetworkBackend,
        *,
        verify: ssl.SSLContext | bool = True,
        limits: httpx.Limits = DEFAULT_LIMITS,
    ) -> None:
        ssl_context = httpx.create_ssl_context(verify=verify, trust_env=True)
        super().__init__(verify=ssl_context, limits=limits, trust_env=False)
        if not isinstance(getattr(self, "_pool", None), httpcore.AsyncConnectionPool):
            raise RuntimeError(
                "httpx.AsyncHTTPTransport no longer keeps its pool in `_pool`: "
                "the guarded transport cannot install its network backend"
            )
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=backend,
        )


def _no_cookies() -> http.cookiejar.CookieJar:
    """A jar that stores and sends nothing: calls share a client, never cookies."""
    return http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))


def _size(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MiB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n} bytes"


def _origin(url: httpx.URL) -> tuple[str, bytes, int | None]:
    return (url.scheme, url.raw_host, url.port or DEFAULT_PORTS.get(url.scheme))


def _is_tls_failure(exc: BaseException) -> ssl.SSLError | None:
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return None
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


class GuardedHttpClient:
    """HTTP requests that only reach destinations the policy allows.

    One instance is shared by the whole server (it pools connections); close it
    with `aclose()`. `resolver` is a test seam (the system resolver otherwise).
    """

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
        user_agent: str = DEFAULT_USER_AGENT,
        verify: ssl.SSLContext | bool = True,
        resolver: Resolver = system_resolver,
    ) -> None:
        if max_response_bytes <= 0:
            raise ValueError("max_response_bytes must be > 0")
        self._policy = policy
        self._resolver = resolver
        self._max_response_bytes = max_response_bytes
        self._max_redirects = max_redirects
        transport = GuardedTransport(
            GuardedNetworkBackend(policy, resolver=resolver), verify=verify
        )
        self._client = httpx.AsyncClient(
            transport=transport,
            trust_env=False,
            follow_redirects=False,
            cookies=_no_cookies(),
            headers={"User-Agent": user_agent},
        )

    @property
    def policy(self) -> AddressPolicy:
        return self._policy

    @property
    def max_response_bytes(self) -> int:
        return self._max_response_bytes

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> GuardedHttpClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def check_destination(self, url: str, *, timeout: float = 10.0) -> list[IPAddress]:
        """Checks a URL as a request to it would be checked, without sending anything.

        Returns the host's (allowed) addresses. Raises `InvalidUrl`,
        `BlockedDestination` (literal or resolved address refused), or
        `UpstreamUnavailable` / `UpstreamTimeout` when the name does not resolve.
        """
        parsed = check_url(url, self._policy)
        port = parsed.port or DEFAULT_PORTS[parsed.scheme]
        host = parsed.raw_host.decode("ascii")
        try:
            async with asyncio.timeout(timeout):
                return await resolve_checked(host, port, self._policy, self._resolver)
        except TimeoutError:
            raise UpstreamTimeout(f"resolving {host!r} took longer than {timeout:g}s") from None
        except OSError as exc:
            raise UpstreamUnavailable(f"cannot resolve host {host!r}: {exc}") from None

    async def post(
        self,
        url: str,
        content: bytes,
        headers: Mapping[str, str] | None = None,
        timeout: float = 15.0,
        follow_redirects: bool = False,
        *,
        max_response_bytes: int = 64 * 1024,
    ) -> HttpResponse:
        """POSTs `content`; the response body is kept up to `max_response_bytes` and cut
        there (`truncated`), not an error. Redirects are returned, not followed, unless
        asked. What the webhook dispatcher uses."""
        return await self.request(
            "POST",
            url,
            headers=headers,
            content=content,
            timeout=timeout,
            follow_redirects=follow_redirects,
            max_response_bytes=max_response_bytes,
            truncate=True,
        )

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        timeout: float = 30.0,
        follow_redirects: bool = True,
        max_response_bytes: int | None = None,
        truncate: bool = False,
    ) -> HttpResponse:
        """Sends a request and reads the whole response (within the cap).

        `timeout` bounds the whole call: every hop, connect, send and body.
        Responses of any status are returned; what a status means is the
        caller's business. Raises only `NetError` subclasses.
        """
        cap = self._max_response_bytes if max_response_bytes is None else max_response_bytes
        target = check_url(url, self._policy)
        started = time.monotonic()
        try:
            async with asyncio.timeout(timeout):
                return await self._exchange(
                    method.upper(),
                    target,
                    httpx.Headers(dict(headers or {})),
                    content,
                    httpx.Timeout(timeout),
                    follow_redirects,
                    cap,
                    truncate,
                    started,
                )
        except TimeoutError:
            raise UpstreamTimeout(
                f"{method.upper()} {display_url(target)} took longer than {timeout:g}s"
            ) from None

    async def _exchange(
        self,
        method: str,
        url: httpx.URL,
        headers: httpx.Headers,
        content: bytes | None,
        timeout: httpx.Timeout,
        follow_redirects: bool,
        cap: int,
        truncate: bool,
        started: float,
    ) -> HttpResponse:
        hops: list[str] = []
        while True:
            try:
                async with self._mapped_errors(method, url):
                    request = self._client.build_request(
                        method, url, headers=headers, content=content, timeout=timeout
                    )
                    response = await self._client.send(request, stream=True)
            except BlockedDestination as exc:  # refused when connecting: name the redirect
                if not hops:
                    raise
                raise BlockedDestination(
                    f"redirect from {hops[-1]} refused: {exc.reason}",
                    category=exc.category,
                    address=exc.address,
                ) from None
            try:
                location = response.headers.get("location")
                if follow_redirects and response.status_code in REDIRECT_STATUSES and location:
                    if len(hops) >= self._max_redirects:
                        raise TooManyRedirects(
                            f"more than {self._max_redirects} redirects, starting at "
                            f"{hops[0] if hops else display_url(url)}"
                        )
                    following = self._redirect_target(url, location)
                    method, content, headers = _redirected(
                        response.status_code, method, content, headers, url, following
                    )
                    hops.append(display_url(url))
                    url = following
                    continue
                async with self._mapped_errors(method, url):
                    body, truncated = await _read_body(response, cap, truncate)
                return HttpResponse(
                    status=response.status_code,
                    reason_phrase=response.reason_phrase,
                    headers=response.headers,
                    content=body,
                    url=str(url),
                    redirects=tuple(hops),
                    truncated=truncated,
                    elapsed_seconds=time.monotonic() - started,
                )
            finally:
                await response.aclose()

    def _redirect_target(self, current: httpx.URL, location: str) -> httpx.URL:
        try:
            target = current.join(location)
        except (httpx.InvalidURL, ValueError):
            raise BlockedDestination(
                f"redirect from {display_url(current)} to an invalid URL refused",
                category="redirect",
            ) from None
        try:
            return check_url(target, self._policy)
        except InvalidUrl as exc:
            raise BlockedDestination(
                f"redirect from {display_url(current)} to {display_url(target)} refused: "
                f"{exc.reason}",
                category="redirect",
            ) from None
        except BlockedDestination as exc:
            raise BlockedDestination(
                f"redirect from {display_url(current)} refused: {exc.reason}",
                category=exc.category,
                address=exc.address,
            ) from None

    @contextlib.asynccontextmanager
    async def _mapped_errors(self, method: str, url: httpx.URL) -> AsyncIterator[None]:
        """httpx's exceptions as ours, with the request named (no query string)."""
        what = f"{method} {display_url(url)}"
        try:
            yield
        except NetError:
            raise
        except httpx.TimeoutException as exc:
            raise UpstreamTimeout(f"{what}: {type(exc).__name__} ({exc})") from None
        except httpx.ConnectError as exc:
            tls = _is_tls_failure(exc)
            if tls is not None:
                raise TlsError(f"{what}: TLS handshake failed: {tls}") from None
            raise UpstreamUnavailable(f"{what}: cannot connect: {exc}") from None
        except (httpx.LocalProtocolError, httpx.UnsupportedProtocol) as exc:
            raise InvalidRequest(f"{what}: {exc}") from None
        except httpx.TransportError as exc:
            raise UpstreamUnavailable(f"{what}: {type(exc).__name__} ({exc})") from None
        except httpx.DecodingError as exc:
            raise UpstreamUnavailable(f"{what}: undecodable response body: {exc}") from None
        except (httpx.InvalidURL, httpx.CookieConflict, ValueError, TypeError) as exc:
            raise InvalidRequest(f"{what}: {exc}") from None

    def __repr__(self) -> str:
        return f"GuardedHttpClient({self._policy!r}, max_response_bytes={self._max_response_bytes})"


def _redirected(
    status: int,
    method: str,
    content: bytes | None,
    headers: httpx.Headers,
    current: httpx.URL,
    target: httpx.URL,
) -> tuple[str, bytes | None, httpx.Headers]:
    """The next hop's method, body and headers, as browsers do it."""
    headers = httpx.Headers(headers)
    new_method = method
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        new_method = "GET"
    if new_method != method or status == 303:
        content = None
        for name in _BODY_HEADERS:
            headers.pop(name, None)
    if _origin(target) != _origin(current):
        for name in _ORIGIN_BOUND_HEADERS:
            headers.pop(name, None)
    return new_method, content, headers


async def _read_body(response: httpx.Response, cap: int, truncate: bool) -> tuple[bytes, bool]:
    """The decoded body, at most `cap` bytes; stops reading as soon as the cap is passed."""
    declared = response.headers.get("content-length", "")
    if not truncate and declared.isdigit() and int(declared) > cap:
        raise ResponseTooLarge(_too_large(cap, f" (Content-Length {declared})"), limit=cap)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        if size + len(chunk) > cap:
            if not truncate:
                raise ResponseTooLarge(_too_large(cap, ""), limit=cap)
            chunks.append(chunk[: cap - size])
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False


def _too_large(cap: int, detail: str) -> str:
    return f"the response body is larger than the limit of {_size(cap)}{detail}"
