"""The TypeScript, Go and Java facades' `watch` asks for batches
(`batch_events`) and hands their events over one at a time, each once and in
order: checked through a recording gRPC proxy in front of a real server, on an
execution watched after it finished (its whole log replayed) and on one
watched while it runs (replay, then live batches until it is cancelled), and
resumed after the last event handed over when the stream breaks."""

from __future__ import annotations

import os
import re
import subprocess
import threading
from collections.abc import Iterator
from concurrent import futures
from dataclasses import dataclass, field

import grpc
import pytest

from dataflow.v1 import execution_service_pb2 as pb
from dataflow.v1 import execution_service_pb2_grpc
from dataflow_client import DataflowClient, ExecutionStatus
from tests.clients.conftest import LiveServer
from tests.clients.programs import BUILD_TIMEOUT, LANGUAGES, Command, build
from tests.support.api import hello_world
from tests.support.servers import free_port

RUN_TIMEOUT = 120.0
NAP = {
    "title": "A long nap",
    "tasks": [{"name": "nap", "type": "core.sleep", "inputs": {"seconds": 3600}}],
}


@dataclass
class WatchCall:
    request: pb.WatchExecutionRequest
    responses: list[pb.WatchExecutionResponse] = field(default_factory=list)


class WatchRecorder:
    """A gRPC server forwarding WatchExecution to `upstream` and recording
    each call's request and response messages; with `break_first_call`, it
    ends the first call with UNAVAILABLE right after its first message (a
    server going away)."""

    def __init__(self, upstream: str) -> None:
        self.calls: list[WatchCall] = []
        self.break_first_call = False
        self._changed = threading.Condition()
        self._channel = grpc.insecure_channel(upstream)
        self._stub = execution_service_pb2_grpc.ExecutionServiceStub(self._channel)
        handler = grpc.method_handlers_generic_handler(
            "dataflow.v1.ExecutionService",
            {
                "WatchExecution": grpc.unary_stream_rpc_method_handler(
                    self._watch,
                    request_deserializer=pb.WatchExecutionRequest.FromString,
                    response_serializer=pb.WatchExecutionResponse.SerializeToString,
                )
            },
        )
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        self._server.add_generic_rpc_handlers((handler,))
        self.address = f"127.0.0.1:{free_port()}"
        self._server.add_insecure_port(self.address)
        self._server.start()

    def _watch(
        self, request: pb.WatchExecutionRequest, context: grpc.ServicerContext
    ) -> Iterator[pb.WatchExecutionResponse]:
        call = WatchCall(request)
        with self._changed:
            self.calls.append(call)
            first = len(self.calls) == 1
            self._changed.notify_all()
        upstream = self._stub.WatchExecution(request)
        context.add_callback(upstream.cancel)
        for response in upstream:
            with self._changed:
                call.responses.append(response)
                self._changed.notify_all()
            yield response
            if first and self.break_first_call:
                context.abort(grpc.StatusCode.UNAVAILABLE, "the proxy broke the stream")

    def wait_for(self, calls: int, responses: int = 0) -> bool:
        """Wait until `calls` calls started, the last with `responses` messages."""
        with self._changed:
            return self._changed.wait_for(
                lambda: (
                    len(self.calls) >= calls and len(self.calls[calls - 1].responses) >= responses
                ),
                RUN_TIMEOUT,
            )

    def stop(self) -> None:
        self._server.stop(None)
        self._channel.close()


@pytest.fixture(scope="module", params=LANGUAGES)
def watch_program(request: pytest.FixtureRequest) -> Command:
    return build(request.param, ("watch",))


@pytest.fixture
def recorder(live_server: LiveServer) -> Iterator[WatchRecorder]:
    proxy = WatchRecorder(live_server.address)
    try:
        yield proxy
    finally:
        proxy.stop()


def printed_events(output: str) -> list[tuple[int, str]]:
    return [(int(seq), kind) for seq, kind in re.findall(r"^event (\d+): (\S+)$", output, re.M)]


def logged_events(client: DataflowClient, execution_id: str) -> list[tuple[int, str]]:
    """The execution's whole log, as the Python client reads it."""
    return [(e.sequence, e.type) for e in client.watch(execution_id, timeout=60)]


def assert_batched(call: WatchCall, events: list[tuple[int, str]]) -> None:
    assert call.request.batch_events
    assert call.request.after_sequence == 0
    assert all(len(r.events) > 0 and not r.HasField("event") for r in call.responses)
    sent = [(e.sequence, e.type) for r in call.responses for e in r.events]
    assert sent == events


@pytest.mark.timeout(BUILD_TIMEOUT + RUN_TIMEOUT + 60)
def test_a_finished_execution_arrives_whole_in_batches(
    watch_program: Command, live_server: LiveServer, recorder: WatchRecorder
) -> None:
    with DataflowClient(live_server.address) as client:
        workflow = client.create_workflow(hello_world())
        execution_id = client.execute(
            workflow.workflow_id, {"text": "batched"}
        ).workflow_execution_id
        assert client.wait(execution_id, timeout=60).status is ExecutionStatus.COMPLETED
        logged = logged_events(client, execution_id)

    done = subprocess.run(
        watch_program("watch", execution_id),
        env=recorder_env(recorder),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    printed = printed_events(done.stdout)
    assert printed == logged
    assert [seq for seq, _ in printed] == list(range(1, len(printed) + 1))
    assert printed[-1][1] == "execution.completed"

    [call] = recorder.calls
    assert_batched(call, printed)
    # The finished log needs fewer messages than events.
    assert len(call.responses) < len(printed)


@pytest.mark.timeout(BUILD_TIMEOUT + RUN_TIMEOUT + 60)
def test_a_running_execution_arrives_live_in_batches(
    watch_program: Command, live_server: LiveServer, recorder: WatchRecorder
) -> None:
    with DataflowClient(live_server.address) as client:
        workflow = client.create_workflow(NAP)
        execution_id = client.execute(workflow.workflow_id).workflow_execution_id
        watcher = start_watch(watch_program, execution_id, recorder)
        try:
            # Cancelled only once the watch has its first batch: the rest is live.
            assert recorder.wait_for(calls=1, responses=1)
            before_cancel = len(recorder.calls[0].responses)
            client.cancel(execution_id, "test")
            output, _ = watcher.communicate(timeout=RUN_TIMEOUT)
        finally:
            watcher.kill()
        logged = logged_events(client, execution_id)

    assert watcher.returncode == 0, output
    printed = printed_events(output)
    assert printed == logged
    assert [seq for seq, _ in printed] == list(range(1, len(printed) + 1))
    assert printed[-1][1] == "execution.cancelled"

    [call] = recorder.calls
    assert_batched(call, printed)
    assert len(call.responses) > before_cancel  # the cancellation's events came live


def start_watch(
    watch_program: Command, execution_id: str, recorder: WatchRecorder
) -> subprocess.Popen[str]:
    """The client's watch program on `execution_id`, dialing the recording proxy."""
    return subprocess.Popen(
        watch_program("watch", execution_id),
        env=recorder_env(recorder),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def recorder_env(recorder: WatchRecorder) -> dict[str, str]:
    """The environment of a program that dials the proxy (no key, no TLS)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATAFLOW_API_KEY", "DATAFLOW_CA_FILE")}
    return {**env, "DATAFLOW_ADDRESS": recorder.address}


@pytest.mark.timeout(BUILD_TIMEOUT + RUN_TIMEOUT + 60)
def test_a_broken_stream_resumes_after_the_last_event_handed_over(
    watch_program: Command, live_server: LiveServer, recorder: WatchRecorder
) -> None:
    recorder.break_first_call = True
    with DataflowClient(live_server.address) as client:
        workflow = client.create_workflow(NAP)
        execution_id = client.execute(workflow.workflow_id).workflow_execution_id
        watcher = start_watch(watch_program, execution_id, recorder)
        try:
            # The first call breaks after its first batch; cancelled once the
            # watch resumed, so the cancellation's events come on the second.
            assert recorder.wait_for(calls=2)
            client.cancel(execution_id, "test")
            output, _ = watcher.communicate(timeout=RUN_TIMEOUT)
        finally:
            watcher.kill()
        logged = logged_events(client, execution_id)

    assert watcher.returncode == 0, output
    printed = printed_events(output)
    assert printed == logged
    assert [seq for seq, _ in printed] == list(range(1, len(printed) + 1))

    first, resumed = recorder.calls
    [batch] = first.responses
    assert resumed.request.batch_events
    assert resumed.request.after_sequence == batch.events[-1].sequence
    sent = [
        (e.sequence, e.type) for call in (first, resumed) for r in call.responses for e in r.events
    ]
    assert sent == printed
