"""Checks of request identifiers shared by the execution use cases."""

from __future__ import annotations

from ..domain import ids
from ..domain.errors import InvalidArgument, NotFound

__all__ = ["checked_execution_id"]


def checked_execution_id(execution_id: str, field: str = "workflow_execution_id") -> str:
    if not execution_id:
        raise InvalidArgument.single(field, "is required")
    if not ids.is_id(execution_id, ids.EXECUTION):
        raise NotFound(f"execution {execution_id!r} not found")
    return execution_id
