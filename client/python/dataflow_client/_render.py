"""Rich rendering of the CLI's tables, from the client's typed objects.
Imported only by commands that print them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Column, Table
from rich.text import Text

from dataflow.v1 import execution_pb2

from ._model import (
    Execution,
    ExecutionError,
    ExecutionEvent,
    File,
    Secret,
    TaskType,
    WebhookAttempt,
    WebhookDelivery,
    Workflow,
)

__all__ = [
    "ExecutionTracker",
    "deliveries_table",
    "execution_list_table",
    "execution_view",
    "file_table",
    "outputs_table",
    "secrets_table",
    "task_types_table",
    "workflow_list_table",
    "workflow_view",
]

_STYLES = {
    "PENDING": "dim",
    "RUNNING": "yellow",
    "COMPLETED": "green",
    "DELIVERED": "green",
    "FAILED": "bold red",
    "CANCELLED": "magenta",
    "SKIPPED": "dim",
}


def _status(name: str) -> Text:
    return Text(name, style=_STYLES.get(name, ""))


def when(moment: datetime | None) -> str:
    """A time as ``2024-01-01 00:00:00``, UTC; empty when unset."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _duration(start: datetime | None, end: datetime | None) -> str:
    if start is None:
        return ""
    seconds = max(((end or datetime.now(UTC)) - start).total_seconds(), 0.0)
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s"


def _value(value: Any) -> str:
    if isinstance(value, File):
        extra = ", ".join(
            part
            for part in (value.name, f"{value.size_bytes} bytes" if value.size_bytes else "")
            if part
        )
        return f"{value.file_id} ({extra})" if extra else value.file_id
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, File):  # a file value nested in a JSON output
        return value.to_value()
    raise TypeError(f"not JSON: {type(value).__name__}")


def _error(error: ExecutionError | None) -> str:
    return str(error) if error else ""


# -- workflows -------------------------------------------------------------


def workflow_list_table(workflows: Iterable[Workflow]) -> Table:
    table = Table(Column("ID", no_wrap=True), "Version", "Title", "State", "Updated")
    for wf in workflows:
        table.add_row(
            wf.workflow_id, str(wf.workflow_version), wf.title, str(wf.state), when(wf.updated_at)
        )
    return table


def workflow_view(wf: Workflow) -> RenderableType:
    head = Table.grid(padding=(0, 2))
    head.add_row("Workflow", Text(wf.workflow_id, style="bold"))
    head.add_row("Version", str(wf.workflow_version))
    head.add_row("Title", wf.title)
    if wf.description:
        head.add_row("Description", wf.description)
    head.add_row("State", str(wf.state))
    head.add_row("Created", when(wf.created_at))
    head.add_row("Updated", when(wf.updated_at))
    parts: list[RenderableType] = [head]
    if wf.inputs:
        inputs = Table("Name", "Type", "Required", "Default", "Description", title="Inputs")
        for item in wf.inputs:
            default = "" if item.default is None else _value(item.default)
            inputs.add_row(
                item.name, item.type, "yes" if item.required else "no", default, item.description
            )
        parts.append(inputs)
    tasks = Table("#", "Name", "Type", "Inputs", title="Tasks")
    for index, task in enumerate(wf.tasks):
        tasks.add_row(
            str(index),
            task.name,
            task.type,
            "\n".join(f"{k} = {_value(v)}" for k, v in task.inputs.items()),
        )
    parts.append(tasks)
    if wf.outputs:
        outputs = Table("Name", "Type", "Value", title="Outputs")
        for out in wf.outputs:
            outputs.add_row(out.name, out.type, _value(out.value))
        parts.append(outputs)
    return Group(*parts)


def secrets_table(secrets: Iterable[Secret]) -> Table:
    table = Table(Column("Name", no_wrap=True), "Created", "Updated")
    for secret in secrets:
        table.add_row(secret.name, when(secret.created_at), when(secret.updated_at))
    return table


def task_types_table(task_types: Iterable[TaskType]) -> Table:
    table = Table("Name", "Inputs", "Outputs", "Description", show_lines=True)
    for tt in task_types:
        inputs = "\n".join(f"{f.name}: {f.type}{'' if f.required else '?'}" for f in tt.inputs)
        outputs = "\n".join(f"{f.name}: {f.type}" for f in tt.outputs)
        table.add_row(Text(tt.name, style="bold"), inputs, outputs, tt.description)
    return table


# -- executions ------------------------------------------------------------


def execution_list_table(executions: Iterable[Execution]) -> Table:
    table = Table(
        Column("ID", no_wrap=True), "Status", "Version", "Created", "Started", "Completed"
    )
    for ex in executions:
        table.add_row(
            ex.workflow_execution_id,
            _status(ex.status),
            str(ex.workflow_version),
            when(ex.created_at),
            when(ex.started_at),
            when(ex.completed_at),
        )
    return table


def tasks_table(ex: Execution) -> Table:
    title = Text.assemble(
        "Execution ",
        (ex.workflow_execution_id, "bold"),
        f" of {ex.workflow_id} v{ex.workflow_version}  " if ex.workflow_id else "  ",
        _status(ex.status),
    )
    table = Table("Task", "Type", "Status", "Attempts", "Time", "Error", title=title)
    for task in ex.tasks:
        status = _status(task.status)
        if task.items:  # a for_each task: how many of its items are done
            done = sum(1 for item in task.items if item.status == "COMPLETED")
            status.append(f" {done}/{len(task.items)}", style="dim")
        table.add_row(
            task.name,
            task.type,
            status,
            str(task.attempts) if task.attempts else "",
            _duration(task.started_at, task.completed_at),
            _error(task.error) or (task.skip_reason or ""),
        )
    return table


def outputs_table(outputs: dict[str, Any]) -> Table:
    table = Table("Output", "Value", title="Outputs")
    for name, value in outputs.items():
        table.add_row(name, _value(value))
    return table


def execution_view(ex: Execution) -> RenderableType:
    parts: list[RenderableType] = [tasks_table(ex)]
    times = Table.grid(padding=(0, 2))
    for label, moment in (
        ("Created", ex.created_at),
        ("Started", ex.started_at),
        ("Completed", ex.completed_at),
    ):
        if moment:
            times.add_row(label, when(moment))
    if times.row_count:
        parts.append(times)
    if ex.outputs:
        parts.append(outputs_table(ex.outputs))
    if ex.error:
        parts.append(Text(f"Error: {ex.error}", style="red"))
    return Group(*parts)


class ExecutionTracker:
    """An execution's state rebuilt from its watch events: the snapshot
    events replace it, the others update one task or the status. The state is
    kept as the message and read through :attr:`execution`."""

    def __init__(self, execution_id: str) -> None:
        self._state = execution_pb2.Execution(workflow_execution_id=execution_id)

    @property
    def execution(self) -> Execution:
        return Execution.from_proto(self._state)

    def replace(self, execution: Execution) -> None:
        self._state.CopyFrom(execution.raw)

    def apply(self, event: ExecutionEvent) -> None:
        raw, ex = event.raw, self._state
        if raw.HasField("execution"):
            ex.CopyFrom(raw.execution)
            return
        if raw.status:
            ex.status = raw.status
        if raw.task_name:
            task = next((t for t in ex.tasks if t.name == raw.task_name), None)
            if task is None:
                task = ex.tasks.add(name=raw.task_name)
            if raw.HasField("item_index"):  # one item of a for_each task
                while len(task.items) <= raw.item_index:
                    task.items.add(index=len(task.items))
                if raw.task_status:
                    task.items[raw.item_index].status = raw.task_status
                return
            if raw.skip_reason:
                task.skip_reason = raw.skip_reason
            if raw.task_status:
                task.status = raw.task_status
            task.attempts = max(task.attempts, raw.attempt)
            if raw.HasField("error"):
                task.error.CopyFrom(raw.error)
            elif raw.type in ("task.running", "task.completed"):
                task.ClearField("error")
            if task.status == execution_pb2.TaskRun.RUNNING and not task.HasField("started_at"):
                task.started_at.CopyFrom(raw.timestamp)
            if task.status in _TERMINAL_TASK and not task.HasField("completed_at"):
                task.completed_at.CopyFrom(raw.timestamp)
        else:
            if raw.HasField("error"):
                ex.error.CopyFrom(raw.error)
            if ex.status == execution_pb2.Execution.RUNNING and not ex.HasField("started_at"):
                ex.started_at.CopyFrom(raw.timestamp)
            if ex.status in _TERMINAL_EXECUTION and not ex.HasField("completed_at"):
                ex.completed_at.CopyFrom(raw.timestamp)

    def render(self) -> Table:
        return tasks_table(self.execution)


_TR = execution_pb2.TaskRun
_EX = execution_pb2.Execution
_TERMINAL_TASK = frozenset({_TR.COMPLETED, _TR.FAILED, _TR.CANCELLED, _TR.SKIPPED})
_TERMINAL_EXECUTION = frozenset({_EX.COMPLETED, _EX.FAILED, _EX.CANCELLED})


# -- files -----------------------------------------------------------------


def file_table(file: File) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_row("File", Text(file.file_id, style="bold"))
    table.add_row("Name", file.name)
    table.add_row("Content type", file.content_type)
    table.add_row("Size", f"{file.size_bytes} bytes")
    table.add_row("SHA-256", file.sha256)
    table.add_row("Created", when(file.created_at))
    return table


# -- webhooks --------------------------------------------------------------


def _latency(ms: int) -> str:
    return f"{ms} ms" if ms < 10_000 else f"{ms / 1000:.1f} s"


def _outcome(attempt: WebhookAttempt) -> str:
    """``204``, ``HTTP 503 Service Unavailable`` or ``timed out``."""
    code = str(attempt.status_code or "")
    if attempt.error:
        return attempt.error if code in attempt.error else f"{code} {attempt.error}".strip()
    return code


def deliveries_table(deliveries: Iterable[WebhookDelivery]) -> Table:
    """A row per attempt of each delivery (time, HTTP status or error,
    latency), under the delivery's event, status and webhook-id."""
    table = Table(
        "Seq",
        "Event",
        "Status",
        "Attempt",
        "Time",
        "HTTP status / error",
        Column("Latency", justify="right"),
        Column("Webhook ID", no_wrap=True),
    )
    for d in deliveries:
        status: Text = _status(d.status)
        if d.status == "PENDING" and d.next_attempt_at:
            status.append(f"\nnext {when(d.next_attempt_at)}", style="dim")
        head = (str(d.sequence), d.event_type, status)
        if not d.attempts:
            table.add_row(*head, "-", "", "", "", d.webhook_id)
        for number, attempt in enumerate(d.attempts, start=1):
            outcome = _outcome(attempt)
            table.add_row(
                *(head if number == 1 else ("", "", "")),
                str(number),
                when(attempt.attempted_at),
                outcome,
                _latency(attempt.latency_ms),
                d.webhook_id if number == 1 else "",
            )
    return table
