"""The TypeScript, Go and Java facades' `run` (ExecuteWorkflow with `wait`,
then the terminal event by watch when the wait runs out) and `execute` with a
wait, against a real server, through each client's `run-workflows` example:
one process per language runs every case, one JSON line in and out each.

A run returns the final execution whatever its outcome: COMPLETED with its
outputs, COMPLETED after a wait shorter than the workflow (the watch
fallback), FAILED with its error (not an exception). A wait out of range is
refused with INVALID_ARGUMENT and nothing is stored; a run carries a request
id (a random one by default), and a repeat with the same id returns the same
execution. When the answer of its ExecuteWorkflow is lost (UNAVAILABLE from a
proxy that forwarded it), `run` repeats it with the same request id: one
execution."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Iterator
from concurrent import futures
from typing import Any

import grpc
import pytest

from dataflow.v1 import execution_service_pb2 as pb
from dataflow_client import DataflowClient
from tests.clients.conftest import LiveServer
from tests.clients.programs import BUILD_TIMEOUT, LANGUAGES, Command, build
from tests.support.servers import free_port

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


SERVICE = "dataflow.v1.ExecutionService"


class LossyProxy:
    """A gRPC server forwarding the calls `run` and `execute_and_watch` make
    (ExecuteWorkflow, WatchExecution, GetExecution, ExecuteAndWatch) to
    `upstream` as they are, recording each ExecuteWorkflow and WatchExecution
    request; the first ExecuteWorkflow is answered UNAVAILABLE once upstream has
    answered it (the answer lost on the way), and every ExecuteAndWatch stream
    breaks after its first message."""

    def __init__(self, upstream: str) -> None:
        self.executes: list[pb.ExecuteWorkflowRequest] = []
        self.watches: list[pb.WatchExecutionRequest] = []
        self._lock = threading.Lock()
        self._channel = grpc.insecure_channel(upstream)
        handler = grpc.method_handlers_generic_handler(
            SERVICE,
            {
                "ExecuteWorkflow": grpc.unary_unary_rpc_method_handler(self._execute),
                "GetExecution": grpc.unary_unary_rpc_method_handler(self._unary("GetExecution")),
                "WatchExecution": grpc.unary_stream_rpc_method_handler(self._watch),
                "ExecuteAndWatch": grpc.unary_stream_rpc_method_handler(self._execute_and_watch),
            },
        )
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        self._server.add_generic_rpc_handlers((handler,))
        self.address = f"127.0.0.1:{free_port()}"
        self._server.add_insecure_port(self.address)
        self._server.start()

    def _unary(self, method: str) -> Any:
        forward = self._channel.unary_unary(f"/{SERVICE}/{method}")

        def call(raw: bytes, context: grpc.ServicerContext) -> bytes:
            return bytes(forward(raw, timeout=context.time_remaining()))

        return call

    def _execute(self, raw: bytes, context: grpc.ServicerContext) -> bytes:
        with self._lock:
            self.executes.append(pb.ExecuteWorkflowRequest.FromString(raw))
            first = len(self.executes) == 1
        answer: bytes = self._unary("ExecuteWorkflow")(raw, context)
        if first:
            context.abort(grpc.StatusCode.UNAVAILABLE, "the proxy lost the answer")
        return answer

    def _watch(self, raw: bytes, context: grpc.ServicerContext) -> Iterator[bytes]:
        with self._lock:
            self.watches.append(pb.WatchExecutionRequest.FromString(raw))
        upstream = self._channel.unary_stream(f"/{SERVICE}/WatchExecution")(raw)
        context.add_callback(upstream.cancel)
        yield from upstream

    def _execute_and_watch(self, raw: bytes, context: grpc.ServicerContext) -> Iterator[bytes]:
        """The first message only, then UNAVAILABLE (the stream broke)."""
        upstream = self._channel.unary_stream(f"/{SERVICE}/ExecuteAndWatch")(raw)
        context.add_callback(upstream.cancel)
        yield next(iter(upstream))
        context.abort(grpc.StatusCode.UNAVAILABLE, "the proxy lost the stream")

    def stop(self) -> None:
        self._server.stop(None)
        self._channel.close()


def run_jobs(program: Command, address: str, jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each job's answer, in order, from one run of the program against `address`."""
    done = subprocess.run(
        program("run-workflows"),
        input="".join(json.dumps(job) + "\n" for job in jobs),
        env={**os.environ, "DATAFLOW_ADDRESS": address},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(jobs), done.stdout
    return answers


def greet_through_a_lossy_proxy(
    program: Command, live_server: LiveServer, name: str, job: dict[str, Any]
) -> tuple[str, LossyProxy, dict[str, Any]]:
    """A new GREETING workflow's id, the (stopped) proxy, and the answer of
    one job greeting `name` (with `job`'s fields) run through the proxy."""
    with DataflowClient(live_server.address) as client:
        greeting = client.create_workflow(GREETING).workflow_id
    proxy = LossyProxy(live_server.address)
    try:
        [answer] = run_jobs(
            program,
            proxy.address,
            [{"workflow_id": greeting, "inputs": {"name": name}, **job}],
        )
    finally:
        proxy.stop()
    return greeting, proxy, answer


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
        live_server.address,
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


@pytest.mark.timeout(BUILD_TIMEOUT + RUN_TIMEOUT + 60)
def test_run_repeats_a_lost_execute_with_the_same_request_id(
    language_program: tuple[str, Command], live_server: LiveServer
) -> None:
    language, program = language_program
    greeting, proxy, answer = greet_through_a_lossy_proxy(program, live_server, language, {})

    execution = answer["execution"]
    assert execution["status"] == "COMPLETED", answer
    assert execution["outputs"] == {"greeting": f"Hello {language}!"}
    first, repeat = proxy.executes
    assert first.request_id and repeat.request_id == first.request_id
    assert execution["request_id"] == first.request_id
    assert first.wait.seconds == 60  # the default wait
    with DataflowClient(live_server.address) as client:
        [stored] = client.list_executions(greeting).items
    assert stored.workflow_execution_id == execution["workflow_execution_id"]


@pytest.mark.timeout(BUILD_TIMEOUT + RUN_TIMEOUT + 60)
def test_execute_and_watch_streams_every_event(
    language_program: tuple[str, Command], live_server: LiveServer
) -> None:
    language, program = language_program
    with DataflowClient(live_server.address) as client:
        greeting = client.create_workflow(GREETING).workflow_id
    request_id = f"watch-{language}-once"
    watched, tasks_only, refused, repeated, again = run_jobs(
        program,
        live_server.address,
        [
            {"workflow_id": greeting, "inputs": {"name": language}, "watch": True},
            {
                "workflow_id": greeting,
                "inputs": {"name": "x"},
                "watch": True,
                "event_types": ["task.completed"],
            },
            {"workflow_id": greeting, "inputs": {"nobody": 1}, "watch": True},
            {
                "workflow_id": greeting,
                "inputs": {"name": "r"},
                "watch": True,
                "request_id": request_id,
            },
            {
                "workflow_id": greeting,
                "inputs": {"name": "r"},
                "watch": True,
                "request_id": request_id,
            },
        ],
    )

    assert_every_event(watched, {"greeting": f"Hello {language}!"})
    # The first event sent carries the execution's snapshot, as the terminal one does.
    assert watched["events"][0]["execution"]["workflow_id"] == greeting

    assert [e["task_name"] for e in tasks_only["events"]] == ["hello", "shout"], tasks_only
    assert {e["type"] for e in tasks_only["events"]} == {"task.completed"}
    assert tasks_only["execution_id"].startswith("we-")

    assert refusal_code(refused) == "INVALIDARGUMENT", refused

    # A repeat with the same request id streams the same execution from its first event.
    assert_every_event(repeated, {"greeting": "Hello r!"})
    assert again["execution_id"] == repeated["execution_id"]
    assert [(e["sequence"], e["type"]) for e in again["events"]] == [
        (e["sequence"], e["type"]) for e in repeated["events"]
    ]

    with DataflowClient(live_server.address) as client:
        # Three executions: nothing of the refused one, one for the repeated request id.
        assert len(client.list_executions(greeting).items) == 3


@pytest.mark.timeout(BUILD_TIMEOUT + RUN_TIMEOUT + 60)
def test_execute_and_watch_resumes_a_broken_stream(
    language_program: tuple[str, Command], live_server: LiveServer
) -> None:
    language, program = language_program
    greeting, proxy, answer = greet_through_a_lossy_proxy(
        program, live_server, language, {"watch": True}
    )

    assert_every_event(answer, {"greeting": f"Hello {language}!"})
    # The stream broke after its first message: the rest came by watch, after it.
    [resumed] = proxy.watches
    assert resumed.workflow_execution_id == answer["execution_id"]
    assert 0 < resumed.after_sequence < len(answer["events"])
    with DataflowClient(live_server.address) as client:
        [stored] = client.list_executions(greeting).items
    assert stored.workflow_execution_id == answer["execution_id"]


def assert_every_event(answer: dict[str, Any], outputs: dict[str, str]) -> None:
    """Events 1..N in order, each once, from execution.pending to
    execution.completed, whose snapshot has the outputs."""
    events = answer["events"]
    assert [e["sequence"] for e in events] == list(range(1, len(events) + 1)), answer
    assert events[0]["type"] == "execution.pending", answer
    assert events[-1]["type"] == "execution.completed", answer
    assert events[-1]["execution"]["outputs"] == outputs
    assert {e["workflow_execution_id"] for e in events} == {answer["execution_id"]}


def test_the_python_client_repeats_a_lost_execute_with_the_same_request_id(
    live_server: LiveServer,
) -> None:
    with DataflowClient(live_server.address) as client:
        greeting = client.create_workflow(GREETING).workflow_id
    proxy = LossyProxy(live_server.address)
    try:
        with DataflowClient(proxy.address, timeout=30) as client:
            final = client.run(greeting, {"name": "Python"})
    finally:
        proxy.stop()
    assert final.status == "COMPLETED" and final.outputs == {"greeting": "Hello Python!"}
    first, repeat = proxy.executes
    assert first.request_id and repeat.request_id == first.request_id
    assert first.wait.seconds == 60
    with DataflowClient(live_server.address) as client:
        [stored] = client.list_executions(greeting).items
    assert stored.workflow_execution_id == final.workflow_execution_id


def test_the_python_client_resumes_a_broken_execute_and_watch(live_server: LiveServer) -> None:
    """Broken after its first message (the execution's id and event 1), the stream
    resumes with WatchExecution from there: every event once, in order."""
    with DataflowClient(live_server.address) as client:
        greeting = client.create_workflow(GREETING).workflow_id
    proxy = LossyProxy(live_server.address)
    try:
        with DataflowClient(proxy.address, timeout=30) as client:
            events = list(client.execute_and_watch(greeting, {"name": "Py"}))
    finally:
        proxy.stop()
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert events[-1].execution is not None
    assert events[-1].execution.outputs == {"greeting": "Hello Py!"}
