"""A before → after table in Markdown from result files of `make bench`.

    python -m bench.compare BEFORE.json AFTER.json [--before-extra FILE.json]

Each cell shows the figure of each run with its ratio to that run's echo ceiling
or to that run's Celery peer, so that runs on a noisy machine compare by ratios.
`--before-extra` merges scenarios run on their own (`--only inflight`) into BEFORE.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Result = dict[str, Any]


def _get(r: Result, *path: str) -> Any:
    value: Any = r
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _rate(scenario: str, field: str = "executions_per_s") -> Callable[[Result], str | None]:
    def cell(r: Result) -> str | None:
        v = _get(r, "scenarios", scenario, field)
        if v is None:
            return None
        text = f"{v:,.0f}/s ({v / r['ceiling']['unary_rps']:.2f}× echo"
        peer = _get(r, "celery", "chains", "chains_per_s")
        if scenario == "chains" and peer:
            text += f", {v / peer:.2f}× Celery"
        return text + ")"

    return cell


def _p50_p99(*path: str) -> Callable[[Result], str | None]:
    def cell(r: Result) -> str | None:
        s = _get(r, *path)
        return None if s is None else f"p50 {s['p50_ms']:,.1f} / p99 {s['p99_ms']:,.1f} ms"

    return cell


def _seconds(*path: str) -> Callable[[Result], str | None]:
    def cell(r: Result) -> str | None:
        v = _get(r, *path)
        return None if v is None else f"{v:,.1f} s"

    return cell


def _sleepers(r: Result) -> str | None:
    ours, peer = _get(r, "scenarios", "sleepers"), _get(r, "celery", "sleepers")
    if ours is None:
        return None
    text = f"{ours['elapsed_s']:,.1f} s"
    if peer:
        text += f" ({ours['elapsed_s'] / peer['elapsed_s']:.2f}× Celery's)"
    return text


def _mb(*path: str) -> Callable[[Result], str | None]:
    def cell(r: Result) -> str | None:
        v = _get(r, *path)
        return None if v is None else f"{v:,.0f} MB"

    return cell


def _celery_chains(r: Result) -> str | None:
    v = _get(r, "celery", "chains", "chains_per_s")
    if v is None:
        return None
    return f"{v:,.0f}/s ({v / r['ceiling']['unary_rps']:.2f}× echo)"


ROWS: list[tuple[str, Callable[[Result], str | None]]] = [
    ("echo ceiling, unary, 64 in flight", lambda r: f"{r['ceiling']['unary_rps']:,.0f} calls/s"),
    ("1-task, (a) submit only", _rate("throughput_1_submit")),
    ("1-task, (b) execute + watch, 64 in flight", _rate("throughput_1_wait")),
    ("1-task, (c) ExecuteAndWatch, one call", _rate("throughput_1_stream")),
    ("3-task chain, (a) submit only", _rate("throughput_3_submit")),
    ("3-task chain, (b) execute + watch", _rate("throughput_3_wait")),
    ("3-task chains awaited by outcome, 64 in flight", _rate("chains", "chains_per_s")),
    ("… each chain, submit → outcome", _p50_p99("scenarios", "chains", "latency")),
    ("Celery + Redis, same chains", _celery_chains),
    ("… each chain, submit → outcome", _p50_p99("celery", "chains", "latency")),
    ("3-task chain, 1 in flight", _p50_p99("scenarios", "latency", "submit_to_completed_seen")),
    ("Celery + Redis chain, 1 in flight", _p50_p99("celery", "latency", "submit_to_outcome")),
    ("1,000 × 1 s wait: first submit → all COMPLETED", _sleepers),
    ("Celery + Redis, same", _seconds("celery", "sleepers", "elapsed_s")),
    ("cross-replica watch delivery", _p50_p99("scenarios", "replica_watch", "delivery")),
    (
        "… the same events on the runner's replica",
        _p50_p99("scenarios", "replica_watch", "local_delivery"),
    ),
    ("fan-out, 1,000 watchers × 43 events", _p50_p99("scenarios", "fanout", "delivery")),
    ("RSS idle", _mb("footprint", "rss_idle_mb")),
    ("RSS with 10,000 executions in flight", _mb("scenarios", "inflight", "rss_mb")),
    ("start → SERVING", _seconds("footprint", "serving_s")),
]


def table(before: Result, after: Result) -> str:
    lines = ["| measure | before | after |", "| --- | --- | --- |"]
    for label, cell in ROWS:
        old, new = cell(before), cell(after)
        if old is None and new is None:
            continue
        lines.append(f"| {label} | {old or '—'} | {new or '—'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.compare")
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--before-extra", type=Path, action="append", default=[])
    args = parser.parse_args()
    before = json.loads(args.before.read_text())
    for extra in args.before_extra:
        before["scenarios"].update(json.loads(extra.read_text())["scenarios"])
    print(table(before, json.loads(args.after.read_text())))


if __name__ == "__main__":
    main()
