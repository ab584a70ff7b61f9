"""Renders docs/task-types.md from the registry (`make gen`; CI checks it is current).

python -m dataflow_server.tasks.docs > docs/task-types.md
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

from ..domain.task_types import FieldSpec, TaskTypeSpec
from .registry import TaskRegistry, default_registry

__all__ = ["render"]

_HEADER = """\
# Task types

Generated from the task registry by `make gen` (`python -m dataflow_server.tasks.docs`);
CI fails when it is not current. `ListTaskTypes` returns the same information.

A task's `inputs` are literals or templates: `{{inputs.NAME}}` and
`{{tasks.NAME.outputs.FIELD}}`. A value that is exactly one template keeps the
referenced value's type; text mixing literals and templates is text. Inputs marked
*accepts secrets* may also reference a secret of the tenant, `{{secrets.NAME}}`
(`dataflow secrets set NAME`); *secret only* inputs must be exactly such a reference.

Adding a task type is one module in `server/dataflow_server/tasks/`: declare a
`TaskTypeSpec` (typed inputs and outputs, default retry policy and timeout) in `SPECS`,
implement `async def run(ctx: TaskContext, inputs: JsonObject) -> JsonObject` (JSON
values, `domain/values.py`; read inputs with `tasks/inputs.py`) and list it in
`HANDLERS`, then add the module's `HANDLERS` to `IMPLEMENTED` in `tasks/registry.py`.
Raise `TaskFailure(code, message, retryable=...)` for expected failures.
"""


def _value(value: object) -> str:
    return "`" + json.dumps(value) + "`"


def _inputs(fields: Iterable[FieldSpec]) -> list[str]:
    rows = [
        "| input | type | required | default | description |",
        "| --- | --- | --- | --- | --- |",
    ]
    for f in fields:
        notes = [f.description]
        if f.allowed_values:
            notes.append("One of " + ", ".join(_value(v) for v in f.allowed_values) + ".")
        if f.secret_only:
            notes.append("*Secret only*: exactly one `{{secrets.NAME}}`.")
        elif f.accepts_secrets:
            notes.append("*Accepts secrets*: may reference `{{secrets.NAME}}`.")
        if f.minimum is not None or f.maximum is not None:
            notes.append(
                f"Range {f.minimum if f.minimum is not None else '…'}"
                f" to {f.maximum if f.maximum is not None else '…'}."
            )
        default = _value(f.default) if f.default is not None else ""
        rows.append(
            f"| `{f.name}` | {f.type.value} | {'yes' if f.required else 'no'} | {default} | "
            + " ".join(n for n in notes if n)
            + " |"
        )
    return rows


def _outputs(fields: Iterable[FieldSpec]) -> list[str]:
    rows = ["| output | type | description |", "| --- | --- | --- |"]
    rows += [f"| `{f.name}` | {f.type.value} | {f.description} |" for f in fields]
    return rows


def _section(spec: TaskTypeSpec, implemented: bool) -> list[str]:
    retry = spec.default_retry
    lines = [f"## `{spec.name}`", "", spec.description, ""]
    if not implemented:
        lines += ["Declared only: this server has no implementation yet.", ""]
    lines += _inputs(spec.inputs) if spec.inputs else ["No inputs."]
    lines.append("")
    lines += _outputs(spec.outputs) if spec.outputs else ["No outputs."]
    lines += [
        "",
        f"Defaults: timeout {spec.default_timeout_seconds:g} s per attempt; "
        f"{retry.max_attempts} attempt(s), backoff {retry.initial_backoff_seconds:g} s "
        f"× {retry.backoff_multiplier:g} up to {retry.max_backoff_seconds:g} s.",
        "",
    ]
    return lines


def render(registry: TaskRegistry) -> str:
    lines = [_HEADER]
    for spec in registry:
        lines += _section(spec, registry.handler(spec.name) is not None)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(render(default_registry()))
