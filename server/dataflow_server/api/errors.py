"""The one place where domain errors become gRPC statuses.

Every servicer method is wrapped by `ErrorMappingInterceptor`: a
`DomainError` becomes its status code with a `google.rpc.Status` carrying
`BadRequest` field violations; anything unexpected is logged with its
traceback and answered INTERNAL with a generic message (no internals leak).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from ..domain.errors import (
    AlreadyExists,
    DomainError,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    ResourceExhausted,
    Unavailable,
)

__all__ = ["ErrorMappingInterceptor", "rpc_code", "to_rpc_status"]

log = logging.getLogger(__name__)

_CODES: list[tuple[type[DomainError], int]] = [
    (InvalidArgument, code_pb2.INVALID_ARGUMENT),
    (NotFound, code_pb2.NOT_FOUND),
    (FailedPrecondition, code_pb2.FAILED_PRECONDITION),
    (AlreadyExists, code_pb2.ALREADY_EXISTS),
    (ResourceExhausted, code_pb2.RESOURCE_EXHAUSTED),
    (Unavailable, code_pb2.UNAVAILABLE),
]


def rpc_code(error: DomainError) -> int:
    """The `google.rpc.Code` of a domain error (the HTTP edge maps it on to a status)."""
    return next((c for cls, c in _CODES if isinstance(error, cls)), code_pb2.FAILED_PRECONDITION)


def to_rpc_status(error: DomainError) -> Any:
    """A grpc.Status for `error`, with BadRequest details for InvalidArgument."""
    code = rpc_code(error)
    status = status_pb2.Status(code=code, message=error.message)
    if isinstance(error, InvalidArgument) and error.violations:
        bad_request = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(
                    field=v.field, description=v.description
                )
                for v in error.violations
            ]
        )
        detail = any_pb2.Any()
        detail.Pack(bad_request)
        status.details.append(detail)
    return rpc_status.to_status(status)


async def _abort(context: grpc.aio.ServicerContext[Any, Any], exc: BaseException) -> None:
    if isinstance(exc, DomainError):
        await context.abort_with_status(to_rpc_status(exc))
    log.exception("unexpected error in %s", _method_name(context), exc_info=exc)
    await context.abort(grpc.StatusCode.INTERNAL, "internal error; see the server log")


def _method_name(context: grpc.aio.ServicerContext[Any, Any]) -> str:
    try:
        return str(context._rpc_event.call_details.method.decode())
    except Exception:
        return "?"


def _wrap_unary(
    behavior: Callable[[Any, Any], Awaitable[Any]],
) -> Callable[[Any, Any], Awaitable[Any]]:
    async def wrapper(request: Any, context: Any) -> Any:
        try:
            return await behavior(request, context)
        except (DomainError, Exception) as exc:
            if _is_abort(exc):
                raise
            await _abort(context, exc)

    return wrapper


def _wrap_stream(
    behavior: Callable[[Any, Any], AsyncIterator[Any]],
) -> Callable[[Any, Any], AsyncIterator[Any]]:
    async def wrapper(request: Any, context: Any) -> AsyncIterator[Any]:
        try:
            async for item in behavior(request, context):
                yield item
        except (DomainError, Exception) as exc:
            if _is_abort(exc):
                raise
            await _abort(context, exc)

    return wrapper


def _is_abort(exc: BaseException) -> bool:
    # context.abort() raises grpc.aio.AbortError; it must pass through untouched.
    return isinstance(exc, grpc.aio.AbortError)


class ErrorMappingInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[misc]
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
        if not method.startswith("/dataflow."):
            return handler
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                _wrap_unary(handler.unary_unary),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                _wrap_stream(handler.unary_stream),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.stream_unary:
            return grpc.stream_unary_rpc_method_handler(
                _wrap_unary(handler.stream_unary),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        return grpc.stream_stream_rpc_method_handler(
            _wrap_stream(handler.stream_stream),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
