"""The type of a reference at create time: a value type, or a list of one.

Declared inputs and outputs have value types (`text`, `file`...). The outputs
of a `for_each` task are lists of the output's type in item order; such a list
is JSON where a value lands, and its element type is what `{{item}}` has in a
task that maps over it (a json list's items have no static type).
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
