"""The hot statements (create, claim, transition, event append, watch reads), sent to
the driver with SQL written once and prepared once per backend.

SQLAlchemy's execution machinery costs ~60 µs per statement against a few µs
in the driver (docs/performance.md); these statements run for every
execution, so they bypass it. SQLAlchemy keeps the schema, the migrations and
the cold paths, and the values written here are encoded exactly as its column
types encode them (`UtcDateTime`, `JSON`), so either side reads the other's rows.

Each operation is a *program*: a generator that yields `Stmt`s and receives
their rows, with no I/O of its own. A backend drives it inside one
transaction: SQLite runs the whole program on the aiosqlite connection's
thread (one hand-off per transaction, `hot_sqlite`), PostgreSQL awaits each
statement on an asyncpg connection, whose statement cache prepares it once
(`hot_postgres`). The logic is therefore written once for both.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Collection, Generator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from ..domain.errors import AlreadyExists, DomainError, FailedPrecondition, NotFound
from ..domain.lifecycle import (
    AppliedBatch,
    LeaseLost,
    TaskUpdate,
    Transition,
    accepted_event,
    repeat_of,
)
from ..domain.records import (
    Claim,
    EventRecord,
    ExecutionRecord,
    ExecutionStatus,
    NewExecution,
    TaskError,
    TaskItemRecord,
    TaskRunRecord,
    TaskStatus,
    WorkflowState,
)
from ..domain.webhook_payload import build_payload
from .outbox import new_webhook_id

__all__ = [
    "Codec",
    "HotPath",
    "Program",
    "Stmt",
    "WorkflowHead",
    "apply_transitions",
    "claim",
    "create_executions",
    "event_mark",
    "events_since",
    "execution_and_events",
    "find_by_request_id",
    "get_execution",
    "list_events",
    "workflow_head",
]

Row = Sequence[Any]


@dataclass(frozen=True, slots=True)
class Stmt:
    """One statement: `sql` with `?` placeholders; `rows` for executemany."""

    sql: str
    params: tuple[Any, ...] = ()
    fetch: bool = False
    rows: list[tuple[Any, ...]] | None = None


# A program yields statements, receives each one's rows (empty unless `fetch`).
Program = Generator[Stmt, list[Row], Any]


class Codec(Protocol):
    """How a backend stores what SQLAlchemy's column types would store."""

    def ts(self, value: datetime | None) -> Any: ...

    def from_ts(self, value: Any) -> datetime | None: ...

    def any_of(self, column: str, values: Sequence[Any]) -> tuple[str, tuple[Any, ...]]:
        """`column IN (…)` for these values, as SQL and parameters."""
        ...

    skip_locked: str  # appended to the claim's candidate query


class HotPath(Protocol):
    """A backend that runs programs, each in one transaction of its own."""

    @property
    def codec(self) -> Codec: ...

    async def write(self, program: Program) -> Any: ...

    async def read(self, program: Program) -> Any:
        """In a consistent read-only snapshot."""
        ...

    async def read_autocommit(self, program: Program) -> Any:
        """A read whose statements need no common snapshot (each is atomic, and a
        later one is bounded by what an earlier one saw): no transaction around
        them, which saves PostgreSQL two round trips."""
        ...

    async def close(self) -> None: ...


def jdump(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def jload(value: Any) -> Any:
    return None if value is None else json.loads(value)


def _error(value: Any) -> TaskError | None:
    return TaskError.from_dict(jload(value))


# --- reads ------------------------------------------------------------------

_EXECUTION_COLUMNS = (
    "id, tenant_id, workflow_id, workflow_version, status, inputs, outputs, error, "
    "webhook_url, request_id, request_hash, created_at, started_at, completed_at, last_sequence"
)
_TASK_COLUMNS = (
    "execution_id, position, name, type, status, attempts, started_at, completed_at, outputs, "
    "error, skip_reason, items"
)
_EVENT_COLUMNS = (
    "execution_id, sequence, type, status, created_at, task_name, task_status, attempt, error, "
    "item_index, skip_reason"
)
_EXECUTION_WIDTH = len(_EXECUTION_COLUMNS.split(","))


def _qualified(alias: str, columns: str) -> str:
    return ", ".join(f"{alias}.{column.strip()}" for column in columns.split(","))


# One statement for the execution and its task runs (one row per task run, the
# execution's columns repeated): a single statement is one snapshot by itself.
_GET_EXECUTION = (
    f"SELECT {_qualified('e', _EXECUTION_COLUMNS)}, {_qualified('t', _TASK_COLUMNS)} "
    "FROM executions e LEFT JOIN task_runs t ON t.execution_id = e.id "
    "WHERE e.id = ? AND e.tenant_id = ? ORDER BY t.position"
)
_FIND_BY_REQUEST_ID = (
    f"SELECT {_qualified('e', _EXECUTION_COLUMNS)}, {_qualified('t', _TASK_COLUMNS)} "
    "FROM executions e LEFT JOIN task_runs t ON t.execution_id = e.id "
    "WHERE e.tenant_id = ? AND e.request_id = ? ORDER BY t.position"
)
_LIST_EVENTS = (
    f"SELECT {_EVENT_COLUMNS} FROM execution_events "
    "WHERE execution_id = ? AND tenant_id = ? AND sequence > ? ORDER BY sequence LIMIT ?"
)
_LIST_EVENTS_UP_TO = (
    f"SELECT {_EVENT_COLUMNS} FROM execution_events WHERE execution_id = ? AND tenant_id = ? "
    "AND sequence > ? AND sequence <= ? ORDER BY sequence LIMIT ?"
)
_WORKFLOW_HEAD = (
    "SELECT state, latest_version, created_at, tenant_id FROM workflows "
    "WHERE id = ? AND tenant_id = ?"
)


def _task_run(c: Codec, r: Row) -> TaskRunRecord:
    return TaskRunRecord(
        position=r[1],
        name=r[2],
        type=r[3],
        status=TaskStatus(r[4]),
        attempts=r[5],
        started_at=c.from_ts(r[6]),
        completed_at=c.from_ts(r[7]),
        outputs=jload(r[8]),
        error=_error(r[9]),
        skip_reason=r[10] or "",
        items=_items(jload(r[11])),
    )


def _items(raw: list[dict[str, Any]] | None) -> tuple[TaskItemRecord, ...] | None:
    return None if raw is None else tuple(TaskItemRecord.from_dict(i) for i in raw)


def _execution(c: Codec, r: Row, tasks: Sequence[TaskRunRecord]) -> ExecutionRecord:
    created = c.from_ts(r[11])
    assert created is not None
    return ExecutionRecord(
        execution_id=r[0],
        tenant_id=r[1],
        workflow_id=r[2],
        workflow_version=r[3],
        status=ExecutionStatus(r[4]),
        inputs=jload(r[5]),
        outputs=jload(r[6]),
        error=_error(r[7]),
        webhook_url=r[8],
        request_id=r[9],
        request_hash=r[10],
        created_at=created,
        started_at=c.from_ts(r[12]),
        completed_at=c.from_ts(r[13]),
        last_sequence=r[14],
        tasks=tuple(tasks),
    )


def _event(c: Codec, r: Row) -> EventRecord:
    timestamp = c.from_ts(r[4])
    assert timestamp is not None
    return EventRecord(
        execution_id=r[0],
        sequence=r[1],
        type=r[2],
        status=ExecutionStatus(r[3]),
        timestamp=timestamp,
        task_name=r[5] or "",
        task_status=TaskStatus(r[6]) if r[6] else None,
        attempt=r[7],
        error=_error(r[8]),
        item_index=r[9],
        skip_reason=r[10] or "",
    )


def get_execution(c: Codec, tenant_id: str, execution_id: str) -> Program:
    """The execution with its task runs (one statement); NotFound."""
    rows = yield Stmt(_GET_EXECUTION, (execution_id, tenant_id), fetch=True)
    if not rows:
        raise NotFound(f"execution {execution_id} not found")
    return _execution_with_tasks(c, rows)


def _execution_with_tasks(c: Codec, rows: list[Row]) -> ExecutionRecord:
    tasks = [_task_run(c, r[_EXECUTION_WIDTH:]) for r in rows if r[_EXECUTION_WIDTH] is not None]
    return _execution(c, rows[0], tasks)


def _executions_with_tasks(c: Codec, rows: list[Row]) -> list[ExecutionRecord]:
    """Rows of several executions joined with their tasks, grouped by execution."""
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    return [_execution_with_tasks(c, group) for group in grouped.values()]


def _placeholders(n: int) -> str:
    return ", ".join("?" * n)


def executions_by_id(c: Codec, execution_ids: Sequence[str]) -> Program:
    """The executions with their task runs, in one statement (any tenant: the ids
    come from rows the caller already holds)."""
    rows = yield Stmt(
        f"SELECT {_qualified('e', _EXECUTION_COLUMNS)}, {_qualified('t', _TASK_COLUMNS)} "
        "FROM executions e LEFT JOIN task_runs t ON t.execution_id = e.id "
        f"WHERE e.id IN ({_placeholders(len(execution_ids))}) ORDER BY e.id, t.position",
        tuple(execution_ids),
        fetch=True,
    )
    return _executions_with_tasks(c, rows)


def by_request_ids(c: Codec, tenant_id: str, request_ids: Sequence[str]) -> Program:
    """The executions created with these idempotency keys in the tenant, by key
    (one statement)."""
    rows = yield Stmt(
        f"SELECT {_qualified('e', _EXECUTION_COLUMNS)}, {_qualified('t', _TASK_COLUMNS)} "
        "FROM executions e LEFT JOIN task_runs t ON t.execution_id = e.id "
        f"WHERE e.tenant_id = ? AND e.request_id IN ({_placeholders(len(request_ids))}) "
        "ORDER BY e.id, t.position",
        (tenant_id, *request_ids),
        fetch=True,
    )
    return {r.request_id: r for r in _executions_with_tasks(c, rows) if r.request_id}


def find_by_request_id(c: Codec, tenant_id: str, request_id: str) -> Program:
    """The execution created with this idempotency key (with its task runs), or None."""
    rows = yield Stmt(_FIND_BY_REQUEST_ID, (tenant_id, request_id), fetch=True)
    return _execution_with_tasks(c, rows) if rows else None


def execution_and_events(
    c: Codec, tenant_id: str, execution_id: str, after_sequence: int, limit: int
) -> Program:
    """(execution, its events after `after_sequence`), as of one moment.

    Needs no snapshot around the two statements: the events read are bounded by
    the execution's `last_sequence` as read, and an execution's events up to its
    `last_sequence` are committed with it and never change."""
    execution: ExecutionRecord = yield from get_execution(c, tenant_id, execution_id)
    if execution.last_sequence <= after_sequence:
        return execution, []
    rows = yield Stmt(
        _LIST_EVENTS_UP_TO,
        (execution_id, tenant_id, after_sequence, execution.last_sequence, limit),
        fetch=True,
    )
    return execution, [_event(c, r) for r in rows]


def list_events(
    c: Codec, tenant_id: str, execution_id: str, after_sequence: int, limit: int
) -> Program:
    rows = yield Stmt(_LIST_EVENTS, (execution_id, tenant_id, after_sequence, limit), fetch=True)
    return [_event(c, r) for r in rows]


_EVENT_MARK = "SELECT max(id) FROM execution_events"
_EVENTS_SINCE = (
    "SELECT execution_id, max(sequence), max(id) FROM execution_events WHERE id > ? "
    "GROUP BY execution_id"
)


def event_mark() -> Program:
    """The event log's highest id (0 when empty): where a change feed starts."""
    rows = yield Stmt(_EVENT_MARK, (), fetch=True)
    return int(rows[0][0] or 0)


def events_since(mark: int) -> Program:
    """({execution id: its last sequence} of the events above id `mark`, the new mark)."""
    rows = yield Stmt(_EVENTS_SINCE, (mark,), fetch=True)
    news = {str(r[0]): int(r[1]) for r in rows}
    return news, max((int(r[2]) for r in rows), default=mark)


@dataclass(frozen=True, slots=True)
class WorkflowHead:
    state: str
    latest_version: int
    created_at: datetime
    tenant_id: str


def workflow_head(c: Codec, tenant_id: str, workflow_id: str) -> Program:
    """The workflow's row without a version (None: no such workflow)."""
    rows = yield Stmt(_WORKFLOW_HEAD, (workflow_id, tenant_id), fetch=True)
    if not rows:
        return None
    state, latest, created, tenant = rows[0]
    return WorkflowHead(state, latest, c.from_ts(created) or datetime.now(UTC), tenant)


# --- create -------------------------------------------------------------------

_WORKFLOW_STATE = "SELECT state FROM workflows WHERE id = ? AND tenant_id = ?"
_INSERT_EXECUTION = (
    "INSERT INTO executions (id, tenant_id, workflow_id, workflow_version, status, inputs, "
    "webhook_url, request_id, request_hash, created_at, updated_at, available_at, "
    "lease_owner, lease_token, lease_expires_at, cancel_requested, attempt_epoch, "
    "last_sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1)"
)
_INSERT_TASK_RUN = (
    "INSERT INTO task_runs (execution_id, position, tenant_id, name, type, status, attempts) "
    "VALUES (?, ?, ?, ?, ?, ?, 0)"
)
_EVENT_INSERT = (
    "INSERT INTO execution_events (tenant_id, execution_id, sequence, type, status, "
    "task_name, task_status, attempt, error, created_at, item_index, skip_reason) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_EVENT_INSERT_RETURNING = _EVENT_INSERT + " RETURNING id"
_INSERT_DELIVERY = (
    "INSERT INTO webhook_deliveries (tenant_id, execution_id, event_id, sequence, event_type, "
    "url, status, attempts, next_attempt_at, webhook_message_id, payload, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?, ?)"
)


def _event_row(c: Codec, tenant_id: str, e: EventRecord) -> tuple[Any, ...]:
    return (
        tenant_id,
        e.execution_id,
        e.sequence,
        e.type,
        e.status.value,
        e.task_name or None,
        e.task_status.value if e.task_status else None,
        e.attempt,
        jdump(e.error.to_dict()) if e.error else None,
        c.ts(e.timestamp),
        e.item_index,
        e.skip_reason or None,
    )


def _append_events(
    c: Codec,
    tenant_id: str,
    records: Sequence[EventRecord],
    webhook: tuple[str, str, int] | None,  # (url, workflow id, version)
    tasks_per_event: Sequence[Sequence[tuple[str, str]]],
    outputs: dict[str, Any] | None,
    now: datetime,
) -> Generator[Stmt, list[Row], None]:
    """Insert events; with a webhook, each one's delivery in the same transaction."""
    if webhook is None:
        yield Stmt(_EVENT_INSERT, rows=[_event_row(c, tenant_id, e) for e in records])
        return
    url, workflow_id, version = webhook
    deliveries = []
    for record, tasks in zip(records, tasks_per_event, strict=True):
        (row,) = yield Stmt(_EVENT_INSERT_RETURNING, _event_row(c, tenant_id, record), fetch=True)
        payload = build_payload(record, workflow_id, version, tasks, outputs)
        deliveries.append(
            (
                tenant_id,
                record.execution_id,
                row[0],
                record.sequence,
                record.type,
                url,
                c.ts(now),
                new_webhook_id(),
                jdump(payload),
                c.ts(now),
            )
        )
    yield Stmt(_INSERT_DELIVERY, rows=deliveries)


def create_executions(c: Codec, batch: Sequence[NewExecution], now: datetime) -> Program:
    """New executions: each gets its record (created), or the original of its
    request_id (not created; AlreadyExists for another request under the same
    key), or the domain error (unknown or archived workflow) it would have got
    alone. Items get consecutive microseconds, so the queue keeps their order."""
    states: dict[tuple[str, str], str | None] = {}
    for key in {(new.tenant_id, new.workflow_id) for new in batch}:
        rows = yield Stmt(_WORKFLOW_STATE, (key[1], key[0]), fetch=True)
        states[key] = rows[0][0] if rows else None
    results: list[tuple[ExecutionRecord, bool] | DomainError] = []
    accepted: list[tuple[NewExecution, ExecutionRecord]] = []
    # The originals of the batch's request ids (one statement per tenant), then
    # those created in this batch: a repeat returns the original, even of a
    # workflow archived since.
    keys: dict[str, list[str]] = {}
    for new in batch:
        if new.request_id is not None:
            keys.setdefault(new.tenant_id, []).append(new.request_id)
    by_request: dict[tuple[str, str], ExecutionRecord] = {}
    for tenant_id, request_ids in keys.items():
        found = yield from by_request_ids(c, tenant_id, sorted(set(request_ids)))
        by_request.update(((tenant_id, key), record) for key, record in found.items())
    for i, new in enumerate(batch):
        if new.request_id is not None:
            original = by_request.get((new.tenant_id, new.request_id))
            if original is not None:
                try:
                    results.append((repeat_of(original, new.request_hash), False))
                except AlreadyExists as exc:
                    results.append(exc)
                continue
        state = states[(new.tenant_id, new.workflow_id)]
        if state is None:
            results.append(NotFound(f"workflow {new.workflow_id} not found"))
            continue
        if state == WorkflowState.ARCHIVED.value:
            results.append(
                FailedPrecondition(
                    f"workflow {new.workflow_id} is archived: it takes no new executions"
                )
            )
            continue
        record = ExecutionRecord(
            execution_id=new.execution_id,
            workflow_id=new.workflow_id,
            workflow_version=new.workflow_version,
            status=ExecutionStatus.PENDING,
            inputs=new.inputs,
            created_at=now + timedelta(microseconds=i),
            tasks=tuple(
                TaskRunRecord(position=p, name=name, type=type_)
                for p, (name, type_) in enumerate(new.task_names_and_types)
            ),
            webhook_url=new.webhook_url,
            request_id=new.request_id,
            request_hash=new.request_hash,
            last_sequence=1,
            tenant_id=new.tenant_id,
        )
        results.append((record, True))
        accepted.append((new, record))
        if new.request_id is not None:
            by_request[(new.tenant_id, new.request_id)] = record
    if not accepted:
        return results
    pending = ExecutionStatus.PENDING.value
    yield Stmt(
        _INSERT_EXECUTION,
        rows=[
            (
                r.execution_id,
                r.tenant_id,
                r.workflow_id,
                r.workflow_version,
                pending,
                jdump(r.inputs),
                r.webhook_url,
                r.request_id,
                r.request_hash,
                c.ts(r.created_at),
                c.ts(r.created_at),
                c.ts(new.lease.expires_at if new.lease else r.created_at),
                new.lease.owner if new.lease else None,
                new.lease.token if new.lease else None,
                c.ts(new.lease.expires_at) if new.lease else None,
                False,
            )
            for new, r in accepted
        ],
    )
    task_rows = [
        (r.execution_id, t.position, r.tenant_id, t.name, t.type, TaskStatus.PENDING.value)
        for _, r in accepted
        for t in r.tasks
    ]
    if task_rows:
        yield Stmt(_INSERT_TASK_RUN, rows=task_rows)
    plain = [r for _, r in accepted if not r.webhook_url]
    if plain:
        yield Stmt(
            _EVENT_INSERT,
            rows=[
                _event_row(c, r.tenant_id, accepted_event(r.execution_id, r.created_at))
                for r in plain
            ],
        )
    for _, r in accepted:
        if r.webhook_url:
            tasks = [(t.name, t.status.value) for t in r.tasks]
            yield from _append_events(
                c,
                r.tenant_id,
                [accepted_event(r.execution_id, r.created_at)],
                (r.webhook_url, r.workflow_id, r.workflow_version),
                [tasks],
                None,
                r.created_at,
            )
    return results


# --- claim --------------------------------------------------------------------

_CANDIDATES = (
    "SELECT id FROM executions WHERE status IN ('PENDING', 'RUNNING') AND available_at <= ? "
    "ORDER BY available_at LIMIT ?"
)


def claim(c: Codec, owner: str, limit: int, lease_seconds: float, now: datetime) -> Program:
    """Lease up to `limit` claimable executions, oldest available first."""
    rows = yield Stmt(_CANDIDATES + c.skip_locked, (c.ts(now), limit), fetch=True)
    if not rows:
        return []
    ids = [r[0] for r in rows]
    token = secrets.token_hex(16)
    expires = c.ts(now + timedelta(seconds=lease_seconds))
    where, id_params = c.any_of("id", ids)
    claimed = yield Stmt(
        "UPDATE executions SET lease_owner = ?, lease_token = ?, lease_expires_at = ?, "
        f"available_at = ? WHERE {where} RETURNING {_EXECUTION_COLUMNS}, cancel_requested",
        (owner, token, expires, expires, *id_params),
        fetch=True,
    )
    where, id_params = c.any_of("execution_id", [r[0] for r in claimed])
    task_rows = yield Stmt(
        f"SELECT {_TASK_COLUMNS} FROM task_runs WHERE {where} ORDER BY execution_id, position",
        id_params,
        fetch=True,
    )
    tasks: dict[str, list[TaskRunRecord]] = {}
    for t in task_rows:
        tasks.setdefault(t[0], []).append(_task_run(c, t))
    return [Claim(r[0], token, bool(r[15]), _execution(c, r, tasks.get(r[0], []))) for r in claimed]


# --- transitions ----------------------------------------------------------------

_RETURNING = (
    " RETURNING last_sequence, status, tenant_id, webhook_url, workflow_id, workflow_version"
)
_TASK_STATES = (
    "SELECT position, name, status FROM task_runs WHERE execution_id = ? ORDER BY position"
)


def _execution_update(c: Codec, t: Transition, now: datetime) -> Stmt:
    values: dict[str, Any] = {"updated_at": c.ts(now)}
    if t.status is not None:
        values["status"] = t.status.value
    if t.started_at is not None:
        values["started_at"] = c.ts(t.started_at)
    if t.completed_at is not None:
        values["completed_at"] = c.ts(t.completed_at)
    if t.outputs is not None:
        values["outputs"] = jdump(t.outputs)
    if t.error is not None:
        values["error"] = jdump(t.error.to_dict())
    if t.release_lease:
        values.update(
            lease_owner=None, lease_token=None, lease_expires_at=None, available_at=c.ts(now)
        )
    if t.requeue:
        values.update(error=None, outputs=None, completed_at=None, cancel_requested=False)
    sets = [f"{column} = ?" for column in values]
    sets.append("last_sequence = last_sequence + ?")
    params: list[Any] = [*values.values(), len(t.events)]
    if t.requeue:
        sets.append("attempt_epoch = attempt_epoch + 1")
    where = "id = ?"
    params.append(t.execution_id)
    if t.lease_token is not None:
        where += " AND lease_token = ?"
        params.append(t.lease_token)
    else:
        where += " AND (lease_token IS NULL OR lease_expires_at < ?)"
        params.append(c.ts(now))
    if t.expect_status:
        fragment, statuses = c.any_of("status", [s.value for s in t.expect_status])
        where += f" AND {fragment}"
        params.extend(statuses)
    sql = f"UPDATE executions SET {', '.join(sets)} WHERE {where}{_RETURNING}"
    return Stmt(sql, tuple(params), fetch=True)


def _task_update(c: Codec, execution_id: str, u: TaskUpdate) -> Stmt:
    sets = ["status = ?"]
    params: list[Any] = [u.status.value]
    cleared = ["outputs", "error", "started_at", "completed_at", "skip_reason"]
    if u.items is None:
        cleared.append("items")  # a retried map keeps its completed items: set below
    if u.clear_results:
        sets.extend(f"{column} = NULL" for column in cleared)
    for column, value in (
        ("attempts", u.attempts),
        ("started_at", c.ts(u.started_at) if u.started_at else None),
        ("completed_at", c.ts(u.completed_at) if u.completed_at else None),
        ("outputs", jdump(u.outputs)),
        ("error", jdump(u.error.to_dict()) if u.error else None),
        ("skip_reason", u.skip_reason),
        ("items", jdump([i.to_dict() for i in u.items]) if u.items is not None else None),
    ):
        if value is not None:
            sets.append(f"{column} = ?")
            params.append(value)
    params.extend((execution_id, u.position))
    return Stmt(
        f"UPDATE task_runs SET {', '.join(sets)} WHERE execution_id = ? AND position = ?",
        tuple(params),
    )


def _event_records(
    t: Transition, last_sequence: int, status: ExecutionStatus, now: datetime
) -> list[EventRecord]:
    """The transition's events with their sequences (`last_sequence`: after it)."""
    first = last_sequence - len(t.events) + 1
    return [
        EventRecord(
            execution_id=t.execution_id,
            sequence=first + i,
            type=e.type,
            status=e.status or status,
            timestamp=now,
            task_name=e.task_name,
            task_status=e.task_status,
            attempt=e.attempt,
            error=e.error,
            item_index=e.item_index,
            skip_reason=e.skip_reason,
        )
        for i, e in enumerate(t.events)
    ]


def _apply(
    c: Codec, t: Transition, now: datetime
) -> Generator[Stmt, list[Row], LeaseLost | tuple[list[EventRecord], bool]]:
    """One transition: its events and whether it enqueued webhook deliveries."""
    rows = yield _execution_update(c, t, now)
    if not rows:
        return LeaseLost(t.execution_id)
    last_sequence, status, tenant_id, webhook_url, workflow_id, version = rows[0]
    before: list[tuple[int, str, str]] = []
    if webhook_url and t.events:
        task_rows = yield Stmt(_TASK_STATES, (t.execution_id,), fetch=True)
        before = [(r[0], r[1], r[2]) for r in task_rows]
    for update in t.tasks:
        yield _task_update(c, t.execution_id, update)
    if not t.events:
        return [], False
    records = _event_records(t, last_sequence, ExecutionStatus(status), now)
    webhook = (webhook_url, workflow_id, version) if webhook_url else None
    tasks_per_event = task_states_per_event(before, t.tasks, records) if webhook else []
    yield from _append_events(c, tenant_id, records, webhook, tasks_per_event, t.outputs, now)
    return records, webhook is not None


def task_states_per_event(
    before: list[tuple[int, str, str]],
    updates: tuple[TaskUpdate, ...],
    records: list[EventRecord],
) -> list[list[tuple[str, str]]]:
    """Each event's view of the task statuses (for its webhook payload).

    A transition may carry several steps (a task's running and completed
    events, the execution's completion): each event shows the tasks as they
    were right after it, not as they are at the end of the transition. Updates
    that no event announces (a retry's reset to PENDING) come first.
    """
    announced = {r.task_name for r in records if r.task_name}
    names = {position: name for position, name, _ in before}
    state = {name: status for _, name, status in before}
    for update_ in updates:
        name = names.get(update_.position)
        if name is not None and name not in announced:
            state[name] = update_.status.value
    out: list[list[tuple[str, str]]] = []
    for record in records:
        # An item event's status is the item's, not its task's.
        if record.task_name and record.task_status is not None and record.item_index is None:
            state[record.task_name] = record.task_status.value
        out.append([(name, state[name]) for _, name, _ in before])
    return out


def apply_transitions(
    c: Codec, batch: Sequence[Transition], now: datetime, read_back: Collection[str] = ()
) -> Program:
    """Each transition fenced by its lease token: its events, or LeaseLost (writing
    nothing). Returns an AppliedBatch: the results, whether webhook deliveries were
    enqueued, and the executions of `read_back` that a transition ended, read back
    after the writes (one statement each, in the same transaction).

    The fenced execution updates run one by one (each must see its own row);
    then the task updates of every transition that passed its fence, grouped by
    statement, and their events in one insert: a few statements per batch rather
    than a few per transition (on PostgreSQL, each one is a round trip)."""
    if len({t.execution_id for t in batch}) < len(batch):
        # The same execution twice: each transition must see the one before it
        # (rare; nothing is read back then, the readers read for themselves).
        return (yield from _apply_one_by_one(c, batch, now))
    results: list[list[EventRecord] | LeaseLost] = []
    ended: list[tuple[str, str]] = []  # (tenant, execution) to read back
    task_rows: dict[str, list[tuple[Any, ...]]] = {}  # statement → its rows, in order
    event_rows: list[tuple[Any, ...]] = []
    with_webhook: list[tuple[str, list[EventRecord], tuple[str, str, int], Any, Any]] = []
    for t in batch:
        rows = yield _execution_update(c, t, now)
        if not rows:
            results.append(LeaseLost(t.execution_id))
            continue
        last_sequence, status, tenant_id, webhook_url, workflow_id, version = rows[0]
        if t.execution_id in read_back and t.status is not None and t.status.is_terminal:
            ended.append((tenant_id, t.execution_id))
        before: list[tuple[int, str, str]] = []
        if webhook_url and t.events:
            states = yield Stmt(_TASK_STATES, (t.execution_id,), fetch=True)
            before = [(r[0], r[1], r[2]) for r in states]
        for update in t.tasks:
            statement = _task_update(c, t.execution_id, update)
            task_rows.setdefault(statement.sql, []).append(statement.params)
        records = _event_records(t, last_sequence, ExecutionStatus(status), now)
        results.append(records)
        if not records:
            continue
        if webhook_url:
            per_event = task_states_per_event(before, t.tasks, records)
            webhook = (webhook_url, workflow_id, version)
            with_webhook.append((tenant_id, records, webhook, per_event, t.outputs))
        else:
            event_rows.extend(_event_row(c, tenant_id, e) for e in records)
    for sql, params in task_rows.items():
        yield Stmt(sql, rows=params) if len(params) > 1 else Stmt(sql, params[0])
    if event_rows:
        yield Stmt(_EVENT_INSERT, rows=event_rows)
    for tenant_id, records, webhook, per_event, outputs in with_webhook:
        yield from _append_events(c, tenant_id, records, webhook, per_event, outputs, now)
    snapshots: list[ExecutionRecord] = []
    if ended:  # one statement for all: on PostgreSQL each one is a round trip
        snapshots = yield from executions_by_id(c, [execution_id for _, execution_id in ended])
    return AppliedBatch(results, bool(with_webhook), snapshots)


def _apply_one_by_one(c: Codec, batch: Sequence[Transition], now: datetime) -> Program:
    results: list[list[EventRecord] | LeaseLost] = []
    outbox = False
    for t in batch:
        result = yield from _apply(c, t, now)
        if isinstance(result, LeaseLost):
            results.append(result)
        else:
            results.append(result[0])
            outbox = outbox or result[1]
    return AppliedBatch(results, outbox, [])
