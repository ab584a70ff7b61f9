"""The caller of the request being served, as the edges hand it to servicers.

The gRPC interceptor and the HTTP handlers authenticate the request (one shared
function), then bind its `Caller` for the duration of the call; servicers read
it with `current_caller()` and pass it explicitly to the use cases. A context
variable is how it crosses from the edge to the servicer because the HTTP edge
calls the same servicer methods without a gRPC context.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from ..domain.access import LOCAL_CALLER, Caller

__all__ = ["bound_caller", "current_caller"]

# Until the edges authenticate, every request is the local caller.
_CALLER: ContextVar[Caller] = ContextVar("dataflow_caller", default=LOCAL_CALLER)


def current_caller() -> Caller:
    return _CALLER.get()


@contextmanager
def bound_caller(caller: Caller) -> Iterator[Caller]:
    """`caller` is the current caller inside the block (and the tasks it starts)."""
    token = _CALLER.set(caller)
    try:
        yield caller
    finally:
        _CALLER.reset(token)
