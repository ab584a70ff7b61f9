"""Static checks of the graph language: depends_on, when (CEL), for_each,
skipping; every error at its field path, all reported at once."""

from __future__ import annotations

from typing import Any

import pytest

from dataflow_server.domain.definitions import definition_from_dict, definition_to_dict
from dataflow_server.domain.errors import InvalidArgument
from dataflow_server.domain.plan import WorkflowPlan
from dataflow_server.domain.validation import validate_definition, workflow_plan
from dataflow_server.tasks.registry import default_registry

TASK_TYPES = default_registry().specs()


def template(name: str, text: str, **rules: Any) -> dict[str, Any]:
    return {"name": name, "type": "text.template", "inputs": {"template": text}, **rules}


def workflow(*tasks: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "title": "t",
        "inputs": [
            {"name": "text", "type": "text"},
            {"name": "paragraphs", "type": "json"},
            {"name": "lang", "type": "text", "required": False},
        ],
        "tasks": list(tasks),
        "outputs": extra.pop("outputs", []),
        **extra,
    }


def plan_of(raw: dict[str, Any]) -> WorkflowPlan:
    defn = definition_from_dict(raw)
    validate_definition(defn, raw, TASK_TYPES)
    return workflow_plan(defn, TASK_TYPES)


def upstream(raw: dict[str, Any]) -> dict[str, set[str]]:
    p = plan_of(raw)
    return {n.name: {p.nodes[u].name for u in n.upstream} for n in p.nodes}


def violations(raw: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidArgument) as info:
        validate_definition(definition_from_dict(raw), raw, TASK_TYPES)
    return {v.field: v.description for v in info.value.violations}


class TestDependencies:
    def test_without_depends_on_each_task_follows_the_one_before(self) -> None:
        raw = workflow(template("a", "x"), template("b", "y"), template("c", "z"))
        assert upstream(raw) == {"a": set(), "b": {"a"}, "c": {"b"}}

    def test_empty_depends_on_starts_at_once_and_join_waits_for_both(self) -> None:
        raw = workflow(
            template("a", "x", depends_on=[]),
            template("b", "y", depends_on=[]),
            template("join", "{{tasks.a.outputs.text}} {{tasks.b.outputs.text}}", depends_on=[]),
        )
        assert upstream(raw) == {"a": set(), "b": set(), "join": {"a", "b"}}

    def test_references_and_conditions_add_dependencies(self) -> None:
        raw = workflow(
            template("late", "x", depends_on=[]),
            template("early", "{{tasks.late.outputs.text}}", depends_on=[]),
            template("cond", "y", depends_on=[], when="tasks.early.outputs.text != ''"),
        )
        assert upstream(raw) == {"late": set(), "early": {"late"}, "cond": {"early"}}

    def test_round_trip_keeps_the_new_fields(self) -> None:
        raw = workflow(
            template("a", "x", depends_on=[]),
            template("m", "{{item}}", for_each="{{inputs.paragraphs}}", max_parallel=2),
            template("j", "{{tasks.a.outputs.text}}", when="true", allow_skipped_dependencies=True),
            outputs=[{"name": "o", "type": "json", "value": "{{tasks.m.outputs.text}}"}],
        )
        again = definition_to_dict(definition_from_dict(raw))
        assert again["tasks"][0]["depends_on"] == []
        assert "depends_on" not in again["tasks"][1]
        assert again["tasks"][1]["max_parallel"] == 2
        assert again["tasks"][2]["allow_skipped_dependencies"] is True
        assert definition_from_dict(again) == definition_from_dict(raw)

    def test_unknown_self_duplicate_and_malformed_names(self) -> None:
        raw = workflow(
            template("fetch", "x"),
            template("b", "y", depends_on=["fetc", "b", "fetch", "fetch", 3]),
        )
        found = violations(raw)
        assert "unknown task 'fetc'; did you mean 'fetch'?" in found["tasks[1].depends_on[0]"]
        assert found["tasks[1].depends_on[1]"] == "a task cannot depend on itself"
        assert found["tasks[1].depends_on[3]"] == "'fetch' is listed twice"
        assert found["tasks[1].depends_on[4]"] == "must be a task name, got 3"
        assert "tasks[1].depends_on[2]" not in found

    def test_cycle_is_reported_once_at_the_edge_that_points_back(self) -> None:
        raw = workflow(
            template("a", "x", depends_on=["c"]),
            template("b", "y"),
            template("c", "z"),
        )
        found = violations(raw)
        assert list(found) == ["tasks[0].depends_on[0]"]
        msg = found["tasks[0].depends_on[0]"]
        assert msg.startswith("tasks.c runs after this task (a dependency cycle: ")
        assert "tasks.a → tasks.b → tasks.c → tasks.a" in msg
        assert "tasks.b runs after tasks.a because it is listed after it" in msg

    def test_reference_to_a_later_task_in_the_sequence_is_a_cycle(self) -> None:
        raw = workflow(template("a", "{{tasks.b.outputs.text}}"), template("b", "y"))
        found = violations(raw)
        assert "tasks.b runs after this task" in found["tasks[0].inputs.template"]


class TestConditions:
    def test_names_types_and_syntax_are_checked(self) -> None:
        raw = workflow(
            template("detect", "x"),
            template("a", "y", when="tasks.detect.outputs.txt != 'en'"),
            template("b", "y", when="tasks.detect.outputs.text + 1 > 0"),
            template("c", "y", when="inputs.text"),
            template("d", "y", when="inputs.text == 'a' &&"),
            template("e", "y", when="tasks.e.outputs.text == ''"),
        )
        found = violations(raw)
        assert "unknown name 'tasks.detect.outputs.txt'; did you mean " in found["tasks[1].when"]
        assert "'tasks.detect.outputs.text'" in found["tasks[1].when"]
        assert "no matching overload" in found["tasks[2].when"]
        assert "must be a boolean condition, but it yields string" in found["tasks[3].when"]
        assert "Syntax error" in found["tasks[4].when"]
        assert "unknown name 'tasks.e.outputs.text'" in found["tasks[5].when"]

    def test_numbers_do_not_mix_with_ints_and_the_message_says_so(self) -> None:
        raw = workflow(
            {"name": "wait", "type": "core.sleep", "inputs": {"seconds": 0}},
            template("t", "x"),
            **{"inputs": [{"name": "score", "type": "number"}]},
        )
        raw["tasks"][1]["when"] = "inputs.score > 2"
        assert "write 2.0" in violations(raw)["tasks[1].when"]
        raw["tasks"][1]["when"] = "inputs.score > 2.0"
        plan_of(raw)

    def test_optional_input_is_dyn_so_null_compares(self) -> None:
        plan_of(workflow(template("t", "x", when="inputs.lang != null && inputs.lang != 'en'")))


class TestForEach:
    def test_item_and_index_are_typed_by_the_list(self) -> None:
        raw = workflow(
            template("lines", "{{index}}: {{item}}", for_each="{{inputs.paragraphs}}"),
            {
                "name": "speak",
                "type": "openai.audio.tts",
                "inputs": {"text": "{{item}}"},
                "for_each": "{{tasks.lines.outputs.text}}",
            },
            {
                "name": "hear",
                "type": "openai.audio.transcription",
                "inputs": {"audio": "{{item}}"},
                "for_each": "{{tasks.speak.outputs.audio}}",
                "max_parallel": 3,
            },
            outputs=[{"name": "texts", "type": "json", "value": "{{tasks.hear.outputs.text}}"}],
        )
        nodes = plan_of(raw).nodes
        assert [(n.for_each, n.max_parallel) for n in nodes] == [(True, 4), (True, 4), (True, 3)]

    def test_errors(self) -> None:
        raw = workflow(
            template("a", "{{item}}"),
            template("b", "x", for_each="{{inputs.text}}"),
            template("c", "x", for_each="list: {{inputs.paragraphs}}"),
            template("d", "x", for_each="{{inputs.paragraphs}}", max_parallel=0),
            template("e", "x", max_parallel=2),
            template("f", "{{tasks.d.outputs.text}}"),
            {
                "name": "g",
                "type": "openai.audio.tts",
                "inputs": {"text": "{{item}}"},
                "for_each": "{{tasks.d.outputs.text}}",
            },
            template("h", "{{tasks.g.outputs.audio}} and {{item.x}}"),
        )
        found = violations(raw)
        assert "only in the inputs of a task with for_each" in found["tasks[0].inputs.template"]
        assert "is of type text and cannot be a list of items" in found["tasks[1].for_each"]
        assert "must be a single reference that yields a list" in found["tasks[2].for_each"]
        assert found["tasks[3].max_parallel"] == "must be an integer from 1 to 100, got 0"
        assert found["tasks[4].max_parallel"] == "applies only to a task with for_each"
        assert (
            "is of type list of text and cannot feed the text input"
            in found["tasks[5].inputs.template"]
        )
        assert "tasks[6].inputs.text" not in found  # an item of a list of text is text
        assert "(fields inside a value cannot be selected)" in found["tasks[7].inputs.template"]


class TestSkipping:
    def test_outputs_of_a_skippable_task_need_a_default(self) -> None:
        raw = workflow(
            template("detect", "x"),
            template("translate", "y", when="tasks.detect.outputs.text != 'en'"),
            outputs=[{"name": "o", "type": "text", "value": "{{tasks.translate.outputs.text}}"}],
        )
        msg = violations(raw)["outputs[0].value"]
        assert "tasks.translate is skipped when its `when` is false" in msg
        assert "give this output a `default`" in msg
        raw["outputs"][0]["default"] = "{{tasks.detect.outputs.text}}"
        plan_of(raw)
        raw["outputs"][0]["default"] = "{{tasks.translate.outputs.text}}"
        assert "may be absent" in violations(raw)["outputs[0].default"]

    def test_a_join_that_runs_anyway_takes_absent_values_only_where_null_fits(self) -> None:
        raw = workflow(
            template("detect", "x"),
            template("translate", "y", when="tasks.detect.outputs.text != 'en'"),
            template("after", "{{tasks.translate.outputs.text}}"),
            {
                "name": "join",
                "type": "openai.chat.completion",
                "depends_on": ["detect", "after"],
                "allow_skipped_dependencies": True,
                "inputs": {
                    "prompt": "{{tasks.after.outputs.text}}",
                    "system": "{{tasks.translate.outputs.text}}",
                },
                "when": "tasks.translate.outputs.text != null",
            },
        )
        found = violations(raw)
        assert list(found) == ["tasks[3].inputs.prompt"]
        msg = found["tasks[3].inputs.prompt"]
        assert "tasks.after is skipped when tasks.translate is" in msg
        assert "feed an optional input or use the reference inside text" in msg
        raw["tasks"][3]["inputs"]["prompt"] = "Summarize: {{tasks.after.outputs.text}}"
        p = plan_of(raw)
        assert "tasks.translate.outputs.text" in p.nullable[3]
        assert "tasks.translate.outputs.text" not in p.nullable[2]  # `after` needs translate

    def test_every_problem_is_reported_at_once(self) -> None:
        raw = workflow(
            template("a", "x", depends_on=["nope"]),
            template("b", "{{item}}", when="bogus"),
            template("c", "y", for_each="{{inputs.text}}"),
        )
        assert set(violations(raw)) == {
            "tasks[0].depends_on[0]",
            "tasks[1].inputs.template",
            "tasks[1].when",
            "tasks[2].for_each",
        }
