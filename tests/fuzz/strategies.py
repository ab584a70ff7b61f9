"""Hypothesis strategies for hostile and careless requests.

Values are JSON with the edges a protobuf client can reach: NaN, ±Infinity,
NUL and any unicode (no lone surrogates: protobuf strings cannot hold them),
deep nesting, sizes at and just past the limits the fuzz server runs with.
Definitions start from a valid one and are mutated; ids are valid, unknown,
of another kind, malformed or huge.
"""

from __future__ import annotations

import base64
import copy
from typing import Any

from google.protobuf import struct_pb2
from hypothesis import strategies as st

from dataflow.v1 import workflow_pb2

ECHO: dict[str, Any] = {
    "title": "echo",
    "inputs": [
        {"name": "text", "type": "text"},
        {"name": "count", "type": "integer", "required": False, "default": 2},
        {"name": "data", "type": "json", "required": False},
    ],
    "tasks": [{"name": "t", "type": "text.template", "inputs": {"template": "{{inputs.text}}"}}],
    "outputs": [{"name": "out", "type": "text", "value": "{{tasks.t.outputs.text}}"}],
}

VALUE_LIMIT = 2048  # DATAFLOW_MAX_VALUE_BYTES of the fuzz server
STRING_OVERHEAD = 6  # what domain.limits counts on top of a plain string's bytes

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
names = st.one_of(
    st.sampled_from(["text", "count", "data", "t", "out", "", "1x", "a b", "_"]), text
)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(2**63), 2**63),
    st.sampled_from([0.0, -0.0, 1e308, -1e308, 5e-324]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, text)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(names, children, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def deep_values(draw: st.DrawFn) -> Any:
    """Objects and lists nested around the depth limits (20 ours, ~32 protobuf's)."""
    value: Any = draw(scalars)
    for _ in range(draw(st.integers(15, 40))):
        value = [value] if draw(st.booleans()) else {draw(names): value}
    return value


def _sized_text(kind: int) -> str:
    """Texts at and just past the value limit, and far past it."""
    at_limit = VALUE_LIMIT - STRING_OVERHEAD
    return [
        "A" * at_limit,
        "A" * (at_limit + 1),
        "é" * (at_limit // 2 + 1),  # two bytes each
        "\x00" * 400,  # six bytes each in JSON
        "A" * 100_000,
    ][kind]


def _huge(n: int) -> str:
    return "A" * n


sized_texts = st.integers(0, 4).map(_sized_text)
huge_texts = st.sampled_from([65, 129, 100_000]).map(_huge)
any_values = st.one_of(json_values, deep_values(), sized_texts)

templates = st.one_of(
    st.sampled_from(
        [
            "{{inputs.text}}",
            "{{ inputs.count }}",
            "{{tasks.t.outputs.text}}",
            "{{tasks.nope.outputs.x}}",
            "{{inputs.text}}{{inputs.data}}",
            "{{",
            "}}",
            "{{ inputs.text | upper }}",
            "{{__import__('os')}}",
            "{{inputs.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx}}",
            "{{tasks.t.outputs.text}}" * 3,
        ]
    ),
    text,
)
type_names = st.one_of(
    st.sampled_from(
        [
            "text.template",
            "json.parse",
            "html.extract_text",
            "openai.audio.tts",
            "http.request",
            "core.sleep",
            "no.such.type",
            "",
        ]
    ),
    text,
)
value_types = st.one_of(
    st.sampled_from(["text", "number", "integer", "boolean", "json", "file", "TEXT", ""]), text
)


def _prefixed(prefix: str) -> st.SearchStrategy[str]:
    return st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=8, max_size=20).map(
        lambda s: f"{prefix}-{s}"
    )


def pick(known: list[str], fallback: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One of `known` (a list that grows during the run) by index; the drawn
    shape does not depend on the list, as hypothesis requires."""
    return st.tuples(st.integers(0, 10_000), fallback).map(
        lambda t: known[t[0] % len(known)] if known else t[1]
    )


def ids(known: list[str], prefix: str) -> st.SearchStrategy[str]:
    """An id for a field that takes `prefix` ids: known, well-formed unknown,
    of another kind, malformed, huge or blank."""
    others = [p for p in ("wf", "we", "file") if p != prefix]
    return st.one_of(
        pick(known, _prefixed(prefix)),
        _prefixed(prefix),
        _prefixed(others[0]),
        st.sampled_from(
            ["", "12345; drop table", f"{prefix}-abc", f"{prefix.upper()}-ABCDEFGH1234"]
        ),
        huge_texts,
        text,
    )


def page_tokens(known: list[str]) -> st.SearchStrategy[str]:
    garbage_b64 = st.binary(max_size=60).map(lambda b: base64.urlsafe_b64encode(b).decode())
    json_b64 = st.lists(scalars, max_size=3).map(
        lambda v: base64.urlsafe_b64encode(repr(v).encode()).decode().rstrip("=")
    )
    mutated = st.tuples(pick(known, text), st.integers(0, 30), text).map(
        lambda t: t[0][: t[1]] + t[2]
    )
    return st.one_of(
        st.just(""), pick(known, text), garbage_b64, json_b64, mutated, text, huge_texts
    )


enum_numbers = st.one_of(st.integers(-1, 8), st.integers(-(2**31), 2**31 - 1))
int32s = st.one_of(st.integers(-3, 3), st.integers(-(2**31), 2**31 - 1))


# -- definitions ----------------------------------------------------------------


@st.composite
def definitions(draw: st.DrawFn) -> dict[str, Any]:
    """The echo definition with a few mutations (often still valid)."""
    d = copy.deepcopy(ECHO)
    for _ in range(draw(st.integers(0, 4))):
        mutation = draw(st.integers(0, 11))
        task = d["tasks"][0] if d["tasks"] else None
        if mutation == 0:
            d["title"] = draw(st.one_of(text, st.just(""), huge_texts))
        elif mutation == 1 and task is not None:
            task["type"] = draw(type_names)
        elif mutation == 2 and task is not None:
            task["inputs"][draw(names)] = draw(st.one_of(templates, any_values))
        elif mutation == 3 and task is not None:
            task["inputs"]["template"] = draw(templates)
        elif mutation == 4:
            d["inputs"][draw(st.integers(0, 2))]["default"] = draw(any_values)
        elif mutation == 5:
            d["inputs"][draw(st.integers(0, 2))]["type"] = draw(value_types)
        elif mutation == 6:
            d["outputs"][0]["value"] = draw(st.one_of(templates, any_values))
        elif mutation == 7 and task is not None:
            task["timeout_seconds"] = draw(numbers)
        elif mutation == 8 and task is not None:
            task["retry"] = {
                draw(
                    st.sampled_from(
                        [
                            "max_attempts",
                            "initial_backoff_seconds",
                            "backoff_multiplier",
                            "max_backoff_seconds",
                        ]
                    )
                ): draw(numbers)
            }
        elif mutation == 9:
            d["tasks"] = draw(st.sampled_from([[], d["tasks"] * 2, d["tasks"] * 120]))
        elif mutation == 10:
            d["inputs"][draw(st.integers(0, 2))]["name"] = draw(names)
        elif mutation == 11 and task is not None:
            task["name"] = draw(names)
    return d


def _value(value: Any) -> struct_pb2.Value:
    holder = struct_pb2.Struct()
    holder.update({"v": value})
    return holder.fields["v"]


def workflow_message(
    d: dict[str, Any], message: workflow_pb2.Workflow | None = None
) -> workflow_pb2.Workflow:
    """A Workflow built field by field, in place into `message` when given: json_format
    would refuse NaN in doubles, and copying a message past protobuf's depth limit fails."""
    message = workflow_pb2.Workflow() if message is None else message
    message.title = d.get("title", "")
    message.description = d.get("description", "")
    for item in d.get("inputs", []):
        added = message.inputs.add(name=item["name"], type=item["type"])
        if "required" in item:
            added.required = item["required"]
        if "default" in item:
            added.default.CopyFrom(_value(item["default"]))
    for item in d.get("tasks", []):
        task = message.tasks.add(name=item["name"], type=item["type"])
        task.inputs.update(item.get("inputs", {}))
        if "timeout_seconds" in item:
            task.timeout_seconds = float(item["timeout_seconds"])
        for key, number in item.get("retry", {}).items():
            if key == "max_attempts":
                task.retry.max_attempts = max(-(2**31), min(2**31 - 1, int(_finite(number))))
            else:
                setattr(task.retry, key, float(number))
    for item in d.get("outputs", []):
        output = message.outputs.add(name=item["name"], type=item["type"])
        if "value" in item:
            output.value.CopyFrom(_value(item["value"]))
    return message


def _finite(number: float) -> float:
    return number if number == number and abs(number) != float("inf") else 0.0
