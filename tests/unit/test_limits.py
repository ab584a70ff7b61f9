"""ResourceGate: concurrency, requests per minute and a provider's pause, on a fake clock."""

from __future__ import annotations

import pytest

from dataflow_server.config import ConfigError, Settings
from dataflow_server.engine.limits import ResourceGate, ResourceLimit, ResourceLimits


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_concurrency_bound() -> None:
    gate = ResourceGate("r", ResourceLimit(concurrency=2), Clock())
    await gate.acquire()
    assert not gate.would_wait()
    await gate.acquire()
    assert gate.would_wait()
    gate.release()
    assert not gate.would_wait()


async def test_rate_bound_refills_with_time() -> None:
    clock = Clock()
    gate = ResourceGate("r", ResourceLimit(per_minute=120), clock)  # 2 per second
    await gate.acquire()
    await gate.acquire()
    assert gate.would_wait()  # a burst of one second's worth, no more
    clock.now += 0.5
    assert not gate.would_wait()


async def test_pause_holds_new_attempts_until_it_ends() -> None:
    clock = Clock()
    gate = ResourceGate("r", ResourceLimit(concurrency=5), clock)
    gate.pause(3.0)
    assert gate.would_wait()
    gate.pause(1.0)  # a shorter pause does not end a longer one
    clock.now += 2.0
    assert gate.would_wait()
    clock.now += 1.0
    assert not gate.would_wait()
    await gate.acquire()


def test_unlisted_resources_are_unbounded() -> None:
    limits = ResourceLimits({"openai": ResourceLimit(concurrency=1)})
    assert limits.gate("") is None
    assert limits.gate("http") is None
    gate = limits.gate("openai")
    assert gate is not None and gate.limit.concurrency == 1


def test_settings_bounds_and_the_earlier_name() -> None:
    defaults = Settings.from_env({})
    assert (defaults.max_in_flight, defaults.openai_max_concurrent) == (10_000, 16)
    assert (defaults.openai_requests_per_minute, defaults.http_max_concurrent) == (500.0, 64)
    assert defaults.event_loop == "uvloop"
    assert Settings.from_env({"DATAFLOW_WORKERS": "7"}).max_in_flight == 7
    both = {"DATAFLOW_WORKERS": "7", "DATAFLOW_MAX_IN_FLIGHT": "9"}
    assert Settings.from_env(both).max_in_flight == 9
    with pytest.raises(ConfigError):
        Settings.from_env({"DATAFLOW_OPENAI_REQUESTS_PER_MINUTE": "0"})
