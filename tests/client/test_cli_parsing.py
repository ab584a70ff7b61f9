"""Unit tests of the CLI's pure parts: argument and input parsing, error
formatting, exit codes, and a fast ``--help`` that imports neither grpc nor
rich."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import grpc
import pytest

from dataflow_client import DataflowError, FieldViolation
from dataflow_client._config import DEFAULT_ADDRESS, resolve_address
from dataflow_client.cli import (
    CliError,
    FileRef,
    build_parser,
    exit_code_for,
    format_error,
    main,
    parse_input,
    parse_inputs,
    read_as_json,
    text_input_hints,
)

REPO = Path(__file__).resolve().parents[2]
ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join([str(REPO / "client/python"), str(REPO / "server")]),
}

# -- --input NAME=VALUE -------------------------------------------------------------


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("text=Hello", ("text", "Hello")),
        ("text=Hello world", ("text", "Hello world")),
        ("n=3", ("n", 3)),
        ("x=2.5", ("x", 2.5)),
        ("x=-1e3", ("x", -1000.0)),
        ("flag=true", ("flag", True)),
        ("flag=false", ("flag", False)),
        ("nothing=null", ("nothing", None)),
        ('obj={"a": 1, "b": [1, 2]}', ("obj", {"a": 1, "b": [1, 2]})),
        ("list=[1, 2]", ("list", [1, 2])),
        ('quoted="3"', ("quoted", "3")),
        ("empty=", ("empty", "")),
        ("eq=a=b", ("eq", "a=b")),
        ("url=https://example.com/?q=1", ("url", "https://example.com/?q=1")),
        ("broken={not json", ("broken", "{not json")),
        ("nan=NaN", ("nan", "NaN")),
        ("inf=Infinity", ("inf", "Infinity")),
        ("huge=1e999", ("huge", "1e999")),
        ("True=True", ("True", "True")),
        (" spaced =x", ("spaced", "x")),
        ('at="@handle"', ("at", "@handle")),
        ("at=@", ("at", "@")),
    ],
)
def test_parse_input_json_or_text(assignment: str, expected: tuple[str, object]) -> None:
    assert parse_input(assignment) == expected


def test_parse_input_at_path_is_a_file_reference() -> None:
    assert parse_input("audio=@speech.mp3") == ("audio", FileRef("speech.mp3"))
    assert parse_input("audio=@/tmp/a b.wav") == ("audio", FileRef("/tmp/a b.wav"))


@pytest.mark.parametrize("bad", ["text", "=Hello", "  =x", ""])
def test_parse_input_needs_name_and_equals(bad: str) -> None:
    with pytest.raises(CliError, match="expected NAME=VALUE") as info:
        parse_input(bad)
    assert info.value.exit_code == 2


def test_parse_inputs_merges_json_then_assignments() -> None:
    inputs = parse_inputs(["text=Hi", "n=3"], '{"text": "ignored", "lang": "en"}')
    assert inputs == {"text": "Hi", "lang": "en", "n": 3}
    assert parse_inputs(["a=1", "a=2"]) == {"a": 2}
    assert parse_inputs() == {}


@pytest.mark.parametrize(
    ("inputs_json", "message"),
    [("{nope", "not valid JSON"), ("[1, 2]", "must be a JSON object"), ('"x"', "JSON object")],
)
def test_parse_inputs_rejects_bad_inputs_json(inputs_json: str, message: str) -> None:
    with pytest.raises(CliError, match=message):
        parse_inputs([], inputs_json)


# -- errors ---------------------------------------------------------------------------


def test_format_error_lists_field_violations() -> None:
    error = DataflowError(
        grpc.StatusCode.INVALID_ARGUMENT,
        "the workflow definition is invalid",
        [
            FieldViolation("tasks[0].inputs.voice", "must be one of alloy, echo"),
            FieldViolation("outputs[0].value", "unknown task 'nope'"),
        ],
    )
    assert format_error(error, error.code, "127.0.0.1:50051") == (
        "error: INVALID_ARGUMENT: the workflow definition is invalid\n"
        "  tasks[0].inputs.voice: must be one of alloy, echo\n"
        "  outputs[0].value: unknown task 'nope'"
    )
    assert exit_code_for(error.code) == 2


def test_format_error_without_violations_and_exit_codes() -> None:
    error = DataflowError(grpc.StatusCode.NOT_FOUND, "workflow wf-12345678 not found")
    assert format_error(error, error.code) == "error: NOT_FOUND: workflow wf-12345678 not found"
    assert exit_code_for(grpc.StatusCode.NOT_FOUND) == 1
    assert exit_code_for(grpc.StatusCode.FAILED_PRECONDITION) == 1
    assert exit_code_for(grpc.StatusCode.OUT_OF_RANGE) == 2
    assert exit_code_for("INVALID_ARGUMENT") == 2


def test_format_error_unreachable_server_names_the_address() -> None:
    error = DataflowError(grpc.StatusCode.UNAVAILABLE, "failed to connect to all addresses")
    text = format_error(error, error.code, "10.0.0.1:1234")
    assert text.startswith("error: cannot reach server at 10.0.0.1:1234")
    assert "DATAFLOW_ADDRESS" in text


def test_a_message_that_lists_the_violations_is_not_printed_again() -> None:
    """The server's default message joins the violations; each is shown once."""
    violations = [
        FieldViolation("inputs.txt", "unknown input; did you mean 'text'?"),
        FieldViolation("inputs.text", "is required (text)"),
    ]
    message = "inputs.txt: unknown input; did you mean 'text'?; inputs.text: is required (text)"
    error = DataflowError(grpc.StatusCode.INVALID_ARGUMENT, message, violations)
    assert format_error(error, error.code) == (
        "error: INVALID_ARGUMENT: 2 invalid fields\n"
        "  inputs.txt: unknown input; did you mean 'text'?\n"
        "  inputs.text: is required (text)"
    )
    assert str(error).count("inputs.txt") == 1 and str(error).count("inputs.text:") == 1
    assert str(error).startswith("INVALID_ARGUMENT: 2 invalid fields\n")


def test_text_inputs_and_the_hint_for_json_looking_text() -> None:
    inputs = parse_inputs(["text=42", "n=3"], None, ["text=42", "raw={not json"])
    assert inputs == {"text": "42", "n": 3, "raw": "{not json"}
    with pytest.raises(CliError, match="--text-input 'oops'"):
        parse_inputs([], None, ["oops"])
    assert read_as_json(["text=42", "ok=hello", "flag=true", "doc=@a.bin"]) == {
        "text": "42",
        "flag": "true",
    }
    refused = [
        FieldViolation("inputs.text", "must be of type text, got number"),
        FieldViolation("inputs.flag", "unknown input; did you mean 'text'?"),
    ]
    (hint,) = text_input_hints(refused, {"text": "42", "flag": "true"})
    assert "--text-input text=42" in hint and "--input 'text=\"42\"'" in hint


def test_dataflow_error_str_and_attributes() -> None:
    error = DataflowError(
        grpc.StatusCode.INVALID_ARGUMENT, "bad", [FieldViolation("inputs.text", "required")]
    )
    assert error.code is grpc.StatusCode.INVALID_ARGUMENT
    assert error.message == "bad"
    assert error.violations == [FieldViolation("inputs.text", "required")]
    assert str(error) == "INVALID_ARGUMENT: bad\n  inputs.text: required"


# -- parser ---------------------------------------------------------------------------


def test_global_options_before_or_after_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = build_parser()
    args = parser.parse_args(["--server", "a:1", "--json", "workflows", "list"])
    assert (args.server, args.json) == ("a:1", True)
    args = parser.parse_args(["workflows", "list", "--server", "b:2", "--json"])
    assert (args.server, args.json) == ("b:2", True)
    args = parser.parse_args(["workflows", "list"])
    assert (args.server, args.json) == (None, False)


def test_run_arguments() -> None:
    args = build_parser().parse_args(
        ["run", "wf-abcdefgh", "--input", "text=Hello", "-i", "n=3", "--watch",
         "--request-id", "r1", "--webhook", "https://example.com/hook"]
    )  # fmt: skip
    assert args.workflow_id == "wf-abcdefgh"
    assert args.input == ["text=Hello", "n=3"]
    assert (args.watch, args.request_id, args.webhook) == (True, "r1", "https://example.com/hook")


def test_status_choice_is_case_insensitive(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    assert parser.parse_args(["executions", "list", "wf-1", "--status", "running"]).status == (
        "RUNNING"
    )
    with pytest.raises(SystemExit) as info:
        parser.parse_args(["executions", "list", "wf-1", "--status", "nope"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_server_address_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATAFLOW_ADDRESS", raising=False)
    assert resolve_address(None) == DEFAULT_ADDRESS == "127.0.0.1:50051"
    monkeypatch.setenv("DATAFLOW_ADDRESS", "example:9")
    assert resolve_address(None) == "example:9"
    assert resolve_address("given:1") == "given:1"


def test_group_without_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workflows"]) == 2
    assert "create" in capsys.readouterr().err


def test_local_errors_are_one_line_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--server", "127.0.0.1:1", "workflows", "create", "-f", "missing.json"]) == 2
    assert capsys.readouterr().err.startswith("error: cannot read missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    assert main(["--server", "127.0.0.1:1", "workflows", "create", "-f", str(bad)]) == 2
    assert "is not valid JSON" in capsys.readouterr().err
    # A definition the client cannot even encode: INVALID_ARGUMENT, exit 2.
    bad.write_text(json.dumps({"title": "x", "tasks": [{"name": "a", "nope": 1}]}))
    assert main(["--server", "127.0.0.1:1", "workflows", "create", "-f", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: INVALID_ARGUMENT: invalid workflow definition")
    assert "Traceback" not in err


def test_unreachable_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--server", "127.0.0.1:1", "workflows", "list"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot reach server at 127.0.0.1:1")
    assert "Traceback" not in err


# -- startup cost -----------------------------------------------------------------------


def test_help_imports_neither_grpc_nor_rich() -> None:
    snippet = (
        "import sys\n"
        "from dataflow_client import cli\n"
        "try:\n"
        "    cli.main(['--help'])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "heavy = sorted(m for m in sys.modules\n"
        "               if m.split('.')[0] in ('grpc', 'rich', 'google', 'grpc_status')\n"
        "               or m.startswith('dataflow.'))\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", snippet], env=ENV, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "usage: dataflow" in done.stdout
