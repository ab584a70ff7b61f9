"""A slow watcher never stalls the publisher: its bounded buffer overflows and its
stream ends with RESOURCE_EXHAUSTED naming the sequence to resume from."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dataflow_server.app.watch import WatchLagged, watch_execution
from dataflow_server.domain.access import DEFAULT_TENANT
from dataflow_server.domain.definitions import definition_from_dict
from dataflow_server.domain.records import EventRecord, ExecutionStatus, NewExecution
from dataflow_server.engine.events import EventHub
from dataflow_server.store.database import open_store


def _event(execution_id: str, sequence: int) -> EventRecord:
    return EventRecord(
        execution_id, sequence, "task.running", ExecutionStatus.RUNNING, datetime.now(UTC), "t"
    )


async def test_hub_buffer_is_bounded_and_publishing_never_blocks() -> None:
    hub = EventHub(buffer_size=3)
    slow = hub.subscribe("we-aaaaaaaaaaaa")
    fast = hub.subscribe("we-aaaaaaaaaaaa")
    other = hub.subscribe("we-bbbbbbbbbbbb")
    for sequence in range(1, 6):
        hub.publish([_event("we-aaaaaaaaaaaa", sequence)])
        event = await fast.next(timeout=0)
        assert event is not None and event.sequence == sequence
    assert [(await slow.next(timeout=0)).sequence for _ in range(3)] == [1, 2, 3]  # type: ignore[union-attr]
    assert await slow.next(timeout=0) is None and slow.overflowed
    assert not fast.overflowed
    assert await other.next(timeout=0) is None and not other.overflowed
    slow.close()
    assert hub.watcher_count("we-aaaaaaaaaaaa") == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_lagging_watch_ends_with_the_sequence_to_resume_from(database_url: str) -> None:
    store = await open_store(database_url)
    try:
        workflow = await store.create_workflow(
            DEFAULT_TENANT,
            "wf-aaaaaaaaaaaa",
            definition_from_dict(
                {"title": "t", "tasks": [{"name": "t", "type": "text.template", "inputs": {}}]}
            ),
        )
        record, _ = await store.create_execution(
            NewExecution(
                "we-aaaaaaaaaaaa",
                workflow.workflow_id,
                1,
                {},
                (("t", "text.template"),),
                tenant_id=DEFAULT_TENANT,
            )
        )
        hub = EventHub(buffer_size=2)
        stream = watch_execution(store, hub, DEFAULT_TENANT, record.execution_id).__aiter__()
        first = await stream.__anext__()
        assert first.event.sequence == 1 and first.snapshot is not None
        # The watcher stops reading while five events are published.
        for sequence in range(2, 7):
            hub.publish([_event(record.execution_id, sequence)])
        assert (await stream.__anext__()).event.sequence == 2
        assert (await stream.__anext__()).event.sequence == 3
        with pytest.raises(WatchLagged) as lagged:
            await stream.__anext__()
        assert lagged.value.last_sequence == 3
        assert "after_sequence=3" in lagged.value.message
    finally:
        await store.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_tailer_publishes_events_written_elsewhere(database_url: str) -> None:
    """Events another replica wrote (not published here) reach watchers with one query."""
    from dataflow_server.domain.lifecycle import NewEvent, Transition

    store = await open_store(database_url)
    try:
        await store.create_workflow(
            DEFAULT_TENANT,
            "wf-aaaaaaaaaaaa",
            definition_from_dict(
                {"title": "t", "tasks": [{"name": "t", "type": "text.template", "inputs": {}}]}
            ),
        )
        await store.create_execution(
            NewExecution(
                "we-aaaaaaaaaaaa",
                "wf-aaaaaaaaaaaa",
                1,
                {},
                (("t", "text.template"),),
                tenant_id=DEFAULT_TENANT,
            )
        )
        hub = EventHub()
        watcher = hub.subscribe("we-aaaaaaaaaaaa")
        watcher.position = 1  # it has replayed event 1
        await hub.tail_once(store)
        assert await watcher.next(timeout=0) is None  # nothing new yet
        await store.apply_transitions(  # "another replica" writes
            [
                Transition(
                    "we-aaaaaaaaaaaa",
                    None,
                    status=ExecutionStatus.RUNNING,
                    events=(NewEvent("execution.running"), NewEvent("task.running", "t")),
                )
            ]
        )
        await hub.tail_once(store)
        got = [await watcher.next(timeout=0) for _ in range(2)]
        assert [(e.sequence, e.type) for e in got if e] == [
            (2, "execution.running"),
            (3, "task.running"),
        ]
        await hub.tail_once(store)  # already published: nothing twice
        assert await watcher.next(timeout=0) is None
    finally:
        await store.close()
