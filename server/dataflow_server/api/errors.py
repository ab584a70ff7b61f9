"""The one place where domain errors become gRPC statuses.

Every servicer method is wrapped by `ErrorMappingInterceptor`: a
`DomainError` becomes its status code with a `google.rpc.Status` carrying
`BadRequest` field violations; anything unexpected is logged with its
traceback and answered INTERNAL with a generic message (no internals leak).

With an `Authenticator` (DATAFLOW_AUTH=required), each call is first
admitted (app/access.py: the `authorization` metadata, the method's
`required_scope`, the key's rate limit) and runs with its `Caller` bound
(api/caller.py), before its request is even decoded: an unauthenticated
caller learns nothing about the request. grpc's own services (health, for
probes; reflection, since the schema is public like /openapi.json) stay open.
With authentication off nothing is added to a call.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import grpc
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from ..app.access import Authenticator
from ..domain.access import Caller, Scope
from ..domain.errors import (
    AlreadyExists,
    DomainError,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
    shorten,
)
from .caller import bound_caller
from .decoding import decoded_stream, request_decoder
from .scopes import method_scopes

__all__ = ["ErrorMappingInterceptor", "rpc_code", "to_rpc_status"]

log = logging.getLogger(__name__)

_CODES: list[tuple[type[DomainError], int]] = [
    (InvalidArgument, code_pb2.INVALID_ARGUMENT),
    (NotFound, code_pb2.NOT_FOUND),
    (FailedPrecondition, code_pb2.FAILED_PRECONDITION),
    (AlreadyExists, code_pb2.ALREADY_EXISTS),
    (ResourceExhausted, code_pb2.RESOURCE_EXHAUSTED),
    (Unavailable, code_pb2.UNAVAILABLE),
    (Unauthenticated, code_pb2.UNAUTHENTICATED),
    (PermissionDenied, code_pb2.PERMISSION_DENIED),
]


def rpc_code(error: DomainError) -> int:
    """The `google.rpc.Code` of a domain error (the HTTP edge maps it on to a status)."""
    return next((c for cls, c in _CODES if isinstance(error, cls)), code_pb2.FAILED_PRECONDITION)


# The status travels in trailers (grpc-message, and grpc-status-details-bin as
# base64 with the message again), and common clients refuse trailers past 8 KiB
# (16 KiB hard): whatever the messages say, the status stays within these.
_MAX_MESSAGE_CHARS = 512
_MAX_FIELD_CHARS = 512
_MAX_DESCRIPTION_CHARS = 512
_MAX_VIOLATION_BYTES = 3000


def _bounded_violations(error: InvalidArgument) -> list[Any]:
    kept: list[Any] = []
    budget = _MAX_VIOLATION_BYTES
    for v in error.violations:
        field = shorten(v.field, _MAX_FIELD_CHARS)
        description = shorten(v.description, _MAX_DESCRIPTION_CHARS)
        budget -= len(field.encode()) + len(description.encode()) + 8
        if budget < 0 and kept:
            break
        kept.append(
            error_details_pb2.BadRequest.FieldViolation(field=field, description=description)
        )
    return kept


def to_rpc_status(error: DomainError) -> Any:
    """A grpc.Status for `error`, with BadRequest details for InvalidArgument and
    RetryInfo for a ResourceExhausted that says when to retry."""
    code = rpc_code(error)
    status = status_pb2.Status(code=code, message=shorten(error.message, _MAX_MESSAGE_CHARS))
    if isinstance(error, InvalidArgument) and error.violations:
        bad_request = error_details_pb2.BadRequest(field_violations=_bounded_violations(error))
        status.details.add().Pack(bad_request)
    if isinstance(error, ResourceExhausted) and error.retry_after_seconds is not None:
        retry_info = error_details_pb2.RetryInfo()
        retry_info.retry_delay.FromTimedelta(timedelta(seconds=error.retry_after_seconds))
        status.details.add().Pack(retry_info)
    return rpc_status.to_status(status)


async def _abort(
    context: grpc.aio.ServicerContext[Any, Any], exc: BaseException, method: str
) -> None:
    if isinstance(exc, DomainError):
        await context.abort_with_status(to_rpc_status(exc))
    log.exception("unexpected error in %s", method, exc_info=exc)
    await context.abort(grpc.StatusCode.INTERNAL, "internal error; see the server log")


@dataclass(frozen=True, slots=True)
class _Gate:
    """What admits a call to one method: the authenticator and the method's scope."""

    authenticator: Authenticator
    scope: Scope | None

    async def admit(self, context: Any) -> AbstractContextManager[Caller]:
        authorization = next(
            (v for k, v in context.invocation_metadata() or () if k == "authorization"), None
        )
        caller = await self.authenticator.admit(
            authorization if isinstance(authorization, str) else None, self.scope
        )
        return bound_caller(caller)


def _wrap_unary(
    behavior: Callable[[Any, Any], Awaitable[Any]],
    prepare: Callable[[Any], Any],
    method: str,
    gate: _Gate | None,
) -> Callable[[Any, Any], Awaitable[Any]]:
    """`prepare` turns what grpcio passes (bytes, or an iterator of them) into requests."""

    async def wrapper(raw: Any, context: Any) -> Any:
        try:
            if gate is None:
                return await behavior(prepare(raw), context)
            with await gate.admit(context):
                return await behavior(prepare(raw), context)
        except (DomainError, Exception) as exc:
            if _is_abort(exc):
                raise
            await _abort(context, exc, method)

    return wrapper


def _wrap_stream(
    behavior: Callable[[Any, Any], AsyncIterator[Any]],
    prepare: Callable[[Any], Any],
    method: str,
    gate: _Gate | None,
) -> Callable[[Any, Any], AsyncIterator[Any]]:
    async def wrapper(raw: Any, context: Any) -> AsyncIterator[Any]:
        try:
            if gate is None:
                async for item in behavior(prepare(raw), context):
                    yield item
                return
            with await gate.admit(context):
                async for item in behavior(prepare(raw), context):
                    yield item
        except (DomainError, Exception) as exc:
            if _is_abort(exc):
                raise
            await _abort(context, exc, method)

    return wrapper


def _is_abort(exc: BaseException) -> bool:
    # context.abort() raises grpc.aio.AbortError; it must pass through untouched.
    return isinstance(exc, grpc.aio.AbortError)


class ErrorMappingInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[misc]
    """Wraps our services' handlers: calls admitted by `authenticator` when given,
    requests decoded by `api.decoding` (bytes in, so that undecodable ones are
    INVALID_ARGUMENT), errors mapped as above."""

    def __init__(self, authenticator: Authenticator | None = None) -> None:
        self._authenticator = authenticator

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        if handler is None:
            return handler
        method = handler_call_details.method
        # Health and reflection are grpc's own; only our services are wrapped.
        decode = request_decoder(method) if method.startswith("/dataflow.") else None
        if decode is None:
            return handler
        serializer = handler.response_serializer
        stream = functools.partial(decoded_stream, decode)
        gate = (
            None
            if self._authenticator is None
            else _Gate(self._authenticator, method_scopes().get(method))
        )
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                _wrap_unary(handler.unary_unary, decode, method, gate),
                response_serializer=serializer,
            )
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                _wrap_stream(handler.unary_stream, decode, method, gate),
                response_serializer=serializer,
            )
        if handler.stream_unary:
            return grpc.stream_unary_rpc_method_handler(
                _wrap_unary(handler.stream_unary, stream, method, gate),
                response_serializer=serializer,
            )
        return grpc.stream_stream_rpc_method_handler(
            _wrap_stream(handler.stream_stream, stream, method, gate),
            response_serializer=serializer,
        )
