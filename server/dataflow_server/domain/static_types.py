"""The type of a reference at create time: a value type, or a list of one.

Declared inputs and outputs have value types (`text`, `file`...). The outputs
of a `for_each` task are lists of the output's type in item order; such a list
is JSON where a value lands, and its element type is what `{{item}}` has in a
task that maps over it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .values import ValueType

__all__ = ["StaticType"]


@dataclass(frozen=True, slots=True)
class StaticType:
    base: ValueType
    is_list: bool = False

    def __str__(self) -> str:
        return f"list of {self.base.value}" if self.is_list else self.base.value

    @property
    def as_value_type(self) -> ValueType:
        """What a value of this type is where it lands: a list is json."""
        return ValueType.JSON if self.is_list else self.base

    def element(self) -> StaticType | None:
        """The type of one item when mapping over a value of this type: the
        element of a list, json for a json value (checked when the task runs),
        None when the value cannot be a list."""
        if self.is_list:
            return StaticType(self.base)
        if self.base is ValueType.JSON:
            return StaticType(ValueType.JSON)
        return None
