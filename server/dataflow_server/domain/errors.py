"""Domain errors. The api layer maps each class to one gRPC status code."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "AlreadyExists",
    "DomainError",
    "FailedPrecondition",
    "FieldViolation",
    "InvalidArgument",
    "NotFound",
    "PermissionDenied",
    "ResourceExhausted",
    "Unauthenticated",
    "Unavailable",
    "preview",
    "shorten",
]

# User text quoted in a message is cut to this many characters: error
# messages travel in gRPC trailers, which clients cap at a few KiB.
MAX_ECHO_CHARS = 64


def preview(value: object, limit: int = MAX_ECHO_CHARS) -> str:
    """`value` as quoted in a message: its repr, cut to `limit` characters plus "…".

    Every message that repeats what a caller sent goes through this, so a
    100 KB id or key never comes back as a 100 KB error.
    """
    if isinstance(value, str) and len(value) > limit:
        value = value[: limit + 1]  # repr of the prefix only, not of the whole text
    return shorten(repr(value), limit)


def shorten(text: str, limit: int = MAX_ECHO_CHARS) -> str:
    """`text` cut to `limit` characters plus "…" (unquoted; see `preview`)."""
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass(frozen=True, slots=True)
class FieldViolation:
    """One problem of a request, at a path such as `tasks[0].inputs.text`."""

    field: str
    description: str


class DomainError(Exception):
    """Base of the errors a request can end with (never INTERNAL)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgument(DomainError):
    """The request is malformed; `violations` lists every problem found."""

    def __init__(self, violations: Iterable[FieldViolation], message: str | None = None) -> None:
        self.violations = tuple(violations)
        if message is None:
            shown = "; ".join(f"{v.field}: {v.description}" for v in self.violations[:3])
            more = len(self.violations) - 3
            message = shown + (f"; and {more} more" if more > 0 else "")
        super().__init__(message)

    @classmethod
    def single(cls, field: str, description: str) -> InvalidArgument:
        return cls([FieldViolation(field, description)])


class NotFound(DomainError):
    """The named resource does not exist (or is not visible to the caller)."""


class FailedPrecondition(DomainError):
    """The resource is not in a state that allows the operation."""


class AlreadyExists(DomainError):
    """A resource with that key exists with different content (e.g. request_id reuse)."""


class ResourceExhausted(DomainError):
    """A bounded resource ran out (e.g. a watcher's buffer); the caller may resume.

    `retry_after_seconds`, when set, says when trying again makes sense (a rate
    limit): gRPC sends it as `RetryInfo`, HTTP as `Retry-After`.
    """

    def __init__(self, message: str, retry_after_seconds: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class Unauthenticated(DomainError):
    """No credentials, or credentials that are malformed, unknown, expired or revoked."""


class PermissionDenied(DomainError):
    """Valid credentials whose scope does not include the operation."""


class Unavailable(DomainError):
    """A dependency (the database) is briefly unreachable; the caller may retry."""
