"""`when` conditions in CEL (Common Expression Language), through cel-expr-python.

cel-expr-python wraps the CEL project's C++ implementation: its checker gives
every name and operator a type before anything runs, and evaluation has no side
effects and no access to anything but the values given. Nothing is evaluated
as Python.

Names are the dotted variables `inputs.NAME` and `tasks.NAME.outputs.FIELD`,
declared with their types (text → string, number → double, integer → int,
boolean → bool, json → dyn, file → map, the outputs of a `for_each` task →
list). A variable whose value may be null (an optional input without default,
or an output of a task that may have been skipped, seen from a task that runs
anyway) is declared `dyn`, so that `x != null` type-checks.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cel_expr_python import cel
from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool, message_factory

from .static_types import StaticType
from .values import JsonValue, ValueType

__all__ = ["CheckedCondition", "ConditionError", "check_condition", "evaluate_condition"]

MAX_CONDITION_LENGTH = 4096

_SCALARS: dict[ValueType, Any] = {
    ValueType.TEXT: cel.Type.STRING,
    ValueType.NUMBER: cel.Type.DOUBLE,
    ValueType.INTEGER: cel.Type.INT,
    ValueType.BOOLEAN: cel.Type.BOOL,
    ValueType.JSON: cel.Type.DYN,
    ValueType.FILE: cel.Type.Map(cel.Type.STRING, cel.Type.DYN),
}


class ConditionError(ValueError):
    """A condition does not compile, or its evaluation failed; the message says why."""


@dataclass(frozen=True, slots=True)
class CheckedCondition:
    """A condition that type-checked, with the variables it uses."""

    expression: str
    names: frozenset[str]


def _cel_type(static: StaticType | None) -> Any:
    if static is None:
        return cel.Type.DYN
    element = _SCALARS[static.base]
    return cel.Type.List(element) if static.is_list else element


def _env(variables: Mapping[str, StaticType | None]) -> Any:
    return cel.NewEnv(variables={name: _cel_type(t) for name, t in variables.items()})


def check_condition(
    expression: str, variables: Mapping[str, StaticType | None]
) -> CheckedCondition:
    """Parse and type-check `expression` over `variables` (None: dyn); it must
    yield a boolean. ConditionError lists every problem the checker found."""
    if len(expression) > MAX_CONDITION_LENGTH:
        raise ConditionError(
            f"the condition is {len(expression)} characters; at most "
            f"{MAX_CONDITION_LENGTH} are allowed"
        )
    if not expression.strip():
        raise ConditionError("is empty: give a CEL condition, or leave `when` out")
    try:
        compiled = _env(variables).compile(expression)
    except RuntimeError as err:
        raise ConditionError(_explain(str(err), variables)) from None
    result = compiled.return_type()
    if result != cel.Type.BOOL and result != cel.Type.DYN:
        raise ConditionError(
            f"must be a boolean condition, but it yields {result.name().lower()}; "
            "compare it, e.g. `... != ''` or `... > 0`"
        )
    return CheckedCondition(expression, _referenced(compiled, variables))


def evaluate_condition(
    expression: str,
    variables: Mapping[str, StaticType | None],
    values: Mapping[str, JsonValue],
) -> bool:
    """Evaluate a condition that `check_condition` accepted, with `values` for
    its variables (a missing one is null). ConditionError when evaluation
    fails (a missing key in a json value, a division by zero, a non-boolean)."""
    try:
        compiled = _env(variables).compile(expression)
    except RuntimeError as err:
        raise ConditionError(_explain(str(err), variables)) from None
    data = {
        name: _to_cel(values.get(name), variables.get(name))
        for name in _referenced(compiled, variables)
    }
    result = compiled.eval(data=data)
    value = result.value()
    if result.type() == cel.Type.BOOL and isinstance(value, bool):
        return value
    if result.type() == cel.Type.ERROR:
        raise ConditionError(f"evaluating `{expression}` failed: {_first_line(str(value))}")
    raise ConditionError(f"`{expression}` yielded {result.type().name().lower()}, not a boolean")


def _to_cel(value: JsonValue, static: StaticType | None) -> JsonValue:
    """JSON values as CEL expects them: protobuf Struct gives every number as a
    float, and an int variable needs an int (a double one a float)."""
    if value is None or static is None:
        return value
    if static.is_list and isinstance(value, list):
        element = StaticType(static.base)
        return [_to_cel(v, element) for v in value]
    if static.base is ValueType.INTEGER and isinstance(value, float) and value.is_integer():
        return int(value)
    if static.base is ValueType.NUMBER and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


# -- which variables an expression uses ---------------------------------------
#
# The checked expression (cel.expr.CheckedExpr, wrapped in an Any) maps each
# identifier to the declaration it resolved to. Only that map is read, through
# a two-message descriptor with the spec's field numbers.


def _checked_expr_class() -> Any:
    file = descriptor_pb2.FileDescriptorProto(
        name="dataflow_cel_references.proto", package="dataflow_cel", syntax="proto3"
    )
    optional = descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL
    ref = file.message_type.add(name="Reference")
    ref.field.add(
        name="name", number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING, label=optional
    )
    checked = file.message_type.add(name="CheckedExpr")
    entry = checked.nested_type.add(name="ReferenceMapEntry")
    entry.options.map_entry = True
    entry.field.add(
        name="key", number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_INT64, label=optional
    )
    entry.field.add(
        name="value",
        number=2,
        type=descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE,
        type_name=".dataflow_cel.Reference",
        label=optional,
    )
    checked.field.add(
        name="reference_map",
        number=2,
        type=descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE,
        type_name=".dataflow_cel.CheckedExpr.ReferenceMapEntry",
        label=descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED,
    )
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("dataflow_cel.CheckedExpr"))


_CheckedExpr = _checked_expr_class()


def _referenced(compiled: Any, variables: Mapping[str, StaticType | None]) -> frozenset[str]:
    wrapper = any_pb2.Any()
    wrapper.ParseFromString(compiled.serialize())
    checked = _CheckedExpr()
    checked.ParseFromString(wrapper.value)
    # The map also names functions and comprehension variables: keep declared names.
    return frozenset(r.name for r in checked.reference_map.values() if r.name in variables)


# -- messages ----------------------------------------------------------------

_ERROR = re.compile(r"ERROR: <input>:(\d+):(\d+): (.*)")
_UNDECLARED = re.compile(r"undeclared reference to '([^']+)'")
_MIXED_NUMBERS = re.compile(r"applied to '\((?:double, int|int, double)")


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def _explain(raw: str, variables: Mapping[str, StaticType | None]) -> str:
    """The checker's errors, one per problem, without its source excerpts, with a
    suggestion where we have one."""
    problems = []
    for match in _ERROR.finditer(raw):
        line, column, text = match.groups()
        text = text.replace(" (in container '')", "")
        if undeclared := _UNDECLARED.search(text):
            name = undeclared.group(1)
            close = difflib.get_close_matches(name, list(variables), n=3, cutoff=0.8)
            text = f"unknown name '{name}'"
            if close:
                text += "; did you mean " + " or ".join(repr(c) for c in close) + "?"
            else:
                text += (
                    "; names are inputs.NAME and tasks.NAME.outputs.FIELD of declared "
                    "inputs and of other tasks"
                )
        elif _MIXED_NUMBERS.search(text):
            text += " (CEL does not mix int and double: write 2.0 to compare with a number)"
        problems.append(f"{text} (at {line}:{column})")
    if not problems:
        return _first_line(raw)
    return "; ".join(problems)
