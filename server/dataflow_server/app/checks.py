"""Checks of request identifiers shared by the execution use cases."""

from __future__ import annotations

from ..domain import ids
from ..domain.errors import InvalidArgument, NotFound
from ..domain.records import ExecutionRecord

__all__ = ["check_in_workflow", "checked_execution_id"]


def checked_execution_id(execution_id: str, field: str = "workflow_execution_id") -> str:
    if not execution_id:
        raise InvalidArgument.single(field, "is required")
    if not ids.is_id(execution_id, ids.EXECUTION):
        raise NotFound(f"execution {execution_id!r} not found")
    return execution_id


def check_in_workflow(record: ExecutionRecord, workflow_id: str) -> ExecutionRecord:
    """NOT_FOUND unless the execution belongs to `workflow_id` (when one is named)."""
    if workflow_id and record.workflow_id != workflow_id:
        raise NotFound(f"execution {record.execution_id!r} not found in workflow {workflow_id!r}")
    return record
