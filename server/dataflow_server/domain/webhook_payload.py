"""The JSON body of a webhook delivery, built from an event when it is written.

`{type, timestamp, data: {sequence, workflow_execution_id, workflow_id,
workflow_version, status, task_name?, task_status?, item_index?, skip_reason?,
tasks, outputs?, error?}}`. Files are
referenced by their file value, never inlined; outputs larger than
`MAX_OUTPUTS_BYTES` are left out (`outputs_truncated: true`) so bodies stay
small — the receiver can read them with GetExecution.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .lifecycle import EventType
from .records import EventRecord

__all__ = ["MAX_OUTPUTS_BYTES", "build_payload", "encode_body"]

MAX_OUTPUTS_BYTES = 64 * 1024


def _iso(event: EventRecord) -> str:
    return event.timestamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def build_payload(
    event: EventRecord,
    workflow_id: str,
    workflow_version: int,
    tasks: Sequence[tuple[str, str]],
    outputs: dict[str, Any] | None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sequence": event.sequence,
        "workflow_execution_id": event.execution_id,
        "workflow_id": workflow_id,
        "workflow_version": workflow_version,
        "status": event.status.value,
    }
    if event.task_name:
        data["task_name"] = event.task_name
        if event.task_status is not None:
            data["task_status"] = event.task_status.value
        if event.item_index is not None:
            data["item_index"] = event.item_index
        if event.skip_reason:
            data["skip_reason"] = event.skip_reason
    data["tasks"] = [{"name": name, "status": status} for name, status in tasks]
    if event.type == EventType.EXECUTION_COMPLETED and outputs is not None:
        if len(encode_body(outputs)) <= MAX_OUTPUTS_BYTES:
            data["outputs"] = outputs
        else:
            data["outputs_truncated"] = True
    if event.error is not None:
        data["error"] = event.error.to_dict()
    return {"type": event.type, "timestamp": _iso(event), "data": data}


def encode_body(payload: Any) -> bytes:
    """The exact bytes sent (and signed): compact UTF-8 JSON."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
