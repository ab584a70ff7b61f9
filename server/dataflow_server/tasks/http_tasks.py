"""HTTP task types (declarations; the implementation comes with the network guard)."""

from __future__ import annotations

from ..domain.definitions import RetryPolicy
from ..domain.task_types import FieldSpec, TaskTypeSpec
from ..domain.values import ValueType

__all__ = ["HTTP_METHODS", "HTTP_RETRY", "SPECS"]

HTTP_RETRY = RetryPolicy(
    max_attempts=3, initial_backoff_seconds=1.0, backoff_multiplier=2.0, max_backoff_seconds=30.0
)
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

REQUEST = TaskTypeSpec(
    name="http.request",
    description="Sends an HTTP request and returns the response (private networks are refused "
    "unless the server allows them).",
    inputs=(
        FieldSpec("url", ValueType.TEXT, "The http or https URL.", True),
        FieldSpec(
            "method", ValueType.TEXT, "The HTTP method.", default="GET", allowed_values=HTTP_METHODS
        ),
        FieldSpec("headers", ValueType.JSON, "Request headers: an object of names to strings."),
        FieldSpec("body", ValueType.TEXT, "The request body."),
        FieldSpec(
            "timeout_seconds",
            ValueType.NUMBER,
            "Seconds the request may take (0.1 to 300).",
            default=30,
            minimum=0.1,
            maximum=300,
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
)

SPECS: tuple[TaskTypeSpec, ...] = (REQUEST,)
