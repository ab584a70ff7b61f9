"""The value types of inputs, outputs and task fields, and checks of literal values."""

from __future__ import annotations

import math
from enum import StrEnum
from typing import TypeAlias

__all__ = [
    "FILE_VALUE_KEYS",
    "JsonObject",
    "JsonValue",
    "ValueType",
    "describe_mismatch",
    "has_control_characters",
    "is_file_ref",
]

# What json.loads returns (and what a protobuf Struct converts to).
JsonValue: TypeAlias = bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"] | None
JsonObject: TypeAlias = dict[str, JsonValue]

FILE_VALUE_KEYS = ("file_id", "name", "content_type", "size_bytes", "sha256")


class ValueType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    JSON = "json"
    FILE = "file"

    @classmethod
    def parse(cls, name: str) -> ValueType | None:
        try:
            return cls(name)
        except ValueError:
            return None


def has_control_characters(text: str) -> bool:
    """Whether `text` holds NUL or another control character: refused in the
    short texts kept as database columns (request ids, URLs, content types),
    which PostgreSQL cannot store with a NUL."""
    return any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in text)


def is_file_ref(value: JsonValue) -> bool:
    """A file value: an object with a string `file_id` (inputs may give only that key)."""
    return (
        isinstance(value, dict) and isinstance(value.get("file_id"), str) and bool(value["file_id"])
    )


def describe_mismatch(value_type: ValueType, value: JsonValue) -> str | None:
    """None when `value` is a valid literal of `value_type`, else what is wrong.

    Numbers arrive from protobuf Struct as floats, so an integer is any finite
    float without a fractional part.
    """
    match value_type:
        case ValueType.TEXT:
            ok = isinstance(value, str)
        case ValueType.NUMBER:
            ok = (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)
            )
        case ValueType.INTEGER:
            ok = (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)
                and float(value).is_integer()
            )
        case ValueType.BOOLEAN:
            ok = isinstance(value, bool)
        case ValueType.JSON:
            ok = True
        case ValueType.FILE:
            if not is_file_ref(value):
                return 'must be a file: an object like {"file_id": "file-..."}'
            ok = True
    if ok:
        return None
    return f"must be of type {value_type.value}, got {_json_kind(value)}"


def _json_kind(value: JsonValue) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"
