"""Typed reads of task inputs: the conversions handlers have always applied."""

from __future__ import annotations

import pytest

from dataflow_server.domain.values import JsonValue
from dataflow_server.tasks.inputs import as_float, as_int, as_object, as_text, optional_text


def test_numbers_read_as_float_did() -> None:
    # An item of a json list lands in a number input as it is: "2.5" included.
    assert [as_float(v) for v in (2, 2.5, "2.5", True)] == [2.0, 2.5, 2.5, 1.0]
    assert [as_int(v) for v in (3, 3.0, "3")] == [3, 3, 3]
    with pytest.raises(ValueError):
        as_float("soon")


@pytest.mark.parametrize("value", [None, [1], {"n": 1}])
def test_a_number_input_that_is_no_number_is_a_type_error(value: JsonValue) -> None:
    with pytest.raises(TypeError, match="expected a number"):
        as_float(value)
    with pytest.raises(TypeError, match="expected an integer"):
        as_int(value)


def test_text_and_objects_are_checked_not_converted() -> None:
    assert as_text("hi") == "hi"
    with pytest.raises(TypeError, match="expected text, got int"):
        as_text(3)
    file_value: JsonValue = {"file_id": "file-1"}
    assert as_object(file_value) is file_value
    with pytest.raises(TypeError, match="expected an object, got list"):
        as_object([file_value])


def test_optional_text_is_none_when_absent_or_null() -> None:
    assert optional_text({}, "api_key") is None
    assert optional_text({"api_key": None}, "api_key") is None
    assert optional_text({"api_key": "sk-1"}, "api_key") == "sk-1"
