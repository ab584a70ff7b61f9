"""The ``dataflow`` CLI as a newcomer uses it, as a subprocess against a real
``dataflow-server`` process (issue 10, items 11 and 12): the README's example
files, text inputs that look like JSON, each violation printed once, one JSON
document per ``--json`` command, errors that never run into a table, and the
webhook delivery table."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.support.openai_server import FakeOpenAI, chat_answer, speech_bytes
from tests.support.receiver import Answer, Receiver
from tests.support.servers import REPO, ServerProcess, free_port

PAGE = "<html><head><title>Café</title></head><body><p>Fresh bread every day.</p></body></html>"
BROKEN = {
    "title": "Broken",
    "tasks": [{"name": "parse", "type": "json.parse", "inputs": {"text": "{not json"}}],
}
ECHO = {
    "title": "Echo",
    "inputs": [{"name": "text", "type": "text"}],
    "tasks": [{"name": "say", "type": "text.template", "inputs": {"template": "{{inputs.text}}"}}],
    "outputs": [{"name": "said", "type": "text", "value": "{{tasks.say.outputs.text}}"}],
}


@dataclass
class Setup:
    server: ServerProcess
    openai: FakeOpenAI
    page_url: str
    tmp: Path


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    """One server for the module: SQLite in its data dir, private addresses
    allowed (the page and the webhook receiver are on loopback), fast webhook
    retries, and the OpenAI stand-in."""
    tmp = tmp_path_factory.mktemp("cli")
    openai = FakeOpenAI().start()
    page = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=page.serve_forever, daemon=True).start()
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATAFLOW_", "OPENAI_"))},
        **openai.env(),
        "DATAFLOW_LISTEN": f"127.0.0.1:{port}",
        "DATAFLOW_HTTP_LISTEN": "",  # gRPC only: no fixed HTTP port to collide on
        "DATAFLOW_DATA_DIR": str(tmp / "data"),
        "DATAFLOW_ALLOW_PRIVATE_NETWORKS": "true",
        "DATAFLOW_WEBHOOK_RETRY_SCHEDULE": "0.2,0.2,0.2",
        "PYTHONPATH": os.pathsep.join([str(REPO / "server"), str(REPO / "client/python")]),
    }
    server = ServerProcess(f"127.0.0.1:{port}", tmp / "data", env)
    server.start()
    try:
        yield Setup(server, openai, f"http://127.0.0.1:{page.server_address[1]}/cafe", tmp)
    finally:
        server.kill()
        page.shutdown()
        page.server_close()
        openai.stop()


def dataflow(setup: Setup, *args: str, merged: bool = False) -> subprocess.CompletedProcess[str]:
    """``dataflow ARGS`` run from the repository (as the README does), its
    output piped; ``merged`` sends stderr into the same pipe as stdout."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DATAFLOW_")},
        "DATAFLOW_ADDRESS": setup.server.address,
        "PYTHONPATH": os.pathsep.join([str(REPO / "client/python"), str(REPO / "server")]),
        "COLUMNS": "200",
    }
    return subprocess.run(
        [sys.executable, "-m", "dataflow_client.cli", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merged else subprocess.PIPE,
        text=True,
        timeout=90,
    )


def create(setup: Setup, definition: dict[str, Any] | str) -> str:
    if isinstance(definition, dict):
        path = setup.tmp / f"wf-{time.monotonic_ns()}.json"
        path.write_text(json.dumps(definition))
        definition = str(path)
    done = dataflow(setup, "--json", "workflows", "create", "-f", definition)
    assert done.returncode == 0, done.stderr
    return str(json.loads(done.stdout)["workflow_id"])


# -- item 11: the example files ----------------------------------------------------------


def test_the_readme_examples_run_from_their_files(setup: Setup, tmp_path: Path) -> None:
    done = dataflow(setup, "workflows", "create", "-f", "examples/hello-world.json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Created workflow wf-") and "(version 1)" in done.stdout
    hello = done.stdout.split()[2]
    done = dataflow(setup, "run", hello, "--input", "text=Hello", "--watch")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "COMPLETED" in done.stdout and "text_to_speech" in done.stdout
    size = len(speech_bytes("Hello", "mp3"))
    # item 12: a file's size is a whole number of bytes.
    assert f"(speech.mp3, {size} bytes)" in done.stdout
    assert ".0 bytes" not in done.stdout

    execution = json.loads(dataflow(setup, "--json", "executions", "list", hello).stdout)
    (only,) = execution["executions"]
    got = json.loads(
        dataflow(setup, "--json", "executions", "get", only["workflow_execution_id"]).stdout
    )
    file_id = got["outputs"]["audio"]["file_id"]
    done = dataflow(setup, "files", "download", file_id, "-o", str(tmp_path / "hello.mp3"))
    assert done.returncode == 0, done.stderr
    assert f"({'speech.mp3'}, {size} bytes)" in done.stdout
    assert (tmp_path / "hello.mp3").read_bytes() == speech_bytes("Hello", "mp3")

    pipeline = create(setup, "examples/webpage-summary.json")
    done = dataflow(setup, "run", pipeline, "--input", f"webpage_url={setup.page_url}", "--watch")
    assert done.returncode == 0, done.stdout + done.stderr
    for task in ("download_webpage", "extract_text", "summarize_text"):
        assert task in done.stdout
    chats = setup.openai.requests_to("/chat/completions")
    prompt = chats[-1].json["messages"][-1]["content"]
    assert prompt.startswith("Summarize: ") and "Fresh bread every day." in prompt
    assert "<p>" not in prompt  # the visible text, not the markup
    assert chat_answer(prompt).splitlines()[0] in done.stdout  # the summary output


def test_a_number_given_for_a_text_input_says_how_to_pass_it_as_text(setup: Setup) -> None:
    echo = create(setup, ECHO)
    done = dataflow(setup, "run", echo, "--input", "text=42")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("inputs.text: must be of type text") == 1
    assert "--text-input text=42" in done.stderr
    done = dataflow(setup, "--json", "run", echo, "--text-input", "text=42", "--watch")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["execution"]["outputs"] == {"said": "42"}
    done = dataflow(setup, "--json", "run", echo, "--input", 'text="42"', "--watch")
    assert json.loads(done.stdout)["execution"]["outputs"] == {"said": "42"}


def test_the_readme_python_example_runs(setup: Setup, tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("### With the Python client") :]
    code = section[section.index("```python\n") + 10 : section.index("```\n", 10)]
    (tmp_path / "examples").mkdir()
    shutil.copy(REPO / "examples/hello-world.json", tmp_path / "examples")
    done = subprocess.run(
        [sys.executable, "-c", code.replace("127.0.0.1:50051", setup.server.address)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO / "client/python")},
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "1 execution.pending PENDING"  # enums print their names
    assert lines[-2].endswith("execution.completed COMPLETED")
    assert lines[-1].startswith("COMPLETED 0:00:")  # datetimes: a timedelta
    assert (tmp_path / "hello.mp3").read_bytes() == speech_bytes("Hello", "mp3")


# -- item 12: output -----------------------------------------------------------------------


def test_each_violation_is_printed_once(setup: Setup) -> None:
    bad = json.loads((REPO / "examples/hello-world.json").read_text())
    bad["tasks"][0]["inputs"]["voice"] = "nobody"
    bad["outputs"][0]["value"] = "{{tasks.nothing.outputs.audio}}"
    path = setup.tmp / "bad.json"
    path.write_text(json.dumps(bad))
    done = dataflow(setup, "workflows", "create", "-f", str(path))
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0] == "error: INVALID_ARGUMENT: 2 invalid fields"
    fields = [line.split(":")[0].strip() for line in lines[1:]]
    assert fields == ["tasks[0].inputs.voice", "outputs[0].value"]

    hello = create(setup, "examples/hello-world.json")
    done = dataflow(setup, "run", hello, "--input", "txt=Hello")
    assert done.returncode == 2
    assert done.stderr.count("inputs.txt") == 1 and done.stderr.count("inputs.text") == 1


def test_json_prints_one_document_everywhere(setup: Setup, receiver: Receiver) -> None:
    echo = create(setup, ECHO)
    started = dataflow(
        setup, "--json", "run", echo, "--input", "text=hi", "--webhook", receiver.url
    )
    we = json.loads(started.stdout)["workflow_execution_id"]
    commands = [
        ("workflows", "list"),
        ("workflows", "get", echo),
        ("task-types", "list"),
        ("executions", "list", echo),
        ("executions", "get", we),
        ("executions", "watch", we),
        ("run", echo, "--input", "text=again", "--watch"),
        ("webhooks", "list", we),
    ]
    for command in commands:
        done = dataflow(setup, "--json", *command)
        assert done.returncode == 0, (command, done.stderr)
        json.loads(done.stdout)  # one document, or this raises
    watched = json.loads(dataflow(setup, "--json", "executions", "watch", we).stdout)
    assert [e["sequence"] for e in watched["events"]] == list(range(1, len(watched["events"]) + 1))
    assert watched["execution"]["status"] == "COMPLETED"
    deliveries = json.loads(dataflow(setup, "--json", "webhooks", "list", we).stdout)
    assert deliveries["deliveries"][0]["sequence"] == 1


def test_errors_go_to_stderr_and_never_into_a_table(setup: Setup) -> None:
    broken = create(setup, BROKEN)
    apart = dataflow(setup, "run", broken, "--watch")
    assert apart.returncode == 1
    assert "Execution FAILED in task parse" in apart.stderr
    assert "Execution FAILED" not in apart.stdout and "error:" not in apart.stdout
    merged = dataflow(setup, "run", broken, "--watch", merged=True)
    lines = merged.stdout.splitlines()
    assert any(line.startswith("Execution FAILED in task parse") for line in lines)
    for line in lines:  # every table border line is whole: nothing ran into it
        if line.startswith(("└", "┏", "┡")):
            assert line.rstrip().endswith(("┘", "┓", "┩")), line
    failed_at = next(i for i, line in enumerate(lines) if line.startswith("Execution FAILED"))
    assert failed_at > max(i for i, line in enumerate(lines) if line.startswith("└"))


def test_webhooks_list_shows_each_attempt(setup: Setup, receiver: Receiver) -> None:
    receiver.answer(Answer(503))  # the first attempt fails, the retry succeeds
    echo = create(setup, ECHO)
    started = dataflow(
        setup, "--json", "run", echo, "--input", "text=hi", "--webhook", receiver.url
    )
    we = json.loads(started.stdout)["workflow_execution_id"]
    deadline = time.monotonic() + 60
    while True:
        listed = json.loads(dataflow(setup, "--json", "webhooks", "list", we).stdout)
        deliveries = listed["deliveries"]
        if len(deliveries) >= 5 and all(d["status"] == "DELIVERED" for d in deliveries):
            break
        assert time.monotonic() < deadline, deliveries
        time.sleep(0.2)
    table = dataflow(setup, "webhooks", "list", we).stdout
    header = next(line for line in table.splitlines() if "Seq" in line)
    for column in ("Attempt", "Time", "HTTP status / error", "Latency"):
        assert column in header
    rows = [
        [cell.strip() for cell in line.strip()[1:-1].split("│")]
        for line in table.splitlines()
        if line.startswith("│")
    ]
    first = deliveries[0]
    assert [a["status_code"] for a in first["attempts"]] == [503, 200]
    # seq 1: attempt 1 answered 503, attempt 2 answered 200, each with its time and latency.
    assert rows[0][:6] == [
        "1",
        "execution.pending",
        "DELIVERED",
        "1",
        first["attempts"][0]["attempted_at"][:19].replace("T", " "),
        first["attempts"][0]["error"],  # HTTP 503 Service Unavailable
    ]
    assert "503" in rows[0][5]
    assert rows[0][6] == f"{first['attempts'][0].get('latency_ms', 0)} ms"
    assert rows[0][7] == first["webhook_id"]
    assert rows[1][3:6] == ["2", first["attempts"][1]["attempted_at"][:19].replace("T", " "), "200"]
    assert rows[1][0] == "" and rows[1][7] == ""
