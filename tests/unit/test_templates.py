"""The template grammar: parsing, errors, walking JSON values, typed rendering."""

from __future__ import annotations

from typing import Any

import pytest

from dataflow_server.domain.templates import (
    MAX_REFS_PER_TEMPLATE,
    MAX_TEMPLATE_BYTES,
    ParsedTemplate,
    TemplateRef,
    TemplateRenderError,
    TemplateSyntaxError,
    child_path,
    find_refs,
    parse_template,
    render,
    to_text,
)

TEXT_IN = TemplateRef("input", "text")
SUMMARY = TemplateRef("task_output", "summarize", "text")
FILE = {"file_id": "file-abcdefgh12", "name": "a.mp3", "content_type": "audio/mpeg"}


class TestParse:
    def test_plain_text_has_no_refs(self) -> None:
        parsed = parse_template("hello } world }}")
        assert parsed.parts == ("hello } world }}",)
        assert not parsed.has_refs
        assert not parsed.is_whole_ref

    def test_empty_string(self) -> None:
        assert parse_template("").parts == ()

    def test_input_ref(self) -> None:
        parsed = parse_template("{{inputs.text}}")
        assert parsed.parts == (TEXT_IN,)
        assert parsed.is_whole_ref
        assert parsed.whole_ref == TEXT_IN

    def test_task_output_ref(self) -> None:
        parsed = parse_template("{{tasks.summarize.outputs.text}}")
        assert parsed.whole_ref == SUMMARY
        assert str(SUMMARY) == "tasks.summarize.outputs.text"
        assert SUMMARY.braced == "{{tasks.summarize.outputs.text}}"

    @pytest.mark.parametrize(
        "text", ["{{ inputs.text }}", "{{\tinputs.text\n}}", "{{inputs.text  }}"]
    )
    def test_whitespace_inside_braces(self, text: str) -> None:
        assert parse_template(text).whole_ref == TEXT_IN

    @pytest.mark.parametrize("text", [" {{inputs.text}}", "{{inputs.text}}\n", "x{{inputs.text}}"])
    def test_anything_outside_the_braces_makes_it_mixed(self, text: str) -> None:
        parsed = parse_template(text)
        assert parsed.has_refs
        assert not parsed.is_whole_ref
        assert parsed.whole_ref is None

    def test_mixed_parts_in_order(self) -> None:
        parsed = parse_template("Summarize: {{inputs.text}} and {{tasks.summarize.outputs.text}}!")
        assert parsed == ParsedTemplate(
            ("Summarize: ", TEXT_IN, " and ", SUMMARY, "!"),
        )
        assert parsed.refs == (TEXT_IN, SUMMARY)

    def test_adjacent_refs(self) -> None:
        assert parse_template("{{inputs.a}}{{inputs.b}}").parts == (
            TemplateRef("input", "a"),
            TemplateRef("input", "b"),
        )


class TestSyntaxErrors:
    @pytest.mark.parametrize(
        ("text", "fragment", "position"),
        [
            ("abc {{inputs.text", "unclosed '{{'", 4),
            ("{{}}", "empty reference", 0),
            ("{{   }}", "empty reference", 0),
            ("{{ inputs }}", "needs an identifier-like input name", 0),
            ("{{ inputs.1abc }}", "needs an identifier-like input name", 0),
            ("{{ inputs.a.b }}", "too many segments", 0),
            ("{{ secret.key }}", "unknown reference root 'secret'", 0),
            ("{{ secrets.a.b }}", "expected {{secrets.NAME}}", 0),
            ("{{ secrets.1a }}", "needs an identifier-like secret name", 0),
            ("{{ tasks.a }}", "incomplete", 0),
            ("{{ tasks.a.outputs }}", "incomplete", 0),
            ("{{ tasks.a.results.b }}", "('outputs' after the name)", 0),
            ("{{ tasks.a.outputs.b.c }}", "too many segments", 0),
            ("{{ inputs.text | upper }}", "filters ('|') are not supported", 0),
            ("{{ inputs.a + 1 }}", "expressions, operators and calls are not supported", 0),
            ("{{ __import__('os') }}", "never evaluated", 0),
            ("ab{{ {{inputs.a}} }}", "cannot be nested", 5),
            ("{{ inputs . text }}", "not a reference", 0),
            ("{{.inputs}}", "is not a reference", 0),
        ],
    )
    def test_message_and_position(self, text: str, fragment: str, position: int) -> None:
        with pytest.raises(TemplateSyntaxError) as info:
            parse_template(text)
        assert fragment in info.value.message
        assert info.value.position == position
        assert f"(at character {position})" in str(info.value)

    def test_error_after_a_valid_ref_points_at_the_bad_one(self) -> None:
        with pytest.raises(TemplateSyntaxError) as info:
            parse_template("{{inputs.a}} then {{ nope }}")
        assert info.value.position == 18

    def test_length_limit_in_utf8_bytes(self) -> None:
        parse_template("é" * (MAX_TEMPLATE_BYTES // 2))  # exactly at the limit
        with pytest.raises(TemplateSyntaxError, match="at most 65536 bytes"):
            parse_template("é" * (MAX_TEMPLATE_BYTES // 2) + "x")
        with pytest.raises(TemplateSyntaxError, match="at most 10 bytes"):
            parse_template("x" * 11, max_bytes=10)
        parse_template("x" * 11, max_bytes=None)

    def test_refs_limit(self) -> None:
        parse_template("{{inputs.a}}" * MAX_REFS_PER_TEMPLATE)
        with pytest.raises(TemplateSyntaxError, match="at most 100"):
            parse_template("{{inputs.a}}" * (MAX_REFS_PER_TEMPLATE + 1))
        with pytest.raises(TemplateSyntaxError, match="at most 2"):
            parse_template("{{inputs.a}}" * 3, max_refs=2)


class TestFindRefs:
    def test_walks_nested_values_with_path_suffixes(self) -> None:
        value = {
            "plain": "no refs here",
            "headers": {"Authorization": "Bearer {{inputs.token}}", "X Y": "{{inputs.x}}"},
            "items": [1, "{{tasks.a.outputs.b}}", {"deep": ["{{inputs.d}}"]}],
        }
        found = {suffix: parsed.refs for suffix, parsed in find_refs(value)}
        assert found == {
            ".headers.Authorization": (TemplateRef("input", "token"),),
            '.headers["X Y"]': (TemplateRef("input", "x"),),
            ".items[1]": (TemplateRef("task_output", "a", "b"),),
            ".items[2].deep[0]": (TemplateRef("input", "d"),),
        }

    def test_top_level_string_has_empty_suffix(self) -> None:
        assert [s for s, _ in find_refs("{{inputs.text}}")] == [""]
        assert find_refs(42) == []
        assert find_refs("plain") == []

    def test_raises_on_invalid_template(self) -> None:
        with pytest.raises(TemplateSyntaxError):
            find_refs({"a": ["{{ bad }}"]})

    def test_child_path(self) -> None:
        assert child_path("tasks[0].inputs", "text") == "tasks[0].inputs.text"
        assert child_path("x", 3) == "x[3]"
        assert child_path("h", "Content-Type") == "h.Content-Type"
        assert child_path("h", "a.b") == 'h["a.b"]'


def _resolver(values: dict[str, Any]) -> Any:
    return lambda ref: values[str(ref)]


RENDER_VALUES = {
    "inputs.text": "Hello",
    "inputs.count": 3.0,
    "inputs.ratio": 0.5,
    "inputs.flag": True,
    "inputs.off": False,
    "inputs.obj": {"a": [1.0, 2.5], "b": "é"},
    "inputs.none": None,
    "inputs.doc": FILE,
    "tasks.summarize.outputs.text": "Short",
}


class TestRender:
    def r(self, value: Any) -> Any:
        return render(value, _resolver(RENDER_VALUES))

    def test_whole_value_keeps_its_type(self) -> None:
        assert self.r("{{inputs.count}}") == 3.0
        assert self.r("{{ inputs.flag }}") is True
        assert self.r("{{inputs.obj}}") == {"a": [1.0, 2.5], "b": "é"}
        assert self.r("{{inputs.doc}}") == FILE
        assert self.r("{{inputs.none}}") is None

    def test_mixed_text_stringifies(self) -> None:
        assert self.r("Say: {{inputs.text}}!") == "Say: Hello!"
        assert self.r("n={{inputs.count}} r={{inputs.ratio}}") == "n=3 r=0.5"
        assert self.r("{{inputs.flag}}/{{inputs.off}}") == "true/false"
        assert self.r("obj {{inputs.obj}}") == 'obj {"a":[1,2.5],"b":"é"}'
        assert self.r("[{{inputs.none}}]") == "[]"
        assert self.r(" {{tasks.summarize.outputs.text}}") == " Short"

    def test_file_inside_text_is_an_error(self) -> None:
        with pytest.raises(TemplateRenderError, match=r"\{\{inputs.doc\}\} is a file"):
            self.r("file: {{inputs.doc}}")

    def test_nested_values_and_non_strings(self) -> None:
        value = {"h": {"k": "{{inputs.text}} there"}, "l": ["{{inputs.count}}", 7, None, True]}
        assert self.r(value) == {"h": {"k": "Hello there"}, "l": [3.0, 7, None, True]}
        assert self.r(12) == 12

    def test_resolved_values_are_not_rendered_again(self) -> None:
        values = {"inputs.text": "{{inputs.secret}}"}
        assert render("x {{inputs.text}}", _resolver(values)) == "x {{inputs.secret}}"
        assert render("{{inputs.text}}", _resolver(values)) == "{{inputs.secret}}"

    def test_plain_strings_are_not_resolved(self) -> None:
        def fail(ref: TemplateRef) -> Any:
            raise AssertionError(ref)

        assert render({"a": "plain }}"}, fail) == {"a": "plain }}"}

    def test_to_text(self) -> None:
        assert to_text(1e20) == "100000000000000000000"
        assert to_text(-2.0) == "-2"
        assert to_text(7) == "7"
        assert to_text([1.0, {"x": 2.0}]) == '[1,{"x":2}]'
        with pytest.raises(TemplateRenderError):
            to_text({"file_id": "file-abcdefgh"})
