"""The CLI's live table rebuilt from watch events, for a map's items and skips."""

from __future__ import annotations

from google.protobuf import timestamp_pb2
from rich.console import Console

from dataflow.v1 import execution_pb2
from dataflow_client._model import ExecutionEvent
from dataflow_client._render import ExecutionTracker

TR = execution_pb2.TaskRun
EV = execution_pb2.ExecutionEvent


def event(seq: int, type_: str, task: str, status: int, **fields: object) -> ExecutionEvent:
    return ExecutionEvent.from_proto(
        EV(
            sequence=seq,
            type=type_,
            task_name=task,
            task_status=status,  # type: ignore[arg-type]
            timestamp=timestamp_pb2.Timestamp(seconds=1_700_000_000 + seq),
            **fields,  # type: ignore[arg-type]
        )
    )


def rendered(tracker: ExecutionTracker) -> str:
    console = Console(width=160, record=True)
    console.print(tracker.render())
    return console.export_text()


def test_items_and_skips_show_in_the_live_table() -> None:
    tracker = ExecutionTracker("we-test")
    tracker.apply(event(1, "task.running", "speak", TR.RUNNING))
    for j in range(3):
        tracker.apply(
            event(2 + j, "task.item.running", "speak", TR.RUNNING, item_index=j, attempt=1)
        )
    tracker.apply(event(5, "task.item.completed", "speak", TR.COMPLETED, item_index=0, attempt=1))
    error = execution_pb2.ExecutionError(code="BAD_VALUE", message="refused")
    tracker.apply(
        event(6, "task.item.failed", "speak", TR.FAILED, item_index=2, attempt=1, error=error)
    )
    tracker.apply(event(7, "task.skipped", "translate", TR.SKIPPED, skip_reason="when is false: x"))
    speak, translate = tracker.execution.tasks
    assert [str(i.status) for i in speak.items] == ["COMPLETED", "RUNNING", "FAILED"]
    assert str(speak.status) == "RUNNING"  # item events leave the task's own status alone
    assert translate.skip_reason == "when is false: x"
    text = rendered(tracker)
    assert "RUNNING 1/3" in text
    assert "when is false: x" in text
