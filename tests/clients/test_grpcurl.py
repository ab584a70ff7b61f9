"""The Getting Started page driven by grpcurl alone: scripts/grpcurl-getting-started.sh
(the very script docs/clients.md quotes) against a real server process whose
`openai.audio.tts` task talks to the loopback OpenAI stand-in."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest

from tests.clients.conftest import LiveServer, run_step
from tests.support.openai_server import speech_bytes
from tests.support.servers import REPO

SCRIPT = REPO / "scripts" / "grpcurl-getting-started.sh"
TEXT = "Hello from grpcurl"


def sections(output: str) -> dict[str, str]:
    """The script's output by `### <step>` heading."""
    parts = re.split(r"^### (.+)$", output, flags=re.MULTILINE)
    return {name.strip(): body for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def messages(text: str) -> list[dict[str, Any]]:
    """The JSON messages grpcurl printed one after the other."""
    decoder, found, pos = json.JSONDecoder(), [], 0
    while (start := text.find("{", pos)) != -1:
        value, pos = decoder.raw_decode(text, start)
        found.append(value)
    return found


@pytest.mark.timeout(700)
def test_getting_started_with_grpcurl(grpcurl: str, live_server: LiveServer) -> None:
    step = run_step(
        ["bash", str(SCRIPT)],
        timeout=120,
        env={"DATAFLOW_ADDRESS": live_server.address, "GRPCURL": grpcurl},
        check=False,
    )
    assert step.returncode == 0, step.output
    got = sections(step.output)
    assert list(got) == [
        "list",
        "describe",
        "CreateWorkflow",
        "ExecuteWorkflow",
        "WatchExecution",
        "GetExecution",
        "ListExecutions",
        "DownloadFile",
        "status: COMPLETED",
    ]

    # Reflection: the services and their methods.
    services = got["list"].split()
    for name in ("dataflow.v1.WorkflowService", "dataflow.v1.ExecutionService"):
        assert name in services
    assert "rpc CreateWorkflow ( .dataflow.v1.CreateWorkflowRequest )" in got["describe"]

    # Create and execute, with the page's snake_case JSON names.
    (created,) = messages(got["CreateWorkflow"])
    assert created["workflow_id"].startswith("wf-")
    assert created["workflow_version"] == 1
    (started,) = messages(got["ExecuteWorkflow"])
    assert started["status"] == "PENDING"
    assert started["workflow_id"] == created["workflow_id"]
    execution_id = started["workflow_execution_id"]

    # The watch stream: every event in order, ending with the terminal one.
    events = [m["event"] for m in messages(got["WatchExecution"])]
    assert [e["sequence"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["type"] == "execution.pending"
    assert events[-1]["type"] == "execution.completed"
    assert {e["workflow_execution_id"] for e in events} == {execution_id}

    (reply,) = messages(got["GetExecution"])
    execution = reply["execution"]
    assert execution["status"] == "COMPLETED"
    assert execution["inputs"] == {"text": TEXT}
    assert execution["tasks"][0]["name"] == "text_to_speech"
    audio = execution["outputs"]["audio"]

    (listed,) = messages(got["ListExecutions"])
    assert [e["workflow_execution_id"] for e in listed["executions"]] == [execution_id]
    assert listed["executions"][0]["status"] == "COMPLETED"

    # The audio is what the stand-in answered for the text.
    chunks = messages(got["DownloadFile"])
    assert chunks[0]["file"]["file_id"] == audio["file_id"]
    data = b"".join(base64.b64decode(c.get("data", "")) for c in chunks)
    assert data == speech_bytes(TEXT)
    assert [r.json["input"] for r in live_server.openai.requests_to("/audio/speech")] == [TEXT]


@pytest.mark.parametrize("doc", ["README.md", "docs/clients.md"])
def test_docs_quote_the_script_verbatim(doc: str) -> None:
    text = (REPO / doc).read_text()
    assert SCRIPT.read_text() in text, (
        f"{doc} must quote scripts/grpcurl-getting-started.sh verbatim"
    )
