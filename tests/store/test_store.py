"""The SQL store on SQLite and on a real PostgreSQL (through `database_url`)."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, func, select, text
from sqlalchemy.engine import make_url

from dataflow_server.domain.access import DEFAULT_TENANT
from dataflow_server.domain.definitions import WorkflowDefinition, definition_from_dict
from dataflow_server.domain.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
)
from dataflow_server.domain.records import (
    ExecutionStatus,
    FileRecord,
    NewExecution,
    TaskStatus,
    WorkflowState,
)
from dataflow_server.store.database import (
    alembic_config,
    create_engine,
    current_revision,
    default_sqlite_url,
    normalize_database_url,
    open_store,
    run_migrations,
)
from dataflow_server.store.errors import StoreUnavailable
from dataflow_server.store.executions import EV, TR, E
from dataflow_server.store.models import metadata
from dataflow_server.store.pagination import decode_cursor, encode_cursor
from dataflow_server.store.sql import SqlStore

HEAD = "0007_ui_sessions"
TABLES = {
    "workflows",
    "workflow_versions",
    "executions",
    "task_runs",
    "execution_events",
    "webhook_deliveries",
    "webhook_attempts",
    "files",
    "settings",
    "api_keys",
    "secrets",
    "ui_sessions",
}
_ids = itertools.count(1)


def wf_id() -> str:
    return f"wf-test{next(_ids):08d}"


def we_id() -> str:
    return f"we-test{next(_ids):08d}"


def definition(title: str = "Hello", tasks: int = 2) -> WorkflowDefinition:
    return definition_from_dict(
        {
            "title": title,
            "inputs": [{"name": "text", "type": "text"}],
            "tasks": [
                {
                    "name": f"t{i}",
                    "type": "text.template",
                    "inputs": {"template": "{{inputs.text}}"},
                }
                for i in range(tasks)
            ],
            "outputs": [{"name": "out", "type": "text", "value": "{{tasks.t0.outputs.text}}"}],
        }
    )


def new_execution(workflow_id: str, version: int = 1, **kw: Any) -> NewExecution:
    return NewExecution(
        execution_id=kw.pop("execution_id", None) or we_id(),
        workflow_id=workflow_id,
        workflow_version=version,
        inputs=kw.pop("inputs", {"text": "hi"}),
        task_names_and_types=kw.pop("tasks", (("t0", "text.template"), ("t1", "text.template"))),
        tenant_id=kw.pop("tenant_id", DEFAULT_TENANT),
        **kw,
    )


class StepClock:
    """A clock that moves forward by `step` each call (or stands still with 0)."""

    def __init__(self, step: timedelta = timedelta(milliseconds=1)) -> None:
        self.now = datetime(2030, 1, 1, tzinfo=UTC)
        self.step = step

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


async def open_with_clock(url: str, clock: Callable[[], datetime]) -> SqlStore:
    return await open_store(url, clock=clock)


async def count(store: SqlStore, stmt: Any) -> int:
    async with store.read_transaction() as conn:
        return int((await conn.execute(stmt)).scalar_one())


# --- URLs -----------------------------------------------------------------


def test_normalize_database_url() -> None:
    assert (
        normalize_database_url("postgres://u:p@h:5432/db") == "postgresql+asyncpg://u:p@h:5432/db"
    )
    assert normalize_database_url("postgresql://h/db?x=1") == "postgresql+asyncpg://h/db?x=1"
    assert normalize_database_url("postgresql+psycopg2://h/db") == "postgresql+asyncpg://h/db"
    assert normalize_database_url("postgresql+asyncpg://h/db") == "postgresql+asyncpg://h/db"
    assert normalize_database_url("sqlite:///rel.db") == "sqlite+aiosqlite:///rel.db"
    assert normalize_database_url("sqlite:////abs/x.db") == "sqlite+aiosqlite:////abs/x.db"
    assert normalize_database_url(" sqlite+aiosqlite:///x.db ") == "sqlite+aiosqlite:///x.db"
    for bad in ("mysql://h/db", "nonsense", ""):
        with pytest.raises(ValueError):
            normalize_database_url(bad)


def test_default_sqlite_url(tmp_path: Path) -> None:
    url = default_sqlite_url(tmp_path / "data")
    assert url.startswith("sqlite+aiosqlite:///")
    assert make_url(url).database == str(tmp_path / "data" / "dataflow.db")
    assert (tmp_path / "data").is_dir()


def test_cursor_round_trip() -> None:
    at = datetime(2030, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    cursor = decode_cursor(encode_cursor(at, "wf-abc12345"))
    assert cursor is not None
    assert (cursor.created_at, cursor.id) == (at, "wf-abc12345")
    assert decode_cursor(None) is None and decode_cursor("") is None


def _b64(obj: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


MALFORMED_TOKENS = [
    "%%%not-base64%%%",
    "Zm9v",  # "foo": not JSON
    _b64({"a": 1}),
    _b64(["2030-01-01T00:00:00+00:00"]),
    _b64(["not a time", "wf-abc12345"]),
    _b64(["2030-01-01T00:00:00", "wf-abc12345"]),  # naive
    _b64([1, 2]),
    "A" * 600,
]


@pytest.mark.parametrize("token", MALFORMED_TOKENS)
def test_malformed_cursor(token: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        decode_cursor(token)
    assert [v.field for v in info.value.violations] == ["page_token"]


async def test_unreachable_database_is_unavailable() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    with pytest.raises(StoreUnavailable):
        await open_store(f"postgresql://nobody@127.0.0.1:{port}/nothing")


# --- migrations -----------------------------------------------------------


async def test_migrations_apply_and_reapply(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert await current_revision(engine) is None
        await run_migrations(engine)
        assert await current_revision(engine) == HEAD
        await run_migrations(engine)  # idempotent
        assert await current_revision(engine) == HEAD

        def inspect(conn: Connection) -> tuple[set[str], list[Any]]:
            from sqlalchemy import inspect as sa_inspect

            names = set(sa_inspect(conn).get_table_names())
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            return names, compare_metadata(ctx, metadata)

        async with engine.connect() as conn:
            names, diff = await conn.run_sync(inspect)
        assert TABLES | {"alembic_version"} <= names
        # The hand-written migration creates exactly what the models declare.
        assert diff == []
    finally:
        await engine.dispose()


async def test_concurrent_migrations(database_url: str) -> None:
    engines = [create_engine(database_url) for _ in range(4)]
    try:
        await asyncio.gather(*(run_migrations(e) for e in engines))
        for e in engines:
            assert await current_revision(e) == HEAD
    finally:
        for e in engines:
            await e.dispose()


async def test_alembic_command_without_ini(database_url: str) -> None:
    """`alembic` commands work through the in-code config (env.py opens its own engine)."""
    from alembic import command

    await asyncio.to_thread(command.upgrade, alembic_config(database_url), "head")
    engine = create_engine(database_url)
    try:
        assert await current_revision(engine) == HEAD
    finally:
        await engine.dispose()


async def test_open_store_twice_on_same_database(database_url: str) -> None:
    first = await open_store(database_url)
    await first.create_workflow(DEFAULT_TENANT, "wf-keep00001", definition())
    await first.close()
    second = await open_store(database_url)  # migrations re-run: no-op, data kept
    try:
        assert (await second.get_workflow(DEFAULT_TENANT, "wf-keep00001")).version == 1
    finally:
        await second.close()


# --- workflows ------------------------------------------------------------


async def test_workflow_versions(store: SqlStore) -> None:
    wid = wf_id()
    created = await store.create_workflow(DEFAULT_TENANT, wid, definition("v1"))
    assert (created.version, created.state) == (1, WorkflowState.ACTIVE)
    assert created.created_at.tzinfo is not None

    v2 = await store.add_workflow_version(DEFAULT_TENANT, wid, definition("v2", tasks=3))
    v3 = await store.add_workflow_version(DEFAULT_TENANT, wid, definition("v3"))
    assert (v2.version, v3.version) == (2, 3)
    assert v3.created_at == created.created_at  # creation of version 1

    latest = await store.get_workflow(DEFAULT_TENANT, wid)
    assert (latest.version, latest.definition.title) == (3, "v3")
    assert latest.definition == definition("v3")
    assert latest.created_at == created.created_at
    first = await store.get_workflow(DEFAULT_TENANT, wid, 1)
    assert (first.version, first.definition) == (1, definition("v1"))
    second = await store.get_workflow(DEFAULT_TENANT, wid, 2)
    assert len(second.definition.tasks) == 3

    with pytest.raises(NotFound, match="version 4"):
        await store.get_workflow(DEFAULT_TENANT, wid, 4)
    with pytest.raises(NotFound, match="wf-missing00"):
        await store.get_workflow(DEFAULT_TENANT, "wf-missing00")
    with pytest.raises(NotFound, match="wf-missing00"):
        await store.add_workflow_version(DEFAULT_TENANT, "wf-missing00", definition())
    with pytest.raises(AlreadyExists):
        await store.create_workflow(DEFAULT_TENANT, wid, definition())


async def test_archive(store: SqlStore) -> None:
    wid = wf_id()
    await store.create_workflow(DEFAULT_TENANT, wid, definition())
    await store.create_execution(new_execution(wid, request_id="before-archive", request_hash="h"))
    archived = await store.archive_workflow(DEFAULT_TENANT, wid)
    assert archived.state == WorkflowState.ARCHIVED
    again = await store.archive_workflow(DEFAULT_TENANT, wid)  # idempotent
    assert again.state == WorkflowState.ARCHIVED and again.version == 1
    assert (await store.get_workflow(DEFAULT_TENANT, wid)).state == WorkflowState.ARCHIVED

    with pytest.raises(FailedPrecondition):
        await store.add_workflow_version(DEFAULT_TENANT, wid, definition())
    assert (await store.get_workflow(DEFAULT_TENANT, wid)).version == 1
    with pytest.raises(FailedPrecondition):
        await store.create_execution(new_execution(wid))
    # A replay of a request accepted before the archive still answers.
    replay, created = await store.create_execution(
        new_execution(wid, request_id="before-archive", request_hash="h")
    )
    assert not created and replay.workflow_id == wid
    with pytest.raises(NotFound):
        await store.archive_workflow(DEFAULT_TENANT, "wf-missing00")

    listed = await store.list_workflows(DEFAULT_TENANT, 100, None)
    assert wid not in [w.workflow_id for w in listed.items]
    listed = await store.list_workflows(DEFAULT_TENANT, 100, None, show_archived=True)
    assert wid in [w.workflow_id for w in listed.items]


async def collect_pages(
    fetch: Callable[[str | None], Any], key: Callable[[Any], str]
) -> tuple[list[str], int]:
    ids: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        page = await fetch(token)
        pages += 1
        ids.extend(key(item) for item in page.items)
        token = page.next_cursor
        if token is None:
            return ids, pages
        assert pages < 100


async def test_list_workflows_pagination(database_url: str) -> None:
    # Three workflows share one timestamp: the id breaks the tie.
    clock = StepClock()
    store = await open_with_clock(database_url, clock)
    try:
        created: list[tuple[datetime, str]] = []
        for i in range(8):
            clock.step = timedelta(0) if i in (3, 4) else timedelta(seconds=1)
            rec = await store.create_workflow(DEFAULT_TENANT, wf_id(), definition(f"w{i}"))
            created.append((rec.created_at, rec.workflow_id))
        assert created[2][0] == created[3][0] == created[4][0]
        # A later version does not change the order (by creation of version 1).
        await store.add_workflow_version(DEFAULT_TENANT, created[0][1], definition("w0 v2"))
        expected = [wid for _, wid in sorted(created, reverse=True)]
        assert expected[-1] == created[0][1]

        ids, pages = await collect_pages(
            lambda t: store.list_workflows(DEFAULT_TENANT, 3, t), lambda w: w.workflow_id
        )
        assert ids == expected
        assert pages == 3
        whole = await store.list_workflows(DEFAULT_TENANT, 1000, None)
        assert [w.workflow_id for w in whole.items] == expected and whole.next_cursor is None
        oldest = whole.items[-1]
        assert (oldest.version, oldest.definition.title) == (2, "w0 v2")  # latest version

        exact = await store.list_workflows(DEFAULT_TENANT, 8, None)
        assert len(exact.items) == 8 and exact.next_cursor is None

        with pytest.raises(InvalidArgument) as info:
            await store.list_workflows(DEFAULT_TENANT, 3, "definitely-not-a-token")
        assert info.value.violations[0].field == "page_token"
    finally:
        await store.close()


# --- executions -----------------------------------------------------------


async def test_create_execution_writes_tasks_and_first_event(store: SqlStore) -> None:
    wid = wf_id()
    await store.create_workflow(DEFAULT_TENANT, wid, definition())
    await store.add_workflow_version(DEFAULT_TENANT, wid, definition(tasks=3))
    inputs = {"text": "héllo ✓", "z": 1, "a": [1.5, None, {"b": True}], "m": {"y": 2, "x": 1}}
    new = new_execution(
        wid,
        version=2,
        inputs=inputs,
        tasks=(("t0", "text.template"), ("t1", "text.template"), ("t2", "core.sleep")),
        webhook_url="https://example.com/hook",
    )
    rec, created = await store.create_execution(new)
    assert created
    assert (rec.status, rec.workflow_version, rec.last_sequence) == (ExecutionStatus.PENDING, 2, 1)

    got = await store.get_execution(DEFAULT_TENANT, new.execution_id)
    assert got.status == ExecutionStatus.PENDING
    assert got.workflow_id == wid and got.workflow_version == 2
    assert got.inputs == inputs
    assert list(got.inputs) == ["text", "z", "a", "m"]  # key order kept
    assert list(got.inputs["m"]) == ["y", "x"]
    assert got.webhook_url == "https://example.com/hook"
    assert got.outputs is None and got.error is None and got.started_at is None
    assert got.created_at == rec.created_at and got.created_at.tzinfo is not None
    assert got.last_sequence == 1
    assert [(t.position, t.name, t.type, t.status, t.attempts) for t in got.tasks] == [
        (0, "t0", "text.template", TaskStatus.PENDING, 0),
        (1, "t1", "text.template", TaskStatus.PENDING, 0),
        (2, "t2", "core.sleep", TaskStatus.PENDING, 0),
    ]
    assert got.tasks == rec.tasks

    events = await store.list_events(DEFAULT_TENANT, new.execution_id)
    assert [(e.sequence, e.type, e.status) for e in events] == [
        (1, "execution.pending", ExecutionStatus.PENDING)
    ]
    assert events[0].timestamp == rec.created_at
    assert await store.list_events(DEFAULT_TENANT, new.execution_id, after_sequence=1) == []

    # Queue columns: claimable now, no lease.
    async with store.read_transaction() as conn:
        row = (await conn.execute(select(E).where(E.c.id == new.execution_id))).one()
    assert row.available_at == rec.created_at
    assert row.lease_owner is None and row.lease_token is None and row.lease_expires_at is None
    assert row.cancel_requested is False and row.attempt_epoch == 0

    with pytest.raises(NotFound):
        await store.get_execution(DEFAULT_TENANT, "we-missing00")


async def test_create_execution_refusals_store_nothing(store: SqlStore) -> None:
    wid = wf_id()
    await store.create_workflow(DEFAULT_TENANT, wid, definition())
    with pytest.raises(NotFound):
        await store.create_execution(new_execution("wf-missing00"))
    with pytest.raises(NotFound):  # the pinned version must exist
        await store.create_execution(new_execution(wid, version=7))
    first = new_execution(wid)
    await store.create_execution(first)
    with pytest.raises(AlreadyExists):  # same execution id
        await store.create_execution(new_execution(wid, execution_id=first.execution_id))
    assert await count(store, select(func.count()).select_from(E)) == 1
    assert await count(store, select(func.count()).select_from(TR)) == 2
    assert await count(store, select(func.count()).select_from(EV)) == 1


async def test_request_id_idempotency(store: SqlStore) -> None:
    wid = wf_id()
    await store.create_workflow(DEFAULT_TENANT, wid, definition())
    original, created = await store.create_execution(
        new_execution(wid, request_id="req-1", request_hash="hash-a")
    )
    assert created
    again, created_again = await store.create_execution(
        new_execution(wid, request_id="req-1", request_hash="hash-a")
    )
    assert not created_again
    assert again.execution_id == original.execution_id
    assert [t.name for t in again.tasks] == ["t0", "t1"]
    with pytest.raises(AlreadyExists, match="req-1"):
        await store.create_execution(new_execution(wid, request_id="req-1", request_hash="hash-b"))
    # No request id: never deduplicated.
    a, _ = await store.create_execution(new_execution(wid))
    b, _ = await store.create_execution(new_execution(wid))
    assert a.execution_id != b.execution_id
    assert await count(store, select(func.count()).select_from(E)) == 3


async def test_concurrent_versions_have_no_gaps(store: SqlStore) -> None:
    wid = wf_id()
    await store.create_workflow(DEFAULT_TENANT, wid, definition())
    results = await asyncio.gather(
        *(store.add_workflow_version(DEFAULT_TENANT, wid, definition(f"c{i}")) for i in range(20))
    )
    assert sorted(r.version for r in results) == list(range(2, 22))
    latest = await store.get_workflow(DEFAULT_TENANT, wid)
    assert latest.version == 21
    # Each stored version holds the definition of the call that got it.
    for r in results:
        assert (
            await store.get_workflow(DEFAULT_TENANT, wid, r.version)
        ).definition.title == r.definition.title


async def test_concurrent_same_request_id_creates_one(store: SqlStore) -> None:
    wid = wf_id()
    await store.create_workflow(DEFAULT_TENANT, wid, definition())
    results = await asyncio.gather(
        *(
            store.create_execution(new_execution(wid, request_id="same", request_hash="h"))
            for _ in range(20)
        )
    )
    assert sum(created for _, created in results) == 1
    assert len({rec.execution_id for rec, _ in results}) == 1
    assert await count(store, select(func.count()).select_from(E)) == 1
    assert await count(store, select(func.count()).select_from(EV)) == 1


async def test_concurrent_same_request_id_different_bodies(store: SqlStore) -> None:
    wid = wf_id()
    await store.create_workflow(DEFAULT_TENANT, wid, definition())
    results = await asyncio.gather(
        *(
            store.create_execution(new_execution(wid, request_id="k", request_hash=f"h{i}"))
            for i in range(10)
        ),
        return_exceptions=True,
    )
    winners = [r for r in results if isinstance(r, tuple)]
    assert len(winners) == 1 and winners[0][1] is True
    assert all(isinstance(r, AlreadyExists) for r in results if not isinstance(r, tuple))
    assert await count(store, select(func.count()).select_from(E)) == 1


async def test_list_executions(database_url: str) -> None:
    clock = StepClock()
    store = await open_with_clock(database_url, clock)
    try:
        wid, other = wf_id(), wf_id()
        await store.create_workflow(DEFAULT_TENANT, wid, definition())
        await store.create_workflow(DEFAULT_TENANT, other, definition())
        ids = []
        for i in range(7):
            clock.step = timedelta(0) if i == 4 else timedelta(seconds=1)  # a tie
            rec, _ = await store.create_execution(new_execution(wid))
            ids.append(rec.execution_id)
        await store.create_execution(new_execution(other))
        # Two finish (as the engine will write it) to exercise the status filter.
        done = {ids[1], ids[5]}
        async with store.write_transaction() as conn:
            await conn.execute(
                E.update().where(E.c.id.in_(done)).values(status=ExecutionStatus.COMPLETED.value)
            )

        created = {}
        for eid in ids:
            created[eid] = (await store.get_execution(DEFAULT_TENANT, eid)).created_at
        expected = sorted(ids, key=lambda e: (created[e], e), reverse=True)

        all_ids, pages = await collect_pages(
            lambda t: store.list_executions(DEFAULT_TENANT, wid, 2, t), lambda e: e.execution_id
        )
        assert all_ids == expected and pages == 4

        page = await store.list_executions(DEFAULT_TENANT, wid, 10, None)
        assert all(e.tasks == () for e in page.items)
        page = await store.list_executions(DEFAULT_TENANT, wid, 10, None, with_tasks=True)
        assert all([t.name for t in e.tasks] == ["t0", "t1"] for e in page.items)

        completed, _ = await collect_pages(
            lambda t: store.list_executions(
                DEFAULT_TENANT, wid, 1, t, status=ExecutionStatus.COMPLETED
            ),
            lambda e: e.execution_id,
        )
        assert completed == [e for e in expected if e in done]
        pending = await store.list_executions(
            DEFAULT_TENANT, wid, 100, None, status=ExecutionStatus.PENDING
        )
        assert [e.execution_id for e in pending.items] == [e for e in expected if e not in done]
        assert all(e.status == ExecutionStatus.PENDING for e in pending.items)
        assert (await store.list_executions(DEFAULT_TENANT, "wf-missing00", 10, None)).items == ()

        with pytest.raises(InvalidArgument):
            await store.list_executions(DEFAULT_TENANT, wid, 2, _b64(["x", "y"]))
    finally:
        await store.close()


# --- files and settings ---------------------------------------------------


async def test_files(store: SqlStore) -> None:
    rec = FileRecord(
        file_id="file-abc12345",
        name="speech.mp3",
        content_type="audio/mpeg",
        size_bytes=5 * 1024**3,  # > 2**31: BIGINT
        sha256="ab" * 32,
        created_at=datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        tenant_id=DEFAULT_TENANT,
    )
    assert await store.create_file(rec) == rec
    assert await store.get_file(DEFAULT_TENANT, "file-abc12345") == rec
    with pytest.raises(NotFound):
        await store.get_file(DEFAULT_TENANT, "file-missing00")
    with pytest.raises(AlreadyExists):
        await store.create_file(rec)


async def test_settings_get_or_create_is_race_safe(store: SqlStore) -> None:
    values = await asyncio.gather(
        *(store.get_or_create_setting("webhook_secret", f"secret-{i}") for i in range(20))
    )
    assert len(set(values)) == 1 and values[0].startswith("secret-")
    assert await store.get_or_create_setting("webhook_secret", "other") == values[0]
    assert await store.get_or_create_setting("another", "v") == "v"


# --- backend specifics ----------------------------------------------------


def _exists(path: str) -> bool:
    return Path(path).exists()


def _sqlite_path(store: SqlStore) -> str:
    path = store.engine.url.database
    assert path
    return path


async def test_sqlite_pragmas_and_begin_immediate(store: SqlStore) -> None:
    if store.dialect_name != "sqlite":
        pytest.skip("SQLite only")
    async with store.read_transaction() as conn:
        assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
        assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
        assert (await conn.exec_driver_sql("PRAGMA synchronous")).scalar() == 1  # NORMAL
        # A short wait per statement: longer waits for the write lock happen on the
        # event loop (see test_sqlite_waits_for_another_writer_without_blocking_the_loop).
        assert (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar_one() >= 1
    path = _sqlite_path(store)
    assert _exists(path + "-wal")

    def other_writer_can_begin() -> bool:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError as e:
            assert "locked" in str(e)
            return False
        finally:
            other.close()

    # A write transaction holds the write lock from its first statement (BEGIN
    # IMMEDIATE), before it writes anything; a read transaction does not.
    async with store.write_transaction() as conn:
        await conn.execute(text("SELECT 1"))
        assert not other_writer_can_begin()
    async with store.read_transaction() as conn:
        await conn.execute(text("SELECT 1"))
        assert other_writer_can_begin()
    assert other_writer_can_begin()


async def test_sqlite_waits_for_another_writer_without_blocking_the_loop(store: SqlStore) -> None:
    """Another process holding the write lock: a write transaction waits for it
    (sleeping on the event loop, which keeps serving), then goes through."""
    if store.dialect_name != "sqlite":
        pytest.skip("SQLite only")
    other = sqlite3.connect(
        _sqlite_path(store), timeout=0, isolation_level=None, check_same_thread=False
    )
    other.execute("BEGIN IMMEDIATE")
    ticks = 0
    released = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not released.is_set():
            ticks += 1
            await asyncio.sleep(0.01)

    async def release_later() -> None:
        await asyncio.sleep(0.3)
        ticks_before = ticks
        other.execute("ROLLBACK")
        released.set()
        assert ticks_before > 0  # the loop ran while the writer waited

    ticking = asyncio.create_task(ticker())
    releasing = asyncio.create_task(release_later())
    try:
        wid = wf_id()
        await store.create_workflow(DEFAULT_TENANT, wid, definition())
        assert released.is_set()  # it could only commit after the other writer let go
        await releasing
        assert (await store.get_workflow(DEFAULT_TENANT, wid)).version == 1
    finally:
        released.set()
        await ticking
        other.close()


async def test_postgres_read_transaction_is_repeatable_read(store: SqlStore) -> None:
    if store.dialect_name != "postgresql":
        pytest.skip("PostgreSQL only")
    async with store.read_transaction() as conn:
        level = (await conn.exec_driver_sql("SHOW transaction_isolation")).scalar()
    assert level == "repeatable read"
    async with store.write_transaction() as conn:
        level = (await conn.exec_driver_sql("SHOW transaction_isolation")).scalar()
    assert level == "read committed"


async def test_write_transaction_rolls_back_on_error(store: SqlStore) -> None:
    wid = wf_id()
    with pytest.raises(RuntimeError):
        async with store.write_transaction() as conn:
            from dataflow_server.store import workflows

            await workflows.create_workflow(conn, "default", wid, definition(), store.now())
            raise RuntimeError("boom")
    with pytest.raises(NotFound):
        await store.get_workflow(DEFAULT_TENANT, wid)
