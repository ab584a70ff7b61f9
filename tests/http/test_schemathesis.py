"""schemathesis against the live server's /openapi.json: every operation, with
generated (valid and invalid) requests and the stateful phase that follows the
document's links from created resources. No 5xx; every response conforms to the
document (status code, content type, headers, body schema).

DATAFLOW_TEST_SCHEMATHESIS_EXAMPLES raises the examples per operation (default 8)
for a deeper run."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.clients.conftest import run_step
from tests.http.conftest import HttpProcess

CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_headers_conformance,response_schema_conformance"
)


@pytest.mark.timeout(900)
def test_the_live_server_conforms_to_its_openapi_document(
    http_process: HttpProcess, tmp_path: Path
) -> None:
    examples = os.environ.get("DATAFLOW_TEST_SCHEMATHESIS_EXAMPLES", "8")
    step = run_step(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            f"{http_process.base_url}/openapi.json",
            "--checks",
            CHECKS,
            "--phases",
            "coverage,fuzzing,stateful",
            "--max-examples",
            examples,
            "--workers",
            "2",
            "--request-timeout",
            "30",
            "--seed",
            "1",
            "--no-color",
        ],
        timeout=840,
        env={"SCHEMATHESIS_HOOKS": "", "HOME": str(tmp_path)},
        check=False,
    )
    assert step.returncode == 0, step.output
    assert "Selected: 23/23" in step.output and "Tested: 23" in step.output
    server_log = http_process.server.log()
    assert "unexpected error" not in server_log, server_log[-5000:]
