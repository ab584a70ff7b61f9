"""`buf breaking` against the previous commit of main (make check-breaking):
an incompatible change of the protos fails the build."""

from __future__ import annotations

import pytest

from tests.clients.conftest import require_toolchain, run_step


@pytest.mark.timeout(300)
def test_no_breaking_change_against_the_previous_commit() -> None:
    require_toolchain("buf")
    step = run_step(["make", "--no-print-directory", "check-breaking"], timeout=240)
    assert step.returncode == 0, step.output
