"""Checks of request identifiers shared by the execution use cases."""

from __future__ import annotations

from ..domain import ids
from ..domain.errors import NotFound, preview
from ..domain.records import ExecutionRecord

__all__ = ["check_in_workflow", "checked_execution_id"]


def checked_execution_id(execution_id: str, field: str = "workflow_execution_id") -> str:
    """INVALID_ARGUMENT for a blank or malformed id (a well-formed miss is NOT_FOUND)."""
    return ids.checked_id(execution_id, ids.EXECUTION, field)


def check_in_workflow(record: ExecutionRecord, workflow_id: str) -> ExecutionRecord:
    """NOT_FOUND unless the execution belongs to `workflow_id` (when one is named)."""
    if workflow_id and record.workflow_id != workflow_id:
        raise NotFound(
            f"execution {preview(record.execution_id)} not found in workflow {preview(workflow_id)}"
        )
    return record
