"""HTTP task types: `http.request`, through the server's SSRF-guarded client.

Requests go through the shared `GuardedHttpClient` (`dataflow_server.net`):
only http and https; loopback, private, link-local (169.254.169.254 too),
carrier-grade NAT, multicast, unspecified, reserved and documentation
addresses, and their IPv6 / IPv4-mapped forms, are refused, for the URL and
for every redirect (at most 5), unless the server runs with
`DATAFLOW_ALLOW_PRIVATE_NETWORKS=true`. The response body is capped at
`DATAFLOW_HTTP_MAX_RESPONSE_BYTES` (default 10 MiB).

Status semantics (as in Kestra, Conductor, Airflow or n8n: a failed HTTP call
fails the task unless the workflow says it handles errors itself):

- 2xx and 3xx (a redirect that is not followed, e.g. 304 or no Location) are
  outputs: `status`, `headers`, `body`, `content_type`;
- 4xx and 5xx fail the task, with the status and the start of the body in the
  message: 408 and 504 are UPSTREAM_TIMEOUT, 429 RATE_LIMITED, other 5xx
  UPSTREAM_UNAVAILABLE, all retryable under the task's retry policy (default
  3 attempts with backoff; Retry-After is not consulted); any other 4xx is
  UPSTREAM_REJECTED, not retryable;
- with `allow_error_status: true` every status is an output and only
  transport problems fail the task.

Other failures: DESTINATION_BLOCKED (a refused address, literal, resolved or
by redirect; names the refused range; not retryable), INVALID_INPUT (bad
URL or headers), TOO_MANY_REDIRECTS, RESPONSE_TOO_LARGE, TLS_ERROR (not
retryable); UPSTREAM_TIMEOUT (the whole exchange, redirects and body included,
took longer than `timeout_seconds`) and UPSTREAM_UNAVAILABLE (name not
resolved, connection refused or reset, malformed response), retryable.

Outputs: header names lower-cased, repeated headers joined with ", "; the body
decoded by its charset (a byte-order mark first, then the Content-Type
charset, then for HTML a <meta> charset in the first 1024 bytes, else UTF-8),
with undecodable bytes replaced, ISO-8859-1 and ASCII read as windows-1252 as
browsers do.
"""

from __future__ import annotations

import codecs
import email.message

import httpx
from selectolax.lexbor import LexborHTMLParser

from ..domain.definitions import RetryPolicy
from ..domain.task_types import FieldSpec, TaskTypeSpec
from ..domain.values import JsonObject, JsonValue, ValueType
from ..net import (
    BlockedDestination,
    HttpResponse,
    InvalidRequest,
    InvalidUrl,
    ResponseTooLarge,
    TlsError,
    TooManyRedirects,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from ..net.guard import display_url
from .base import TaskContext, TaskFailure, TaskHandler
from .inputs import as_float

__all__ = ["HANDLERS", "HTTP_METHODS", "HTTP_RESOURCE", "HTTP_RETRY", "SPECS", "decode_body"]

HTTP_RETRY = RetryPolicy(
    max_attempts=3, initial_backoff_seconds=1.0, backoff_multiplier=2.0, max_backoff_seconds=30.0
)
# The engine's limiter for outbound requests (engine.limits): a concurrency bound.
HTTP_RESOURCE = "http"
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

REQUEST = TaskTypeSpec(
    name="http.request",
    description="Sends an HTTP request and returns the response (private networks are refused "
    "unless the server allows them). A 4xx or 5xx response fails the task unless "
    "allow_error_status is true.",
    inputs=(
        FieldSpec("url", ValueType.TEXT, "The http or https URL.", True),
        FieldSpec(
            "method", ValueType.TEXT, "The HTTP method.", default="GET", allowed_values=HTTP_METHODS
        ),
        FieldSpec(
            "headers",
            ValueType.JSON,
            "Request headers: an object of names to strings.",
            accepts_secrets=True,
        ),
        FieldSpec("body", ValueType.TEXT, "The request body."),
        FieldSpec(
            "timeout_seconds",
            ValueType.NUMBER,
            "Seconds the request may take (0.1 to 300).",
            default=30,
            minimum=0.1,
            maximum=300,
        ),
        FieldSpec(
            "allow_error_status",
            ValueType.BOOLEAN,
            "Return 4xx and 5xx responses as outputs instead of failing the task.",
            default=False,
        ),
    ),
    outputs=(
        FieldSpec("status", ValueType.INTEGER, "The response status code."),
        FieldSpec(
            "headers", ValueType.JSON, "The response headers: an object of names to strings."
        ),
        FieldSpec("body", ValueType.TEXT, "The response body, decoded as text."),
        FieldSpec("content_type", ValueType.TEXT, "The response's Content-Type header."),
    ),
    default_retry=HTTP_RETRY,
    default_timeout_seconds=60.0,
    resource=HTTP_RESOURCE,
)

SPECS: tuple[TaskTypeSpec, ...] = (REQUEST,)

# Framing and routing are the client's job: a workflow may not set these.
_RESERVED_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "proxy-connection",
        "upgrade",
        "te",
        "trailer",
    }
)
_TOKEN_CHARS = frozenset(
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)
_EXCERPT_CHARS = 200


def _headers(raw: JsonValue) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise TaskFailure("INVALID_INPUT", "headers must be a JSON object of names to strings")
    headers: dict[str, str] = {}
    for name, value in raw.items():
        if not name or not set(name) <= _TOKEN_CHARS:
            raise TaskFailure("INVALID_INPUT", f"headers: {name!r} is not a valid header name")
        if not isinstance(value, str):
            raise TaskFailure("INVALID_INPUT", f"headers: the value of {name!r} must be a string")
        if any(c in value for c in "\r\n\0"):
            raise TaskFailure(
                "INVALID_INPUT", f"headers: the value of {name!r} contains a line break or NUL"
            )
        if name.lower() in _RESERVED_HEADERS:
            raise TaskFailure(
                "INVALID_INPUT", f"headers: {name!r} is set by the client and cannot be given"
            )
        headers[name] = value
    return headers


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    # WHATWG Encoding: these labels mean windows-1252 on the web.
    return "cp1252" if name in ("iso8859-1", "latin-1", "ascii") else name


def _meta_charset(head: bytes) -> str | None:
    """A <meta charset> or <meta http-equiv=content-type> in the document's first bytes."""
    tree = LexborHTMLParser(head.decode("latin-1"))
    for meta in tree.css("meta"):
        attrs = meta.attributes
        charset = attrs.get("charset")
        if charset:
            return _codec(charset)
        if (attrs.get("http-equiv") or "").lower() == "content-type":
            message = email.message.Message()
            message["content-type"] = attrs.get("content") or ""
            param = message.get_param("charset")
            if isinstance(param, str):
                return _codec(param)
    return None


def decode_body(content: bytes, content_type: str) -> str:
    """The body as text: BOM, then the Content-Type charset, then an HTML <meta>, else UTF-8."""
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16", errors="replace")
    message = email.message.Message()
    message["content-type"] = content_type
    param = message.get_param("charset")
    encoding = _codec(param) if isinstance(param, str) else None
    if encoding is None and message.get_content_type() in ("text/html", "application/xhtml+xml"):
        encoding = _meta_charset(content[:1024])
    return content.decode(encoding or "utf-8", errors="replace")


def _joined_headers(headers: httpx.Headers) -> JsonObject:
    joined: JsonObject = {}
    for name, value in headers.multi_items():
        key = name.lower()
        joined[key] = f"{joined[key]}, {value}" if key in joined else value
    return joined


def _status_failure(method: str, response: HttpResponse, text: str) -> TaskFailure | None:
    status = response.status
    if status < 400:
        return None
    excerpt = " ".join(text[: _EXCERPT_CHARS * 2].split())[:_EXCERPT_CHARS]
    message = f"{method} {display_url(httpx.URL(response.url))} answered HTTP {status}"
    if response.reason_phrase:
        message += f" {response.reason_phrase}"
    if excerpt:
        message += f": {excerpt}"
    if status in (408, 504):
        return TaskFailure("UPSTREAM_TIMEOUT", message, retryable=True)
    if status == 429:
        return TaskFailure("RATE_LIMITED", message, retryable=True)
    if status >= 500:
        return TaskFailure("UPSTREAM_UNAVAILABLE", message, retryable=True)
    return TaskFailure("UPSTREAM_REJECTED", message, retryable=False)


async def run_request(ctx: TaskContext, inputs: JsonObject) -> JsonObject:
    client = ctx.services.http
    if client is None:
        raise TaskFailure("HTTP_UNAVAILABLE", "this server has no HTTP client configured")
    method = str(inputs.get("method") or "GET").upper()
    headers = _headers(inputs.get("headers"))
    body = inputs.get("body")
    content = body.encode("utf-8") if isinstance(body, str) else None
    try:
        response = await client.request(
            method,
            str(inputs["url"]),
            headers=headers,
            content=content,
            timeout=as_float(inputs.get("timeout_seconds") or 30),
        )
    except InvalidUrl as exc:
        raise TaskFailure("INVALID_INPUT", f"url: {exc.reason}") from None
    except InvalidRequest as exc:
        raise TaskFailure("INVALID_INPUT", exc.reason) from None
    except BlockedDestination as exc:
        raise TaskFailure("DESTINATION_BLOCKED", exc.reason) from None
    except TooManyRedirects as exc:
        raise TaskFailure("TOO_MANY_REDIRECTS", exc.reason) from None
    except ResponseTooLarge as exc:
        raise TaskFailure(
            "RESPONSE_TOO_LARGE",
            f"{exc.reason}; the server's limit is DATAFLOW_HTTP_MAX_RESPONSE_BYTES",
        ) from None
    except TlsError as exc:
        raise TaskFailure("TLS_ERROR", exc.reason) from None
    except UpstreamTimeout as exc:
        raise TaskFailure("UPSTREAM_TIMEOUT", exc.reason, retryable=True) from None
    except UpstreamUnavailable as exc:
        raise TaskFailure("UPSTREAM_UNAVAILABLE", exc.reason, retryable=True) from None
    text = decode_body(response.content, response.content_type)
    if not inputs.get("allow_error_status"):
        failure = _status_failure(method, response, text)
        if failure is not None:
            raise failure
    return {
        "status": response.status,
        "headers": _joined_headers(response.headers),
        "body": text,
        "content_type": response.content_type,
    }


HANDLERS: dict[str, TaskHandler] = {REQUEST.name: run_request}
