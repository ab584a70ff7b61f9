"""Rich rendering of the CLI's tables. Imported only by commands that print them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from google.protobuf import json_format, struct_pb2, timestamp_pb2
from rich.console import Group, RenderableType
from rich.table import Column, Table
from rich.text import Text

from dataflow.v1 import execution_pb2, file_pb2, workflow_pb2

from ._convert import struct_to_dict

__all__ = [
    "ExecutionTracker",
    "execution_list_table",
    "execution_view",
    "file_table",
    "outputs_table",
    "task_types_table",
    "workflow_list_table",
    "workflow_view",
]

_STYLES = {
    "PENDING": "dim",
    "RUNNING": "yellow",
    "COMPLETED": "green",
    "FAILED": "bold red",
    "CANCELLED": "magenta",
    "SKIPPED": "dim",
}
_TERMINAL_TASK = {"COMPLETED", "FAILED", "CANCELLED", "SKIPPED"}
_TERMINAL_EXECUTION = {"COMPLETED", "FAILED", "CANCELLED"}


def _status(name: str) -> Text:
    return Text(name, style=_STYLES.get(name, ""))


def _set(ts: timestamp_pb2.Timestamp) -> bool:
    return bool(ts.seconds or ts.nanos)


def when(ts: timestamp_pb2.Timestamp) -> str:
    """A timestamp as ``2024-01-01 00:00:00``, UTC; empty when unset."""
    if not _set(ts):
        return ""
    return ts.ToDatetime(tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%S")


def _duration(start: timestamp_pb2.Timestamp, end: timestamp_pb2.Timestamp) -> str:
    if not _set(start):
        return ""
    begin = start.ToDatetime(tzinfo=UTC)
    finish = end.ToDatetime(tzinfo=UTC) if _set(end) else datetime.now(UTC)
    seconds = max((finish - begin).total_seconds(), 0.0)
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s"


def _value(value: Any) -> str:
    if isinstance(value, dict) and "file_id" in value:
        size = value.get("size_bytes")
        extra = ", ".join(
            str(part)
            for part in (value.get("name"), f"{size} bytes" if size is not None else None)
            if part
        )
        return f"{value['file_id']} ({extra})" if extra else str(value["file_id"])
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value, ensure_ascii=False)


def _error(error: execution_pb2.ExecutionError) -> str:
    if not (error.code or error.message):
        return ""
    where = f"[{error.task_name}] " if error.task_name else ""
    return f"{where}{error.code}: {error.message}" if error.code else where + error.message


# -- workflows -------------------------------------------------------------


def workflow_list_table(workflows: Iterable[workflow_pb2.Workflow]) -> Table:
    table = Table(Column("ID", no_wrap=True), "Version", "Title", "State", "Updated")
    for wf in workflows:
        state = workflow_pb2.WorkflowState.Name(wf.state).removeprefix("WORKFLOW_STATE_")
        table.add_row(
            wf.workflow_id, str(wf.workflow_version), wf.title, state, when(wf.updated_at)
        )
    return table


def workflow_view(wf: workflow_pb2.Workflow) -> RenderableType:
    state = workflow_pb2.WorkflowState.Name(wf.state).removeprefix("WORKFLOW_STATE_")
    head = Table.grid(padding=(0, 2))
    head.add_row("Workflow", Text(wf.workflow_id, style="bold"))
    head.add_row("Version", str(wf.workflow_version))
    head.add_row("Title", wf.title)
    if wf.description:
        head.add_row("Description", wf.description)
    head.add_row("State", state)
    head.add_row("Created", when(wf.created_at))
    head.add_row("Updated", when(wf.updated_at))
    parts: list[RenderableType] = [head]
    if wf.inputs:
        inputs = Table("Name", "Type", "Required", "Default", "Description", title="Inputs")
        for item in wf.inputs:
            required = item.required if item.HasField("required") else True
            default = _value(_py(item.default)) if item.HasField("default") else ""
            inputs.add_row(
                item.name, item.type, "yes" if required else "no", default, item.description
            )
        parts.append(inputs)
    tasks = Table("#", "Name", "Type", "Inputs", title="Tasks")
    for index, task in enumerate(wf.tasks):
        given = struct_to_dict(task.inputs)
        tasks.add_row(
            str(index),
            task.name,
            task.type,
            "\n".join(f"{k} = {_value(v)}" for k, v in given.items()),
        )
    parts.append(tasks)
    if wf.outputs:
        outputs = Table("Name", "Type", "Value", title="Outputs")
        for out in wf.outputs:
            outputs.add_row(out.name, out.type, _value(_py(out.value)))
        parts.append(outputs)
    return Group(*parts)


def _py(value: struct_pb2.Value) -> Any:
    """A ``google.protobuf.Value`` as a plain Python value."""
    return json_format.MessageToDict(value)


def task_types_table(task_types: Iterable[workflow_pb2.TaskType]) -> Table:
    table = Table("Name", "Inputs", "Outputs", "Description", show_lines=True)
    for tt in task_types:
        inputs = "\n".join(f"{f.name}: {f.type}{'' if f.required else '?'}" for f in tt.inputs)
        outputs = "\n".join(f"{f.name}: {f.type}" for f in tt.outputs)
        table.add_row(Text(tt.name, style="bold"), inputs, outputs, tt.description)
    return table


# -- executions ------------------------------------------------------------


def execution_list_table(executions: Iterable[execution_pb2.Execution]) -> Table:
    table = Table(
        Column("ID", no_wrap=True), "Status", "Version", "Created", "Started", "Completed"
    )
    for ex in executions:
        table.add_row(
            ex.workflow_execution_id,
            _status(execution_pb2.Execution.Status.Name(ex.status)),
            str(ex.workflow_version),
            when(ex.created_at),
            when(ex.started_at),
            when(ex.completed_at),
        )
    return table


def tasks_table(ex: execution_pb2.Execution) -> Table:
    status = execution_pb2.Execution.Status.Name(ex.status)
    title = Text.assemble(
        "Execution ",
        (ex.workflow_execution_id, "bold"),
        f" of {ex.workflow_id} v{ex.workflow_version}  " if ex.workflow_id else "  ",
        _status(status),
    )
    table = Table("Task", "Type", "Status", "Attempts", "Time", "Error", title=title)
    for task in ex.tasks:
        task_status = _status(execution_pb2.TaskRun.Status.Name(task.status))
        if task.items:  # a map: how many items are done, and the items that need a look
            done = sum(1 for i in task.items if i.status == execution_pb2.TaskRun.COMPLETED)
            task_status.append(f" {done}/{len(task.items)}")
        table.add_row(
            task.name,
            task.type,
            task_status,
            str(task.attempts) if task.attempts else "",
            _duration(task.started_at, task.completed_at),
            _error(task.error) or task.skip_reason,
        )
        for item in task.items:
            name = execution_pb2.TaskRun.Status.Name(item.status)
            if name in ("RUNNING", "FAILED", "CANCELLED"):
                table.add_row(
                    f"  [{item.index}]",
                    "",
                    _status(name),
                    str(item.attempts) if item.attempts else "",
                    _duration(item.started_at, item.completed_at),
                    _error(item.error),
                )
    return table


def outputs_table(outputs: dict[str, Any]) -> Table:
    table = Table("Output", "Value", title="Outputs")
    for name, value in outputs.items():
        table.add_row(name, _value(value))
    return table


def execution_view(ex: execution_pb2.Execution) -> RenderableType:
    parts: list[RenderableType] = [tasks_table(ex)]
    times = Table.grid(padding=(0, 2))
    for label, ts in (
        ("Created", ex.created_at),
        ("Started", ex.started_at),
        ("Completed", ex.completed_at),
    ):
        if _set(ts):
            times.add_row(label, when(ts))
    if times.row_count:
        parts.append(times)
    outputs = struct_to_dict(ex.outputs)
    if outputs:
        parts.append(outputs_table(outputs))
    if _error(ex.error):
        parts.append(Text(f"Error: {_error(ex.error)}", style="red"))
    return Group(*parts)


class ExecutionTracker:
    """An execution's state rebuilt from its watch events: the snapshot
    events replace it, the others update one task or the status."""

    def __init__(self, execution_id: str) -> None:
        self.execution = execution_pb2.Execution(workflow_execution_id=execution_id)

    @property
    def status(self) -> str:
        return execution_pb2.Execution.Status.Name(self.execution.status)

    @property
    def terminal(self) -> bool:
        return self.status in _TERMINAL_EXECUTION

    def apply(self, event: execution_pb2.ExecutionEvent) -> None:
        ex = self.execution
        if event.HasField("execution"):
            ex.CopyFrom(event.execution)
            return
        if event.status:
            ex.status = event.status
        if event.task_name:
            task = next((t for t in ex.tasks if t.name == event.task_name), None)
            if task is None:
                task = ex.tasks.add(name=event.task_name)
            if event.skip_reason:
                task.skip_reason = event.skip_reason
            if event.HasField("item_index"):
                self._apply_item(task, event)
                return
            if event.task_status:
                task.status = event.task_status
            task.attempts = max(task.attempts, event.attempt)
            if event.HasField("error"):
                task.error.CopyFrom(event.error)
            elif event.type in ("task.running", "task.completed"):
                task.ClearField("error")
            name = execution_pb2.TaskRun.Status.Name(task.status)
            if name == "RUNNING" and not _set(task.started_at):
                task.started_at.CopyFrom(event.timestamp)
            if name in _TERMINAL_TASK and not _set(task.completed_at):
                task.completed_at.CopyFrom(event.timestamp)
        else:
            if event.HasField("error"):
                ex.error.CopyFrom(event.error)
            if self.status == "RUNNING" and not _set(ex.started_at):
                ex.started_at.CopyFrom(event.timestamp)
            if self.terminal and not _set(ex.completed_at):
                ex.completed_at.CopyFrom(event.timestamp)

    @staticmethod
    def _apply_item(task: execution_pb2.TaskRun, event: execution_pb2.ExecutionEvent) -> None:
        """A task.item.* event: its task_status is the item's."""
        while len(task.items) <= event.item_index:
            task.items.add(index=len(task.items))
        item = task.items[event.item_index]
        if event.task_status:
            item.status = event.task_status
        item.attempts = max(item.attempts, event.attempt)
        if event.HasField("error"):
            item.error.CopyFrom(event.error)
        name = execution_pb2.TaskRun.Status.Name(item.status)
        if name == "RUNNING" and not _set(item.started_at):
            item.started_at.CopyFrom(event.timestamp)
        if name in _TERMINAL_TASK and not _set(item.completed_at):
            item.completed_at.CopyFrom(event.timestamp)

    def render(self) -> Table:
        return tasks_table(self.execution)


# -- files -----------------------------------------------------------------


def file_table(file: file_pb2.File) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_row("File", Text(file.file_id, style="bold"))
    table.add_row("Name", file.name)
    table.add_row("Content type", file.content_type)
    table.add_row("Size", f"{file.size_bytes} bytes")
    table.add_row("SHA-256", file.sha256)
    table.add_row("Created", when(file.created_at))
    return table


# -- webhooks --------------------------------------------------------------


def deliveries_table(deliveries: Iterable[Any]) -> Table:
    """One row per delivery; its attempts as HTTP codes (or what failed) in order."""
    from dataflow.v1 import webhook_pb2

    table = Table("Seq", "Event", "Status", "Attempts", Column("Webhook ID", no_wrap=True))
    for d in deliveries:
        attempts = " ".join(str(a.status_code) if a.status_code else "error" for a in d.attempts)
        last_error = d.attempts[-1].error if d.attempts and d.attempts[-1].error else ""
        table.add_row(
            str(d.sequence),
            d.event_type,
            webhook_pb2.WebhookDelivery.Status.Name(d.status),
            (attempts or "-") + (f" ({last_error})" if last_error else ""),
            d.webhook_id,
        )
    return table
