"""The one exception type of the client, built from gRPC's rich status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import grpc
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from ._messages import headline

__all__ = ["DataflowError", "FieldViolation", "from_rpc_error", "invalid_argument"]


@dataclass(frozen=True)
class FieldViolation:
    """One invalid field of a request, for example ``tasks[0].inputs.voice``."""

    field: str
    description: str

    def __str__(self) -> str:
        return f"{self.field}: {self.description}" if self.field else self.description


class DataflowError(Exception):
    """A failed call: its gRPC status code, message and field violations.

    Every method of :class:`DataflowClient` and :class:`AsyncDataflowClient`
    raises this instead of a raw ``grpc.RpcError``.
    """

    code: grpc.StatusCode
    message: str
    violations: list[FieldViolation]

    def __init__(
        self,
        code: grpc.StatusCode,
        message: str,
        violations: list[FieldViolation] | None = None,
    ) -> None:
        super().__init__(code, message, violations or [])
        self.code = code
        self.message = message
        self.violations = list(violations or [])

    @property
    def headline(self) -> str:
        """The message, unless it only lists the violations (the server's
        default message does): then a count, so that each is shown once."""
        return headline(self.message, self.violations)

    def __str__(self) -> str:
        text = f"{self.code.name}: {self.headline}"
        if self.violations:
            text += "".join(f"\n  {v}" for v in self.violations)
        return text

    def __repr__(self) -> str:
        return (
            f"DataflowError(code={self.code.name}, message={self.message!r}, "
            f"violations={self.violations!r})"
        )


def _rich_status(call: Any) -> status_pb2.Status | None:
    try:
        return rpc_status.from_call(call)
    except ValueError:
        # Code or message of the rich status disagree with the call's: fall
        # back to reading the details ourselves rather than losing them.
        for key, value in call.trailing_metadata() or ():
            if key == rpc_status.GRPC_DETAILS_METADATA_KEY:
                return status_pb2.Status.FromString(value)
    except Exception:  # a call object without metadata, e.g. a local error
        return None
    return None


def _violations(status: status_pb2.Status) -> list[FieldViolation]:
    found: list[FieldViolation] = []
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            detail.Unpack(bad_request)
            found.extend(
                FieldViolation(v.field, v.description) for v in bad_request.field_violations
            )
    return found


def from_rpc_error(error: grpc.RpcError) -> DataflowError:
    """Turn a failed call (sync or asyncio) into a :class:`DataflowError`."""
    code = getattr(error, "code", None)
    status_code: grpc.StatusCode = code() if callable(code) else grpc.StatusCode.UNKNOWN
    details = getattr(error, "details", None)
    message: str = (details() if callable(details) else None) or str(error)
    rich = _rich_status(error)
    violations: list[FieldViolation] = []
    if rich is not None:
        message = rich.message or message
        violations = _violations(rich)
    return DataflowError(status_code, message, violations)


def invalid_argument(message: str, *violations: FieldViolation) -> DataflowError:
    """A client-side INVALID_ARGUMENT error (bad definition, unknown status...)."""
    return DataflowError(grpc.StatusCode.INVALID_ARGUMENT, message, list(violations))
