"""Small helpers shared by the benchmark processes (standard library only)."""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "add_shared_scenarios",
    "chains_result",
    "emit",
    "percentile",
    "rss_mb",
    "run_concurrently",
    "summary_ms",
]


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by nearest rank; NaN for no samples."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summary_ms(samples_s: Sequence[float]) -> dict[str, float]:
    """p50 / p95 / p99 / max of durations given in seconds, in milliseconds."""
    return {
        "p50_ms": round(percentile(samples_s, 50) * 1000, 3),
        "p95_ms": round(percentile(samples_s, 95) * 1000, 3),
        "p99_ms": round(percentile(samples_s, 99) * 1000, 3),
        "max_ms": round(max(samples_s) * 1000, 3) if samples_s else math.nan,
        "samples": len(samples_s),
    }


async def run_concurrently(
    count: int, in_flight: int, one: Callable[[int], Awaitable[None]]
) -> float:
    """Call `one(i)` for i in range(count), `in_flight` at a time; the elapsed seconds."""
    next_index = 0

    async def worker() -> None:
        nonlocal next_index
        while next_index < count:
            i = next_index
            next_index += 1
            await one(i)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(min(in_flight, count))))
    return time.perf_counter() - start


def emit(result: dict[str, Any]) -> None:
    """A driver's result: one JSON line on stdout (the runner reads the last line)."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


def rss_mb(pid: int) -> float:
    """A process's resident memory in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def add_shared_scenarios(sub: Any) -> dict[str, argparse.ArgumentParser]:
    """The scenarios that bench/driver.py (Dataflow) and bench/celery_peer.py (Celery)
    both run, with the same counts; each adds its own options to the parsers returned."""
    chains = sub.add_parser("chains")
    chains.add_argument("--count", type=int, default=2000)
    chains.add_argument("--in-flight", type=int, default=64)
    latency = sub.add_parser("latency")
    latency.add_argument("--count", type=int, default=200)
    latency.add_argument("--warmup", type=int, default=10)
    sleepers = sub.add_parser("sleepers")
    sleepers.add_argument("--count", type=int, default=1000)
    sleepers.add_argument("--seconds", type=float, default=1.0)
    return {"chains": chains, "latency": latency, "sleepers": sleepers}


def chains_result(
    count: int, in_flight: int, elapsed: float, latencies: Sequence[float]
) -> dict[str, Any]:
    """The `chains` scenario's figures (Dataflow's and Celery's alike)."""
    return {
        "count": count,
        "in_flight": in_flight,
        "elapsed_s": round(elapsed, 3),
        "chains_per_s": round(count / elapsed, 1),
        "latency": summary_ms(latencies),
    }
