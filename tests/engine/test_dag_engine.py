"""Graphs through the API: parallel branches, conditions, maps, failures, cancel and
retry. In-process server on a real port, SQLite and PostgreSQL.

Timing is read from the execution's own events (their order and timestamps), never
from a wall clock around the call.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

import grpc
from google.protobuf import json_format

from dataflow.v1 import execution_pb2, execution_service_pb2
from tests.engine.test_engine import events_of, run_workflow
from tests.support.api import create_request, stubs, wait_terminal
from tests.support.engine_tasks import Recorder

ES = execution_service_pb2
Ex = execution_pb2.Execution
TR = execution_pb2.TaskRun


def step(name: str, value: Any, **rules: Any) -> dict[str, Any]:
    """A test.step task: waits `seconds`, returns `value`, fails when value == fail_on."""
    inputs = {"value": value}
    for key in ("seconds", "fail_on"):
        if key in rules:
            inputs[key] = rules.pop(key)
    return {"name": name, "type": "test.step", "inputs": inputs, **rules}


def outputs_of(message: Any) -> dict[str, Any]:
    return json_format.MessageToDict(message)


def gap_free(events: list[Any]) -> None:
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))


async def test_independent_branches_run_at_the_same_time(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    definition = {
        "title": "two naps and a join",
        "tasks": [
            {"name": "a", "type": "core.sleep", "depends_on": [], "inputs": {"seconds": 1}},
            {"name": "b", "type": "core.sleep", "depends_on": [], "inputs": {"seconds": 1}},
            {
                "name": "join",
                "type": "text.template",
                "depends_on": ["a", "b"],
                "inputs": {"template": "both"},
            },
        ],
        "outputs": [{"name": "out", "type": "text", "value": "{{tasks.join.outputs.text}}"}],
    }
    execution_id, final = await run_workflow(api, definition)
    assert final.status == Ex.COMPLETED
    assert outputs_of(final.outputs) == {"out": "both"}
    events = await events_of(api, execution_id)
    gap_free(events)
    at = {(e.type, e.task_name): e for e in events}
    starts = [at[("task.running", n)] for n in ("a", "b")]
    ends = [at[("task.completed", n)] for n in ("a", "b")]
    # Both naps were running at once: each started before the other ended.
    assert max(e.sequence for e in starts) < min(e.sequence for e in ends)
    latest_start = max(e.timestamp.ToDatetime() for e in starts)
    earliest_end = min(e.timestamp.ToDatetime() for e in ends)
    assert latest_start < earliest_end
    join_start = at[("task.running", "join")].sequence
    assert join_start > max(e.sequence for e in ends)


async def test_false_condition_skips_and_the_workflow_completes(
    channel: grpc.aio.Channel,
) -> None:
    api = stubs(channel)
    definition = {
        "title": "translate unless English",
        "inputs": [{"name": "lang", "type": "text"}],
        "tasks": [
            {"name": "detect", "type": "text.template", "inputs": {"template": "{{inputs.lang}}"}},
            {
                "name": "translate",
                "type": "text.template",
                "when": "tasks.detect.outputs.text != 'en'",
                "inputs": {"template": "translated from {{tasks.detect.outputs.text}}"},
            },
            {
                "name": "speak",
                "type": "text.template",
                "inputs": {"template": "{{tasks.translate.outputs.text}}!"},
            },
            {
                "name": "report",
                "type": "text.template",
                "depends_on": ["speak"],
                "allow_skipped_dependencies": True,
                "inputs": {"template": "[{{tasks.speak.outputs.text}}]"},
            },
        ],
        "outputs": [
            {
                "name": "text",
                "type": "text",
                "value": "{{tasks.translate.outputs.text}}",
                "default": "as is",
            },
            {"name": "report", "type": "text", "value": "{{tasks.report.outputs.text}}"},
        ],
    }
    execution_id, final = await run_workflow(api, definition, {"lang": "en"})
    assert final.status == Ex.COMPLETED
    assert outputs_of(final.outputs) == {"text": "as is", "report": "[]"}
    by_name = {t.name: t for t in final.tasks}
    assert [t.status for t in final.tasks] == [TR.COMPLETED, TR.SKIPPED, TR.SKIPPED, TR.COMPLETED]
    assert by_name["translate"].skip_reason == "when is false: tasks.detect.outputs.text != 'en'"
    assert by_name["speak"].skip_reason == "tasks.translate was skipped"
    events = await events_of(api, execution_id)
    gap_free(events)
    skipped = [(e.task_name, e.skip_reason) for e in events if e.type == "task.skipped"]
    assert skipped == [
        ("translate", "when is false: tasks.detect.outputs.text != 'en'"),
        ("speak", "tasks.translate was skipped"),
    ]

    _, final = await run_workflow(api, definition, {"lang": "fr"})
    assert final.status == Ex.COMPLETED
    assert outputs_of(final.outputs) == {
        "text": "translated from fr",
        "report": "[translated from fr!]",
    }


async def test_map_runs_in_waves_of_max_parallel_and_keeps_item_order(
    channel: grpc.aio.Channel,
) -> None:
    api = stubs(channel)
    definition = {
        "title": "map",
        "inputs": [{"name": "words", "type": "json"}],
        "tasks": [
            step(
                "shout",
                "{{index}}:{{item}}",
                seconds=0.3,
                for_each="{{inputs.words}}",
                max_parallel=2,
            ),
        ],
        "outputs": [{"name": "out", "type": "json", "value": "{{tasks.shout.outputs.value}}"}],
    }
    words = ["a", "b", "c", "d", "e", "f"]
    execution_id, final = await run_workflow(api, definition, {"words": words})
    assert final.status == Ex.COMPLETED
    expected = [f"{i}:{w}" for i, w in enumerate(words)]
    assert outputs_of(final.outputs) == {"out": expected}
    (shout,) = final.tasks
    assert [item.index for item in shout.items] == list(range(6))
    assert [item.status for item in shout.items] == [TR.COMPLETED] * 6
    assert [outputs_of(item.outputs) for item in shout.items] == [{"value": v} for v in expected]
    events = await events_of(api, execution_id)
    gap_free(events)
    # Replay the item events: never more than two at once, and three waves.
    running: set[int] = set()
    most = 0
    started_after: dict[int, set[int]] = {}
    done: set[int] = set()
    for e in events:
        if e.type == "task.item.running":
            running.add(e.item_index)
            started_after[e.item_index] = set(done)
            most = max(most, len(running))
        elif e.type == "task.item.completed":
            running.discard(e.item_index)
            done.add(e.item_index)
    assert most == 2
    assert [len(started_after[i]) >= 2 * (i // 2) for i in range(6)] == [True] * 6
    assert {len(started_after[i]) for i in (0, 1)} == {0}


async def test_a_failing_item_fails_the_task_after_the_others(
    channel: grpc.aio.Channel, recorder: Recorder
) -> None:
    api = stubs(channel)
    definition = {
        "title": "map with a bad item",
        "inputs": [{"name": "words", "type": "json"}],
        "tasks": [
            step(
                "each",
                "{{item}}",
                fail_on="bad",
                seconds=0.2,
                for_each="{{inputs.words}}",
                max_parallel=2,
            ),
            step("after", "{{tasks.each.outputs.value}}"),
        ],
    }
    execution_id, final = await run_workflow(api, definition, {"words": ["a", "bad", "c", "d"]})
    assert final.status == Ex.FAILED
    assert (final.error.code, final.error.task_name) == ("ITEM_FAILED", "each")
    assert "items[1]" in final.error.message
    each, after = final.tasks
    assert each.status == TR.FAILED and after.status == TR.SKIPPED
    # Item 0 ran beside the bad one and finished; nothing started after the failure.
    assert [i.status for i in each.items] == [TR.COMPLETED, TR.FAILED, TR.SKIPPED, TR.SKIPPED]
    assert each.items[1].error.code == "BAD_VALUE"
    assert recorder.calls[(execution_id, "each[2]")] == 0
    gap_free(await events_of(api, execution_id))


async def test_cancel_in_the_middle_of_a_map(channel: grpc.aio.Channel, recorder: Recorder) -> None:
    api = stubs(channel)
    definition = {
        "title": "held map",
        "inputs": [{"name": "n", "type": "json"}],
        "tasks": [
            {
                "name": "hold",
                "type": "test.hold",
                "for_each": "{{inputs.n}}",
                "max_parallel": 2,
                "inputs": {},
            },
            {"name": "later", "type": "text.template", "inputs": {"template": "x"}},
        ],
    }
    wf = (await api.workflows.CreateWorkflow(create_request(definition))).workflow_id
    started = await api.executions.ExecuteWorkflow(
        json_format.ParseDict(
            {"workflow_id": wf, "inputs": {"n": [1, 2, 3, 4]}}, ES.ExecuteWorkflowRequest()
        )
    )
    execution_id = started.workflow_execution_id
    await asyncio.wait_for(recorder.started.wait(), 10)
    await api.executions.CancelExecution(
        ES.CancelExecutionRequest(workflow_execution_id=execution_id)
    )
    final = await wait_terminal(api, execution_id)
    assert final.status == Ex.CANCELLED
    hold, later = final.tasks
    assert (hold.status, later.status) == (TR.CANCELLED, TR.SKIPPED)
    assert [i.status for i in hold.items] == [TR.CANCELLED, TR.CANCELLED, TR.SKIPPED, TR.SKIPPED]
    events = await events_of(api, execution_id)
    gap_free(events)
    assert [e.item_index for e in events if e.type == "task.item.cancelled"] == [0, 1]


async def test_retry_reruns_only_the_failed_branch_and_items(
    channel: grpc.aio.Channel, recorder: Recorder
) -> None:
    api = stubs(channel)
    definition = {
        "title": "branches",
        "inputs": [{"name": "words", "type": "json"}],
        "tasks": [
            step("ok", "fine", depends_on=[]),
            step("each", "{{item}}", for_each="{{inputs.words}}", max_parallel=1, depends_on=[]),
            {
                "name": "flaky",
                "type": "test.flaky",
                "depends_on": ["each"],
                "inputs": {"succeed_on": 2},
                "retry": {"max_attempts": 1},
            },
            step("join", "{{tasks.flaky.outputs.attempt}}", depends_on=["ok", "flaky", "each"]),
        ],
        "outputs": [{"name": "each", "type": "json", "value": "{{tasks.each.outputs.value}}"}],
    }
    execution_id, final = await run_workflow(api, definition, {"words": ["x", "y"]})
    assert final.status == Ex.FAILED
    assert [t.status for t in final.tasks] == [TR.COMPLETED, TR.COMPLETED, TR.FAILED, TR.SKIPPED]
    await api.executions.RetryExecution(
        ES.RetryExecutionRequest(workflow_execution_id=execution_id)
    )
    final = await wait_terminal(api, execution_id)
    assert final.status == Ex.COMPLETED, final.error
    assert outputs_of(final.outputs) == {"each": ["x", "y"]}
    calls = defaultdict(int, {k[1]: v for k, v in recorder.calls.items() if k[0] == execution_id})
    assert (calls["ok"], calls["flaky"], calls["each[0]"], calls["each[1]"], calls["join"]) == (
        1,
        2,
        1,
        1,
        1,
    )
    gap_free(await events_of(api, execution_id))


async def test_retry_of_a_failed_item_keeps_the_completed_ones(
    channel: grpc.aio.Channel, recorder: Recorder
) -> None:
    api = stubs(channel)
    definition = {
        "title": "flaky items",
        "inputs": [{"name": "words", "type": "json"}],
        "tasks": [
            {
                "name": "each",
                "type": "test.flaky",
                "for_each": "{{inputs.words}}",
                "inputs": {"succeed_on": "{{item}}"},
                "retry": {"max_attempts": 1},
            },
        ],
        "outputs": [{"name": "n", "type": "json", "value": "{{tasks.each.outputs.attempt}}"}],
    }
    execution_id, final = await run_workflow(api, definition, {"words": [1, 2, 1]})
    assert final.status == Ex.FAILED
    assert [i.status for i in final.tasks[0].items] == [TR.COMPLETED, TR.FAILED, TR.COMPLETED]
    await api.executions.RetryExecution(
        ES.RetryExecutionRequest(workflow_execution_id=execution_id)
    )
    final = await wait_terminal(api, execution_id)
    assert final.status == Ex.COMPLETED
    assert [recorder.calls[(execution_id, f"each[{j}]")] for j in range(3)] == [1, 2, 1]
