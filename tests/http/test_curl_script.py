"""The Getting Started page with curl: scripts/curl-getting-started.sh (quoted in
the README) against a real server process, whose text-to-speech task talks to the
loopback OpenAI stand-in and whose webhook goes to a loopback receiver."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.clients.conftest import run_step
from tests.http.conftest import HttpProcess
from tests.support.api import seed_hello_world_body
from tests.support.openai_server import speech_bytes
from tests.support.receiver import Receiver
from tests.support.servers import REPO

SCRIPT = REPO / "scripts" / "curl-getting-started.sh"
TEXT = "Hello from curl"


def sections(output: str) -> dict[str, str]:
    parts = re.split(r"^### (.+)$", output, flags=re.MULTILINE)
    return {name.strip(): body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def only_json(text: str) -> Any:
    return json.loads(text[text.index("{") :])


def test_getting_started_with_curl(
    http_process: HttpProcess, receiver: Receiver, tmp_path: Path
) -> None:
    if shutil.which("curl") is None:
        pytest.fail("this test needs curl on PATH", pytrace=False)
    openai = http_process.openai
    audio = tmp_path / "hello.mp3"
    step = run_step(
        ["bash", str(SCRIPT)],
        timeout=120,
        env={
            "DATAFLOW_HTTP": http_process.base_url,
            "HELLO_TEXT": TEXT,
            "WEBHOOK_URL": receiver.url,
            "AUDIO_OUT": str(audio),
        },
        check=False,
    )
    assert step.returncode == 0, step.output
    got = sections(step.output)
    names = [name.split(" ")[0] + " " + name.split(" ")[1] for name in got]
    assert names == [
        "1. POST",
        "2. POST",
        "2. invalid",
        "3. GET",
        "3. GET",
        "4. GET",
        "5. POST",
        "GET /files/…/content",
        "status: COMPLETED",
    ]
    steps = list(got.values())

    # 1. 201 Created, a Location, the page's body.
    head, _, body = steps[0].partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 201 Created")
    created = json.loads(body)
    workflow_id = created["workflow_id"]
    assert f"location: /workflows/{workflow_id}" in head.lower()
    # 2. The page's execution body, the page's fields.
    started = only_json(steps[1])
    assert set(started) == {"workflow_execution_id", "workflow_id", "workflow_version", "status"}
    assert started["status"] == "PENDING" and started["workflow_id"] == workflow_id
    execution_id = started["workflow_execution_id"]
    # 2. The page's other body is refused: 400, with every field violation.
    refused = only_json(steps[2])
    assert refused["status"] == 400 and refused["code"] == "INVALID_ARGUMENT"
    assert {v["field"] for v in refused["field_violations"]} == {
        "inputs.webpage_url",
        "inputs.text",
    }
    # 3. The events, in order, to the terminal one.
    ids = [int(i) for i in re.findall(r"^id: (\d+)$", steps[3], flags=re.MULTILINE)]
    assert ids == list(range(1, len(ids) + 1))
    assert re.findall(r"^event: (.+)$", steps[3], flags=re.MULTILINE)[-1] == "execution.completed"
    execution = only_json(steps[4])
    assert execution["status"] == "COMPLETED" and execution["inputs"] == {"text": TEXT}
    # 4. The list holds it; 5. the webhook execution was accepted and delivers.
    listed = only_json(steps[5])
    assert execution_id in {e["workflow_execution_id"] for e in listed["executions"]}
    with_webhook = only_json(steps[6])
    assert with_webhook["status"] == "PENDING"
    deadline = time.monotonic() + 30
    while not receiver.delivered() and time.monotonic() < deadline:
        time.sleep(0.1)
    delivered = [json.loads(r.body) for r in receiver.delivered()]
    assert (
        delivered
        and delivered[0]["data"]["workflow_execution_id"] == with_webhook["workflow_execution_id"]
    )
    # The delivery log and a redelivery, over HTTP.
    webhook_execution = with_webhook["workflow_execution_id"]
    log_url = f"/workflows/{workflow_id}/executions/{webhook_execution}/webhook-deliveries"
    with httpx.Client(base_url=http_process.base_url) as http:
        deliveries = http.get(log_url).json()["deliveries"]
        first = deliveries[0]
        assert first["sequence"] == 1 and first["url"] == receiver.url
        redelivered = http.post(f"/webhook-deliveries/{first['webhook_id']}/redeliver")
        assert redelivered.status_code == 200, redelivered.text
        assert redelivered.json()["webhook_id"] == first["webhook_id"]
        elsewhere = log_url.replace(workflow_id, "wf-doesnotexist")
        assert http.get(elsewhere).status_code == 404
    # The audio is what the stand-in answered for the text.
    assert steps[7].startswith("200 audio/mpeg")
    assert audio.read_bytes() == speech_bytes(TEXT)
    assert created == {"workflow_id": workflow_id, "workflow_version": 1}
    assert seed_hello_world_body()["title"] in SCRIPT.read_text()
    assert openai.requests_to("/audio/speech")


def test_the_readme_quotes_the_script_verbatim() -> None:
    assert SCRIPT.read_text() in (REPO / "README.md").read_text()
