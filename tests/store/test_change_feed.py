"""Change feeds (store/change_feed.py): how one process learns that another one, on the
same database, committed events. Two stores on one database stand for two replicas."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping

import pytest

from dataflow_server.domain.access import DEFAULT_TENANT
from dataflow_server.domain.lifecycle import accepted_event
from dataflow_server.engine.events import EventHub
from dataflow_server.store.change_feed import (
    MAX_PAYLOAD_BYTES,
    PostgresChangeFeed,
    SqliteChangeFeed,
    change_feed,
    format_news,
    parse_news,
)
from dataflow_server.store.database import open_store
from dataflow_server.store.sql import SqlStore
from tests.store.test_store import definition, new_execution, we_id, wf_id

NEWS_TIMEOUT = 30  # a bound for a hung feed, not a measure (make bench measures latency)


def test_news_payloads_round_trip_and_stay_under_the_notify_limit() -> None:
    last = {f"we-{i:024d}": i + 1 for i in range(600)}
    payloads = format_news(last)
    assert len(payloads) > 1
    assert all(len(p.encode()) < MAX_PAYLOAD_BYTES for p in payloads)
    merged: dict[str, int] = {}
    for payload in payloads:
        merged.update(parse_news(payload))
    assert merged == last
    assert parse_news("we-a:3,garbage,:4,we-b:x,we-a:2") == {"we-a": 3}


class Recorder:
    """A feed's reports, as the event hub would receive them."""

    def __init__(self) -> None:
        self.reports: asyncio.Queue[Mapping[str, int] | None] = asyncio.Queue()

    def __call__(self, news: Mapping[str, int] | None) -> None:
        self.reports.put_nowait(news)

    async def news_of(self, execution_id: str) -> int:
        """The last sequence reported for `execution_id` (skipping other reports)."""
        while True:
            news = await asyncio.wait_for(self.reports.get(), NEWS_TIMEOUT)
            if news is not None and execution_id in news:
                return news[execution_id]


@contextlib.asynccontextmanager
async def running(
    store: SqlStore, recorder: Recorder
) -> AsyncIterator[PostgresChangeFeed | SqliteChangeFeed]:
    feed = change_feed(store)
    task = asyncio.create_task(feed.run(recorder, lambda: True))
    try:
        # Listening (PostgreSQL) or following the high-water mark (SQLite) starts with
        # "check everything": from then on nothing is missed.
        assert await asyncio.wait_for(recorder.reports.get(), NEWS_TIMEOUT) is None
        yield feed
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


@pytest.fixture
async def two_stores(database_url: str) -> AsyncIterator[tuple[SqlStore, SqlStore]]:
    a = await open_store(database_url)
    b = await open_store(database_url)
    try:
        yield a, b
    finally:
        await a.close()
        await b.close()


async def test_a_replica_hears_of_the_events_another_one_commits(
    two_stores: tuple[SqlStore, SqlStore],
) -> None:
    a, b = two_stores
    heard_by_a, heard_by_b = Recorder(), Recorder()
    async with running(a, heard_by_a) as feed_a, running(b, heard_by_b):
        workflow_id = wf_id()
        await a.create_workflow(DEFAULT_TENANT, workflow_id, definition())
        for _ in range(2):
            record, _ = await a.create_execution(new_execution(workflow_id))
            feed_a.announce(
                [accepted_event(record.execution_id, record.created_at)]
            )  # as the hub does after a commit
            assert await heard_by_b.news_of(record.execution_id) == 1
    # A process is not told of its own events (PostgreSQL filters its own
    # notifications; SQLite's high-water mark sees them, and the hub skips what
    # it already published).
    if b.dialect_name == "postgresql":
        assert heard_by_a.reports.empty()


async def test_the_hub_of_one_replica_delivers_what_another_one_publishes(
    two_stores: tuple[SqlStore, SqlStore],
) -> None:
    """The feed alone brings the news: the hubs' periodic check is set to an hour."""
    a, b = two_stores
    hub_a, hub_b = EventHub(), EventHub()
    hub_a.start_tailer(a, change_feed(a), interval=3600)
    hub_b.start_tailer(b, change_feed(b), interval=3600)
    try:
        workflow_id = wf_id()
        await a.create_workflow(DEFAULT_TENANT, workflow_id, definition())
        # The first execution may also be found by each hub's one check at start;
        # the second can only come through the feed.
        for _ in range(2):
            execution_id = we_id()
            with hub_b.subscribe(execution_id) as on_b:
                record, _ = await a.create_execution(
                    new_execution(workflow_id, execution_id=execution_id)
                )
                hub_a.publish(
                    [accepted_event(record.execution_id, record.created_at)]
                )  # as the server does after a create
                event = await asyncio.wait_for(on_b.next(), NEWS_TIMEOUT)
                assert event is not None
                assert (event.execution_id, event.sequence, event.type) == (
                    execution_id,
                    1,
                    "execution.pending",
                )
    finally:
        await hub_a.stop()
        await hub_b.stop()
