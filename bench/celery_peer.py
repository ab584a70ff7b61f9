"""The peer: Celery 5 + Redis running the bench's workloads, next to Dataflow in the same run.

    python -m bench.celery_peer chains --count N --in-flight 64
    python -m bench.celery_peer latency --count 200
    python -m bench.celery_peer sleepers --count 1000 --seconds 1

The app (broker and result backend: the Redis at $BENCH_REDIS_URL) is also what
the worker loads (`celery -A bench.celery_peer worker`), started by bench/run.py.

- `render(value, template)` is the `text.template` of the Dataflow chain: the
  previous task's output fills `{{x}}`; a chain is `render | render | render`,
  each task's output feeding the next, like Dataflow's `a → b → c`.
- `chains`: N chains with `in_flight` of them awaited at once (one client thread
  each, `AsyncResult.get()` on the chain's last task), chains/s from the first
  submit to the last outcome received, and each chain's submit → outcome p50/p99.
- `latency`: one in flight, submit → outcome.
- `sleepers`: N `nap(seconds)` tasks (`time.sleep`, the shape of a call that
  waits on I/O) submitted at once; from the first submit to the last outcome.

Prints one JSON line, like bench/driver.py.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from celery import Celery, chain

from .common import add_shared_scenarios, chains_result, emit, percentile, summary_ms

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")

app = Celery("bench", broker=REDIS_URL, backend=REDIS_URL)
app.conf.update(
    broker_connection_retry_on_startup=True,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    worker_hijack_root_logger=False,
)


@app.task(name="bench.render")
def render(value: str, template: str) -> str:
    return template.replace("{{x}}", value)


@app.task(name="bench.nap")
def nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def _chain(name: str) -> Any:
    return chain(
        render.s(name, "Hello {{x}}"),
        render.s("{{x}}, again"),
        render.s("<{{x}}>"),
    )


def _one_chain(i: int) -> float:
    """Submit one chain and wait for its outcome; the seconds it took."""
    name = f"n{i}"
    start = time.perf_counter()
    outcome = _chain(name).apply_async().get(timeout=120)
    took = time.perf_counter() - start
    if outcome != f"<Hello {name}, again>":
        raise RuntimeError(f"chain {i}: unexpected outcome {outcome!r}")
    return took


def warm_up(count: int) -> None:
    """Untimed chains: waits for the worker to be up and fills its caches."""
    for i in range(count):
        _one_chain(-1 - i)


def chains(args: argparse.Namespace) -> dict[str, Any]:
    warm_up(args.warmup)
    latencies: list[float] = []
    lock = threading.Lock()
    next_index = 0

    def worker() -> None:
        nonlocal next_index
        while True:
            with lock:
                i = next_index
                next_index += 1
            if i >= args.count:
                return
            took = _one_chain(i)
            with lock:
                latencies.append(took)

    start = time.perf_counter()
    with ThreadPoolExecutor(args.in_flight) as pool:
        for future in [pool.submit(worker) for _ in range(args.in_flight)]:
            future.result()
    elapsed = time.perf_counter() - start
    return chains_result(args.count, args.in_flight, elapsed, latencies)


def latency(args: argparse.Namespace) -> dict[str, Any]:
    warm_up(1)
    observed = [_one_chain(i) for i in range(args.warmup + args.count)][args.warmup :]
    return {"count": args.count, "submit_to_outcome": summary_ms(observed)}


def sleepers(args: argparse.Namespace) -> dict[str, Any]:
    warm_up(1)
    start = time.perf_counter()
    results = [nap.delay(args.seconds) for _ in range(args.count)]
    submitted = time.perf_counter() - start
    finished: list[float] = []
    for result in results:  # in submit order: the last to finish bounds the wait
        result.get(timeout=600)
        finished.append(time.perf_counter() - start)
    elapsed = max(finished)
    return {
        "count": args.count,
        "seconds": args.seconds,
        "submit_s": round(submitted, 3),
        "elapsed_s": round(elapsed, 3),
        "completed_p50_s": round(percentile(finished, 50), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.celery_peer")
    sub = parser.add_subparsers(dest="scenario", required=True)
    add_shared_scenarios(sub)["chains"].add_argument("--warmup", type=int, default=100)
    args = parser.parse_args()
    scenario = {"chains": chains, "latency": latency, "sleepers": sleepers}[args.scenario]
    emit(scenario(args))


if __name__ == "__main__":
    main()
