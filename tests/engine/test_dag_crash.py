"""A real server process killed with SIGKILL in the middle of parallel branches and a
map: the restarted server resumes every branch and never re-runs completed tasks or
items (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

from google.protobuf import json_format

from dataflow.v1 import execution_pb2
from tests.engine.test_crash_safety import _events, _executions, _submit_definition
from tests.support.servers import ServerProcess

Ex = execution_pb2.Execution
TERMINAL = (Ex.COMPLETED, Ex.FAILED, Ex.CANCELLED)
WORDS = ["a", "b", "c", "d", "e", "f"]

GRAPH = {
    "title": "branches and a map with naps",
    "inputs": [{"name": "words", "type": "json"}],
    "tasks": [
        {"name": "left", "type": "core.sleep", "depends_on": [], "inputs": {"seconds": 1.5}},
        {"name": "right", "type": "core.sleep", "depends_on": [], "inputs": {"seconds": 1.5}},
        {
            "name": "naps",
            "type": "core.sleep",
            "depends_on": [],
            "for_each": "{{inputs.words}}",
            "max_parallel": 2,
            "inputs": {"seconds": 0.6},
        },
        {
            "name": "label",
            "type": "text.template",
            "depends_on": [],
            "for_each": "{{inputs.words}}",
            "inputs": {"template": "{{index}}:{{item}}"},
        },
        {
            "name": "join",
            "type": "text.template",
            "depends_on": ["left", "right", "naps"],
            "inputs": {"template": "labels: {{tasks.label.outputs.text}}"},
        },
    ],
    "outputs": [{"name": "out", "type": "text", "value": "{{tasks.join.outputs.text}}"}],
}


def _in_the_middle(execution: Any) -> bool:
    """Branches running and the map part-way: some items done, some not."""
    by_name = {t.name: t for t in execution.tasks}
    items = [i.status for i in by_name["naps"].items]
    return (
        by_name["left"].status == execution_pb2.TaskRun.RUNNING
        and execution_pb2.TaskRun.COMPLETED in items
        and execution_pb2.TaskRun.PENDING in items
    )


def test_sigkill_in_a_parallel_section_resumes_every_branch(
    server_process: ServerProcess,
) -> None:
    address = server_process.address
    ids = _submit_definition(address, GRAPH, [{"words": WORDS} for _ in range(3)])
    deadline = time.monotonic() + 30
    caught = False
    while not caught and time.monotonic() < deadline:
        caught = any(_in_the_middle(e) for e in _executions(address, ids))
    assert caught, "never caught in the middle of the parallel section"
    server_process.kill()

    server_process.start()
    deadline = time.monotonic() + 90
    while True:
        final = _executions(address, ids)
        if all(e.status in TERMINAL for e in final) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert [e.status for e in final] == [Ex.COMPLETED] * len(ids), server_process.log()[-3000:]
    for execution in final:
        assert json_format.MessageToDict(execution.outputs) == {
            "out": "labels: "
            + json.dumps([f"{i}:{w}" for i, w in enumerate(WORDS)], separators=(",", ":"))
        }
        events = _events(address, execution.workflow_execution_id)
        assert [e.sequence for e in events] == list(range(1, len(events) + 1))
        units = [(e.task_name, e.item_index if e.HasField("item_index") else None) for e in events]
        completed = Counter(
            u for u, e in zip(units, events, strict=True) if e.type.endswith(".completed")
        )
        assert completed[("naps", None)] == 1 and completed[("left", None)] == 1
        assert all(n == 1 for n in completed.values()), completed
        assert {u for u in completed if u[0] == "naps" and u[1] is not None} == {
            ("naps", j) for j in range(len(WORDS))
        }
        # Nothing ran again after it had completed.
        done: set[tuple[str, int | None]] = set()
        for unit, e in zip(units, events, strict=True):
            if e.type in ("task.running", "task.item.running"):
                assert unit not in done, (unit, e.sequence)
            if e.type.endswith(".completed") and e.task_name:
                done.add(unit)
