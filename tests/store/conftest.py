"""Store fixtures: a store opened on each database of `database_url`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from dataflow_server.store.database import open_store
from dataflow_server.store.sql import SqlStore


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[SqlStore]:
    s = await open_store(database_url)
    try:
        yield s
    finally:
        await s.close()
