"""The engine's key paths again on SQLite with the inline driver
(`DATAFLOW_SQLITE_DRIVER=inline`: sqlite3 on the event loop, see docs/performance.md)."""

from __future__ import annotations

import pytest

from dataflow_server.server import DataflowServer
from tests.engine.test_engine import (
    test_cancel_pending_and_running,
    test_order_and_typed_template_resolution,
    test_retry_resumes_from_the_failed_task,
    test_retryable_errors_are_retried_with_backoff,
    test_stale_worker_writes_are_refused,
    test_watch_live_resume_and_filter,
)

pytestmark = [
    pytest.mark.parametrize("server_settings", [{"sqlite_driver": "inline"}]),
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

__all__ = [
    "test_cancel_pending_and_running",
    "test_order_and_typed_template_resolution",
    "test_retry_resumes_from_the_failed_task",
    "test_retryable_errors_are_retried_with_backoff",
    "test_stale_worker_writes_are_refused",
    "test_watch_live_resume_and_filter",
]


async def test_the_inline_driver_is_in_use(server: DataflowServer) -> None:
    assert server.store.engine.dialect.driver == "dataflow_inline"
