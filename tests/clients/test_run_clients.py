"""The TypeScript, Go and Java facades' `run` (ExecuteWorkflow with `wait`,
then the terminal event by watch when the wait runs out) and `execute` with a
wait, against a real server, through each client's `run-workflows` example:
one process per language runs every case, one JSON line in and out each.

A run returns the final execution whatever its outcome: COMPLETED with its
outputs, COMPLETED after a wait shorter than the workflow (the watch
fallback), FAILED with its error (not an exception). A wait out of range is
refused with INVALID_ARGUMENT and nothing is stored; a run carries a request
id (a random one by default), and a repeat with the same id returns the same
execution."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest

from dataflow_client import DataflowClient
from tests.clients.conftest import LiveServer
from tests.clients.programs import BUILD_TIMEOUT, LANGUAGES, Command, build

RUN_TIMEOUT = 180.0

GREETING = {
    "title": "Greeting",
    "inputs": [{"name": "name", "type": "text"}],
    "tasks": [
        {"name": "hello", "type": "text.template", "inputs": {"template": "Hello {{inputs.name}}"}},
        {
            "name": "shout",
            "type": "text.template",
            "inputs": {"template": "{{tasks.hello.outputs.text}}!"},
        },
    ],
    "outputs": [{"name": "greeting", "type": "text", "value": "{{tasks.shout.outputs.text}}"}],
}
# Longer than the short wait its run is given: the run follows its events.
NAP = {
    "title": "Nap",
    "inputs": [{"name": "name", "type": "text"}],
    "tasks": [
        {"name": "nap", "type": "core.sleep", "inputs": {"seconds": 1.5}},
        {"name": "wake", "type": "text.template", "inputs": {"template": "up {{inputs.name}}"}},
    ],
    "outputs": [{"name": "woke", "type": "text", "value": "{{tasks.wake.outputs.text}}"}],
}
BROKEN_JSON = {
    "title": "Broken JSON",
    "inputs": [{"name": "text", "type": "text"}],
    "tasks": [{"name": "parse", "type": "json.parse", "inputs": {"text": "{{inputs.text}}"}}],
}


@pytest.fixture(scope="module", params=LANGUAGES)
def language_program(request: pytest.FixtureRequest) -> tuple[str, Command]:
    return request.param, build(request.param, ("run-workflows",))


def run_jobs(
    program: Command, live_server: LiveServer, jobs: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each job's answer, in order, from one run of the program."""
    done = subprocess.run(
        program("run-workflows"),
        input="".join(json.dumps(job) + "\n" for job in jobs),
        env={**os.environ, "DATAFLOW_ADDRESS": live_server.address},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(jobs), done.stdout
    return answers


def refusal_code(answer: dict[str, Any]) -> str:
    """INVALID_ARGUMENT whichever way the language spells it (Go: InvalidArgument)."""
    return str(answer["error"]["code"]).replace("_", "").upper()


@pytest.mark.timeout(BUILD_TIMEOUT + RUN_TIMEOUT + 60)
def test_run_returns_the_outcome(
    language_program: tuple[str, Command], live_server: LiveServer
) -> None:
    language, program = language_program
    with DataflowClient(live_server.address) as client:
        greeting = client.create_workflow(GREETING).workflow_id
        nap = client.create_workflow(NAP).workflow_id
        broken = client.create_workflow(BROKEN_JSON).workflow_id

    request_id = f"run-{language}-once"
    completed, napped, failed, repeated, again, waited, refused_run, refused_execute = run_jobs(
        program,
        live_server,
        [
            {"workflow_id": greeting, "inputs": {"name": language}},
            {"workflow_id": nap, "inputs": {"name": language}, "wait_ms": 500},
            {"workflow_id": broken, "inputs": {"text": "not json"}},
            {"workflow_id": greeting, "inputs": {"name": "once"}, "request_id": request_id},
            {"workflow_id": greeting, "inputs": {"name": "once"}, "request_id": request_id},
            {"workflow_id": greeting, "inputs": {"name": "x"}, "wait_ms": 30000, "execute": True},
            {"workflow_id": greeting, "inputs": {"name": "x"}, "wait_ms": -500},
            {"workflow_id": greeting, "inputs": {"name": "x"}, "wait_ms": 61000, "execute": True},
        ],
    )

    execution = completed["execution"]
    assert execution["status"] == "COMPLETED", execution
    assert execution["outputs"] == {"greeting": f"Hello {language}!"}
    assert [task["status"] for task in execution["tasks"]] == ["COMPLETED", "COMPLETED"]
    assert execution["request_id"], "run sends a request id by default"

    # The 0.5 s wait runs out before the 1.5 s nap ends: the outcome comes by watch.
    execution = napped["execution"]
    assert execution["status"] == "COMPLETED", execution
    assert execution["outputs"] == {"woke": f"up {language}"}

    execution = failed["execution"]
    assert execution["status"] == "FAILED", execution
    assert execution["error"]["code"] == "INVALID_JSON"
    assert execution["error"]["task_name"] == "parse"

    # A repeat with the same request id is the same execution, not a second one.
    assert repeated["execution"]["status"] == "COMPLETED"
    assert repeated["execution"]["request_id"] == request_id
    assert (
        again["execution"]["workflow_execution_id"]
        == repeated["execution"]["workflow_execution_id"]
    )

    # execute with a wait answers with the execution, ended within it.
    response = waited["response"]
    assert response["status"] == "COMPLETED", response
    assert response["execution"]["workflow_execution_id"] == response["workflow_execution_id"]
    assert response["execution"]["outputs"] == {"greeting": "Hello x!"}

    for refused in (refused_run, refused_execute):
        assert refusal_code(refused) == "INVALIDARGUMENT", refused
        assert refused["error"]["message"].startswith("wait:"), refused

    with DataflowClient(live_server.address) as client:
        # The first run, the one repeated and the execute: nothing of the refused ones.
        assert len(client.list_executions(greeting).items) == 3
