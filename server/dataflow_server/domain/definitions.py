"""Workflow definitions as plain, immutable data.

The dict form (`definition_from_dict` / `definition_to_dict`) is the seed's JSON
body and is what the store keeps. Parsing is lenient about shapes it cannot
represent (it keeps raw values); `validation.validate_definition` reports
every problem with a field path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .values import JsonValue

__all__ = [
    "InputSpec",
    "OutputSpec",
    "RetryPolicy",
    "TaskSpec",
    "WorkflowDefinition",
    "definition_from_dict",
    "definition_to_dict",
]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff; a field left None takes the task type's default."""

    max_attempts: int | None = None
    initial_backoff_seconds: float | None = None
    backoff_multiplier: float | None = None
    max_backoff_seconds: float | None = None

    def merged_over(self, base: RetryPolicy) -> RetryPolicy:
        """This policy with its unset fields taken from `base`."""
        return RetryPolicy(
            max_attempts=self.max_attempts if self.max_attempts is not None else base.max_attempts,
            initial_backoff_seconds=self.initial_backoff_seconds
            if self.initial_backoff_seconds is not None
            else base.initial_backoff_seconds,
            backoff_multiplier=self.backoff_multiplier
            if self.backoff_multiplier is not None
            else base.backoff_multiplier,
            max_backoff_seconds=self.max_backoff_seconds
            if self.max_backoff_seconds is not None
            else base.max_backoff_seconds,
        )


@dataclass(frozen=True, slots=True)
class InputSpec:
    name: str
    type: str
    description: str = ""
    required: bool = True
    default: JsonValue = None
    has_default: bool = False


@dataclass(frozen=True, slots=True)
class TaskSpec:
    name: str
    type: str
    inputs: dict[str, JsonValue] = field(default_factory=dict)
    retry: RetryPolicy | None = None
    timeout_seconds: float | None = None
    description: str = ""
    # None: after the task listed before (the seed's sequence); () starts at once.
    # Entries that are not strings are kept as "" so indices match the JSON.
    depends_on: tuple[str, ...] | None = None
    when: str = ""  # a CEL condition; "" runs unconditionally
    for_each: str = ""  # a template yielding the list of items; "" runs once
    max_parallel: int | None = None
    allow_skipped_dependencies: bool = False


@dataclass(frozen=True, slots=True)
class OutputSpec:
    name: str
    type: str
    value: JsonValue = None
    description: str = ""
    default: JsonValue = None  # used when `value` refers to a skipped task
    has_default: bool = False


@dataclass(frozen=True, slots=True)
class WorkflowDefinition:
    title: str
    description: str = ""
    inputs: tuple[InputSpec, ...] = ()
    tasks: tuple[TaskSpec, ...] = ()
    outputs: tuple[OutputSpec, ...] = ()


def _str(d: dict[str, Any], key: str) -> str:
    v = d.get(key, "")
    return v if isinstance(v, str) else ""


def _opt_num(d: dict[str, Any], key: str) -> float | None:
    v = d.get(key)
    if isinstance(v, int | float) and not isinstance(v, bool):
        return float(v)
    return None


def _retry_from_dict(d: Any) -> RetryPolicy | None:
    if not isinstance(d, dict) or not d:
        return None
    attempts = d.get("max_attempts")
    return RetryPolicy(
        max_attempts=int(attempts)
        if isinstance(attempts, int | float) and not isinstance(attempts, bool)
        else None,
        initial_backoff_seconds=_opt_num(d, "initial_backoff_seconds"),
        backoff_multiplier=_opt_num(d, "backoff_multiplier"),
        max_backoff_seconds=_opt_num(d, "max_backoff_seconds"),
    )


def _depends_on(t: dict[str, Any]) -> tuple[str, ...] | None:
    names = t.get("depends_on")
    if not isinstance(names, list):
        return None
    return tuple(n if isinstance(n, str) else "" for n in names)


def _opt_int(d: dict[str, Any], key: str) -> int | None:
    v = d.get(key)
    if isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer():
        return int(v)
    return None


def definition_from_dict(d: dict[str, Any]) -> WorkflowDefinition:
    """Build a definition from its JSON form (proto3 JSON with original field names)."""
    inputs = tuple(
        InputSpec(
            name=_str(i, "name"),
            type=_str(i, "type"),
            description=_str(i, "description"),
            required=bool(i.get("required", True)),
            default=i.get("default"),
            has_default="default" in i,
        )
        for i in d.get("inputs") or []
        if isinstance(i, dict)
    )
    tasks = tuple(
        TaskSpec(
            name=_str(t, "name"),
            type=_str(t, "type"),
            inputs=dict(t["inputs"]) if isinstance(t.get("inputs"), dict) else {},
            retry=_retry_from_dict(t.get("retry")),
            timeout_seconds=float(t["timeout_seconds"])
            if isinstance(t.get("timeout_seconds"), int | float)
            else None,
            description=_str(t, "description"),
            depends_on=_depends_on(t),
            when=_str(t, "when"),
            for_each=_str(t, "for_each"),
            max_parallel=_opt_int(t, "max_parallel"),
            allow_skipped_dependencies=t.get("allow_skipped_dependencies") is True,
        )
        for t in d.get("tasks") or []
        if isinstance(t, dict)
    )
    outputs = tuple(
        OutputSpec(
            name=_str(o, "name"),
            type=_str(o, "type"),
            value=o.get("value"),
            description=_str(o, "description"),
            default=o.get("default"),
            has_default="default" in o,
        )
        for o in d.get("outputs") or []
        if isinstance(o, dict)
    )
    return WorkflowDefinition(
        title=_str(d, "title"),
        description=_str(d, "description"),
        inputs=inputs,
        tasks=tasks,
        outputs=outputs,
    )


def _retry_to_dict(r: RetryPolicy) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if r.max_attempts is not None:
        out["max_attempts"] = r.max_attempts
    if r.initial_backoff_seconds is not None:
        out["initial_backoff_seconds"] = r.initial_backoff_seconds
    if r.backoff_multiplier is not None:
        out["backoff_multiplier"] = r.backoff_multiplier
    if r.max_backoff_seconds is not None:
        out["max_backoff_seconds"] = r.max_backoff_seconds
    return out


def definition_to_dict(d: WorkflowDefinition) -> dict[str, Any]:
    """The JSON form, with only the fields that were given (the seed's shape)."""
    out: dict[str, Any] = {"title": d.title}
    if d.description:
        out["description"] = d.description
    inputs = []
    for i in d.inputs:
        item: dict[str, Any] = {"name": i.name, "type": i.type}
        if i.description:
            item["description"] = i.description
        if not i.required:
            item["required"] = False
        if i.has_default:
            item["default"] = i.default
        inputs.append(item)
    out["inputs"] = inputs
    tasks = []
    for t in d.tasks:
        task: dict[str, Any] = {"name": t.name, "type": t.type, "inputs": t.inputs}
        if t.retry is not None:
            task["retry"] = _retry_to_dict(t.retry)
        if t.timeout_seconds is not None:
            task["timeout_seconds"] = t.timeout_seconds
        if t.description:
            task["description"] = t.description
        if t.depends_on is not None:
            task["depends_on"] = list(t.depends_on)
        if t.when:
            task["when"] = t.when
        if t.for_each:
            task["for_each"] = t.for_each
        if t.max_parallel is not None:
            task["max_parallel"] = t.max_parallel
        if t.allow_skipped_dependencies:
            task["allow_skipped_dependencies"] = True
        tasks.append(task)
    out["tasks"] = tasks
    outputs = []
    for o in d.outputs:
        output: dict[str, Any] = {"name": o.name, "type": o.type, "value": o.value}
        if o.description:
            output["description"] = o.description
        if o.has_default:
            output["default"] = o.default
        outputs.append(output)
    out["outputs"] = outputs
    return out
