"""The TypeScript, Go and Java facades' secrets (`setSecret`/`SetSecret`/
`setSecret`, list, delete) against a real server, through each client's
`secrets` example: the value set is the one a task then uses (the OpenAI
stand-in sees it as the API key), listing shows the name and never the value,
and a deleted secret is gone (deleting it again is NOT_FOUND)."""

from __future__ import annotations

import os
import secrets
import subprocess

import pytest

from dataflow_client import DataflowClient, ExecutionStatus
from tests.clients.conftest import LiveServer
from tests.clients.programs import BUILD_TIMEOUT, LANGUAGES, Command, build
from tests.support.api import hello_world

RUN_TIMEOUT = 120.0


@pytest.fixture(scope="module", params=LANGUAGES)
def language_program(request: pytest.FixtureRequest) -> tuple[str, Command]:
    return request.param, build(request.param, ("secrets",))


def run(
    program: Command, live_server: LiveServer, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        program("secrets", *args),
        input=stdin,
        env={**os.environ, "DATAFLOW_ADDRESS": live_server.address},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )


@pytest.mark.timeout(BUILD_TIMEOUT + 4 * RUN_TIMEOUT + 60)
def test_set_list_use_delete(
    language_program: tuple[str, Command], live_server: LiveServer
) -> None:
    language, program = language_program
    name = f"openai_key_{language}"
    value = f"sk-{language}-{secrets.token_hex(8)}"

    done = run(program, live_server, "set", name, stdin=value + "\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == f"secret {name} set\n"

    listed = run(program, live_server, "list")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert f"{name} updated " in listed.stdout
    assert value not in listed.stdout + listed.stderr

    # The stored value is exactly what was piped in (one trailing newline dropped).
    live_server.openai.other_keys.add(value)
    workflow = hello_world()
    workflow["tasks"][0]["inputs"]["api_key"] = f"{{{{secrets.{name}}}}}"
    with DataflowClient(live_server.address) as client:
        assert name in [s.name for s in client.iter_secrets()]
        workflow_id = client.create_workflow(workflow).workflow_id
        execution_id = client.execute(workflow_id, {"text": name}).workflow_execution_id
        assert client.wait(execution_id, timeout=60).status is ExecutionStatus.COMPLETED
    [used] = [
        r for r in live_server.openai.requests_to("/audio/speech") if r.json.get("input") == name
    ]
    assert used.headers["authorization"] == f"Bearer {value}"

    deleted = run(program, live_server, "delete", name)
    assert deleted.returncode == 0, deleted.stdout + deleted.stderr
    assert deleted.stdout == f"secret {name} deleted\n"
    with DataflowClient(live_server.address) as client:
        assert name not in [s.name for s in client.iter_secrets()]
    again = run(program, live_server, "delete", name)
    assert again.returncode == 1
    assert "NOT_FOUND" in again.stderr.upper().replace(" ", "_"), again.stderr
