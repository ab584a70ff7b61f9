"""The load driver: one scenario against a running Dataflow server, with the async client.

    python -m bench.driver --address 127.0.0.1:PORT SCENARIO [options]

Runs in its own process (the runner starts one per scenario) and prints one
JSON line with the scenario's figures. Scenarios:

- `warmup`: a few hundred executions, untimed (fills caches, like a server that ran a while).
- `throughput --tasks 1|3 --pattern submit|wait`: N executions with 64 in flight.
  `submit`: ExecuteWorkflow only; completion is read afterwards from the store
  (each execution's `completed_at`, the timestamp of its `execution.completed`
  event). `wait`: each ExecuteWorkflow followed by its own WatchExecution to the end.
  Executions per second from the first submit to the last COMPLETED.
- `latency`: one in flight, three-task chains: submit → outcome received
  (`run`: one ExecuteWorkflow with `wait`), p50/p95/p99.
- `fanout`: W concurrent WatchExecution streams on one execution of a 20-task
  workflow (a `core.sleep` first, so that every stream is attached before the
  burst); every watcher must get every event in order; per-event delivery
  latency = receipt time − the event's timestamp (same machine, same clock).
- `rpc`: CreateWorkflow and GetExecution calls per second with 64 in flight.
- `chains`: three-task chains awaited by outcome (`run`: one ExecuteWorkflow with
  `wait`, answered with the outcome) with 64 in flight: chains/s from
  the first submit to the last outcome, and each chain's submit → outcome
  p50/p99 (bench/celery_peer.py runs the same against Celery + Redis).
- `sleepers`: N executions of one `core.sleep` (1 s: a task that waits on I/O)
  submitted with 64 in flight; from the first submit to the last COMPLETED
  (`completed_at`, read from the store).
- `inflight`: N executions of a long `core.sleep` submitted with 64 in flight;
  the server's RSS once all are accepted (the runner then kills the server).
- `replica_watch`: executions submitted to replica A and watched on replica B
  (two server processes on one database); per-event delivery latency on B =
  receipt − the event's timestamp, for the events committed after B's watch
  attached (and the same on A, in-process, as a baseline); every watcher on B
  must get every event in order.
- `http`: the same over the HTTP API (`--http`): POST /workflows, POST
  /workflows/{id}/executions and GET of one execution per second, 64 in flight.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import datetime
from typing import Any

from dataflow_client import AsyncDataflowClient

from .common import (
    add_shared_scenarios,
    chains_result,
    emit,
    rss_mb,
    run_concurrently,
    summary_ms,
)

TERMINAL = ("execution.completed", "execution.failed", "execution.cancelled")


def one_task_workflow(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "inputs": [{"name": "name", "type": "text"}],
        "tasks": [
            {
                "name": "greet",
                "type": "text.template",
                "inputs": {"template": "Hello {{inputs.name}}"},
            }
        ],
        "outputs": [{"name": "text", "type": "text", "value": "{{tasks.greet.outputs.text}}"}],
    }


def chain_workflow(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "inputs": [{"name": "name", "type": "text"}],
        "tasks": [
            {"name": "a", "type": "text.template", "inputs": {"template": "Hello {{inputs.name}}"}},
            {
                "name": "b",
                "type": "text.template",
                "inputs": {"template": "{{tasks.a.outputs.text}}, again"},
            },
            {
                "name": "c",
                "type": "text.template",
                "inputs": {"template": "<{{tasks.b.outputs.text}}>"},
            },
        ],
        "outputs": [{"name": "text", "type": "text", "value": "{{tasks.c.outputs.text}}"}],
    }


def fanout_workflow(tasks: int) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {"name": "hold", "type": "core.sleep", "inputs": {"seconds": "{{inputs.hold}}"}}
    ]
    for i in range(1, tasks):
        body.append({"name": f"t{i}", "type": "text.template", "inputs": {"template": f"step {i}"}})
    return {
        "title": "bench fan-out",
        "inputs": [{"name": "hold", "type": "number"}],
        "tasks": body,
        "outputs": [],
    }


def sleep_workflow() -> dict[str, Any]:
    return {
        "title": "bench sleepers",
        "inputs": [{"name": "seconds", "type": "number"}],
        "tasks": [
            {"name": "wait", "type": "core.sleep", "inputs": {"seconds": "{{inputs.seconds}}"}}
        ],
        "outputs": [],
    }


def _ts(moment: datetime | None) -> float:
    """A timestamp of the client's typed results as Unix seconds (0 when unset)."""
    return moment.timestamp() if moment else 0.0


async def _workflow(client: AsyncDataflowClient, tasks: int, title: str) -> str:
    definition = one_task_workflow(title) if tasks == 1 else chain_workflow(title)
    return (await client.create_workflow(definition)).workflow_id


async def _wait_done(client: AsyncDataflowClient, workflow_id: str, timeout: float) -> None:
    """Until no execution of the workflow is PENDING or RUNNING (light polling)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = 0
        for status in ("PENDING", "RUNNING"):
            page = await client.list_executions(workflow_id, status=status, page_size=1)
            busy += len(page)
        if not busy:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"executions of {workflow_id} still running after {timeout}s")


async def _completions(client: AsyncDataflowClient, workflow_id: str) -> list[Any]:
    return [e async for e in client.iter_executions(workflow_id, page_size=1000)]


async def warmup(client: AsyncDataflowClient, args: argparse.Namespace) -> dict[str, Any]:
    wf1 = await _workflow(client, 1, "bench warm-up 1")
    wf3 = await _workflow(client, 3, "bench warm-up 3")

    async def one(i: int) -> None:
        ex = await client.execute(wf1 if i % 2 else wf3, {"name": f"w{i}"})
        async for _ in client.watch(ex.workflow_execution_id):
            pass

    elapsed = await run_concurrently(args.count, 32, one)
    return {"count": args.count, "elapsed_s": round(elapsed, 3)}


async def throughput(client: AsyncDataflowClient, args: argparse.Namespace) -> dict[str, Any]:
    workflow_id = await _workflow(client, args.tasks, f"bench {args.tasks}-task {args.pattern}")
    first_submit: list[float] = []
    last_seen = 0.0
    events = 0

    async def submit(i: int) -> None:
        if not first_submit:
            first_submit.append(time.time())
        await client.execute(workflow_id, {"name": f"n{i}"})

    async def execute_and_wait(i: int) -> None:
        nonlocal last_seen, events
        if not first_submit:
            first_submit.append(time.time())
        ex = await client.execute(workflow_id, {"name": f"n{i}"})
        async for event in client.watch(ex.workflow_execution_id):
            events += 1
            if event.type in TERMINAL:
                if event.type != "execution.completed":
                    raise RuntimeError(f"{ex.workflow_execution_id} ended {event.type}")
                last_seen = max(last_seen, time.time())

    if args.pattern == "submit":
        submit_s = await run_concurrently(args.count, args.in_flight, submit)
        await _wait_done(client, workflow_id, timeout=300)
        done = await _completions(client, workflow_id)
        statuses = {e.status for e in done}
        if len(done) != args.count or statuses != {"COMPLETED"}:
            raise RuntimeError(f"expected {args.count} COMPLETED, got {len(done)} {statuses}")
        end = max(_ts(e.completed_at) for e in done)
        elapsed = end - first_submit[0]
        return {
            "count": args.count,
            "in_flight": args.in_flight,
            "elapsed_s": round(elapsed, 3),
            "executions_per_s": round(args.count / elapsed, 1),
            "submit_rpc_per_s": round(args.count / submit_s, 1),
        }
    await run_concurrently(args.count, args.in_flight, execute_and_wait)
    elapsed = last_seen - first_submit[0]
    return {
        "count": args.count,
        "in_flight": args.in_flight,
        "elapsed_s": round(elapsed, 3),
        "executions_per_s": round(args.count / elapsed, 1),
        "events_received": events,
    }


async def latency(client: AsyncDataflowClient, args: argparse.Namespace) -> dict[str, Any]:
    workflow_id = await _workflow(client, 3, "bench latency")
    observed: list[float] = []
    committed: list[float] = []
    for i in range(args.warmup + args.count):
        submitted = time.time()
        start = time.perf_counter()
        final = await client.run(workflow_id, {"name": f"l{i}"})
        took = time.perf_counter() - start
        if final.status != "COMPLETED":
            raise RuntimeError(f"{final.workflow_execution_id}: status {final.status}")
        if i >= args.warmup:
            observed.append(took)
            committed.append(_ts(final.completed_at) - submitted)
    return {
        "count": args.count,
        "submit_to_completed_seen": summary_ms(observed),
        "submit_to_completed_committed": summary_ms(committed),
    }


async def fanout(args: argparse.Namespace) -> dict[str, Any]:
    clients = [AsyncDataflowClient(args.address, timeout=60) for _ in range(args.channels)]
    try:
        client = clients[0]
        workflow_id = (await client.create_workflow(fanout_workflow(args.tasks))).workflow_id
        ex = await client.execute(workflow_id, {"hold": args.hold})
        execution_id = ex.workflow_execution_id
        submitted = time.monotonic()
        attached = asyncio.Event()
        first_seen = 0
        received: list[list[int]] = [[] for _ in range(args.watchers)]
        latencies: list[float] = []
        live_after = [0.0]  # events stamped after every watcher attached count as live

        async def watch(i: int) -> None:
            nonlocal first_seen
            seqs = received[i]
            stream = clients[i % len(clients)].watch(execution_id)
            async for event in stream:
                now = time.time()
                seqs.append(event.sequence)
                if len(seqs) == 1:
                    first_seen += 1
                    if first_seen == args.watchers:
                        live_after[0] = now
                        attached.set()
                elif attached.is_set() and _ts(event.timestamp) >= live_after[0]:
                    latencies.append(now - _ts(event.timestamp))

        tasks = [asyncio.create_task(watch(i)) for i in range(args.watchers)]
        await asyncio.wait_for(attached.wait(), 120)
        attach_s = time.monotonic() - submitted
        await asyncio.wait_for(asyncio.gather(*tasks), 300)
        final = await client.get_execution(execution_id)
        expected = list(range(1, final.last_sequence + 1))
        complete = sum(1 for seqs in received if seqs == expected)
        return {
            "watchers": args.watchers,
            "tasks": args.tasks,
            "events": final.last_sequence,
            "status": str(final.status),
            "attach_s": round(attach_s, 3),
            "hold_s": args.hold,
            "complete_watchers": complete,
            "live_deliveries": len(latencies),
            "delivery": summary_ms(latencies),
            "burst_s": round(_ts(final.completed_at) - _ts(final.started_at) - args.hold, 3),
        }
    finally:
        for c in clients:
            await c.close()


async def chains(client: AsyncDataflowClient, args: argparse.Namespace) -> dict[str, Any]:
    workflow_id = await _workflow(client, 3, "bench chains")
    latencies: list[float] = []

    async def one(i: int) -> None:
        start = time.perf_counter()
        final = await client.run(workflow_id, {"name": f"c{i}"})
        if final.status != "COMPLETED" or final.outputs["text"] != f"<Hello c{i}, again>":
            raise RuntimeError(f"{final.workflow_execution_id}: {final.status} {final.outputs}")
        latencies.append(time.perf_counter() - start)

    elapsed = await run_concurrently(args.count, args.in_flight, one)
    return chains_result(args.count, args.in_flight, elapsed, latencies)


async def sleepers(client: AsyncDataflowClient, args: argparse.Namespace) -> dict[str, Any]:
    workflow_id = (await client.create_workflow(sleep_workflow())).workflow_id
    first_submit: list[float] = []

    async def submit(_: int) -> None:
        if not first_submit:
            first_submit.append(time.time())
        await client.execute(workflow_id, {"seconds": args.seconds})

    submit_s = await run_concurrently(args.count, args.in_flight, submit)
    await _wait_done(client, workflow_id, timeout=600)
    done = await _completions(client, workflow_id)
    statuses = {e.status for e in done}
    if len(done) != args.count or statuses != {"COMPLETED"}:
        raise RuntimeError(f"expected {args.count} COMPLETED, got {len(done)} {statuses}")
    finished = sorted(_ts(e.completed_at) - first_submit[0] for e in done)
    return {
        "count": args.count,
        "seconds": args.seconds,
        "in_flight": args.in_flight,
        "submit_s": round(submit_s, 3),
        "elapsed_s": round(finished[-1], 3),
        "completed_p50_s": round(finished[len(finished) // 2], 3),
    }


async def inflight(client: AsyncDataflowClient, args: argparse.Namespace) -> dict[str, Any]:
    workflow_id = (await client.create_workflow(sleep_workflow())).workflow_id

    async def submit(_: int) -> None:
        await client.execute(workflow_id, {"seconds": args.hold})

    submit_s = await run_concurrently(args.count, args.in_flight, submit)
    running = await client.list_executions(workflow_id, status="RUNNING", page_size=1000)
    return {
        "count": args.count,
        "hold_s": args.hold,
        "submit_s": round(submit_s, 3),
        "rss_mb": rss_mb(args.server_pid),
        "running_at_least": len(running),
    }


async def replica_watch(args: argparse.Namespace) -> dict[str, Any]:
    """Run on A (the replica an execution is submitted to, which runs it), watch on B;
    also watch on A itself: the in-process delivery of the same events, a baseline."""
    async with (
        AsyncDataflowClient(args.address, timeout=60) as runner,
        AsyncDataflowClient(args.watch_address, timeout=60) as watcher,
    ):
        workflow_id = (await runner.create_workflow(fanout_workflow(args.tasks))).workflow_id
        latencies: dict[str, list[float]] = {"remote": [], "local": []}
        complete = 0

        async def follow(client: AsyncDataflowClient, execution_id: str, side: str) -> list[int]:
            seqs: list[int] = []
            attached_at = 0.0
            async for event in client.watch(execution_id):
                now = time.time()
                seqs.append(event.sequence)
                if len(seqs) == 1:
                    attached_at = now
                elif _ts(event.timestamp) > attached_at:
                    latencies[side].append(now - _ts(event.timestamp))
            return seqs

        async def one(i: int) -> None:
            nonlocal complete
            execution_id = (
                await runner.execute(workflow_id, {"hold": args.hold})
            ).workflow_execution_id
            seqs, _ = await asyncio.gather(
                follow(watcher, execution_id, "remote"), follow(runner, execution_id, "local")
            )
            final = await runner.get_execution(execution_id)
            if final.status == "COMPLETED" and seqs == list(range(1, final.last_sequence + 1)):
                complete += 1

        elapsed = await run_concurrently(args.count, args.in_flight, one)
        return {
            "executions": args.count,
            "in_flight": args.in_flight,
            "tasks": args.tasks,
            "hold_s": args.hold,
            "elapsed_s": round(elapsed, 3),
            "complete_watchers": complete,
            "live_deliveries": len(latencies["remote"]),
            "delivery": summary_ms(latencies["remote"]),
            "local_delivery": summary_ms(latencies["local"]),
        }


async def rpc(client: AsyncDataflowClient, args: argparse.Namespace) -> dict[str, Any]:
    definition = one_task_workflow("bench rpc")

    async def create(_: int) -> None:
        await client.create_workflow(definition)

    create_s = await run_concurrently(args.count, args.in_flight, create)
    workflow_id = (await client.create_workflow(definition)).workflow_id
    ids = []
    for i in range(args.in_flight):
        ids.append((await client.execute(workflow_id, {"name": f"r{i}"})).workflow_execution_id)
    for execution_id in ids:
        await client.wait(execution_id)

    async def get(i: int) -> None:
        await client.get_execution(ids[i % len(ids)])

    get_s = await run_concurrently(args.get_count, args.in_flight, get)
    return {
        "in_flight": args.in_flight,
        "create_workflow_per_s": round(args.count / create_s, 1),
        "get_execution_per_s": round(args.get_count / get_s, 1),
    }


async def http_api(args: argparse.Namespace) -> dict[str, Any]:
    import contextlib

    import httpx

    definition = one_task_workflow("bench http")
    async with contextlib.AsyncExitStack() as stack:
        # One single-connection client per request in flight: httpx's pool scans all
        # its connections on every request, which would make the driver the bottleneck.
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(
                    base_url=args.http, limits=httpx.Limits(max_connections=1), timeout=120
                )
            )
            for _ in range(args.in_flight)
        ]

        async def post(i: int, path: str, body: dict[str, Any]) -> dict[str, Any]:
            response = await clients[i % len(clients)].post(path, json=body)
            assert response.status_code == 201, response.text
            return dict(response.json())

        async def create(i: int) -> None:
            await post(i, "/workflows", definition)

        create_s = await run_concurrently(args.count, args.in_flight, create)
        workflow_id = (await post(0, "/workflows", definition))["workflow_id"]
        executions = f"/workflows/{workflow_id}/executions"
        ids: list[str] = []

        async def execute(i: int) -> None:
            started = await post(i, executions, {"inputs": {"name": f"h{i}"}})
            ids.append(started["workflow_execution_id"])

        execute_s = await run_concurrently(args.count, args.in_flight, execute)
        # As in `rpc`: the reads run once the executions are done, not beside them.
        async with AsyncDataflowClient(args.address, timeout=120) as grpc_client:
            for execution_id in ids:
                await grpc_client.wait(execution_id)

        async def get(i: int) -> None:
            client = clients[i % len(clients)]
            response = await client.get(f"{executions}/{ids[i % len(ids)]}")
            assert response.status_code == 200, response.text

        get_s = await run_concurrently(args.get_count, args.in_flight, get)
    return {
        "in_flight": args.in_flight,
        "create_workflow_per_s": round(args.count / create_s, 1),
        "execute_workflow_per_s": round(args.count / execute_s, 1),
        "get_execution_per_s": round(args.get_count / get_s, 1),
    }


async def _main(args: argparse.Namespace) -> dict[str, Any]:
    if args.scenario == "fanout":
        return await fanout(args)
    if args.scenario == "http":
        return await http_api(args)
    if args.scenario == "replica_watch":
        return await replica_watch(args)
    scenarios = {
        "warmup": warmup,
        "throughput": throughput,
        "latency": latency,
        "rpc": rpc,
        "chains": chains,
        "sleepers": sleepers,
        "inflight": inflight,
    }
    async with AsyncDataflowClient(args.address, timeout=120) as client:
        return await scenarios[args.scenario](client, args)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.driver")
    parser.add_argument("--address", required=True)
    parser.add_argument("--http", default="", help="the HTTP API's base URL (scenario http)")
    sub = parser.add_subparsers(dest="scenario", required=True)
    w = sub.add_parser("warmup")
    w.add_argument("--count", type=int, default=300)
    t = sub.add_parser("throughput")
    t.add_argument("--tasks", type=int, choices=(1, 3), default=1)
    t.add_argument("--pattern", choices=("submit", "wait"), default="submit")
    t.add_argument("--count", type=int, default=2000)
    t.add_argument("--in-flight", type=int, default=64)
    f = sub.add_parser("fanout")
    f.add_argument("--watchers", type=int, default=1000)
    f.add_argument("--tasks", type=int, default=20)
    f.add_argument("--hold", type=float, default=8.0)
    f.add_argument("--channels", type=int, default=10)
    r = sub.add_parser("rpc")
    r.add_argument("--count", type=int, default=2000)
    r.add_argument("--get-count", type=int, default=4000)
    r.add_argument("--in-flight", type=int, default=64)
    h = sub.add_parser("http")
    h.add_argument("--count", type=int, default=2000)
    h.add_argument("--get-count", type=int, default=4000)
    h.add_argument("--in-flight", type=int, default=64)
    add_shared_scenarios(sub)["sleepers"].add_argument("--in-flight", type=int, default=64)
    inf = sub.add_parser("inflight")
    inf.add_argument("--server-pid", type=int, required=True)
    inf.add_argument("--count", type=int, default=10_000)
    inf.add_argument("--hold", type=float, default=600.0)
    inf.add_argument("--in-flight", type=int, default=64)
    rw = sub.add_parser("replica_watch")
    rw.add_argument("--watch-address", required=True)
    rw.add_argument("--count", type=int, default=40)
    rw.add_argument("--in-flight", type=int, default=4)
    rw.add_argument("--tasks", type=int, default=5)
    rw.add_argument("--hold", type=float, default=0.3)
    args = parser.parse_args()
    emit(asyncio.run(_main(args)))


if __name__ == "__main__":
    main()
