"""The TypeScript, Go and Java clients send `$DATAFLOW_API_KEY` as `authorization:
Bearer <key>` with every call of their examples (unary and streaming), to the
in-process gRPC server of tests/client/test_client_fake.py, which records the
metadata it receives and scripts a COMPLETED execution."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.client.test_api_key import BEARER, KEY, authorizations
from tests.client.test_client_fake import Fake, running_fake
from tests.clients.conftest import require_toolchain, run_make_build, run_step
from tests.clients.test_cross_language import BUILD_TIMEOUT, CLIENTS, RUN_TIMEOUT


@pytest.fixture
def fake() -> Iterator[Fake]:
    with running_fake() as server:
        yield server


@pytest.mark.timeout(BUILD_TIMEOUT + RUN_TIMEOUT + 60)
@pytest.mark.parametrize("language", list(CLIENTS))
def test_the_examples_send_the_key_with_every_call(language: str, fake: Fake) -> None:
    require_toolchain(language)
    suffix, _ = CLIENTS[language]
    run_make_build(f"build-{suffix}", timeout=BUILD_TIMEOUT)
    step = run_step(
        ["make", "--no-print-directory", f"example-{suffix}"],
        timeout=RUN_TIMEOUT,
        env={"DATAFLOW_ADDRESS": fake.address, "DATAFLOW_API_KEY": KEY},
        check=False,
    )
    # The fake's execution names a file it does not have: the example stops at the download.
    assert step.returncode != 0
    assert "file-12345678" in step.output
    assert KEY not in step.output
    seen = authorizations(fake)
    assert set(seen) >= {"CreateWorkflow", "ExecuteWorkflow", "WatchExecution", "DownloadFile"}
    assert all(values == {BEARER} for values in seen.values()), seen
