"""Domain pieces behind clean answers to hostile input: capped echoes, id forms,
values that JSON cannot carry or that nest too deep."""

from __future__ import annotations

import math

import pytest

from dataflow_server.domain import ids
from dataflow_server.domain.errors import InvalidArgument, preview
from dataflow_server.domain.limits import MAX_VALUE_DEPTH, json_value_problems
from dataflow_server.domain.templates import MAX_PATH_KEY, child_path


def test_preview_caps_long_text_and_keeps_short_text() -> None:
    assert preview("abc") == "'abc'"
    shown = preview("A" * 100_000)
    assert shown.startswith("'AAAA") and shown.endswith("…") and len(shown) <= 65
    assert len(preview(list(range(10_000)))) <= 65


def test_child_path_stops_at_the_parent_for_overlong_keys() -> None:
    assert child_path("inputs", "text") == "inputs.text"
    assert child_path("inputs", "x y") == 'inputs["x y"]'
    assert child_path("inputs", "k" * (MAX_PATH_KEY + 1)) == "inputs"


@pytest.mark.parametrize(
    ("value", "prefix", "ok"),
    [
        ("wf-abcdefgh1234", ids.WORKFLOW, True),
        ("we-abcdefgh1234", ids.WORKFLOW, False),
        ("wf-abc", ids.WORKFLOW, False),
        ("wf-ABCDEFGH1234", ids.WORKFLOW, False),
        ("12345; drop table", ids.EXECUTION, False),
        ("file-" + "a" * 64, ids.FILE, True),
        ("file-" + "a" * 65, ids.FILE, False),
    ],
)
def test_checked_id(value: str, prefix: str, ok: bool) -> None:
    if ok:
        assert ids.checked_id(value, prefix, "f") == value
        return
    with pytest.raises(InvalidArgument) as err:
        ids.checked_id(value, prefix, "f")
    [violation] = err.value.violations
    assert violation.field == "f" and f"expected {prefix}- followed by" in violation.description


def test_blank_id_is_required() -> None:
    with pytest.raises(InvalidArgument) as err:
        ids.checked_id("", ids.EXECUTION, "workflow_execution_id")
    assert err.value.violations[0].description == "is required"


def test_json_value_problems_finds_non_finite_numbers_with_paths() -> None:
    value = {"a": [1.0, math.nan, {"b c": -math.inf}], "d": math.inf, "e": "NaN"}
    found = {v.field for v in json_value_problems(value, "inputs.x")}
    assert found == {"inputs.x.a[1]", 'inputs.x.a[2]["b c"]', "inputs.x.d"}
    assert json_value_problems({"ok": [1, 2.5, "x", None, True]}, "inputs.x") == []


def test_json_value_problems_bounds_nesting_once() -> None:
    value: object = 1
    for _ in range(MAX_VALUE_DEPTH):
        value = [value]
    assert json_value_problems(value, "v") == []
    problems = json_value_problems([value, [value]], "v")
    assert [p.field for p in problems] == ["v[0]" + "[0]" * (MAX_VALUE_DEPTH - 1)]
