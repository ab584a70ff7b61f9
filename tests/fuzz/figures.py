"""Pytest plugin (tests/conftest.py): the fuzz suite's figures, printed once at the end
of the run and written to `fuzz-figures.json` in pytest's base temporary directory.

`FuzzClient` counts in the process that runs the tests. Under pytest-xdist that is a
worker: each hands its counts to the controller when it finishes (`workeroutput`),
and the controller, which prints the summary, adds them up.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from tests.fuzz.client import FIGURES

_WORKER_KEY = "fuzz_figures"


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput: dict[str, Any] | None = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[_WORKER_KEY] = [[rpc, code, n] for (rpc, code), n in FIGURES.items()]


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: called on the controller
def pytest_testnodedown(node: Any, error: object) -> None:
    for rpc, code, n in getattr(node, "workeroutput", {}).get(_WORKER_KEY, []):
        FIGURES[(rpc, code)] += n


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    if not FIGURES or hasattr(config, "workeroutput"):  # nothing run, or a worker
        return
    figures = figures_of(FIGURES)
    # The run's base temporary directory (pytest-xdist's workers get subdirectories).
    path = config._tmp_path_factory.getbasetemp() / "fuzz-figures.json"  # type: ignore[attr-defined]
    path.write_text(json.dumps(figures, indent=2, sort_keys=True))
    codes = ", ".join(f"{code} {n}" for code, n in sorted(figures["codes"].items()))
    terminalreporter.write_line(
        f"fuzz: {figures['requests']} requests sent over {len({r for r, _ in FIGURES})} "
        f"RPCs; codes: {codes} ({path})"
    )


def figures_of(counts: Counter[tuple[str, str]]) -> dict[str, Any]:
    codes: Counter[str] = Counter()
    for (_, code), count in counts.items():
        codes[code] += count
    return {
        "requests": sum(counts.values()),
        "codes": dict(codes),
        "by_rpc": {f"{rpc} {code}": n for (rpc, code), n in sorted(counts.items())},
    }
