"""``dataflow``: the command line client of the Dataflow API.

Only the standard library is imported at module level, so that
``dataflow --help`` stays fast: grpc, the generated stubs and rich are
imported inside the commands that use them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

from ._config import (
    ADDRESS_ENV,
    API_KEY_ENV,
    CA_FILE_ENV,
    CLIENT_CERT_FILE_ENV,
    CLIENT_KEY_FILE_ENV,
    DEFAULT_ADDRESS,
    TLS_ENV,
    resolve_address,
)
from ._messages import headline

if TYPE_CHECKING:
    from rich.console import Console

    from ._model import WebhookSecret
    from ._sync import DataflowClient

__all__ = [
    "EXECUTION_STATUSES",
    "CliError",
    "FileRef",
    "build_parser",
    "exit_code_for",
    "format_error",
    "main",
    "parse_input",
    "parse_inputs",
    "read_as_json",
    "text_input_hints",
]

#: Execution statuses ``executions list --status`` accepts.
EXECUTION_STATUSES = ("PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED")
#: Status codes that mean "the request is wrong": exit code 2.
USAGE_CODES = frozenset({"INVALID_ARGUMENT", "OUT_OF_RANGE"})
#: Exit code of a refused request or a local usage error.
EXIT_USAGE = 2
#: Exit code of any other failure, and of a FAILED or CANCELLED execution.
EXIT_FAILURE = 1


class CliError(Exception):
    """A problem found before or around a call: printed as ``error: ...``."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# -- pure helpers (unit tested) ---------------------------------------------


@dataclass(frozen=True)
class FileRef:
    """An ``--input name=@path`` value: the file is uploaded and passed as
    ``{"file_id": ...}``."""

    path: str


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(name)


def _json_value(text: str) -> Any:
    """``text`` parsed as JSON; ``text`` itself when it is not JSON (NaN and
    Infinity are not JSON either)."""
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return text
    if isinstance(value, float) and not math.isfinite(value):  # 1e999
        return text
    return value


def parse_input(assignment: str) -> tuple[str, Any]:
    """Parse one ``--input NAME=VALUE``.

    VALUE is parsed as JSON when it is JSON (``3``, ``2.5``, ``true``,
    ``{"a": 1}``, ``"quoted text"``), else taken as text; ``@PATH`` gives a
    :class:`FileRef` (write ``'"@text"'`` for a text starting with ``@``).
    """
    name, sep, value = assignment.partition("=")
    name = name.strip()
    if not sep or not name:
        raise CliError(f"--input {assignment!r}: expected NAME=VALUE")
    if value.startswith("@") and len(value) > 1:
        return name, FileRef(value[1:])
    return name, _json_value(value)


def parse_inputs(
    assignments: Iterable[str] = (),
    inputs_json: str | None = None,
    text_assignments: Iterable[str] = (),
) -> dict[str, Any]:
    """The execution inputs from ``--inputs-json``, then each ``--input``, then
    each ``--text-input`` (taken as text as it is); a later value of a name
    replaces an earlier one."""
    inputs: dict[str, Any] = {}
    if inputs_json is not None:
        try:
            given = json.loads(inputs_json)
        except ValueError as exc:
            raise CliError(f"--inputs-json is not valid JSON: {exc}") from None
        if not isinstance(given, dict):
            raise CliError("--inputs-json must be a JSON object")
        inputs.update(given)
    for assignment in assignments:
        name, value = parse_input(assignment)
        inputs[name] = value
    for assignment in text_assignments:
        name, sep, text = assignment.partition("=")
        if not sep or not name.strip():
            raise CliError(f"--text-input {assignment!r}: expected NAME=VALUE")
        inputs[name.strip()] = text
    return inputs


def read_as_json(assignments: Iterable[str]) -> dict[str, str]:
    """The ``--input`` values that were read as JSON but are not text (``42``,
    ``true``), by name: if the server wanted text, the refusal says how to pass them."""
    found: dict[str, str] = {}
    for assignment in assignments:
        name, value = parse_input(assignment)
        if not isinstance(value, str | FileRef):
            found[name] = assignment.partition("=")[2]
    return found


def text_input_hints(violations: Iterable[Any], read_json: dict[str, str]) -> list[str]:
    """How to pass as text each ``--input`` that the server refused for not being text."""
    hints = []
    for violation in violations:
        name = str(getattr(violation, "field", "")).removeprefix("inputs.")
        if name in read_json and "type text" in str(getattr(violation, "description", "")):
            raw = read_json[name]
            hints.append(
                f"hint: --input {name}={raw} was read as JSON; to pass it as text, "
                f"use --text-input {name}={raw} (or --input '{name}=\"{raw}\"')"
            )
    return hints


class _ErrorLike(Protocol):
    @property
    def message(self) -> str: ...
    @property
    def violations(self) -> Sequence[Any]: ...


def _code_name(code: Any) -> str:
    return str(getattr(code, "name", code))


def format_error(error: _ErrorLike, code: Any = None, address: str | None = None) -> str:
    """The text printed for a failed call: the status code and message, then
    one indented line per field violation (each once: a message that only
    lists them becomes a count). An unreachable server is said so, and a
    refused key says where a key goes."""
    name = _code_name(code if code is not None else getattr(error, "code", "UNKNOWN"))
    if name == "UNAVAILABLE" and address is not None:
        lines = [
            f"error: cannot reach server at {address} ({error.message})",
            f"  (give the address with --server or ${ADDRESS_ENV}; "
            "a server using TLS also needs --tls or --ca-file)",
        ]
    else:
        lines = [f"error: {name}: {headline(error.message, list(error.violations))}"]
    if name == "UNAUTHENTICATED":
        lines.append(f"  (give an API key with ${API_KEY_ENV} or --api-key)")
    for violation in error.violations:
        field = getattr(violation, "field", "")
        description = getattr(violation, "description", str(violation))
        lines.append(f"  {field}: {description}" if field else f"  {description}")
    return "\n".join(lines)


def exit_code_for(code: Any) -> int:
    """2 for a refused request (INVALID_ARGUMENT, OUT_OF_RANGE), else 1."""
    return EXIT_USAGE if _code_name(code) in USAGE_CODES else EXIT_FAILURE


# -- plumbing ----------------------------------------------------------------


def _client(args: argparse.Namespace) -> DataflowClient:
    from ._sync import DataflowClient

    try:
        return DataflowClient(
            args.server,
            api_key=args.api_key,
            tls=args.tls,
            ca_file=args.ca_file,
            client_cert_file=args.client_cert,
            client_key_file=args.client_key,
        )
    except ValueError as exc:  # a TLS file that cannot be read, a malformed key
        raise CliError(str(exc)) from None


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, soft_wrap=False)


def _to_json(value: Any) -> Any:
    """A typed result as the API's JSON (its message, snake_case), or a
    dict/list of them."""
    from google.protobuf.message import Message

    from ._convert import message_to_dict

    raw = getattr(value, "raw", value)
    if isinstance(raw, Message):
        return message_to_dict(raw)
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    return value


def _print_json(value: Any, *, stream: Any = None) -> None:
    """One JSON document: every ``--json`` output is exactly one."""
    print(json.dumps(_to_json(value), indent=2, ensure_ascii=False), file=stream or sys.stdout)


def _stderr(text: str) -> None:
    """A line for stderr, after what stdout holds, so that the two never mix
    on one line when both go to the same pipe."""
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    print(text, file=sys.stderr, flush=True)


def _read_definition(path: str) -> Any:
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise CliError(f"{'stdin' if path == '-' else path} is not valid JSON: {exc}") from None


# -- workflows -----------------------------------------------------------------


def _workflows_create(args: argparse.Namespace) -> int:
    definition = _read_definition(args.file)
    with _client(args) as client:
        created = client.create_workflow(definition)
    if args.json:
        _print_json(created)
    else:
        print(f"Created workflow {created.workflow_id} (version {created.workflow_version})")
    return 0


def _workflows_update(args: argparse.Namespace) -> int:
    definition = _read_definition(args.file)
    with _client(args) as client:
        updated = client.update_workflow(args.workflow_id, definition)
    if args.json:
        _print_json(updated)
    else:
        print(f"Updated workflow {updated.workflow_id}: version {updated.workflow_version}")
    return 0


def _workflows_get(args: argparse.Namespace) -> int:
    with _client(args) as client:
        workflow = client.get_workflow(args.workflow_id, args.version)
    if args.json:
        _print_json(workflow)
    else:
        from ._render import workflow_view

        _console().print(workflow_view(workflow))
    return 0


def _workflows_list(args: argparse.Namespace) -> int:
    from itertools import islice

    with _client(args) as client:
        page_size = min(args.limit, 1000) if args.limit else 0
        found = client.iter_workflows(page_size, show_archived=args.archived)
        workflows = list(islice(found, args.limit) if args.limit else found)
    if args.json:
        _print_json({"workflows": workflows})
    else:
        from ._render import workflow_list_table

        _console().print(workflow_list_table(workflows))
    return 0


def _workflows_delete(args: argparse.Namespace) -> int:
    with _client(args) as client:
        workflow = client.delete_workflow(args.workflow_id)
    if args.json:
        _print_json(workflow)
    else:
        print(f"Archived workflow {workflow.workflow_id or args.workflow_id}")
    return 0


def _task_types_list(args: argparse.Namespace) -> int:
    with _client(args) as client:
        task_types = client.list_task_types()
    if args.json:
        _print_json({"task_types": task_types})
    else:
        from ._render import task_types_table

        _console().print(task_types_table(task_types))
    return 0


# -- executions ----------------------------------------------------------------


def _upload_refs(client: DataflowClient, inputs: dict[str, Any], quiet: bool) -> dict[str, Any]:
    for name, value in list(inputs.items()):
        if isinstance(value, FileRef):
            try:
                stored = client.upload_file(value.path)
            except OSError as exc:
                raise CliError(
                    f"--input {name}=@{value.path}: cannot read: {exc.strerror or exc}"
                ) from None
            if not quiet:
                _stderr(f"Uploaded {value.path} as {stored.file_id}")
            inputs[name] = stored
    return inputs


def _run(args: argparse.Namespace) -> int:
    from ._errors import DataflowError

    inputs = parse_inputs(args.input or (), args.inputs_json, args.text_input or ())
    with _client(args) as client:
        inputs = _upload_refs(client, inputs, quiet=args.json)
        try:
            if args.wait:
                final = client.run(
                    args.workflow_id, inputs, webhook=args.webhook, request_id=args.request_id
                )
            else:
                started = client.execute(
                    args.workflow_id, inputs, webhook=args.webhook, request_id=args.request_id
                )
        except DataflowError as exc:
            for hint in text_input_hints(exc.violations, read_as_json(args.input or ())):
                exc.add_note(hint)
            raise
        if args.wait:
            return _print_outcome(final, args.json)
        if not args.json:
            print(
                f"Started execution {started.workflow_execution_id} of {started.workflow_id} "
                f"(version {started.workflow_version}): {started.status}",
                flush=True,
            )
        if args.watch:
            return _follow(client, started.workflow_execution_id, 0, args.json, started)
        if args.json:
            _print_json(started)
        return 0


def _print_outcome(execution: Any, as_json: bool) -> int:
    """The ended execution (`run --wait`): 0 when it COMPLETED, 1 otherwise."""
    if as_json:
        _print_json(execution)
    else:
        from ._render import execution_view

        _console().print(execution_view(execution))
    return 0 if execution.status == "COMPLETED" else 1


def _follow(
    client: DataflowClient,
    execution_id: str,
    after: int,
    as_json: bool,
    started: Any = None,
) -> int:
    """Watch an execution to its end: a live task table (the final one when
    stdout is not a terminal), then the outputs; with ``--json``, one document
    with every event and the final execution (and ``started``, the response of
    ``run``). 0 when it COMPLETED, 1 otherwise."""
    from ._render import ExecutionTracker

    tracker = ExecutionTracker(execution_id)
    events = client.watch(execution_id, after_sequence=after)
    seen: list[Any] = []
    console = _console()
    try:
        if as_json or not console.is_terminal:
            for event in events:
                tracker.apply(event)
                seen.append(event)
        else:
            from rich.live import Live

            with Live(tracker.render(), console=console, refresh_per_second=8) as live:
                for event in events:
                    tracker.apply(event)
                    live.update(tracker.render())
    except KeyboardInterrupt:
        _stderr(
            f"stopped watching; {execution_id} goes on (dataflow executions watch {execution_id})"
        )
        return 130
    execution = tracker.execution
    if not execution.status.terminal or not execution.workflow_id:
        execution = client.get_execution(execution_id)
        tracker.replace(execution)
    if as_json:
        document = {"events": seen, "execution": execution}
        _print_json({"started": started, **document} if started is not None else document)
    else:
        if not console.is_terminal:
            console.print(tracker.render())
        if execution.outputs:
            from ._render import outputs_table

            console.print(outputs_table(execution.outputs))
        if execution.error:
            where = f" in task {execution.error.task_name}" if execution.error.task_name else ""
            _stderr(
                f"Execution {execution.status}{where}: {execution.error.code} "
                f"{execution.error.message}".rstrip()
            )
    return 0 if execution.status == "COMPLETED" else EXIT_FAILURE


def _executions_list(args: argparse.Namespace) -> int:
    from itertools import islice

    with _client(args) as client:
        page_size = min(args.limit, 1000) if args.limit else 0
        found = client.iter_executions(
            args.workflow_id, status=args.status, page_size=page_size, full=args.full
        )
        executions = list(islice(found, args.limit) if args.limit else found)
    if args.json:
        _print_json({"executions": executions})
    else:
        from ._render import execution_list_table

        _console().print(execution_list_table(executions))
    return 0


def _executions_get(args: argparse.Namespace) -> int:
    with _client(args) as client:
        execution = client.get_execution(args.execution_id, args.workflow)
    if args.json:
        _print_json(execution)
    else:
        from ._render import execution_view

        _console().print(execution_view(execution))
    return 0


def _executions_watch(args: argparse.Namespace) -> int:
    with _client(args) as client:
        return _follow(client, args.execution_id, args.after, args.json)


def _executions_cancel(args: argparse.Namespace) -> int:
    with _client(args) as client:
        execution = client.cancel(args.execution_id, args.reason)
    if args.json:
        _print_json(execution)
    else:
        print(f"Execution {args.execution_id}: {execution.status}")
    return 0


def _executions_retry(args: argparse.Namespace) -> int:
    with _client(args) as client:
        execution = client.retry(args.execution_id)
    if args.json:
        _print_json(execution)
    else:
        print(f"Execution {args.execution_id} queued again: {execution.status}")
    return 0


# -- files -----------------------------------------------------------------------


def _files_upload(args: argparse.Namespace) -> int:
    with _client(args) as client:
        try:
            stored = client.upload_file(args.path, name=args.name, content_type=args.content_type)
        except OSError as exc:
            raise CliError(f"cannot read {args.path}: {exc.strerror or exc}") from None
    _show_file(stored, args.json)
    return 0


def _files_get(args: argparse.Namespace) -> int:
    with _client(args) as client:
        stored = client.get_file(args.file_id)
    _show_file(stored, args.json)
    return 0


def _show_file(stored: Any, as_json: bool) -> None:
    if as_json:
        _print_json(stored)
    else:
        from ._render import file_table

        _console().print(file_table(stored))


def _files_download(args: argparse.Namespace) -> int:
    with _client(args) as client:
        output = args.output
        if output is None:
            name = os.path.basename(client.get_file(args.file_id).name) or args.file_id
            output = name if name not in (".", "..") else args.file_id
        to_stdout = output == "-"
        try:
            stored = client.download_file(args.file_id, sys.stdout.buffer if to_stdout else output)
        except OSError as exc:
            raise CliError(f"cannot write {output}: {exc.strerror or exc}", EXIT_FAILURE) from None
    if args.json:
        _print_json(stored, stream=sys.stderr if to_stdout else None)
    else:
        where = "stdout" if to_stdout else output
        print(
            f"Saved {stored.file_id} ({stored.name}, {stored.size_bytes} bytes) to {where}",
            file=sys.stderr if to_stdout else sys.stdout,
        )
    return 0


# -- webhooks --------------------------------------------------------------------


def _webhooks_list(args: argparse.Namespace) -> int:
    with _client(args) as client:
        deliveries = list(client.iter_webhook_deliveries(args.execution_id))
    if args.json:
        _print_json({"deliveries": deliveries})
    else:
        from ._render import deliveries_table

        _console().print(deliveries_table(deliveries))
    return 0


def _webhooks_redeliver(args: argparse.Namespace) -> int:
    with _client(args) as client:
        delivery = client.redeliver_webhook(args.webhook_id)
    if args.json:
        _print_json(delivery)
    else:
        print(f"Delivery {delivery.webhook_id} (event {delivery.sequence}) queued again")
    return 0


def _webhooks_secret(args: argparse.Namespace) -> int:
    with _client(args) as client:
        secret = client.get_webhook_secret()
    _print_secret(args, secret)
    return 0


def _webhooks_rotate_secret(args: argparse.Namespace) -> int:
    with _client(args) as client:
        secret = client.rotate_webhook_secret(args.window_seconds)
    _print_secret(args, secret)
    return 0


def _print_secret(args: argparse.Namespace, secret: WebhookSecret) -> None:
    """The current secret on stdout's last line (scripts take it from there)."""
    if args.json:
        _print_json(secret)
        return
    if secret.previous is not None and secret.previous_expires_at is not None:
        until = secret.previous_expires_at.isoformat(timespec="seconds")
        print(f"previous (signs too, until {until}): {secret.previous}")
    print(secret.current)


# -- secrets ---------------------------------------------------------------------


def _read_secret_value(path: str | None) -> str:
    """From --value-file (- for stdin), else stdin; a prompt without echo on a terminal.
    One trailing newline is dropped (`echo KEY | dataflow secrets set NAME`)."""
    try:
        if path is None and sys.stdin.isatty():
            import getpass

            text = getpass.getpass("Secret value (not echoed): ")
        elif path is None or path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CliError(f"{path or 'stdin'} is not UTF-8 text") from None
    text = text.removesuffix("\n").removesuffix("\r")
    if not text:
        raise CliError("the secret value is empty (give it on stdin or with --value-file)")
    return text


def _secrets_set(args: argparse.Namespace) -> int:
    value = _read_secret_value(args.value_file)
    with _client(args) as client:
        secret = client.set_secret(args.name, value)
    if args.json:
        _print_json(secret)
    else:
        print(f"Secret {secret.name} set")
    return 0


def _secrets_list(args: argparse.Namespace) -> int:
    with _client(args) as client:
        secrets = list(client.iter_secrets())
    if args.json:
        _print_json({"secrets": secrets})
    else:
        from ._render import secrets_table

        _console().print(secrets_table(secrets))
    return 0


def _secrets_delete(args: argparse.Namespace) -> int:
    with _client(args) as client:
        client.delete_secret(args.name)
    if not args.json:
        print(f"Secret {args.name} deleted")
    else:
        _print_json({"name": args.name, "deleted": True})
    return 0


# -- parser ------------------------------------------------------------------------

_DESCRIPTION = """\
Command line client of the Dataflow workflow service.

examples:
  dataflow workflows create -f examples/hello-world.json
  dataflow run WF_ID --input text="Hello" --watch
  dataflow run WF_ID --text-input text=42
  dataflow executions list WF_ID --status RUNNING
  dataflow files download FILE_ID -o out.mp3
"""

_RUN_EPILOG = """\
--input NAME=VALUE: VALUE is parsed as JSON when it is JSON (3, 2.5, true,
{"a": 1}, "quoted"), else taken as text; NAME=@PATH uploads the file and
passes it as a file value. --text-input NAME=VALUE always passes VALUE as
text (--text-input text=42 sends "42"). Exit code with --watch or --wait:
0 when COMPLETED, 1 when FAILED or CANCELLED.
"""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {value}")
    return value


def _connection_options(parser: argparse.ArgumentParser, default: Any) -> None:
    """Where the server is and how to reach it; ``default`` None on the global
    parser (then the environment decides), SUPPRESS on each command."""
    parser.add_argument(
        "--server",
        metavar="ADDRESS",
        default=default,
        help=f"server address (default: ${ADDRESS_ENV}, else {DEFAULT_ADDRESS})",
    )
    parser.add_argument(
        "--api-key",
        metavar="KEY",
        default=default,
        help=f"API key sent with every call (default: ${API_KEY_ENV}, which other "
        "users cannot see in the process list)",
    )
    parser.add_argument(
        "--tls",
        action="store_true",
        default=default,
        help=f"connect over TLS, verified by the system's roots (default: ${TLS_ENV}; "
        "implied by the file options)",
    )
    parser.add_argument(
        "--ca-file",
        metavar="PEM",
        default=default,
        help=f"CA certificate(s) that verify the server (default: ${CA_FILE_ENV})",
    )
    parser.add_argument(
        "--client-cert",
        metavar="PEM",
        default=default,
        help=f"client certificate, for servers requiring one (default: ${CLIENT_CERT_FILE_ENV})",
    )
    parser.add_argument(
        "--client-key",
        metavar="PEM",
        default=default,
        help=f"the client certificate's key (default: ${CLIENT_KEY_FILE_ENV})",
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``dataflow`` argument parser. ``--json`` and the connection options
    (``--server``, ``--api-key``, TLS) are accepted before or after the command."""
    parser = argparse.ArgumentParser(
        prog="dataflow",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    json_help = "print one JSON document (the API's JSON) instead of tables"
    _connection_options(parser, None)
    parser.add_argument("--json", action="store_true", default=False, help=json_help)
    # The same options on every command, without overriding the global ones.
    common = argparse.ArgumentParser(add_help=False)
    _connection_options(common, argparse.SUPPRESS)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=json_help)

    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def group(name: str, help_text: str) -> argparse._SubParsersAction[argparse.ArgumentParser]:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=None, group_parser=sub)
        return sub.add_subparsers(title="commands", metavar="COMMAND")

    def command(
        within: argparse._SubParsersAction[argparse.ArgumentParser],
        name: str,
        handler: Callable[[argparse.Namespace], int],
        help_text: str,
        **kwargs: Any,
    ) -> argparse.ArgumentParser:
        sub = within.add_parser(
            name, help=help_text, description=help_text, parents=[common], **kwargs
        )
        sub.set_defaults(handler=handler)
        return sub

    workflows = group("workflows", "create, read, update and archive workflows")
    sub = command(workflows, "create", _workflows_create, "create a workflow from a JSON file")
    sub.add_argument(
        "-f", "--file", required=True, metavar="FILE", help="the definition (JSON); - for stdin"
    )
    sub = command(workflows, "update", _workflows_update, "store a new version of a workflow")
    sub.add_argument("workflow_id", metavar="WF_ID")
    sub.add_argument(
        "-f", "--file", required=True, metavar="FILE", help="the definition (JSON); - for stdin"
    )
    sub = command(workflows, "get", _workflows_get, "show a workflow")
    sub.add_argument("workflow_id", metavar="WF_ID")
    sub.add_argument(
        "--version", type=_positive, default=0, metavar="N", help="a version (default: latest)"
    )
    sub = command(workflows, "list", _workflows_list, "list workflows, newest first")
    sub.add_argument(
        "--limit", type=_positive, default=100, metavar="N", help="at most N (0: all; default 100)"
    )
    sub.add_argument("--archived", action="store_true", help="include archived workflows")
    sub = command(workflows, "delete", _workflows_delete, "archive a workflow")
    sub.add_argument("workflow_id", metavar="WF_ID")

    task_types = group("task-types", "the task types definitions can use")
    command(task_types, "list", _task_types_list, "list the task types and their inputs")

    sub = command(
        commands,
        "run",
        _run,
        "execute a workflow",
        epilog=_RUN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.add_argument("workflow_id", metavar="WF_ID")
    sub.add_argument(
        "-i", "--input", action="append", metavar="NAME=VALUE", help="an input (repeatable)"
    )
    sub.add_argument(
        "-t",
        "--text-input",
        action="append",
        metavar="NAME=VALUE",
        help="an input passed as text as it is, never parsed (repeatable)",
    )
    sub.add_argument("--inputs-json", metavar="JSON", help="inputs as one JSON object")
    sub.add_argument("--webhook", metavar="URL", help="send status updates to this URL")
    sub.add_argument("--request-id", metavar="ID", help="idempotency key")
    how = sub.add_mutually_exclusive_group()
    how.add_argument("-w", "--watch", action="store_true", help="follow the execution to its end")
    how.add_argument(
        "--wait",
        action="store_true",
        help="wait quietly for the execution to end, then print it (one call when it ends "
        "within a minute)",
    )

    executions = group("executions", "list, read, follow, cancel and retry executions")
    sub = command(executions, "list", _executions_list, "list a workflow's executions")
    sub.add_argument("workflow_id", metavar="WF_ID")
    sub.add_argument(
        "--status", type=str.upper, choices=EXECUTION_STATUSES, help="only this status"
    )
    sub.add_argument(
        "--limit", type=_positive, default=100, metavar="N", help="at most N (0: all; default 100)"
    )
    sub.add_argument("--full", action="store_true", help="with tasks, inputs and outputs (JSON)")
    sub = command(executions, "get", _executions_get, "show an execution")
    sub.add_argument("execution_id", metavar="WE_ID")
    sub.add_argument("--workflow", metavar="WF_ID", help="check it belongs to this workflow")
    sub = command(executions, "watch", _executions_watch, "follow an execution to its end")
    sub.add_argument("execution_id", metavar="WE_ID")
    sub.add_argument(
        "--after", type=_positive, default=0, metavar="SEQ", help="only events after this one"
    )
    sub = command(executions, "cancel", _executions_cancel, "cancel an execution")
    sub.add_argument("execution_id", metavar="WE_ID")
    sub.add_argument("--reason", default="", help="why (recorded in its error)")
    sub = command(executions, "retry", _executions_retry, "run a failed execution again")
    sub.add_argument("execution_id", metavar="WE_ID")

    webhooks = group("webhooks", "inspect and replay an execution's webhook deliveries")
    sub = command(webhooks, "list", _webhooks_list, "list deliveries with their attempts")
    sub.add_argument("execution_id", metavar="WE_ID")
    sub = command(webhooks, "redeliver", _webhooks_redeliver, "send a delivery again")
    sub.add_argument("webhook_id", metavar="WEBHOOK_ID", help="msg_… (see webhooks list)")
    command(webhooks, "secret", _webhooks_secret, "print your tenant's webhook signing secret(s)")
    sub = command(
        webhooks,
        "rotate-secret",
        _webhooks_rotate_secret,
        "make a new signing secret; the old one also signs until the window ends",
    )
    sub.add_argument(
        "--window-seconds",
        type=int,
        default=None,
        metavar="N",
        help="how long the old secret keeps signing (default: the server's; 0: stop now)",
    )

    secrets = group("secrets", "your tenant's secrets, for {{secrets.NAME}} in task inputs")
    sub = command(
        secrets,
        "set",
        _secrets_set,
        "create or replace a secret; the value is read from stdin (never from the command line)",
    )
    sub.add_argument("name", metavar="NAME")
    sub.add_argument(
        "--value-file", metavar="PATH", help="read the value from this file (- for stdin)"
    )
    command(secrets, "list", _secrets_list, "list secret names (values are never shown)")
    sub = command(secrets, "delete", _secrets_delete, "delete a secret")
    sub.add_argument("name", metavar="NAME")

    files = group("files", "upload and download files")
    sub = command(files, "upload", _files_upload, "upload a file")
    sub.add_argument("path", metavar="PATH")
    sub.add_argument("--name", help="the stored name (default: the file's)")
    sub.add_argument("--content-type", metavar="TYPE", help="default: guessed from the name")
    sub = command(files, "get", _files_get, "show a file's metadata")
    sub.add_argument("file_id", metavar="FILE_ID")
    sub = command(files, "download", _files_download, "download a file")
    sub.add_argument("file_id", metavar="FILE_ID")
    sub.add_argument(
        "-o", "--output", metavar="PATH", help="where to write it; - for stdout (default: its name)"
    )
    return parser


def _handle(exc: Exception, address: str) -> int:
    """Print a failure without a traceback; the exit code."""
    from ._errors import DataflowError

    if isinstance(exc, DataflowError):
        _stderr("\n".join([format_error(exc, exc.code, address), *getattr(exc, "__notes__", ())]))
        return exit_code_for(exc.code)
    if os.environ.get("DATAFLOW_DEBUG"):
        raise exc
    _stderr(f"error: {type(exc).__name__}: {exc}")
    return EXIT_FAILURE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``dataflow`` command; returns its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        getattr(args, "group_parser", parser).print_help(sys.stderr)
        return EXIT_USAGE
    args.server = resolve_address(args.server)
    try:
        code: int = handler(args)
        return code
    except CliError as exc:
        _stderr(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _stderr("interrupted")
        return 130
    except BrokenPipeError:
        # Output piped into a command that stopped reading (e.g. head).
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE
    except Exception as exc:
        return _handle(exc, args.server)


if __name__ == "__main__":
    sys.exit(main())
