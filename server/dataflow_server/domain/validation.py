"""Static checks of workflow definitions and of execution inputs.

Both functions collect every problem before raising one `InvalidArgument`
whose violations carry field paths relative to the request object:

    title, inputs[0].name, inputs[1].default, tasks[0].type,
    tasks[0].inputs.text, tasks[2].inputs.headers.Authorization,
    tasks[0].inputs.items[3], tasks[0].retry.max_attempts, outputs[0].value

Object keys follow a dot, list indices are in brackets, and keys that are not
plain words are quoted (`tasks[0].inputs.headers["X Y"]`). Execution inputs
are reported as `inputs.NAME`.
"""

from __future__ import annotations

import copy
import difflib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import ids
from .conditions import ConditionError, check_condition
from .definitions import RetryPolicy, TaskSpec, WorkflowDefinition, definition_to_dict
from .errors import FieldViolation, InvalidArgument, preview
from .graph import TaskGraph
from .limits import (
    DEFAULT_DATA_LIMITS,
    MAX_VALUE_DEPTH,
    DataLimits,
    input_size_violations,
    json_value_problems,
)
from .plan import (
    DEFAULT_MAX_PARALLEL,
    MAX_PARALLEL,
    TaskNode,
    WorkflowPlan,
    condition_variables,
    output_static_type,
)
from .static_types import StaticType
from .task_types import FieldSpec, TaskTypeSpec
from .templates import (
    MAX_REFS_PER_TEMPLATE,
    MAX_TEMPLATE_BYTES,
    ParsedTemplate,
    TemplateRef,
    TemplateSyntaxError,
    child_path,
    find_refs,
    parse_template,
    walk_strings,
)
from .values import FILE_VALUE_KEYS, JsonValue, ValueType, describe_mismatch

__all__ = [
    "DEFAULT_LIMITS",
    "NAME_PATTERN",
    "Limits",
    "output_type_of",
    "secret_references",
    "type_fits",
    "validate_definition",
    "validate_execution_inputs",
    "workflow_plan",
]

NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
# Violations travel in gRPC trailers (google.rpc.BadRequest), whose size is
# limited (8 KiB by default): past this many, the rest are summarised.
_MAX_VIOLATIONS = 50
_ALL_TYPES = ", ".join(t.value for t in ValueType)

# What each destination type accepts from a whole-value reference. Text takes
# scalars (the engine stringifies them); json takes anything; the rest are exact
# except that an integer is a number.
_ACCEPTS: dict[ValueType, frozenset[ValueType]] = {
    ValueType.TEXT: frozenset(
        {ValueType.TEXT, ValueType.NUMBER, ValueType.INTEGER, ValueType.BOOLEAN}
    ),
    ValueType.NUMBER: frozenset({ValueType.NUMBER, ValueType.INTEGER}),
    ValueType.INTEGER: frozenset({ValueType.INTEGER}),
    ValueType.BOOLEAN: frozenset({ValueType.BOOLEAN}),
    ValueType.JSON: frozenset(ValueType),
    ValueType.FILE: frozenset({ValueType.FILE}),
}


def type_fits(source: ValueType, destination: ValueType) -> bool:
    """Whether a value of type `source` may land where `destination` is declared."""
    return source in _ACCEPTS[destination]


@dataclass(frozen=True, slots=True)
class Limits:
    """Size limits of a definition; every message names the limit it broke."""

    max_definition_bytes: int = 256 * 1024  # compact JSON of the whole definition
    max_tasks: int = 100
    max_inputs: int = 100
    max_outputs: int = 100
    max_template_bytes: int = MAX_TEMPLATE_BYTES  # any one string in task inputs/outputs
    max_refs_per_template: int = MAX_REFS_PER_TEMPLATE
    max_title_length: int = 200
    max_description_length: int = 10_000
    max_violations: int = _MAX_VIOLATIONS


DEFAULT_LIMITS = Limits()

# Retry policy bounds: (field, lowest, highest).
_RETRY_BOUNDS: tuple[tuple[str, float, float], ...] = (
    ("max_attempts", 1, 100),
    ("initial_backoff_seconds", 0, 3600),
    ("backoff_multiplier", 1, 10),
    ("max_backoff_seconds", 0, 86400),
)
_MAX_TIMEOUT_SECONDS = 86400


def output_type_of(
    ref: TemplateRef, defn: WorkflowDefinition, task_types: Mapping[str, TaskTypeSpec]
) -> ValueType | None:
    """The declared type of what `ref` names, or None when it names nothing
    known (unknown input/task/type/field, or an unknown declared type).

    Order is not considered here: `validate_definition` checks that a task
    only refers to earlier tasks. With duplicate names the first one counts.
    """
    if ref.kind == "input":
        declared = next((i for i in defn.inputs if i.name == ref.name), None)
        return ValueType.parse(declared.type) if declared else None
    task = next((t for t in defn.tasks if t.name == ref.name), None)
    spec = task_types.get(task.type) if task else None
    output = spec.output(ref.field) if spec else None
    return output.type if output else None


# --------------------------------------------------------------------------
# Definitions


def validate_definition(
    defn: WorkflowDefinition,
    raw: dict[str, Any],
    task_types: Mapping[str, TaskTypeSpec],
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Raise InvalidArgument listing every problem of `defn`; return if it is valid.

    `raw` is the JSON form `defn` was built from: it gives the size of the
    definition and the shapes `definition_from_dict` glosses over (a task that
    is not an object is skipped there, so paths are mapped back to raw indices).

    Inputs: `required` defaults to true, but a declared `default` makes an input
    effectively optional (an execution that omits it gets the default), whatever
    `required` says. A file input cannot have a default.

    A definition larger than `limits.max_definition_bytes` is refused with that
    one violation, without looking further.
    """
    size = len(json.dumps(raw, separators=(",", ":")))
    if size > limits.max_definition_bytes:
        raise InvalidArgument.single(
            "workflow",
            f"the definition is {size} bytes of compact JSON; "
            f"at most {limits.max_definition_bytes} bytes are allowed",
        )
    checker = _DefinitionChecker(defn, raw, task_types, limits)
    checker.check()
    checker.raise_if_any()


def workflow_plan(defn: WorkflowDefinition, task_types: Mapping[str, TaskTypeSpec]) -> WorkflowPlan:
    """The plan of a stored definition: its graph and task rules.

    Stored definitions passed `validate_definition`; should one not (stored by an
    older version, or a task type gone since), what does not concern the graph
    surfaces when the task runs (INPUT_ERROR...), and only a graph that cannot
    be built raises InvalidArgument."""
    checker = _DefinitionChecker(defn, definition_to_dict(defn), task_types, DEFAULT_LIMITS)
    checker.check()
    if checker.plan is None:
        checker.raise_if_any()
        raise InvalidArgument.single("tasks", "the task graph cannot be built")
    return checker.plan


@dataclass
class _Destination:
    """Where a value lands: its declared type (None when unknown) and a label."""

    type: ValueType | None
    label: str  # e.g. "text input 'voice' of openai.audio.tts", "file output 'audio'"
    spec: FieldSpec | None = None  # a task type's field: allowed values and bounds
    # Whether null is acceptable there (an optional task input, an output with a
    # default): a reference to a task that may have been skipped may land there.
    takes_null: bool = False

    @property
    def takes_secrets(self) -> bool:
        return self.spec is not None and self.spec.accepts_secrets


@dataclass
class _DefinitionChecker:
    defn: WorkflowDefinition
    raw: dict[str, Any]
    task_types: Mapping[str, TaskTypeSpec]
    limits: Limits
    violations: list[FieldViolation] = field(default_factory=list)
    # Path index of the k-th parsed item of each list, from the raw form.
    positions: dict[str, list[int]] = field(default_factory=dict)
    task_index: dict[str, int] = field(default_factory=dict)
    # The graph as it is found: direct upstream positions of each task, and the
    # field path that made each explicit edge (implicit ones have none).
    upstream: list[set[int]] = field(default_factory=list)
    edge_paths: dict[tuple[int, int], str] = field(default_factory=dict)
    # Whole-value references that must not be null: (path, ref, user position).
    must_be_present: list[tuple[str, TemplateRef, int]] = field(default_factory=list)
    # The type of {{item}} in each for_each task (None: unknown).
    item_types: dict[int, StaticType | None] = field(default_factory=dict)
    # Tasks whose `when` names were checked and whose types wait for the graph.
    typed_later: list[int] = field(default_factory=list)
    plan: WorkflowPlan | None = None

    def add(self, path: str, description: str) -> None:
        self.violations.append(FieldViolation(path, description))

    def raise_if_any(self) -> None:
        raise_violations(self.violations, self.limits.max_violations)

    def path(self, section: str, k: int) -> str:
        indices = self.positions.get(section, [])
        return f"{section}[{indices[k] if k < len(indices) else k}]"

    def check(self) -> None:
        self.check_json()
        self.check_shapes()
        self.check_header()
        self.check_inputs()
        for k, task in enumerate(self.defn.tasks):
            self.task_index.setdefault(task.name, k)
        self.check_names("tasks", "task", [t.name for t in self.defn.tasks])
        self.upstream = [set() for _ in self.defn.tasks]
        for k, task in enumerate(self.defn.tasks):
            self.check_task(k, task)
        self.check_outputs()
        self.check_graph()

    # -- whole definition ---------------------------------------------------

    def check_json(self) -> None:
        # Value fields sit three levels below the definition (tasks[0].inputs.x).
        for problem in json_value_problems(self.raw, "", MAX_VALUE_DEPTH + 3):
            self.add(problem.field, problem.description)

    def check_shapes(self) -> None:
        for section in ("inputs", "tasks", "outputs"):
            items = self.raw.get(section)
            if items is None:
                continue
            if not isinstance(items, list):
                self.add(section, "must be a list")
                continue
            self.positions[section] = [i for i, item in enumerate(items) if isinstance(item, dict)]
            for i, item in enumerate(items):
                if not isinstance(item, dict):
                    self.add(f"{section}[{i}]", "must be an object")
                elif section == "tasks" and not isinstance(item.get("inputs", {}), dict | None):
                    self.add(f"tasks[{i}].inputs", "must be an object of input names to values")

    def check_header(self) -> None:
        title = self.defn.title
        lim = self.limits
        if not title.strip():
            self.add("title", "is required")
        elif len(title) > lim.max_title_length:
            self.add(
                "title", f"must be at most {lim.max_title_length} characters, got {len(title)}"
            )
        if len(self.defn.description) > lim.max_description_length:
            self.add(
                "description",
                f"must be at most {lim.max_description_length} characters, "
                f"got {len(self.defn.description)}",
            )
        counts = (
            ("inputs", len(self.defn.inputs), lim.max_inputs),
            ("tasks", len(self.defn.tasks), lim.max_tasks),
            ("outputs", len(self.defn.outputs), lim.max_outputs),
        )
        for section, count, most in counts:
            if count > most:
                self.add(section, f"at most {most} {section} are allowed, got {count}")
        if not self.defn.tasks:
            self.add("tasks", "at least one task is required")

    def check_names(self, section: str, what: str, names: Sequence[str]) -> None:
        first_at: dict[str, str] = {}
        for k, name in enumerate(names):
            path = self.path(section, k) + ".name"
            if not name:
                self.add(path, "is required")
            elif not NAME_PATTERN.fullmatch(name):
                self.add(
                    path,
                    f"{preview(name)} is not a valid {what} name: use a letter or underscore, then "
                    "letters, digits or underscores (at most 64 characters)",
                )
            elif name in first_at:
                self.add(
                    path,
                    f"duplicate {what} name {preview(name)} (first declared at {first_at[name]})",
                )
            else:
                first_at[name] = path

    def check_value_type(self, path: str, declared: str) -> ValueType | None:
        value_type = ValueType.parse(declared)
        if value_type is not None:
            return value_type
        if not declared:
            self.add(path, f"is required: one of {_ALL_TYPES}")
        else:
            hint = _did_you_mean(declared.lower(), [t.value for t in ValueType])
            self.add(path, f"unknown value type {preview(declared)}{hint}; allowed: {_ALL_TYPES}")
        return None

    # -- workflow inputs ----------------------------------------------------

    def check_inputs(self) -> None:
        self.check_names("inputs", "input", [i.name for i in self.defn.inputs])
        for k, spec in enumerate(self.defn.inputs):
            base = self.path("inputs", k)
            value_type = self.check_value_type(base + ".type", spec.type)
            if not spec.has_default or value_type is None:
                continue
            if value_type is ValueType.FILE:
                self.add(base + ".default", "a file input cannot have a default")
            elif problem := describe_mismatch(value_type, spec.default):
                self.add(base + ".default", problem)

    # -- tasks --------------------------------------------------------------

    def check_task(self, k: int, task: TaskSpec) -> None:
        base = self.path("tasks", k)
        task_type = self.check_task_type(base + ".type", task.type)
        self.check_depends_on(k, task, base)
        self.check_for_each(k, task, base)
        if task.when or "when" in self.raw_task(k):
            self.check_when(k, task, base)
        given = task.inputs if isinstance(task.inputs, dict) else {}
        for name, value in given.items():
            path = child_path(base + ".inputs", str(name))
            spec = task_type.input(name) if task_type else None
            if task_type is not None and spec is None:
                accepted = [f.name for f in task_type.inputs]
                hint = _did_you_mean(name, accepted)
                self.add(
                    path,
                    f"unknown input {preview(name)} for task type {task_type.name}{hint}; "
                    f"accepted: {', '.join(accepted) or 'none'}",
                )
            dest = (
                _Destination(
                    spec.type,
                    f"{spec.type.value} input '{name}' of {task_type.name}",
                    spec,
                    takes_null=not spec.required or spec.default is not None,
                )
                if spec and task_type
                else _Destination(None, f"input '{name}'", takes_null=True)
            )
            self.check_value(path, value, dest, k)
        if task_type is not None:
            for spec in task_type.inputs:
                if spec.required and spec.default is None and spec.name not in given:
                    self.add(
                        child_path(base + ".inputs", spec.name),
                        f"is required by task type {task_type.name} ({spec.type.value})",
                    )
        self.check_numbers(base, k)
        self.check_retry(base + ".retry", task.retry, task_type)
        timeout = task.timeout_seconds
        if timeout is not None and not 0 < timeout <= _MAX_TIMEOUT_SECONDS:
            self.add(
                base + ".timeout_seconds",
                f"must be greater than 0 and at most {_MAX_TIMEOUT_SECONDS}, got {_num(timeout)}",
            )

    def check_numbers(self, base: str, k: int) -> None:
        """Numeric task fields must be numbers (protobuf JSON spells NaN as "NaN")."""
        indices = self.positions.get("tasks", [])
        raw = self.raw["tasks"][indices[k]] if k < len(indices) else {}
        retry = raw.get("retry")
        fields = [("timeout_seconds", raw.get("timeout_seconds"))]
        if isinstance(retry, dict):
            fields += [(f"retry.{name}", retry.get(name)) for name, _, _ in _RETRY_BOUNDS]
        for name, value in fields:
            if value is not None and not _is_finite_number(value):
                self.add(f"{base}.{name}", f"must be a finite number, got {preview(value)}")

    def check_task_type(self, path: str, name: str) -> TaskTypeSpec | None:
        if not name:
            self.add(path, "is required (see ListTaskTypes)")
            return None
        spec = self.task_types.get(name)
        if spec is None:
            known = sorted(self.task_types)
            hint = _did_you_mean(name, known)
            listing = hint or f"; available: {', '.join(known)}"
            self.add(path, f"unknown task type {preview(name)}{listing}")
        return spec

    def check_retry(
        self, path: str, retry: RetryPolicy | None, task_type: TaskTypeSpec | None
    ) -> None:
        if retry is None:
            return
        for name, lowest, highest in _RETRY_BOUNDS:
            value = getattr(retry, name)
            if value is not None and not lowest <= value <= highest:
                self.add(
                    f"{path}.{name}",
                    f"must be between {lowest} and {highest}, got {_num(value)}",
                )
        # Compare with the effective initial backoff (the type's when unset).
        base = task_type.default_retry if task_type else RetryPolicy()
        initial = retry.merged_over(base).initial_backoff_seconds
        ceiling = retry.max_backoff_seconds
        if ceiling is not None and initial is not None and ceiling < initial:
            self.add(
                f"{path}.max_backoff_seconds",
                f"must be at least initial_backoff_seconds ({_num(initial)}), got {_num(ceiling)}",
            )

    # -- outputs ------------------------------------------------------------

    def check_outputs(self) -> None:
        self.check_names("outputs", "output", [o.name for o in self.defn.outputs])
        after_all_tasks = len(self.defn.tasks)
        for k, output in enumerate(self.defn.outputs):
            base = self.path("outputs", k)
            value_type = self.check_value_type(base + ".type", output.type)
            if output.value is None:
                self.add(base + ".value", "is required: a literal or a template")
                continue
            label = f"{value_type.value} output '{output.name}'" if value_type else "an output"
            self.check_value(
                base + ".value",
                output.value,
                _Destination(value_type, label, takes_null=output.has_default),
                after_all_tasks,
            )
            if output.has_default:
                if output.default is None:
                    self.add(base + ".default", "must not be null: give a literal or a template")
                else:
                    self.check_value(
                        base + ".default",
                        output.default,
                        _Destination(value_type, label),
                        after_all_tasks,
                    )

    # -- values and templates -----------------------------------------------

    def check_value(self, path: str, value: JsonValue, dest: _Destination, position: int) -> None:
        """A literal or template landing at `dest`, used by the task at `position`."""
        if dest.spec is not None and dest.spec.secret_only and not _is_secret_ref(value):
            self.add(
                path,
                f"must be a reference to a secret alone, such as {{{{secrets.{dest.spec.name}}}}}:"
                " a credential written in a definition or passed as an input would be stored "
                "and shown (set it with: dataflow secrets set NAME)",
            )
            return
        if isinstance(value, str):
            parsed = self.parse(path, value)
            if parsed is None:
                return
            if not parsed.has_refs:
                self.check_literal(path, value, dest)
            elif (ref := parsed.whole_ref) is not None:
                source = self.resolve(path, ref, position, dest)
                if (
                    source is not None
                    and dest.type is not None
                    and not type_fits(source.as_value_type, dest.type)
                ):
                    self.add(path, _misfit(ref, source, dest))
                if source is not None and ref.kind == "task_output" and not dest.takes_null:
                    self.must_be_present.append((path, ref, position))
            else:
                self.check_mixed(path, parsed, position, dest)
                if dest.type is not None and not type_fits(ValueType.TEXT, dest.type):
                    self.add(
                        path,
                        f"a template that mixes text and references is text and cannot feed "
                        f"the {dest.label}; use a single reference as the whole value",
                    )
            return
        self.check_literal(path, value, dest)
        if isinstance(value, dict | list):
            # Templates nested in objects and lists are rendered too.
            for suffix, text in walk_strings(value):
                nested_path = path + suffix
                parsed = self.parse(nested_path, text)
                if parsed is None:
                    continue
                if parsed.is_whole_ref:
                    self.resolve(nested_path, parsed.refs[0], position, dest)
                else:
                    self.check_mixed(nested_path, parsed, position, dest)

    def parse(self, path: str, text: str) -> ParsedTemplate | None:
        try:
            return parse_template(
                text,
                max_bytes=self.limits.max_template_bytes,
                max_refs=self.limits.max_refs_per_template,
            )
        except TemplateSyntaxError as err:
            self.add(path, f"invalid template: {err}")
            return None

    def check_mixed(
        self, path: str, parsed: ParsedTemplate, position: int, dest: _Destination | None = None
    ) -> None:
        for ref in parsed.refs:
            source = self.resolve(path, ref, position, dest)
            if source is not None and source.base is ValueType.FILE:
                what = "a list of files" if source.is_list else "a file"
                self.add(
                    path,
                    f"{ref.braced} is {what} and cannot be embedded in text; "
                    "use the reference alone as the whole value",
                )

    def check_literal(self, path: str, value: JsonValue, dest: _Destination) -> None:
        if dest.type is None:
            return
        if problem := describe_mismatch(dest.type, value):
            self.add(path, problem)
            return
        spec = dest.spec
        if spec is None:
            return
        if spec.allowed_values and value not in spec.allowed_values:
            allowed = ", ".join(str(v) for v in spec.allowed_values)
            self.add(path, f"must be one of: {allowed}; got {preview(value)}")
        if dest.type in (ValueType.NUMBER, ValueType.INTEGER) and isinstance(value, int | float):
            if spec.minimum is not None and value < spec.minimum:
                self.add(path, f"must be at least {_num(spec.minimum)}, got {_num(value)}")
            if spec.maximum is not None and value > spec.maximum:
                self.add(path, f"must be at most {_num(spec.maximum)}, got {_num(value)}")

    def resolve(
        self, path: str, ref: TemplateRef, position: int, dest: _Destination | None = None
    ) -> StaticType | None:
        """The type of what `ref` names from the task at `position` (len(tasks) for
        outputs), landing at `dest`; a violation and None when it names nothing
        usable. A reference to a task makes the task at `position` depend on it."""
        if ref.kind == "secret":
            if dest is None or not dest.takes_secrets:
                where = f"the {dest.label}" if dest is not None else "this field"
                self.add(
                    path,
                    f"{ref.braced} cannot feed {where}: a secret goes only into task inputs "
                    "that accept secrets (see ListTaskTypes), never into outputs, conditions "
                    "or other values that are stored and shown",
                )
                return None
            return StaticType(ValueType.TEXT)
        if ref.kind in ("item", "index"):
            if position not in self.item_types:
                self.add(
                    path,
                    f"{ref.braced} is defined only in the inputs of a task with for_each",
                )
                return None
            return (
                StaticType(ValueType.INTEGER) if ref.kind == "index" else self.item_types[position]
            )
        if ref.kind == "input":
            names = [i.name for i in self.defn.inputs]
            if ref.name not in names:
                self.add(
                    path,
                    f"{ref.braced} refers to an unknown input{_did_you_mean(ref.name, names)}; "
                    f"declared inputs: {', '.join(names) or 'none'}",
                )
                return None
            value_type = output_type_of(ref, self.defn, self.task_types)
            return StaticType(value_type) if value_type else None
        index = self.task_index.get(ref.name)
        if index is None:
            names = list(self.task_index)
            self.add(
                path,
                f"{ref.braced} refers to an unknown task{_did_you_mean(ref.name, names)}; "
                f"tasks: {', '.join(names) or 'none'}",
            )
            return None
        if index == position:
            self.add(path, f"{ref.braced}: a task cannot use its own outputs")
            return None
        self.add_edge(index, position, path)
        task_type = self.task_types.get(self.defn.tasks[index].type)
        if task_type is None:
            return None  # the unknown type is reported at that task
        if task_type.output(ref.field) is None:
            outputs = [f.name for f in task_type.outputs]
            self.add(
                path,
                f"{ref.braced}: task type {task_type.name} has no output {preview(ref.field)}"
                f"{_did_you_mean(ref.field, outputs)}; its outputs: {', '.join(outputs) or 'none'}",
            )
            return None
        return output_static_type(self.defn.tasks[index], ref.field, self.task_types)

    # -- the graph: dependencies, conditions, for_each ----------------------

    def raw_task(self, k: int) -> dict[str, Any]:
        indices = self.positions.get("tasks", [])
        tasks = self.raw.get("tasks")
        if k < len(indices) and isinstance(tasks, list):
            item = tasks[indices[k]]
            return item if isinstance(item, dict) else {}
        return {}

    def add_edge(self, upstream: int, downstream: int, path: str | None) -> None:
        """`downstream` runs after `upstream`; `path` made it so (None: implicit)."""
        if downstream >= len(self.upstream) or upstream == downstream:
            return  # workflow outputs depend on nothing; self-references are reported
        self.upstream[downstream].add(upstream)
        if path is not None:
            self.edge_paths.setdefault((upstream, downstream), path)

    def check_depends_on(self, k: int, task: TaskSpec, base: str) -> None:
        raw = self.raw_task(k).get("depends_on")
        if task.depends_on is None:
            if raw is not None:
                self.add(base + ".depends_on", 'must be a list of task names, such as ["fetch"]')
            elif k > 0:
                self.add_edge(k - 1, k, None)  # the seed's sequence
            return
        names = list(self.task_index)
        seen: set[str] = set()
        for j, name in enumerate(task.depends_on):
            path = f"{base}.depends_on[{j}]"
            if not name:
                value = raw[j] if isinstance(raw, list) and j < len(raw) else name
                self.add(path, f"must be a task name, got {preview(value)}")
            elif name == task.name:
                self.add(path, "a task cannot depend on itself")
            elif name not in self.task_index:
                self.add(
                    path,
                    f"unknown task {preview(name)}{_did_you_mean(name, names)}; "
                    f"tasks: {', '.join(names) or 'none'}",
                )
            elif name in seen:
                self.add(path, f"{preview(name)} is listed twice")
            else:
                self.add_edge(self.task_index[name], k, path)
            seen.add(name)

    def check_for_each(self, k: int, task: TaskSpec, base: str) -> None:
        path = base + ".for_each"
        if task.max_parallel is not None or "max_parallel" in self.raw_task(k):
            limit = task.max_parallel
            if not task.for_each:
                self.add(base + ".max_parallel", "applies only to a task with for_each")
            elif limit is None or not 1 <= limit <= MAX_PARALLEL:
                self.add(
                    base + ".max_parallel",
                    f"must be an integer from 1 to {MAX_PARALLEL}, got "
                    f"{json.dumps(self.raw_task(k).get('max_parallel'))}",
                )
        if not task.for_each:
            return
        parsed = self.parse(path, task.for_each)
        self.item_types[k] = None
        if parsed is None:
            return
        ref = parsed.whole_ref
        if ref is None:
            self.add(
                path,
                "must be a single reference that yields a list, such as "
                "{{inputs.paragraphs}} (a json input) or {{tasks.split.outputs.value}}",
            )
            return
        source = self.resolve(path, ref, k)
        if source is None:
            return
        if not source.is_list and source.base is not ValueType.JSON:
            self.add(
                path,
                f"{ref.braced} is of type {source} and cannot be a list of items: use a json "
                "value or the outputs of another for_each task",
            )
            return
        # Items of a json list have no static type: they are converted where they land.
        self.item_types[k] = StaticType(source.base) if source.is_list else None
        if ref.kind == "task_output":
            self.must_be_present.append((path, ref, k))

    def check_when(self, k: int, task: TaskSpec, base: str) -> None:
        path = base + ".when"
        variables = condition_variables(self.defn, k, self.task_types)
        if task.allow_skipped_dependencies:
            # Which outputs may be null is known once the graph is: check the
            # names now, the types in `check_graph`.
            variables = {n: None if n.startswith("tasks.") else t for n, t in variables.items()}
        try:
            checked = check_condition(task.when, variables)
        except ConditionError as err:
            self.add(path, f"invalid condition: {err}")
            return
        if task.allow_skipped_dependencies:
            self.typed_later.append(k)
        for name in sorted(checked.names):
            if name.startswith("tasks."):
                self.add_edge(self.task_index[name.split(".")[1]], k, path)

    def check_graph(self) -> None:
        """Cycles, then (on an acyclic graph) references that may be absent."""
        graph = TaskGraph(tuple(frozenset(u) for u in self.upstream))
        if (cycle := graph.find_cycle()) is not None:
            self.report_cycle(cycle)
            return
        tasks = self.defn.tasks
        conditional = [bool(t.when) for t in tasks]
        allow = [t.allow_skipped_dependencies for t in tasks]
        skippable = graph.may_be_skipped(conditional, allow)
        guaranteed = graph.guaranteed_upstream(allow)
        for path, ref, position in self.must_be_present:
            source = self.task_index[ref.name]
            if source not in skippable:
                continue
            if position < len(tasks) and source in guaranteed[position]:
                continue
            self.add(path, self.absent_message(ref, source, position, graph, conditional))
        nullable = []
        for k in range(len(tasks)):
            absent = {
                f"tasks.{tasks[s].name}.outputs." for s in skippable if s not in guaranteed[k]
            }
            nullable.append(
                frozenset(
                    name
                    for name in condition_variables(self.defn, k, self.task_types)
                    if any(name.startswith(prefix) for prefix in absent)
                )
            )
        for k in self.typed_later:
            variables = condition_variables(self.defn, k, self.task_types, nullable[k])
            try:
                check_condition(tasks[k].when, variables)
            except ConditionError as err:
                self.add(self.path("tasks", k) + ".when", f"invalid condition: {err}")
        self.plan = WorkflowPlan(
            nodes=tuple(
                TaskNode(
                    name=t.name,
                    upstream=graph.upstream[k],
                    conditional=bool(t.when),
                    for_each=bool(t.for_each),
                    max_parallel=t.max_parallel or DEFAULT_MAX_PARALLEL,
                    allow_skipped=t.allow_skipped_dependencies,
                )
                for k, t in enumerate(tasks)
            ),
            nullable=tuple(nullable),
        )

    def report_cycle(self, cycle: list[int]) -> None:
        """One violation, at an edge of the cycle that a field made."""
        names = [self.defn.tasks[i].name for i in cycle]
        shown = " → ".join(f"tasks.{n}" for n in names)
        implicit = [
            (cycle[j], cycle[j + 1])
            for j in range(len(cycle) - 1)
            if (cycle[j], cycle[j + 1]) not in self.edge_paths
        ]
        note = "".join(
            f"; tasks.{self.defn.tasks[d].name} runs after tasks.{self.defn.tasks[u].name} "
            "because it is listed after it without depends_on"
            for u, d in implicit
        )
        # Blame an edge that points back up the list (never an implicit one):
        # that is where the order the reader sees is contradicted.
        edges = [(cycle[j], cycle[j + 1]) for j in range(len(cycle) - 1)]
        edges.sort(key=lambda e: e[0] < e[1])
        for edge in edges:
            if edge in self.edge_paths:
                upstream = self.defn.tasks[edge[0]].name
                self.add(
                    self.edge_paths[edge],
                    f"tasks.{upstream} runs after this task (a dependency cycle: {shown}{note}); "
                    "remove one of these dependencies"
                    + (", or give the later task an explicit depends_on" if implicit else ""),
                )
                return

    def absent_message(
        self,
        ref: TemplateRef,
        source: int,
        position: int,
        graph: TaskGraph,
        conditional: list[bool],
    ) -> str:
        task = self.defn.tasks[source]
        if conditional[source]:
            why = f"tasks.{task.name} is skipped when its `when` is false"
        else:
            cause = next((a for a in sorted(graph.ancestors()[source]) if conditional[a]), source)
            why = (
                f"tasks.{task.name} is skipped when tasks.{self.defn.tasks[cause].name} is "
                "(its `when` is false)"
            )
        if position >= len(self.defn.tasks):
            fix = "give this output a `default` (a literal or a template)"
        else:
            fix = (
                "this task runs anyway (allow_skipped_dependencies), so feed an optional "
                "input or use the reference inside text, where it reads as empty"
            )
        return f"{ref.braced} may be absent: {why}; {fix}"


def _is_secret_ref(value: JsonValue) -> bool:
    if not isinstance(value, str):
        return False
    try:
        ref = parse_template(value, max_bytes=None, max_refs=None).whole_ref
    except TemplateSyntaxError:
        return False
    return ref is not None and ref.kind == "secret"


def secret_references(defn: WorkflowDefinition) -> dict[str, str]:
    """Field path → secret name, for each `{{secrets.NAME}}` in the task inputs of a
    valid definition (the names that must exist in the tenant)."""
    found: dict[str, str] = {}
    for k, task in enumerate(defn.tasks):
        if not isinstance(task.inputs, dict):
            continue
        for name, value in task.inputs.items():
            base = child_path(f"tasks[{k}].inputs", str(name))
            for suffix, parsed in find_refs(value):
                for ref in parsed.refs:
                    if ref.kind == "secret":
                        found.setdefault(base + suffix, ref.name)
    return found


def _misfit(ref: TemplateRef, source: StaticType, dest: _Destination) -> str:
    assert dest.type is not None
    accepted = ", ".join(t.value for t in ValueType if t in _ACCEPTS[dest.type])
    return (
        f"{ref.braced} is of type {source} and cannot feed the {dest.label} (accepts: {accepted})"
    )


# --------------------------------------------------------------------------
# Execution inputs


def validate_execution_inputs(
    defn: WorkflowDefinition, given: dict[str, Any], limits: DataLimits = DEFAULT_DATA_LIMITS
) -> dict[str, Any]:
    """The inputs of an execution with defaults applied; InvalidArgument listing
    every problem at `inputs.NAME`.

    - An absent or null input takes its declared default; without a default it
      is "required" when `required` is true, else it is set to None (every
      declared input is a key of the result).
    - Unknown names are rejected.
    - An integer given as 3.0 is normalised to 3.
    - A file input is `{"file_id": "file-..."}` (the other keys of a file value
      are tolerated and dropped: the caller looks the file up and fills them in).
      Whether the file exists is checked by the caller.
    - Values are finite JSON within `limits` (domain.limits).
    """
    violations: list[FieldViolation] = []
    declared = {spec.name: spec for spec in defn.inputs}
    for name in given:
        if name not in declared:
            names = list(declared)
            path = child_path("inputs", str(name))
            # A name too long for the path is quoted in the description.
            which = f" {preview(name)}" if path == "inputs" else ""
            violations.append(
                FieldViolation(
                    path,
                    f"unknown input{which}{_did_you_mean(str(name), names)}; "
                    f"declared inputs: {', '.join(names) or 'none'}",
                )
            )
    result: dict[str, Any] = {}
    for name, spec in declared.items():
        path = child_path("inputs", name)
        value = given.get(name)
        if value is None:
            if spec.has_default:
                result[name] = copy.deepcopy(spec.default)
            elif spec.required:
                violations.append(FieldViolation(path, f"is required ({spec.type})"))
            else:
                result[name] = None
            continue
        if not_json := json_value_problems(value, path):
            violations.extend(not_json)
            continue
        value_type = ValueType.parse(spec.type)
        problem = _input_problem(value_type, value) if value_type else None
        if problem:
            violations.append(FieldViolation(path, problem))
        elif value_type is ValueType.INTEGER:
            result[name] = int(value)
        elif value_type is ValueType.FILE:
            result[name] = {"file_id": value["file_id"]}
        else:
            result[name] = value
    violations.extend(input_size_violations(result, limits))
    raise_violations(violations)
    return result


def _input_problem(value_type: ValueType, value: JsonValue) -> str | None:
    if problem := describe_mismatch(value_type, value):
        return problem
    if value_type is ValueType.FILE and isinstance(value, dict):  # a file ref (checked above)
        extra = sorted(set(value) - set(FILE_VALUE_KEYS))
        if extra:
            return f'unexpected keys {", ".join(extra)}: a file input is {{"file_id": "file-..."}}'
        file_id = value["file_id"]
        if not isinstance(file_id, str) or not ids.is_id(file_id, ids.FILE):
            return f"file_id {preview(file_id)} is not a file id (file-...)"
    return None


# --------------------------------------------------------------------------
# Helpers


def raise_violations(violations: Sequence[FieldViolation], most: int = _MAX_VIOLATIONS) -> None:
    """Raise InvalidArgument with `violations` (at most `most` of them), if any."""
    if not violations:
        return
    if len(violations) <= most:
        raise InvalidArgument(violations)
    raise InvalidArgument(
        violations[:most],
        f"the request has {len(violations)} problems; the first {most} are listed",
    )


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(repr(c) for c in close) + "?"


def _is_finite_number(value: JsonValue) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _num(value: float) -> str:
    """A number as people write it: 3 rather than 3.0."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)
