"""The engine through the API: order, typed templates, failure, retries, timeouts,
cancel and retry, fencing, watch. In-process server, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from dataflow.v1 import execution_pb2, execution_service_pb2
from dataflow_server.domain.access import DEFAULT_TENANT
from dataflow_server.domain.lifecycle import LeaseLost, NewEvent, Transition
from dataflow_server.domain.records import ExecutionStatus
from dataflow_server.server import DataflowServer
from tests.support.api import Stubs, create_request, stubs, wait_terminal
from tests.support.engine_tasks import Recorder

ES = execution_service_pb2
Ex = execution_pb2.Execution
TR = execution_pb2.TaskRun


async def run_workflow(
    api: Stubs, definition: dict[str, Any], inputs: dict[str, Any] | None = None
) -> tuple[str, Any]:
    wf = (await api.workflows.CreateWorkflow(create_request(definition))).workflow_id
    reply = await api.executions.ExecuteWorkflow(
        json_format.ParseDict(
            {"workflow_id": wf, "inputs": inputs or {}}, ES.ExecuteWorkflowRequest()
        )
    )
    return reply.workflow_execution_id, await wait_terminal(api, reply.workflow_execution_id)


async def events_of(api: Stubs, execution_id: str, after: int = 0) -> list[Any]:
    call = api.executions.WatchExecution(
        ES.WatchExecutionRequest(workflow_execution_id=execution_id, after_sequence=after)
    )
    return [m.event async for m in call]


def task(name: str, type_: str, **inputs: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, "inputs": inputs}


async def test_order_and_typed_template_resolution(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    definition = {
        "title": "typed",
        "inputs": [{"name": "n", "type": "integer"}, {"name": "s", "type": "text"}],
        "tasks": [
            task("t1", "test.echo", value="{{inputs.n}}", number="{{ inputs.n }}"),
            task("t2", "text.template", template="n={{tasks.t1.outputs.value}} s={{inputs.s}}"),
            task("t3", "json.parse", text='{"k": {{inputs.n}}, "s": "{{inputs.s}}"}'),
        ],
        "outputs": [
            {"name": "whole", "type": "json", "value": "{{tasks.t1.outputs.value}}"},
            {"name": "text", "type": "text", "value": "{{tasks.t2.outputs.text}}"},
            {"name": "parsed", "type": "json", "value": "{{tasks.t3.outputs.value}}"},
            {"name": "mixed", "type": "text", "value": "{{inputs.s}}-{{tasks.t1.outputs.number}}"},
        ],
    }
    execution_id, final = await run_workflow(api, definition, {"n": 3, "s": "hi"})
    assert final.status == Ex.COMPLETED
    outputs = json_format.MessageToDict(final.outputs)
    assert outputs == {
        "whole": 3,
        "text": "n=3 s=hi",
        "parsed": {"k": 3, "s": "hi"},
        "mixed": "hi-3",
    }
    assert [t.status for t in final.tasks] == [TR.COMPLETED] * 3
    assert all(
        t.attempts == 1 and t.started_at.seconds and t.completed_at.seconds for t in final.tasks
    )
    events = await events_of(api, execution_id)
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert [(e.type, e.task_name) for e in events] == [
        ("execution.pending", ""),
        ("execution.running", ""),
        ("task.running", "t1"),
        ("task.completed", "t1"),
        ("task.running", "t2"),
        ("task.completed", "t2"),
        ("task.running", "t3"),
        ("task.completed", "t3"),
        ("execution.completed", ""),
    ]
    assert events[0].HasField("execution") and events[-1].HasField("execution")
    assert not any(e.HasField("execution") for e in events[1:-1])


async def test_failure_skips_the_rest_and_is_not_retried(
    channel: grpc.aio.Channel, recorder: Recorder
) -> None:
    api = stubs(channel)
    definition = {
        "title": "fails",
        "tasks": [
            task("ok", "text.template", template="fine"),
            task("boom", "test.fail", code="BAD_INPUT", message="no good"),
            task("after", "text.template", template="never"),
        ],
    }
    execution_id, final = await run_workflow(api, definition)
    assert final.status == Ex.FAILED
    assert (final.error.code, final.error.task_name, final.error.retryable) == (
        "BAD_INPUT",
        "boom",
        False,
    )
    assert [t.status for t in final.tasks] == [TR.COMPLETED, TR.FAILED, TR.SKIPPED]
    assert final.tasks[1].error.message == "no good"
    assert recorder.calls[(execution_id, "boom")] == 1
    types = [e.type for e in await events_of(api, execution_id)]
    assert types[-3:] == ["task.failed", "task.skipped", "execution.failed"]


async def test_retryable_errors_are_retried_with_backoff(
    channel: grpc.aio.Channel, recorder: Recorder
) -> None:
    api = stubs(channel)
    execution_id, final = await run_workflow(
        api, {"title": "flaky", "tasks": [task("f", "test.flaky", succeed_on=3)]}
    )
    assert final.status == Ex.COMPLETED
    assert final.tasks[0].attempts == 3
    events = await events_of(api, execution_id)
    retrying = [e for e in events if e.type == "task.retrying"]
    assert [e.attempt for e in retrying] == [1, 2]
    assert all(e.error.code == "UPSTREAM_UNAVAILABLE" and e.error.retryable for e in retrying)
    # Backoff: each retry starts after the previous failure.
    running = [e for e in events if e.type == "task.running"]
    for before, after in zip(retrying, running[1:], strict=True):
        assert after.timestamp.ToDatetime() >= before.timestamp.ToDatetime()

    # Retryable but out of attempts: FAILED after max_attempts calls.
    execution_id, final = await run_workflow(
        api,
        {
            "title": "always",
            "tasks": [
                {
                    "name": "f",
                    "type": "test.fail",
                    "inputs": {"retryable": True},
                    "retry": {"max_attempts": 2, "initial_backoff_seconds": 0},
                }
            ],
        },
    )
    assert final.status == Ex.FAILED and final.tasks[0].attempts == 2
    assert recorder.calls[(execution_id, "f")] == 2


async def test_timeout_fails_the_attempt(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    _, final = await run_workflow(
        api,
        {
            "title": "slow",
            "tasks": [
                {
                    "name": "nap",
                    "type": "core.sleep",
                    "inputs": {"seconds": 30},
                    "timeout_seconds": 0.2,
                    "retry": {"max_attempts": 2, "initial_backoff_seconds": 0},
                }
            ],
        },
    )
    assert final.status == Ex.FAILED
    assert final.error.code == "TIMEOUT" and final.error.retryable
    assert final.tasks[0].attempts == 2


async def test_unimplemented_task_type_fails_clearly(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    _, final = await run_workflow(
        api, {"title": "x", "tasks": [task("todo", "test.unimplemented")]}
    )
    assert final.status == Ex.FAILED
    assert final.error.code == "TASK_TYPE_UNAVAILABLE" and not final.error.retryable


async def test_cancel_pending_and_running(
    channel: grpc.aio.Channel, server: DataflowServer, recorder: Recorder
) -> None:
    api = stubs(channel)
    wf = (
        await api.workflows.CreateWorkflow(
            create_request(
                {
                    "title": "hold",
                    "tasks": [task("h", "test.hold"), task("after", "text.template", template="x")],
                }
            )
        )
    ).workflow_id
    running = await api.executions.ExecuteWorkflow(ES.ExecuteWorkflowRequest(workflow_id=wf))
    await asyncio.wait_for(recorder.started.wait(), 10)
    cancelled = (
        await api.executions.CancelExecution(
            ES.CancelExecutionRequest(
                workflow_execution_id=running.workflow_execution_id, reason="stop it"
            )
        )
    ).execution
    assert cancelled.status == Ex.CANCELLED
    assert [t.status for t in cancelled.tasks] == [TR.CANCELLED, TR.SKIPPED]
    assert cancelled.error.code == "CANCELLED" and cancelled.error.message == "stop it"
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.executions.CancelExecution(
            ES.CancelExecutionRequest(workflow_execution_id=running.workflow_execution_id)
        )
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION

    # Cancelled right after it was accepted (queued, or just claimed): CANCELLED at once.
    for _ in range(5):
        quick = await api.executions.ExecuteWorkflow(ES.ExecuteWorkflowRequest(workflow_id=wf))
        answer = await api.executions.CancelExecution(
            ES.CancelExecutionRequest(workflow_execution_id=quick.workflow_execution_id)
        )
        assert answer.execution.status == Ex.CANCELLED

    # A queued execution nobody has claimed is cancelled directly.
    await server.executor.drain(0)  # no more claims in this server
    pending = await api.executions.ExecuteWorkflow(ES.ExecuteWorkflowRequest(workflow_id=wf))
    done = (
        await api.executions.CancelExecution(
            ES.CancelExecutionRequest(workflow_execution_id=pending.workflow_execution_id)
        )
    ).execution
    assert done.status == Ex.CANCELLED
    assert [t.status for t in done.tasks] == [TR.SKIPPED, TR.SKIPPED]
    types = [e.type for e in await events_of(api, pending.workflow_execution_id)]
    assert types == ["execution.pending", "task.skipped", "task.skipped", "execution.cancelled"]


async def test_retry_resumes_from_the_failed_task(
    channel: grpc.aio.Channel, recorder: Recorder
) -> None:
    api = stubs(channel)
    definition = {
        "title": "retry me",
        "tasks": [
            task("first", "test.echo", value="kept"),
            {
                "name": "second",
                "type": "test.flaky",
                "inputs": {"succeed_on": 2},
                "retry": {"max_attempts": 1},
            },
            task("third", "text.template", template="{{tasks.first.outputs.value}}!"),
        ],
        "outputs": [{"name": "out", "type": "text", "value": "{{tasks.third.outputs.text}}"}],
    }
    execution_id, final = await run_workflow(api, definition)
    assert final.status == Ex.FAILED
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.executions.RetryExecution(
            ES.RetryExecutionRequest(workflow_execution_id="we-unknown0000")
        )
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    retried = (
        await api.executions.RetryExecution(
            ES.RetryExecutionRequest(workflow_execution_id=execution_id)
        )
    ).execution
    assert retried.status in (Ex.PENDING, Ex.RUNNING, Ex.COMPLETED)
    final = await wait_terminal(api, execution_id)
    assert final.status == Ex.COMPLETED
    assert json_format.MessageToDict(final.outputs) == {"out": "kept!"}
    assert final.workflow_version == 1
    assert recorder.calls[(execution_id, "first")] == 1  # not run again
    assert recorder.calls[(execution_id, "second")] == 2
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.executions.RetryExecution(
            ES.RetryExecutionRequest(workflow_execution_id=execution_id)
        )
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    events = await events_of(api, execution_id)
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert [e.type for e in events].count("execution.pending") == 2


async def test_stale_worker_writes_are_refused(
    server: DataflowServer, channel: grpc.aio.Channel
) -> None:
    api = stubs(channel)
    await server.executor.drain(0)  # claims are made by hand below
    wf = (
        await api.workflows.CreateWorkflow(
            create_request({"title": "t", "tasks": [task("a", "text.template", template="x")]})
        )
    ).workflow_id
    reply = await api.executions.ExecuteWorkflow(ES.ExecuteWorkflowRequest(workflow_id=wf))
    store = server.store
    (old,) = await store.claim_executions("worker-a", 10, 30)
    # Worker A's lease expires; worker B claims the execution.
    later = store.now().replace(year=store.now().year + 1)
    (new,) = await store.claim_executions("worker-b", 10, 30, now=later)
    assert new.execution_id == old.execution_id == reply.workflow_execution_id
    assert new.lease_token != old.lease_token
    stale = Transition(
        old.execution_id,
        old.lease_token,
        status=ExecutionStatus.RUNNING,
        events=(NewEvent("execution.running"),),
    )
    ([refused], _, _) = await store.apply_transitions([stale])
    assert isinstance(refused, LeaseLost)
    current = await store.get_execution(DEFAULT_TENANT, old.execution_id)
    assert (current.status, current.last_sequence) == (ExecutionStatus.PENDING, 1)
    fresh = Transition(
        new.execution_id,
        new.lease_token,
        status=ExecutionStatus.RUNNING,
        events=(NewEvent("execution.running"),),
    )
    ([events], _, _) = await store.apply_transitions([fresh])
    assert not isinstance(events, LeaseLost)
    assert [e.sequence for e in events] == [2]


async def test_watch_live_resume_and_filter(channel: grpc.aio.Channel, recorder: Recorder) -> None:
    api = stubs(channel)
    wf = (
        await api.workflows.CreateWorkflow(
            create_request(
                {
                    "title": "live",
                    "tasks": [task("h", "test.hold"), task("t", "text.template", template="x")],
                }
            )
        )
    ).workflow_id
    reply = await api.executions.ExecuteWorkflow(ES.ExecuteWorkflowRequest(workflow_id=wf))
    execution_id = reply.workflow_execution_id
    await asyncio.wait_for(recorder.started.wait(), 10)
    live = api.executions.WatchExecution(
        ES.WatchExecutionRequest(workflow_execution_id=execution_id)
    )
    outcome = api.executions.WatchExecution(
        ES.WatchExecutionRequest(
            workflow_execution_id=execution_id, event_types=["execution.completed"]
        )
    )
    first = (await live.read()).event
    assert first.sequence == 1 and first.execution.status == Ex.RUNNING
    recorder.release.set()
    rest = []
    while (message := await live.read()) is not grpc.aio.EOF:
        rest.append(message.event)
    all_events = [first, *rest]
    assert [e.sequence for e in all_events] == list(range(1, len(all_events) + 1))
    assert all_events[-1].type == "execution.completed"
    assert all_events[-1].execution.status == Ex.COMPLETED
    only = [m.event async for m in outcome]
    assert [e.type for e in only] == ["execution.completed"]
    assert only[0].execution.status == Ex.COMPLETED
    resumed = await events_of(api, execution_id, after=3)
    assert [e.sequence for e in resumed] == list(range(4, len(all_events) + 1))
    assert resumed[0].HasField("execution")
    assert await events_of(api, execution_id, after=len(all_events)) == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_thousand_concurrent_watchers(channel: grpc.aio.Channel, recorder: Recorder) -> None:
    api = stubs(channel)
    wf = (
        await api.workflows.CreateWorkflow(
            create_request(
                {
                    "title": "fan-out",
                    "tasks": [task("h", "test.hold")]
                    + [task(f"t{i}", "text.template", template=str(i)) for i in range(10)],
                }
            )
        )
    ).workflow_id
    reply = await api.executions.ExecuteWorkflow(ES.ExecuteWorkflowRequest(workflow_id=wf))
    execution_id = reply.workflow_execution_id
    await asyncio.wait_for(recorder.started.wait(), 10)
    calls = [
        api.executions.WatchExecution(ES.WatchExecutionRequest(workflow_execution_id=execution_id))
        for _ in range(1000)
    ]
    firsts = await asyncio.gather(*(c.read() for c in calls))
    assert all(f.event.sequence == 1 for f in firsts)
    recorder.release.set()

    async def drain(call: Any) -> list[int]:
        sequences = []
        while (message := await call.read()) is not grpc.aio.EOF:
            sequences.append(message.event.sequence)
        return sequences

    rests = await asyncio.wait_for(asyncio.gather(*(drain(c) for c in calls)), 120)
    final = await wait_terminal(api, execution_id)
    expected = list(range(2, final.last_sequence + 1))
    assert final.last_sequence == 2 + 2 * 11 + 1
    assert all(r == expected for r in rests)
