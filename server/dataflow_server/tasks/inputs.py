"""Typed reads of a task's inputs (JSON values).

The engine hands a task its inputs resolved as declared: a text input is always
a str. A number, integer or file input is usually of its type too, but an item
of a json list (`{{item}}`) lands as it is, so these are read with the same
conversions a handler always applied (`float()`, `int()`); a value they cannot
convert fails the attempt like a bug in the task (TASK_ERROR).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..domain.values import JsonObject, JsonValue

__all__ = ["as_float", "as_int", "as_object", "as_text", "optional_text"]


def as_float(value: JsonValue) -> float:
    if isinstance(value, str | int | float):
        return float(value)
    raise TypeError(f"expected a number, got {type(value).__name__}")


def as_int(value: JsonValue) -> int:
    if isinstance(value, str | int | float):
        return int(value)
    raise TypeError(f"expected an integer, got {type(value).__name__}")


def as_text(value: JsonValue) -> str:
    if isinstance(value, str):
        return value
    raise TypeError(f"expected text, got {type(value).__name__}")


def as_object(value: JsonValue) -> JsonObject:
    """A JSON object, such as a file value ({"file_id": ...})."""
    if isinstance(value, dict):
        return value
    raise TypeError(f"expected an object, got {type(value).__name__}")


def optional_text(inputs: Mapping[str, JsonValue], name: str) -> str | None:
    """A text input that may be absent (an absent or null one is None)."""
    value = inputs.get(name)
    return None if value is None else as_text(value)
