"""Static checks of definitions and of execution inputs, each at its field path."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from dataflow_server.domain.definitions import definition_from_dict
from dataflow_server.domain.errors import InvalidArgument
from dataflow_server.domain.templates import TemplateRef
from dataflow_server.domain.validation import (
    DEFAULT_LIMITS,
    Limits,
    output_type_of,
    type_fits,
    validate_definition,
    validate_execution_inputs,
)
from dataflow_server.domain.values import ValueType
from dataflow_server.tasks.registry import default_registry
from tests.support.api import HELLO_WORLD, PIPELINE

TASK_TYPES = default_registry().specs()


def check(raw: dict[str, Any], limits: Limits = DEFAULT_LIMITS) -> None:
    validate_definition(definition_from_dict(raw), raw, TASK_TYPES, limits)


def violations(raw: dict[str, Any], limits: Limits = DEFAULT_LIMITS) -> dict[str, str]:
    """field -> description (joined with ' | ' when a field has several)."""
    with pytest.raises(InvalidArgument) as info:
        check(raw, limits)
    found: dict[str, str] = {}
    for v in info.value.violations:
        found[v.field] = (
            f"{found[v.field]} | {v.description}" if v.field in found else v.description
        )
    return found


def edited(base: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    raw = copy.deepcopy(base)
    change(raw)
    return raw


def with_task(task_type: str, inputs: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A definition whose first task is the given one, with one input of each type."""
    return {
        "title": "t",
        "inputs": [
            {"name": "text", "type": "text"},
            {"name": "num", "type": "number"},
            {"name": "int", "type": "integer"},
            {"name": "flag", "type": "boolean"},
            {"name": "obj", "type": "json"},
            {"name": "doc", "type": "file"},
        ],
        "tasks": [{"name": "t0", "type": task_type, "inputs": inputs, **extra}],
    }


def only(raw: dict[str, Any], field: str) -> str:
    found = violations(raw)
    assert list(found) == [field], found
    return found[field]


class TestSeedBodies:
    def test_hello_world_is_valid(self) -> None:
        check(HELLO_WORLD)

    def test_pipeline_is_valid(self) -> None:
        check(PIPELINE)

    def test_many_problems_are_reported_at_once(self) -> None:
        def break_it(raw: dict[str, Any]) -> None:
            raw["title"] = " "
            raw["inputs"][0]["type"] = "string"
            raw["tasks"][0]["inputs"]["voice"] = "robot"
            raw["tasks"][0]["inputs"]["speed"] = 2
            raw["outputs"][0]["type"] = "text"

        found = violations(edited(HELLO_WORLD, break_it))
        assert set(found) == {
            "title",
            "inputs[0].type",
            "tasks[0].inputs.voice",
            "tasks[0].inputs.speed",
            "outputs[0].value",
        }


class TestHeader:
    def test_title_required(self) -> None:
        assert only(edited(HELLO_WORLD, lambda r: r.pop("title")), "title") == "is required"

    def test_title_length(self) -> None:
        check(edited(HELLO_WORLD, lambda r: r.update(title="x" * 200)))
        msg = only(edited(HELLO_WORLD, lambda r: r.update(title="x" * 201)), "title")
        assert "at most 200 characters, got 201" in msg

    def test_description_length(self) -> None:
        check(edited(HELLO_WORLD, lambda r: r.update(description="x" * 10_000)))
        msg = only(edited(HELLO_WORLD, lambda r: r.update(description="x" * 10_001)), "description")
        assert "at most 10000 characters" in msg

    def test_at_least_one_task(self) -> None:
        raw = {"title": "t", "tasks": []}
        assert only(raw, "tasks") == "at least one task is required"

    def test_outputs_are_optional(self) -> None:
        check(edited(HELLO_WORLD, lambda r: r.pop("outputs")))

    def test_items_must_be_objects_and_paths_keep_raw_indices(self) -> None:
        def change(raw: dict[str, Any]) -> None:
            raw["inputs"].insert(0, "text")
            raw["inputs"][1]["type"] = "nope"

        found = violations(edited(HELLO_WORLD, change))
        assert found["inputs[0]"] == "must be an object"
        assert "unknown value type 'nope'" in found["inputs[1].type"]

    def test_task_inputs_must_be_an_object(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["tasks"][0].update(inputs=[]))
        assert "must be an object" in violations(raw)["tasks[0].inputs"]


class TestNames:
    @pytest.mark.parametrize("section", ["inputs", "tasks", "outputs"])
    def test_required(self, section: str) -> None:
        raw = edited(HELLO_WORLD, lambda r: r[section][0].pop("name"))
        assert violations(raw)[f"{section}[0].name"] == "is required"

    @pytest.mark.parametrize("name", ["1abc", "has-dash", "has space", "é", "a" * 65])
    def test_identifier_like(self, name: str) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["outputs"][0].update(name=name))
        assert "not a valid output name" in only(raw, "outputs[0].name")

    def test_longest_allowed_name(self) -> None:
        check(edited(HELLO_WORLD, lambda r: r["outputs"][0].update(name="_" + "a" * 63)))

    def test_unique_inputs(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["inputs"].append({"name": "text", "type": "text"}))
        msg = only(raw, "inputs[1].name")
        assert msg == "duplicate input name 'text' (first declared at inputs[0].name)"

    def test_unique_tasks(self) -> None:
        def change(raw: dict[str, Any]) -> None:
            raw["tasks"].append(copy.deepcopy(raw["tasks"][0]))

        assert "duplicate task name" in only(edited(HELLO_WORLD, change), "tasks[1].name")

    def test_unique_outputs(self) -> None:
        def change(raw: dict[str, Any]) -> None:
            raw["outputs"].append(copy.deepcopy(raw["outputs"][0]))

        assert "duplicate output name" in only(edited(HELLO_WORLD, change), "outputs[1].name")


class TestValueTypes:
    def test_unknown_input_type_lists_the_allowed_ones(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["inputs"][0].update(type="Text"))
        msg = only(raw, "inputs[0].type")
        assert "unknown value type 'Text'; did you mean 'text'?" in msg
        assert "allowed: text, number, integer, boolean, json, file" in msg

    def test_missing_output_type(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["outputs"][0].pop("type"))
        assert "is required: one of text, number" in only(raw, "outputs[0].type")

    @pytest.mark.parametrize(
        ("type_", "default"),
        [("text", "x"), ("number", 1.5), ("integer", 3.0), ("boolean", False), ("json", None)],
    )
    def test_valid_defaults(self, type_: str, default: Any) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["inputs"].append(
            {"name": "extra", "type": type_, "default": default}
        ))  # fmt: skip
        check(raw)

    @pytest.mark.parametrize(
        ("type_", "default", "fragment"),
        [
            ("text", 3, "must be of type text, got number"),
            ("number", "3", "must be of type number, got text"),
            ("integer", 2.5, "must be of type integer"),
            ("boolean", "true", "must be of type boolean"),
            ("text", None, "got null"),
            ("file", {"file_id": "file-abcdefgh"}, "a file input cannot have a default"),
        ],
    )
    def test_invalid_defaults(self, type_: str, default: Any, fragment: str) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["inputs"].append(
            {"name": "extra", "type": type_, "default": default}
        ))  # fmt: skip
        assert fragment in only(raw, "inputs[1].default")


class TestTaskTypes:
    def test_unknown_type_suggests_close_matches(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["tasks"][0].update(type="openai.audio.ttts"))
        found = violations(raw)
        assert (
            "unknown task type 'openai.audio.ttts'; did you mean 'openai.audio.tts'"
            in (found["tasks[0].type"])
        )
        # Its outputs cannot be known, so the output reference is not blamed.
        assert "outputs[0].value" not in found

    def test_unknown_type_without_close_match_lists_all(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["tasks"][0].update(type="zzz"))
        assert "available: core.sleep, html.extract_text" in violations(raw)["tasks[0].type"]

    def test_missing_type(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["tasks"][0].pop("type"))
        assert violations(raw)["tasks[0].type"].startswith("is required")

    def test_templates_of_an_unknown_type_are_still_checked(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["tasks"][0].update(
            type="zzz", inputs={"a": "{{inputs.nope}}", "b": "{{ bad }}"}
        ))  # fmt: skip
        found = violations(raw)
        assert "unknown input" in found["tasks[0].inputs.a"]
        assert "invalid template" in found["tasks[0].inputs.b"]


class TestTaskInputs:
    def test_unknown_input_suggests_close_match(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["tasks"][0]["inputs"].update(voise="alloy"))
        msg = only(raw, "tasks[0].inputs.voise")
        assert "unknown input 'voise' for task type openai.audio.tts; did you mean 'voice'?" in msg
        assert "accepted: text, voice, model, format" in msg

    def test_required_input_missing(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["tasks"][0]["inputs"].pop("text"))
        assert "is required by task type openai.audio.tts" in only(raw, "tasks[0].inputs.text")

    def test_inputs_with_type_defaults_may_be_omitted(self) -> None:
        check(with_task("openai.audio.tts", {"text": "hi"}))

    def test_allowed_values(self) -> None:
        msg = only(with_task("openai.audio.tts", {"text": "hi", "voice": "robot"}),
                   "tasks[0].inputs.voice")  # fmt: skip
        assert msg.startswith("must be one of: alloy, ash, ballad")
        assert "got 'robot'" in msg
        check(with_task("openai.audio.tts", {"text": "hi", "voice": "verse", "format": "wav"}))

    @pytest.mark.parametrize(
        ("inputs", "field", "fragment"),
        [
            ({"prompt": 5}, "prompt", "must be of type text, got number"),
            ({"prompt": "p", "temperature": "hot"}, "temperature", "must be of type number"),
            ({"prompt": "p", "temperature": 2.5}, "temperature", "must be at most 2, got 2.5"),
            ({"prompt": "p", "temperature": -1}, "temperature", "must be at least 0, got -1"),
            ({"prompt": "p", "max_tokens": 0}, "max_tokens", "must be at least 1, got 0"),
            ({"prompt": "p", "max_tokens": 1.5}, "max_tokens", "must be of type integer"),
            ({"prompt": None}, "prompt", "got null"),
        ],
    )
    def test_literal_types_and_bounds(
        self, inputs: dict[str, Any], field: str, fragment: str
    ) -> None:
        msg = only(with_task("openai.chat.completion", inputs), f"tasks[0].inputs.{field}")
        assert fragment in msg

    def test_literal_bounds_inclusive(self) -> None:
        check(
            with_task("openai.chat.completion", {"prompt": "p", "temperature": 2, "max_tokens": 1})
        )
        check(with_task("core.sleep", {"seconds": 0}))
        check(with_task("core.sleep", {"seconds": 3600}))

    def test_file_literal(self) -> None:
        check(with_task("openai.audio.transcription", {"audio": {"file_id": "file-abcdefgh"}}))
        msg = only(with_task("openai.audio.transcription", {"audio": "file-abcdefgh"}),
                   "tasks[0].inputs.audio")  # fmt: skip
        assert "must be a file" in msg

    def test_nested_json_paths(self) -> None:
        raw = with_task("http.request", {
            "url": "https://example.com",
            "headers": {"Authorization": "Bearer {{inputs.secret}}", "X": ["{{ oops }}"]},
        })  # fmt: skip
        found = violations(raw)
        assert set(found) == {
            "tasks[0].inputs.headers.Authorization",
            "tasks[0].inputs.headers.X[0]",
        }
        assert (
            "{{inputs.secret}} refers to an unknown input"
            in (found["tasks[0].inputs.headers.Authorization"])
        )
        assert found["tasks[0].inputs.headers.X[0]"].startswith("invalid template:")

    def test_json_destination_takes_nested_whole_values_of_any_type(self) -> None:
        check(with_task("http.request", {
            "url": "https://example.com",
            "headers": {"a": "{{inputs.doc}}", "b": "{{inputs.num}}", "c": "x {{inputs.obj}}"},
        }))  # fmt: skip

    def test_file_inside_nested_mixed_text_is_refused(self) -> None:
        raw = with_task(
            "http.request", {"url": "https://e.com", "headers": {"a": "x {{inputs.doc}}"}}
        )
        assert "is a file and cannot be embedded in text" in only(raw, "tasks[0].inputs.headers.a")


class TestReferences:
    def test_unknown_input(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["tasks"][0]["inputs"].update(text="{{inputs.txt}}"))
        msg = only(raw, "tasks[0].inputs.text")
        assert "{{inputs.txt}} refers to an unknown input; did you mean 'text'?" in msg
        assert "declared inputs: text" in msg

    def test_unknown_task(self) -> None:
        raw = edited(PIPELINE, lambda r: r["tasks"][2]["inputs"].update(
            prompt="{{tasks.extract.outputs.text}}"
        ))  # fmt: skip
        msg = only(raw, "tasks[2].inputs.prompt")
        assert "refers to an unknown task; did you mean 'extract_text'?" in msg

    def test_later_task(self) -> None:
        raw = edited(PIPELINE, lambda r: r["tasks"][0]["inputs"].update(
            url="{{tasks.summarize_text.outputs.text}}"
        ))  # fmt: skip
        msg = only(raw, "tasks[0].inputs.url")
        assert "tasks.summarize_text runs after this task" in msg

    def test_same_task(self) -> None:
        raw = edited(PIPELINE, lambda r: r["tasks"][1]["inputs"].update(
            html="{{tasks.extract_text.outputs.text}}"
        ))  # fmt: skip
        assert "cannot use its own outputs" in only(raw, "tasks[1].inputs.html")

    def test_unknown_output_field_lists_the_outputs(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["outputs"][0].update(
            value="{{tasks.text_to_speech.outputs.audo}}"
        ))  # fmt: skip
        msg = only(raw, "outputs[0].value")
        assert "task type openai.audio.tts has no output 'audo'; did you mean 'audio'?" in msg
        assert "its outputs: audio" in msg

    def test_syntax_error_at_the_field(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["tasks"][0]["inputs"].update(text="{{inputs.text"))
        msg = only(raw, "tasks[0].inputs.text")
        assert msg.startswith("invalid template: unclosed '{{'")
        assert "(at character 0)" in msg

    def test_mixed_template_with_several_problems_reports_each(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["tasks"][0]["inputs"].update(
            text="{{inputs.a}} and {{tasks.nope.outputs.x}}"
        ))  # fmt: skip
        msg = only(raw, "tasks[0].inputs.text")
        assert "{{inputs.a}}" in msg and "{{tasks.nope.outputs.x}}" in msg

    def test_template_length_limit(self) -> None:
        raw = with_task("text.template", {"template": "x" * 11})
        found = violations(raw, Limits(max_template_bytes=10))
        assert "a template string may be at most 10 bytes" in found["tasks[0].inputs.template"]

    def test_template_ref_count_limit(self) -> None:
        raw = with_task("text.template", {"template": "{{inputs.text}}" * 3})
        found = violations(raw, Limits(max_refs_per_template=2))
        assert "at most 2" in found["tasks[0].inputs.template"]


class TestTypeFit:
    @pytest.mark.parametrize(
        ("input_name", "destination", "ok"),
        [
            # text accepts scalars but not json or file
            ("text", ("openai.chat.completion", "prompt"), True),
            ("num", ("openai.chat.completion", "prompt"), True),
            ("int", ("openai.chat.completion", "prompt"), True),
            ("flag", ("openai.chat.completion", "prompt"), True),
            ("obj", ("openai.chat.completion", "prompt"), False),
            ("doc", ("openai.chat.completion", "prompt"), False),
            # number accepts number and integer
            ("num", ("openai.chat.completion", "temperature"), True),
            ("int", ("openai.chat.completion", "temperature"), True),
            ("text", ("openai.chat.completion", "temperature"), False),
            # integer accepts integer only
            ("int", ("openai.chat.completion", "max_tokens"), True),
            ("num", ("openai.chat.completion", "max_tokens"), False),
            # json accepts anything
            ("doc", ("http.request", "headers"), True),
            ("text", ("http.request", "headers"), True),
            # file accepts file only
            ("doc", ("openai.audio.transcription", "audio"), True),
            ("text", ("openai.audio.transcription", "audio"), False),
            ("obj", ("openai.audio.transcription", "audio"), False),
        ],
    )
    def test_whole_value_refs(
        self, input_name: str, destination: tuple[str, str], ok: bool
    ) -> None:
        task_type, field = destination
        required = {"openai.chat.completion": "prompt", "http.request": "url",
                    "openai.audio.transcription": "audio"}[task_type]  # fmt: skip
        literal = {"prompt": "p", "url": "https://e.com", "audio": {"file_id": "file-abcdefgh"}}
        inputs = {required: literal[required], field: f"{{{{inputs.{input_name}}}}}"}
        raw = with_task(task_type, inputs)
        if ok:
            check(raw)
        else:
            msg = only(raw, f"tasks[0].inputs.{field}")
            assert f"{{{{inputs.{input_name}}}}} is of type" in msg
            assert "cannot feed the" in msg

    def test_file_cannot_feed_text_input(self) -> None:
        raw = with_task("openai.chat.completion", {"prompt": "{{inputs.doc}}"})
        msg = only(raw, "tasks[0].inputs.prompt")
        assert msg == (
            "{{inputs.doc}} is of type file and cannot feed the text input 'prompt' of "
            "openai.chat.completion (accepts: text, number, integer, boolean)"
        )

    def test_task_output_types_are_used(self) -> None:
        raw = edited(PIPELINE, lambda r: r["tasks"][2]["inputs"].update(
            max_tokens="{{tasks.download_webpage.outputs.status}}"
        ))  # fmt: skip
        check(raw)  # integer feeds integer
        raw = edited(PIPELINE, lambda r: r["tasks"][2]["inputs"].update(
            max_tokens="{{tasks.download_webpage.outputs.body}}"
        ))  # fmt: skip
        assert "is of type text" in only(raw, "tasks[2].inputs.max_tokens")

    def test_mixed_template_is_text(self) -> None:
        raw = with_task("openai.chat.completion", {"prompt": "p", "max_tokens": " {{inputs.int}}"})
        msg = only(raw, "tasks[0].inputs.max_tokens")
        assert "mixes text and references is text and cannot feed the integer input" in msg

    def test_mixed_template_with_a_file_ref(self) -> None:
        raw = with_task("openai.chat.completion", {"prompt": "Read {{inputs.doc}}"})
        assert "is a file and cannot be embedded in text" in only(raw, "tasks[0].inputs.prompt")

    def test_file_output_fed_by_text(self) -> None:
        raw = edited(PIPELINE, lambda r: r["outputs"][0].update(type="file"))
        assert "is of type text and cannot feed the file output 'summary'" in only(
            raw, "outputs[0].value"
        )

    def test_file_cannot_feed_text_output(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["outputs"][0].update(type="text"))
        assert "is of type file and cannot feed the text output 'audio'" in only(
            raw, "outputs[0].value"
        )

    def test_type_fits_table(self) -> None:
        assert type_fits(ValueType.INTEGER, ValueType.NUMBER)
        assert not type_fits(ValueType.NUMBER, ValueType.INTEGER)
        assert not type_fits(ValueType.JSON, ValueType.TEXT)
        assert all(type_fits(t, ValueType.JSON) for t in ValueType)


class TestOutputs:
    def test_value_required(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["outputs"][0].pop("value"))
        assert only(raw, "outputs[0].value").startswith("is required")

    def test_literal_values_are_type_checked(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["outputs"].append(
            {"name": "n", "type": "integer", "value": "three"}
        ))  # fmt: skip
        assert "must be of type integer, got text" in only(raw, "outputs[1].value")
        raw = edited(HELLO_WORLD, lambda r: r["outputs"].append(
            {"name": "n", "type": "integer", "value": 3}
        ))  # fmt: skip
        check(raw)

    def test_outputs_may_use_every_task(self) -> None:
        raw = edited(PIPELINE, lambda r: r["outputs"].append(
            {"name": "page", "type": "text", "value": "{{tasks.download_webpage.outputs.body}}"}
        ))  # fmt: skip
        check(raw)

    def test_mixed_output_text(self) -> None:
        raw = edited(PIPELINE, lambda r: r["outputs"][0].update(
            value="Status {{tasks.download_webpage.outputs.status}}: {{inputs.webpage_url}}"
        ))  # fmt: skip
        check(raw)


class TestRetryAndTimeout:
    @pytest.mark.parametrize(
        ("retry", "field", "fragment"),
        [
            ({"max_attempts": 101}, "max_attempts", "between 1 and 100, got 101"),
            ({"max_attempts": -1}, "max_attempts", "between 1 and 100, got -1"),
            ({"initial_backoff_seconds": -1}, "initial_backoff_seconds", "between 0 and 3600"),
            ({"initial_backoff_seconds": 3601}, "initial_backoff_seconds", "got 3601"),
            ({"backoff_multiplier": 0.5}, "backoff_multiplier", "between 1 and 10, got 0.5"),
            ({"backoff_multiplier": 11}, "backoff_multiplier", "between 1 and 10"),
            ({"max_backoff_seconds": 86401}, "max_backoff_seconds", "between 0 and 86400"),
            (
                {"initial_backoff_seconds": 10, "max_backoff_seconds": 5},
                "max_backoff_seconds",
                "must be at least initial_backoff_seconds (10), got 5",
            ),
            # compared with the type's default initial backoff (1 s) when unset
            ({"max_backoff_seconds": 0.5}, "max_backoff_seconds", "initial_backoff_seconds (1)"),
        ],
    )
    def test_retry_bounds(self, retry: dict[str, Any], field: str, fragment: str) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["tasks"][0].update(retry=retry))
        assert fragment in only(raw, f"tasks[0].retry.{field}")

    def test_valid_retry(self) -> None:
        retry = {"max_attempts": 100, "initial_backoff_seconds": 3600, "backoff_multiplier": 10,
                 "max_backoff_seconds": 86400}  # fmt: skip
        check(edited(HELLO_WORLD, lambda r: r["tasks"][0].update(retry=retry)))

    @pytest.mark.parametrize("timeout", [0, -5, 86401])
    def test_timeout_bounds(self, timeout: float) -> None:
        raw = edited(HELLO_WORLD, lambda r: r["tasks"][0].update(timeout_seconds=timeout))
        assert "greater than 0 and at most 86400" in only(raw, "tasks[0].timeout_seconds")

    def test_valid_timeout(self) -> None:
        check(edited(HELLO_WORLD, lambda r: r["tasks"][0].update(timeout_seconds=86400)))


class TestLimits:
    def test_definition_size(self) -> None:
        size = len(json.dumps(HELLO_WORLD, separators=(",", ":")))
        check(HELLO_WORLD, Limits(max_definition_bytes=size))
        with pytest.raises(InvalidArgument) as info:
            check(HELLO_WORLD, Limits(max_definition_bytes=size - 1))
        [v] = info.value.violations
        assert v.field == "workflow"
        assert f"at most {size - 1} bytes are allowed" in v.description

    def test_default_definition_size_is_256_kib(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r.update(description="x" * 300_000))
        assert "at most 262144 bytes" in violations(raw)["workflow"]

    @pytest.mark.parametrize(
        ("section", "item", "limit_field"),
        [
            ("tasks", {"type": "json.parse", "inputs": {"text": "[]"}}, "max_tasks"),
            ("inputs", {"type": "text", "required": False}, "max_inputs"),
            ("outputs", {"type": "text", "value": "x"}, "max_outputs"),
        ],
    )
    def test_counts(self, section: str, item: dict[str, Any], limit_field: str) -> None:
        def grow(n: int) -> dict[str, Any]:
            raw = copy.deepcopy(HELLO_WORLD)
            raw[section] = raw[section][:1] + [{"name": f"x{i}", **item} for i in range(n - 1)]
            return raw

        limit = getattr(DEFAULT_LIMITS, limit_field)
        assert limit == 100
        check(grow(limit))
        assert only(grow(limit + 1), section) == f"at most 100 {section} are allowed, got 101"

    def test_violations_are_capped(self) -> None:
        raw = edited(HELLO_WORLD, lambda r: r.update(inputs=[{"name": "", "type": "text"}] * 60))
        with pytest.raises(InvalidArgument) as info:
            check(raw)
        assert len(info.value.violations) == 50
        # 60 blank names, and {{inputs.text}} no longer resolves
        assert "has 61 problems; the first 50 are listed" in info.value.message
        assert info.value.violations[0].field == "inputs[0].name"


class TestOutputTypeOf:
    def test_resolves_inputs_and_task_outputs(self) -> None:
        defn = definition_from_dict(PIPELINE)
        assert output_type_of(TemplateRef("input", "webpage_url"), defn, TASK_TYPES) == "text"
        status = TemplateRef("task_output", "download_webpage", "status")
        assert output_type_of(status, defn, TASK_TYPES) is ValueType.INTEGER
        assert output_type_of(TemplateRef("input", "nope"), defn, TASK_TYPES) is None
        missing = TemplateRef("task_output", "download_webpage", "nope")
        assert output_type_of(missing, defn, TASK_TYPES) is None


# ---------------------------------------------------------------------------
# Execution inputs

EXEC_DEFN = definition_from_dict({
    "title": "t",
    "inputs": [
        {"name": "text", "type": "text"},
        {"name": "count", "type": "integer", "required": False},
        {"name": "ratio", "type": "number", "default": 0.5},
        {"name": "loud", "type": "boolean", "required": True, "default": False},
        {"name": "meta", "type": "json", "required": False},
        {"name": "doc", "type": "file", "required": False},
    ],
    "tasks": [{"name": "t", "type": "json.parse", "inputs": {"text": "[]"}}],
})  # fmt: skip


def input_violations(given: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidArgument) as info:
        validate_execution_inputs(EXEC_DEFN, given)
    return {v.field: v.description for v in info.value.violations}


class TestExecutionInputs:
    def test_defaults_applied_and_optional_inputs_are_none(self) -> None:
        assert validate_execution_inputs(EXEC_DEFN, {"text": "hi"}) == {
            "text": "hi",
            "count": None,
            "ratio": 0.5,
            "loud": False,
            "meta": None,
            "doc": None,
        }

    def test_given_values_win_over_defaults(self) -> None:
        result = validate_execution_inputs(EXEC_DEFN, {"text": "hi", "ratio": 2, "loud": True})
        assert result["ratio"] == 2
        assert result["loud"] is True

    def test_null_counts_as_absent(self) -> None:
        assert validate_execution_inputs(EXEC_DEFN, {"text": "hi", "ratio": None})["ratio"] == 0.5
        assert input_violations({"text": None}) == {"inputs.text": "is required (text)"}

    def test_default_is_a_copy(self) -> None:
        defn = definition_from_dict({"title": "t", "inputs": [
            {"name": "cfg", "type": "json", "default": {"a": [1]}}
        ], "tasks": []})  # fmt: skip
        first = validate_execution_inputs(defn, {})
        first["cfg"]["a"].append(2)
        assert validate_execution_inputs(defn, {})["cfg"] == {"a": [1]}

    def test_integer_normalised(self) -> None:
        result = validate_execution_inputs(EXEC_DEFN, {"text": "hi", "count": 3.0})
        assert result["count"] == 3
        assert isinstance(result["count"], int)

    def test_all_problems_at_once(self) -> None:
        found = input_violations({"txt": "hi", "count": 2.5, "ratio": "x", "loud": "yes"})
        assert set(found) == {
            "inputs.txt",
            "inputs.text",
            "inputs.count",
            "inputs.ratio",
            "inputs.loud",
        }
        assert "unknown input; did you mean 'text'?" in found["inputs.txt"]
        assert found["inputs.text"] == "is required (text)"
        assert "must be of type integer" in found["inputs.count"]
        assert "must be of type number, got text" in found["inputs.ratio"]
        assert "must be of type boolean, got text" in found["inputs.loud"]

    def test_file_input_shape(self) -> None:
        result = validate_execution_inputs(
            EXEC_DEFN, {"text": "hi", "doc": {"file_id": "file-abcdefgh", "name": "claimed"}}
        )
        assert result["doc"] == {"file_id": "file-abcdefgh"}
        assert (
            "must be a file"
            in input_violations({"text": "hi", "doc": "file-abcdefgh"})["inputs.doc"]
        )
        assert (
            "is not a file id"
            in input_violations({"text": "hi", "doc": {"file_id": "wf-1"}})["inputs.doc"]
        )
        assert (
            "unexpected keys path"
            in input_violations(
                {"text": "hi", "doc": {"file_id": "file-abcdefgh", "path": "/etc/passwd"}}
            )["inputs.doc"]
        )

    def test_json_input_takes_any_value(self) -> None:
        result = validate_execution_inputs(EXEC_DEFN, {"text": "hi", "meta": [1, {"a": None}]})
        assert result["meta"] == [1, {"a": None}]
