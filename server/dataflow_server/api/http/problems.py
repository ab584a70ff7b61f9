"""The one place where errors become HTTP answers: RFC 9457 problem details.

A domain error gets the gRPC code that `api.errors.rpc_code` gives it (the same
table the gRPC edge uses), and that code gets its HTTP status from
`HTTP_STATUS`, the documented mapping (docs/http.md). The body is
`application/problem+json` with the gRPC code's name, the request id and, for
INVALID_ARGUMENT, the same `field_violations` as gRPC's `google.rpc.BadRequest`.
Anything unexpected is logged and answered 500 with a generic detail: no
traceback leaves the server.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from google.rpc import code_pb2
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from ...domain.errors import (
    DomainError,
    FieldViolation,
    InvalidArgument,
    ResourceExhausted,
    Unauthenticated,
)
from ..errors import rpc_code

__all__ = [
    "HTTP_STATUS",
    "PROBLEM_MEDIA_TYPE",
    "HttpError",
    "problem_for",
    "problem_response",
    "request_id_of",
]

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"

# Every google.rpc.Code → HTTP status (google/rpc/code.proto's mapping, except
# FAILED_PRECONDITION: 409 Conflict, as GitHub and Stripe answer a state conflict).
HTTP_STATUS: Mapping[int, int] = {
    code_pb2.OK: 200,
    code_pb2.CANCELLED: 499,
    code_pb2.UNKNOWN: 500,
    code_pb2.INVALID_ARGUMENT: 400,
    code_pb2.DEADLINE_EXCEEDED: 504,
    code_pb2.NOT_FOUND: 404,
    code_pb2.ALREADY_EXISTS: 409,
    code_pb2.PERMISSION_DENIED: 403,
    code_pb2.RESOURCE_EXHAUSTED: 429,  # 413 when it is the request body that is too large
    code_pb2.FAILED_PRECONDITION: 409,
    code_pb2.ABORTED: 409,
    code_pb2.OUT_OF_RANGE: 400,
    code_pb2.UNIMPLEMENTED: 501,
    code_pb2.INTERNAL: 500,
    code_pb2.UNAVAILABLE: 503,
    code_pb2.DATA_LOSS: 500,
    code_pb2.UNAUTHENTICATED: 401,
}


class HttpError(Exception):
    """An error of the HTTP layer itself (media type, body size, method)."""

    def __init__(self, status: int, code: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


def request_id_of(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", ""))


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # 499, nginx's "Client Closed Request" (CANCELLED)
        return "Client Closed Request"


def problem_response(
    request: Request,
    status: int,
    code: int,
    detail: str,
    violations: Sequence[FieldViolation] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _title(status),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "code": code_pb2.Code.Name(code),
        "request_id": request_id_of(request),
    }
    if violations:
        body["field_violations"] = [
            {"field": v.field, "description": v.description} for v in violations
        ]
    return JSONResponse(body, status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _headers_for(exc: DomainError) -> dict[str, str] | None:
    """RFC 9110: a 401 names the scheme it wants; a rate limit says when to come back."""
    if isinstance(exc, Unauthenticated):
        return {"WWW-Authenticate": 'Bearer realm="dataflow"'}
    if isinstance(exc, ResourceExhausted) and exc.retry_after_seconds is not None:
        return {"Retry-After": str(max(1, math.ceil(exc.retry_after_seconds)))}
    return None


def problem_for(request: Request, exc: BaseException) -> JSONResponse:
    """The answer to a request that ended with `exc`."""
    if isinstance(exc, DomainError):
        code = rpc_code(exc)
        violations = exc.violations if isinstance(exc, InvalidArgument) else ()
        return problem_response(
            request, HTTP_STATUS[code], code, exc.message, violations, _headers_for(exc)
        )
    if isinstance(exc, HttpError):
        return problem_response(request, exc.status, exc.code, exc.detail)
    if isinstance(exc, HTTPException):  # routing: unknown path (404), method (405)
        code = code_pb2.NOT_FOUND if exc.status_code == 404 else code_pb2.UNIMPLEMENTED
        return problem_response(request, exc.status_code, code, str(exc.detail), (), exc.headers)
    log.error("unexpected error in %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(request, 500, code_pb2.INTERNAL, "internal error; see the server log")
