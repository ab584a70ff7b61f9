"""Fixtures of the HTTP API tests: an httpx client on the in-process server's HTTP port."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio

from dataflow_server.server import DataflowServer


@pytest_asyncio.fixture
async def http(server: DataflowServer) -> AsyncIterator[httpx.AsyncClient]:
    assert server.http is not None, "the server fixture serves HTTP"
    async with httpx.AsyncClient(base_url=f"http://{server.http.address}", timeout=30) as client:
        yield client
