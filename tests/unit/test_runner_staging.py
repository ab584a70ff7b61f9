"""The runner's staging copies events field by field (faster than dataclasses.replace):
a field added to NewEvent must not be dropped on the way to the log."""

from __future__ import annotations

from dataclasses import fields, replace

from dataflow_server.domain.lifecycle import EventType, NewEvent
from dataflow_server.domain.records import ExecutionStatus, TaskError, TaskStatus
from dataflow_server.engine.runner import _with_status


def test_an_event_given_its_status_keeps_every_other_field() -> None:
    event = NewEvent(
        EventType.TASK_ITEM_FAILED,
        task_name="fetch",
        task_status=TaskStatus.FAILED,
        attempt=3,
        error=TaskError("HTTP_ERROR", "503", True, "fetch"),
        status=None,
        item_index=7,
        skip_reason="because",
    )
    assert {f.name for f in fields(NewEvent)} == {
        "type",
        "task_name",
        "task_status",
        "attempt",
        "error",
        "status",
        "item_index",
        "skip_reason",
    }, "a new NewEvent field: copy it in engine.runner._with_status"
    given = _with_status(event, ExecutionStatus.RUNNING)
    assert given == replace(event, status=ExecutionStatus.RUNNING)
