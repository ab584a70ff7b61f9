"""Size limits that keep every accepted execution readable.

The bar: any client with gRPC's default 4 MiB receive limit can read any
execution with GetExecution, WatchExecution and a list page. So the data of
one execution record (its inputs, every task's outputs and the workflow
outputs) is bounded by `max_execution_bytes` (3.5 MiB, leaving room for ids,
times and errors), one value by `max_value_bytes`, and a list page holds
items worth at most `max_execution_bytes` (at least one item). Sizes are
`encoded_size`: an upper bound of a value's protobuf (Struct) and JSON forms.

Limits are checked where data enters: execution inputs (INVALID_ARGUMENT on
`inputs.NAME`), task outputs (the task fails with OUTPUT_TOO_LARGE, nothing of
the output is stored), workflow outputs (the execution fails the same way).
Large content belongs in files: a file value is a small reference.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass

from .definitions import definition_to_dict
from .errors import FieldViolation
from .records import DeliveryRecord, ExecutionRecord, TaskError, WorkflowRecord
from .templates import child_path
from .values import JsonValue

__all__ = [
    "DEFAULT_DATA_LIMITS",
    "MAX_VALUE_DEPTH",
    "OUTPUT_TOO_LARGE",
    "DataLimits",
    "delivery_size",
    "encoded_size",
    "execution_size",
    "input_size_violations",
    "json_value_problems",
    "output_error",
    "workflow_size",
]

MiB = 1024 * 1024
OUTPUT_TOO_LARGE = "OUTPUT_TOO_LARGE"
FILE_HINT = (
    "large content belongs in files: upload it with FileService.UploadFile and pass "
    'the file value ({"file_id": "file-…"})'
)
_RECORD_OVERHEAD = 512  # ids, status, timestamps, sequence of a record
_TASK_OVERHEAD = 128


@dataclass(frozen=True, slots=True)
class DataLimits:
    max_value_bytes: int = 1 * MiB  # DATAFLOW_MAX_VALUE_BYTES
    max_execution_bytes: int = 3 * MiB + MiB // 2  # DATAFLOW_MAX_EXECUTION_BYTES

    @property
    def max_page_bytes(self) -> int:
        """What one list page may hold: as much as one execution record."""
        return self.max_execution_bytes


DEFAULT_DATA_LIMITS = DataLimits()


# Objects and lists may nest this deep in any one value. Protobuf decoders stop
# at 100 message levels and each JSON level costs three (Value, Struct, entry):
# within this, a value stays readable inside every response that carries it.
MAX_VALUE_DEPTH = 20


def json_value_problems(
    value: JsonValue, path: str, max_depth: int = MAX_VALUE_DEPTH
) -> list[FieldViolation]:
    """Where `value` is not portable JSON: NaN or ±Infinity (a protobuf client can
    send them; JSON cannot carry them), or objects and lists nested deeper than
    `max_depth` (reported once, at the first container past it)."""
    found: list[FieldViolation] = []
    too_deep = False
    stack: list[tuple[JsonValue, str, int]] = [(value, path, 0)]
    while stack:
        item, at, depth = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            found.append(FieldViolation(at, f"{item} is not a number JSON can carry"))
        elif isinstance(item, dict | list):
            if depth >= max_depth:
                if not too_deep:
                    found.append(
                        FieldViolation(
                            at, f"objects and lists may be nested at most {MAX_VALUE_DEPTH} deep"
                        )
                    )
                too_deep = True
                continue
            members: list[tuple[str | int, JsonValue]] = (
                list(enumerate(item)) if isinstance(item, list) else list(item.items())
            )
            for key, child in reversed(members):
                child_at = child_path(at, key) if at else str(key)
                stack.append((child, child_at, depth + 1))
    return found


def encoded_size(value: JsonValue) -> int:
    """An upper bound of the bytes `value` takes as a protobuf Struct value or
    as JSON, whichever is larger (a number is 9 bytes in protobuf, a NUL 6 in JSON)."""
    total = 0
    stack: list[JsonValue] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += _text_size(item)
        elif isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int | float):
            total += max(9, len(repr(item))) + 2
        elif isinstance(item, list):
            total += 2 + 4 * len(item)
            stack.extend(item)
        elif isinstance(item, dict):
            total += 2
            for key, child in item.items():
                total += _text_size(str(key)) + 8
                stack.append(child)
        else:
            total += len(repr(item))
    return total


def _text_size(text: str) -> int:
    if text.isprintable() and '"' not in text and "\\" not in text:
        return len(text.encode()) + 6  # nothing JSON escapes: the same bound, no dumps
    return max(len(json.dumps(text, ensure_ascii=False).encode()), len(text.encode()) + 6)


def _error_size(error: TaskError | None) -> int:
    return 0 if error is None else len(error.code) + len(error.message.encode()) + 64


def execution_size(record: ExecutionRecord, full: bool = True) -> int:
    """The bytes `record` takes in a response (basic view: without tasks and data)."""
    size = _RECORD_OVERHEAD + len(record.webhook_url or "") + len(record.request_id or "")
    size += _error_size(record.error)
    if full:
        size += encoded_size(record.inputs) + encoded_size(record.outputs)
        for run in record.tasks:
            size += _TASK_OVERHEAD + len(run.name) + len(run.type)
            size += encoded_size(run.outputs) + _error_size(run.error)
    return size


def workflow_size(record: WorkflowRecord) -> int:
    return _RECORD_OVERHEAD + encoded_size(definition_to_dict(record.definition))


def delivery_size(record: DeliveryRecord) -> int:
    attempts = sum(64 + len((a.error or "").encode()) for a in record.attempts)
    return _RECORD_OVERHEAD + len(record.url) + len(record.event_type) + attempts


def input_size_violations(
    inputs: Mapping[str, JsonValue], limits: DataLimits
) -> list[FieldViolation]:
    """Each input value within `max_value_bytes`, all of them within
    `max_execution_bytes`."""
    violations = []
    total = 0
    for name, value in inputs.items():
        size = encoded_size(value)
        total += size
        if size > limits.max_value_bytes:
            violations.append(
                FieldViolation(
                    child_path("inputs", name),
                    f"is {size} bytes; a value may be at most {limits.max_value_bytes} bytes "
                    f"(DATAFLOW_MAX_VALUE_BYTES): {FILE_HINT}",
                )
            )
    if not violations and total > limits.max_execution_bytes:
        violations.append(
            FieldViolation(
                "inputs",
                f"are {total} bytes together; an execution's data may be at most "
                f"{limits.max_execution_bytes} bytes (DATAFLOW_MAX_EXECUTION_BYTES): {FILE_HINT}",
            )
        )
    return violations


def output_error(
    task_name: str,
    outputs: Mapping[str, JsonValue],
    used: int,
    limits: DataLimits,
) -> TaskError | None:
    """Why the outputs of task `task_name` (of the workflow when "") cannot be kept,
    or None: INVALID_OUTPUT for a value JSON cannot carry (NaN, nested too deep),
    OUTPUT_TOO_LARGE for a value over `max_value_bytes` or outputs that would take
    the execution's data over `max_execution_bytes`: `used` bytes (its inputs
    and earlier outputs, by `encoded_size`) and these."""
    whose = "output" if task_name else "workflow output"
    sizes = {}
    for name, value in outputs.items():
        if problems := json_value_problems(value, name):
            where, what = problems[0].field, problems[0].description
            return TaskError("INVALID_OUTPUT", f"{whose} {where}: {what}", False, task_name)
        sizes[name] = size = encoded_size(value)
        if size > limits.max_value_bytes:
            return TaskError(
                OUTPUT_TOO_LARGE,
                f"{whose} {name} is {size} bytes; a value may be at most "
                f"{limits.max_value_bytes} bytes (DATAFLOW_MAX_VALUE_BYTES); {FILE_HINT}",
                False,
                task_name,
            )
    total = used + sum(sizes.values())
    if total > limits.max_execution_bytes:
        return TaskError(
            OUTPUT_TOO_LARGE,
            f"the {whose}s would bring the execution's data to {total} bytes; at most "
            f"{limits.max_execution_bytes} bytes are kept (DATAFLOW_MAX_EXECUTION_BYTES); "
            f"{FILE_HINT}",
            False,
            task_name,
        )
    return None
