"""WatchExecution as server-sent events: exact resume by Last-Event-ID, many
concurrent clients, disconnects that release everything, keep-alives."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from dataflow_server.server import DataflowServer
from tests.http.sse_client import Frame, events, frames
from tests.support.engine_tasks import THREE_ECHOES, Recorder

HELD = {
    "title": "held, then an echo",
    "inputs": [],
    "tasks": [
        {"name": "wait", "type": "test.hold", "inputs": {}},
        {"name": "after", "type": "test.echo", "inputs": {"value": 1}},
    ],
    "outputs": [],
}


async def start(http: httpx.AsyncClient, definition: dict[str, Any]) -> str:
    created = await http.post("/workflows", json=definition)
    workflow_id = created.json()["workflow_id"]
    started = await http.post(f"/workflows/{workflow_id}/executions", json={})
    assert started.status_code == 201, started.text
    return f"/workflows/{workflow_id}/executions/{started.json()['workflow_execution_id']}"


def without_snapshot(frame: Frame) -> dict[str, Any]:
    event: dict[str, Any] = frame.json()
    event.pop("execution", None)
    return event


async def read_all(http: httpx.AsyncClient, url: str, **kwargs: Any) -> list[Frame]:
    async with http.stream("GET", url, **kwargs) as response:
        assert response.status_code == 200, await response.aread()
        assert response.headers["content-type"].startswith("text/event-stream")
        return await events(response)


async def until_watchers(server: DataflowServer, execution_id: str, count: int) -> None:
    # The hub has no "watchers changed" signal to wait on; poll its count.
    while server.hub.watcher_count(execution_id) != count:  # noqa: ASYNC110
        await asyncio.sleep(0.02)


async def test_a_finished_execution_replays_and_every_resume_is_exact(
    http: httpx.AsyncClient,
) -> None:
    path = await start(http, THREE_ECHOES)
    full = await read_all(http, f"{path}/events")
    assert full[-1].event == "execution.completed"  # the stream ended after it
    ids = [int(f.id) for f in full]
    assert ids == list(range(1, len(ids) + 1))
    for frame in full:
        assert frame.json()["type"] == frame.event and frame.json()["sequence"] == int(frame.id)
    # The first and the terminal event carry the execution snapshot.
    assert full[0].json()["execution"]["workflow_execution_id"] == path.rsplit("/", 1)[1]
    assert full[-1].json()["execution"]["status"] == "COMPLETED"
    assert all("execution" not in f.json() for f in full[1:-1])

    for last in range(len(ids)):
        resumed = await read_all(http, f"{path}/events", headers={"Last-Event-ID": str(last)})
        assert [int(f.id) for f in resumed] == ids[last:]
        assert [f.data for f in resumed[1:]] == [f.data for f in full[last + 1 :]]
    # The query form, for clients that cannot set headers.
    by_query = await read_all(http, f"{path}/events", params={"last_event_id": "2"})
    assert [int(f.id) for f in by_query] == ids[2:]
    only_terminal = await read_all(
        http, f"{path}/events", params={"event_types": "execution.completed"}
    )
    assert [f.event for f in only_terminal] == ["execution.completed"]


async def test_a_cut_stream_resumes_live_with_no_gap_and_no_duplicate(
    http: httpx.AsyncClient, recorder: Recorder
) -> None:
    path = await start(http, HELD)
    seen: list[Frame] = []
    async with http.stream("GET", f"{path}/events") as response:
        async for frame in frames(response):
            if frame.comment:
                continue
            seen.append(frame)
            if frame.event == "task.running":
                break  # the client goes away mid-run
    recorder.release.set()
    rest = await read_all(http, f"{path}/events", headers={"Last-Event-ID": seen[-1].id})
    joined = [int(f.id) for f in seen + rest]
    assert joined == list(range(1, len(joined) + 1))
    assert rest[-1].event == "execution.completed"
    # The same events as one uncut stream (a resumed stream's first event also
    # carries the snapshot, as every stream's first does).
    fresh = await read_all(http, f"{path}/events")
    assert [without_snapshot(f) for f in fresh] == [without_snapshot(f) for f in seen + rest]
    assert "execution" in rest[0].json()


async def test_200_concurrent_clients_all_get_every_event(
    server: DataflowServer, recorder: Recorder
) -> None:
    assert server.http is not None
    limits = httpx.Limits(max_connections=250, max_keepalive_connections=0)
    async with httpx.AsyncClient(
        base_url=f"http://{server.http.address}", limits=limits, timeout=120
    ) as http:
        path = await start(http, HELD)
        execution_id = path.rsplit("/", 1)[1]
        readers = [asyncio.create_task(read_all(http, f"{path}/events")) for _ in range(200)]
        await asyncio.wait_for(until_watchers(server, execution_id, 200), 60)
        recorder.release.set()
        streams = await asyncio.gather(*readers)
        expected = await read_all(http, f"{path}/events")
    assert expected[-1].event == "execution.completed"
    for stream in streams:
        assert [(f.id, f.event) for f in stream] == [(f.id, f.event) for f in expected]
        assert stream[-1].json()["execution"]["status"] == "COMPLETED"
    assert server.hub.watcher_count(execution_id) == 0


async def test_a_client_that_disconnects_costs_nothing_afterwards(
    server: DataflowServer, http: httpx.AsyncClient, recorder: Recorder
) -> None:
    path = await start(http, HELD)
    execution_id = path.rsplit("/", 1)[1]

    async def subscribe_and_wait() -> None:
        async with http.stream("GET", f"{path}/events") as response:
            async for _ in frames(response):
                pass

    clients = [asyncio.create_task(subscribe_and_wait()) for _ in range(20)]
    await asyncio.wait_for(until_watchers(server, execution_id, 20), 30)
    for client in clients:
        client.cancel()  # the connections close while the streams are idle
    await asyncio.gather(*clients, return_exceptions=True)
    # Every watcher is released at once: no keep-alive or event is needed to notice.
    await asyncio.wait_for(until_watchers(server, execution_id, 0), 10)
    recorder.release.set()
    final = await read_all(http, f"{path}/events", params={"event_types": "execution.completed"})
    assert final[-1].json()["execution"]["status"] == "COMPLETED"


@pytest.mark.parametrize("server_settings", [{"sse_keepalive_seconds": 0.1}])
async def test_idle_streams_get_keep_alive_comments(
    http: httpx.AsyncClient, recorder: Recorder
) -> None:
    path = await start(http, HELD)
    comments = 0
    async with http.stream("GET", f"{path}/events") as response:
        async for frame in frames(response):
            if frame.comment == "keep-alive":
                comments += 1
                if comments == 3:
                    recorder.release.set()
            if frame.event == "execution.completed":
                break
    assert comments >= 3


async def test_refusals_before_and_after_the_stream_starts(http: httpx.AsyncClient) -> None:
    path = await start(http, THREE_ECHOES)
    workflow_id = path.split("/")[2]
    other = (await http.post("/workflows", json=THREE_ECHOES)).json()["workflow_id"]
    moved = path.replace(workflow_id, other)
    response = await http.get(f"{moved}/events")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    bad = await http.get(f"{path}/events", headers={"Last-Event-ID": "soon"})
    assert bad.status_code == 400
    assert bad.json()["field_violations"][0]["field"] == "Last-Event-ID"
    # A bad filter is found by the watch itself: an `error` event ends the stream.
    (error,) = await read_all(http, f"{path}/events", params={"event_types": "task.exploded"})
    assert error.event == "error"
    assert error.json()["code"] == "INVALID_ARGUMENT"
    assert error.json()["field_violations"][0]["field"] == "event_types"


async def test_batched_events_are_the_same_frames(http: httpx.AsyncClient) -> None:
    """`batch_events=true` on the SSE route: several events per write, the same frames."""
    path = await start(http, THREE_ECHOES)
    await read_all(http, f"{path}/events")  # ends once the execution is terminal
    single = await read_all(http, f"{path}/events")
    batched = await read_all(http, f"{path}/events", params={"batch_events": "true"})
    assert [(f.id, f.event, f.data) for f in batched] == [(f.id, f.event, f.data) for f in single]
