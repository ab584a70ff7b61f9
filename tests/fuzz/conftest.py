"""Fixtures of the property-based API suite (issue 10).

One real `dataflow-server` process per storage backend (SQLite, PostgreSQL)
for the whole module, with small data limits so that "at the limit" and
"limit + 1" are cheap to send. Every call goes through `FuzzClient`, which
counts requests and answer codes; the figures are printed at the end of the
run and written to `fuzz-figures.json` in pytest's temporary directory
(tests/fuzz/figures.py).

Hypothesis profiles (HYPOTHESIS_PROFILE): `ci` (default; about 1,150
requests per backend) and `deep` (ten times as many examples, for nightly runs).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import grpc
import pytest
from hypothesis import HealthCheck, settings

from tests.fuzz.client import FuzzClient
from tests.support.postgres import (
    PostgresCluster,
    new_postgres_database_url_sync,
    postgres_skipped,
)
from tests.support.servers import ServerProcess, new_server_process

# Small limits: values and pages at and past the limit cost kilobytes, not megabytes.
LIMITS = {
    "DATAFLOW_MAX_VALUE_BYTES": "2048",
    "DATAFLOW_MAX_EXECUTION_BYTES": "8192",
    "DATAFLOW_MAX_DEFINITION_BYTES": "16384",
}

_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("ci", max_examples=125, **_COMMON)
settings.register_profile("deep", max_examples=1500, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def fuzz_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """A real server process on a free port (module scope: examples share it)."""
    tmp = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp / 'dataflow.db'}"
    else:
        if postgres_skipped():
            pytest.skip("DATAFLOW_TEST_SKIP_POSTGRES=1")
        cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
        url = new_postgres_database_url_sync(cluster, prefix="fuzz")
    process = new_server_process(url, tmp / "data", {**LIMITS, "OPENAI_API_KEY": ""})
    process.start()
    try:
        yield process
    finally:
        process.kill()


@pytest.fixture(scope="module")
def fuzz(fuzz_server: ServerProcess) -> Iterator[FuzzClient]:
    with grpc.insecure_channel(fuzz_server.address) as channel:
        client = FuzzClient(channel)
        client.seed()
        yield client
        # After every example of the module: the server still answers SERVING.
        assert client.serving(), f"server not SERVING after the suite:\n{fuzz_server.log()}"
        assert "Traceback" not in fuzz_server.log(), fuzz_server.log()
