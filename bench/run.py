"""`make bench`: start a real server, drive it from other processes, compare with the ceiling.

    python -m bench [--postgres] [--quick] [--only NAME ...] [--profile]

(NAME: a scenario of SCENARIOS, or replica_watch, or celery.)

1. The ceiling: a trivial grpc.aio echo server and client (bench/echo.py),
   measured before and after the Dataflow scenarios; ratios use the higher
   of the two (the conservative choice on a noisy machine).
2. A `dataflow-server` process (SQLite in a temporary data dir, or with
   `--postgres` a throwaway PostgreSQL 15 cluster started like the tests
   start theirs), default settings.
3. One driver process per scenario (bench/driver.py, the async Python
   client over a real port): throughput, latency, RPC rates, fan-out.
4. Footprint: process start → health SERVING, RSS idle and after the
   fan-out, `dataflow --help` wall time.
5. Cross-replica watch: a second server process on the same database; the
   driver runs executions on the first and watches them on the second.
6. The peer: Celery 5 + Redis running the same chains and 1 s waits
   (bench/celery_run.py), after the Dataflow server has stopped.

Prints a table and writes bench/results/latest.json (and latest-<backend>.json).
`--profile` also records each scenario's server with py-spy (raw collapsed
stacks in bench/results/profiles/, summarised by `python -m bench.profile`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .celery_run import CELERY_CHAIN_THREADS, run_peer
from .common import rss_mb
from .processes import (
    BIN,
    PY,
    REPO,
    env_with_paths,
    free_port,
    run_json,
    stop_process,
    wait_port,
)

RESULTS = REPO / "bench" / "results"

# (name, driver arguments); --quick divides the counts by 4.
SCENARIOS: list[tuple[str, list[str]]] = [
    ("warmup", ["warmup", "--count", "300"]),
    ("throughput_1_submit", ["throughput", "--tasks", "1", "--pattern", "submit"]),
    ("throughput_1_wait", ["throughput", "--tasks", "1", "--pattern", "wait"]),
    ("throughput_1_stream", ["throughput", "--tasks", "1", "--pattern", "stream"]),
    ("throughput_3_submit", ["throughput", "--tasks", "3", "--pattern", "submit"]),
    ("throughput_3_wait", ["throughput", "--tasks", "3", "--pattern", "wait"]),
    ("chains", ["chains"]),
    ("latency", ["latency"]),
    ("rpc", ["rpc"]),
    ("http", ["http"]),
    ("fanout", ["fanout"]),
    ("sleepers", ["sleepers"]),
]
# Run after SCENARIOS: they start more processes (a second replica, Redis and Celery).
EXTRA_SCENARIOS = ("replica_watch", "inflight", "celery")
QUICK = {
    "warmup": ["--count", "100"],
    "throughput": ["--count", "500"],
    "latency": ["--count", "50"],
    "rpc": ["--count", "500", "--get-count", "1000"],
    "http": ["--count", "500", "--get-count", "1000"],
    "fanout": ["--watchers", "250"],
    "chains": ["--count", "500"],
    "sleepers": ["--count", "250"],
    "replica_watch": ["--count", "12"],
    "inflight": ["--count", "2500"],
}


# --- the ceiling ---------------------------------------------------------------------------


def measure_ceiling(quick: bool) -> dict[str, Any]:
    port = free_port()
    env = env_with_paths({})
    server = subprocess.Popen(
        [PY, "-m", "bench.echo", "server", "--listen", f"127.0.0.1:{port}"], env=env, cwd=REPO
    )
    try:
        wait_port(port)
        argv = [PY, "-m", "bench.echo", "client", "--address", f"127.0.0.1:{port}"]
        if quick:
            argv += ["--requests", "2000", "--latency-requests", "300", "--watchers", "250"]
        return run_json(argv, env, timeout=120)
    finally:
        server.terminate()
        server.wait(10)


# --- the server ----------------------------------------------------------------------------


@dataclass
class Server:
    env: dict[str, str]
    log_path: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    serving_s: float = 0.0
    profilers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        import grpc
        from grpc_health.v1 import health_pb2, health_pb2_grpc

        started = time.perf_counter()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [PY, "-m", "dataflow_server.main"],
                env=self.env,
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        options = [
            ("grpc.initial_reconnect_backoff_ms", 5),
            ("grpc.min_reconnect_backoff_ms", 5),
            ("grpc.max_reconnect_backoff_ms", 20),
        ]
        deadline = time.monotonic() + 60
        with grpc.insecure_channel(self.address, options=options) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited:\n{self.log_path.read_text()[-4000:]}")
                if time.monotonic() > deadline:
                    raise TimeoutError("server not SERVING after 60 s")
                try:
                    reply = stub.Check(
                        health_pb2.HealthCheckRequest(), timeout=0.5, wait_for_ready=True
                    )
                    if reply.status == health_pb2.HealthCheckResponse.SERVING:
                        break
                except grpc.RpcError:
                    pass
                time.sleep(0.005)
        self.serving_s = time.perf_counter() - started

    def stop(self) -> None:
        stop_process(self.process)

    @contextlib.contextmanager
    def profiled(self, name: str, enabled: bool) -> Iterator[None]:
        if not enabled or self.process is None:
            yield
            return
        out = RESULTS / "profiles"
        out.mkdir(parents=True, exist_ok=True)
        spy = subprocess.Popen(
            [
                str(BIN / "py-spy"),
                "record",
                "--pid",
                str(self.process.pid),
                "--format",
                "raw",
                "--rate",
                "200",
                "--output",
                str(out / f"{name}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5)  # attached
        try:
            yield
        finally:
            spy.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                spy.wait(30)


@contextlib.contextmanager
def database(postgres: bool, tmp: Path) -> Iterator[tuple[str | None, str]]:
    """(DATAFLOW_DATABASE_URL or None for SQLite, a description)."""
    if not postgres:
        yield None, f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL)"
        return
    sys.path.insert(0, str(REPO))
    import asyncio

    from tests.support import postgres as pg  # the tests' throwaway cluster helpers

    cluster = pg._start_cluster()
    try:
        url = asyncio.run(pg.new_postgres_database_url(cluster, prefix="bench"))
        version = subprocess.run(
            [str(pg.PG_BINDIR / "postgres"), "--version"], capture_output=True, text=True
        ).stdout.strip()
        yield url, f"{version} (throwaway cluster, fsync=off like the tests)"
    finally:
        pg._stop_cluster(cluster)


def replica_watch(a: Server, tmp: Path, driver_env: dict[str, str], quick: bool) -> dict[str, Any]:
    """A second server process on A's database (B); the driver runs on A and watches on B."""
    port = free_port()
    b_env = {**a.env, "DATAFLOW_LISTEN": f"127.0.0.1:{port}", "DATAFLOW_HTTP_LISTEN": ""}
    b = Server(b_env, tmp / "server-b.log", port)
    b.start()
    try:
        argv = [PY, "-m", "bench.driver", "--address", a.address, "replica_watch"]
        argv += ["--watch-address", b.address, *(QUICK["replica_watch"] if quick else [])]
        return run_json(argv, driver_env, timeout=600)
    finally:
        b.stop()


# --- footprint -----------------------------------------------------------------------------


def cli_help_seconds(runs: int = 5) -> float:
    exe = BIN / "dataflow"
    argv = [str(exe), "--help"] if exe.exists() else [PY, "-m", "dataflow_client.cli", "--help"]
    times = []
    env = env_with_paths({})
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 3)


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    import grpc

    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory": mem,
        "python": platform.python_version(),
        "grpcio": grpc.__version__,
        "platform": platform.platform(),
    }


# --- the report ----------------------------------------------------------------------------


def ratios(r: dict[str, Any]) -> dict[str, float]:
    ceiling = r["ceiling"]
    rps = ceiling["unary_rps"]
    s = r["scenarios"]
    out: dict[str, float] = {}
    for key in (
        "throughput_1_submit",
        "throughput_1_wait",
        "throughput_1_stream",
        "throughput_3_submit",
        "throughput_3_wait",
    ):
        if key in s:
            out[key] = round(s[key]["executions_per_s"] / rps, 3)
    if "rpc" in s:
        out["create_workflow"] = round(s["rpc"]["create_workflow_per_s"] / rps, 3)
        out["get_execution"] = round(s["rpc"]["get_execution_per_s"] / rps, 3)
    if "latency" in s:
        lat = s["latency"]["submit_to_completed_seen"]
        out["latency_p50_x_echo"] = round(lat["p50_ms"] / ceiling["unary_latency"]["p50_ms"], 2)
        out["latency_p99_x_echo"] = round(lat["p99_ms"] / ceiling["unary_latency"]["p99_ms"], 2)
    if "fanout" in s:
        out["fanout_p99_x_echo"] = round(
            s["fanout"]["delivery"]["p99_ms"] / ceiling["fanout"]["delivery"]["p99_ms"], 2
        )
    if "chains" in s:
        out["chains"] = round(s["chains"]["chains_per_s"] / rps, 3)
    celery = r.get("celery", {})
    if "chains" in s and "chains" in celery:
        out["chains_x_celery"] = round(
            s["chains"]["chains_per_s"] / celery["chains"]["chains_per_s"], 2
        )
    if "latency" in s and "latency" in celery:
        out["latency_p50_x_celery"] = round(
            s["latency"]["submit_to_completed_seen"]["p50_ms"]
            / celery["latency"]["submit_to_outcome"]["p50_ms"],
            2,
        )
    if "sleepers" in s and "sleepers" in celery:
        out["sleepers_x_celery"] = round(
            s["sleepers"]["elapsed_s"] / celery["sleepers"]["elapsed_s"], 2
        )
    return out


def targets(r: dict[str, Any], sqlite_ref: dict[str, Any] | None) -> list[tuple[str, str, bool]]:
    s, rat, fp = r["scenarios"], r["ratios"], r["footprint"]
    checks: list[tuple[str, str, bool]] = []

    def add(name: str, actual: str, ok: bool) -> None:
        checks.append((name, actual, ok))

    # Issue 11.
    if "sleepers" in s:
        sl = s["sleepers"]
        add(
            f"{sl['count']:,} × 1 s wait: all COMPLETED ≤ 6 s after the first submit",
            f"{sl['elapsed_s']:.1f} s",
            sl["elapsed_s"] <= 6,
        )
    if "chains_x_celery" in rat:
        x = rat["chains_x_celery"]
        add("3-task chains ≥ 3× Celery + Redis", f"{x:.2f}×", x >= 3)
    if "latency_p50_x_celery" in rat:
        add(
            "3-task p50 lower than Celery's",
            f"{rat['latency_p50_x_celery']:.2f}× Celery's",
            rat["latency_p50_x_celery"] < 1,
        )
    if "throughput_1_wait" in rat:
        add(
            "1-task execute + watch ≥ 0.12× echo (two calls)",
            f"{rat['throughput_1_wait']:.2f}×",
            rat["throughput_1_wait"] >= 0.12,
        )
    if "throughput_1_stream" in rat:
        add(
            "1-task execute + watch ≥ 0.12× echo (one call: ExecuteAndWatch)",
            f"{rat['throughput_1_stream']:.2f}×",
            rat["throughput_1_stream"] >= 0.12,
        )
    if "throughput_1_submit" in rat:
        add(
            "1-task submit only ≥ 0.25× echo",
            f"{rat['throughput_1_submit']:.2f}×",
            rat["throughput_1_submit"] >= 0.25,
        )
    if "inflight" in s:
        inf = s["inflight"]
        add(f"RSS with {inf['count']:,} in flight reported", f"{inf['rss_mb']:.0f} MB", True)

    def delivery(name: str, figures: dict[str, Any], watchers: int) -> None:
        p99 = figures["delivery"]["p99_ms"]
        add(f"{name} p99 ≤ 100 ms", f"{p99:.0f} ms", p99 <= 100)
        complete = figures["complete_watchers"]
        add(f"{name}: every watcher every event", f"{complete}/{watchers}", complete == watchers)

    if "replica_watch" in s:  # the target is PostgreSQL's; SQLite's is shown too
        delivery("cross-replica watch", s["replica_watch"], s["replica_watch"]["executions"])
    # Issue 7, still open or to keep.
    if "latency" in s:
        lat = s["latency"]["submit_to_completed_seen"]
        add("3-task latency p50 ≤ 5 ms", f"{lat['p50_ms']:.1f} ms", lat["p50_ms"] <= 5)
        add("3-task latency p99 ≤ 20 ms", f"{lat['p99_ms']:.1f} ms", lat["p99_ms"] <= 20)
    if "fanout" in s:
        delivery("fan-out", s["fanout"], s["fanout"]["watchers"])
    add("SERVING ≤ 2 s", f"{fp['serving_s']:.2f} s", fp["serving_s"] <= 2)
    add("RSS idle ≤ 150 MB", f"{fp['rss_idle_mb']:.0f} MB", fp["rss_idle_mb"] <= 150)
    add("dataflow --help ≤ 0.3 s", f"{fp['cli_help_s']:.2f} s", fp["cli_help_s"] <= 0.3)
    if r["backend"] == "postgresql" and sqlite_ref is not None:
        for key, field in (
            ("throughput_1_submit", "executions_per_s"),
            ("throughput_1_wait", "executions_per_s"),
            ("throughput_1_stream", "executions_per_s"),
            ("throughput_3_submit", "executions_per_s"),
            ("throughput_3_wait", "executions_per_s"),
            ("chains", "chains_per_s"),
        ):
            if key in s and key in sqlite_ref["scenarios"]:
                ours = s[key][field]
                ref = sqlite_ref["scenarios"][key][field]
                add(f"{key} ≥ ½ SQLite ({ref:.0f}/s)", f"{ours / ref:.2f}×", ours >= ref / 2)
    return checks


def _p50_p99(summary: dict[str, float]) -> str:
    return f"p50 {summary['p50_ms']:.1f} / p99 {summary['p99_ms']:.1f} ms"


def peer_rows(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Issue 11's rows: chains and waits next to Celery + Redis, cross-replica watch."""
    s, rat = r["scenarios"], r["ratios"]
    celery = r.get("celery", {})
    rows: list[tuple[str, str, str]] = []
    if "chains" in s:
        ch = s["chains"]
        vs = f"{rat['chains']:.2f}×"
        if "chains_x_celery" in rat:
            vs += f", {rat['chains_x_celery']:.2f}× Celery"
        rows.append(
            (
                f"3-task chains awaited by outcome, {ch['in_flight']} in flight",
                f"{ch['chains_per_s']:.0f} chains/s, {_p50_p99(ch['latency'])}",
                vs,
            )
        )
    if "chains" in celery:
        ch = celery["chains"]
        rows.append(
            (
                f"  Celery + Redis, same ({celery['worker']['chains_threads']} threads)",
                f"{ch['chains_per_s']:.0f} chains/s, {_p50_p99(ch['latency'])}",
                "",
            )
        )
    if "latency" in celery:
        rows.append(
            (
                "  Celery + Redis chain, 1 in flight",
                _p50_p99(celery["latency"]["submit_to_outcome"]),
                f"ours {rat['latency_p50_x_celery']:.2f}× (p50)"
                if "latency_p50_x_celery" in rat
                else "",
            )
        )

    def waits(label: str, figures: dict[str, Any], vs: str) -> None:
        took = f"{figures['elapsed_s']:.1f} s (submits took {figures['submit_s']:.1f} s)"
        rows.append((label, took, vs))

    if "sleepers" in s:
        sl = s["sleepers"]
        vs = f"{rat['sleepers_x_celery']:.2f}× Celery's time" if "sleepers_x_celery" in rat else ""
        waits(f"{sl['count']:,} × core.sleep {sl['seconds']:g} s: submit → all COMPLETED", sl, vs)
    if "sleepers" in celery:
        threads = celery["worker"]["sleepers_threads"]
        waits(f"  Celery + Redis, same ({threads} threads)", celery["sleepers"], "")
    if "skipped" in celery:
        rows.append(("Celery + Redis", f"skipped: {celery['skipped']}", ""))
    if "inflight" in s:
        inf = s["inflight"]
        rows.append(
            (
                f"RSS with {inf['count']:,} executions in flight",
                f"{inf['rss_mb']:.0f} MB (submits took {inf['submit_s']:.1f} s)",
                "",
            )
        )
    if "replica_watch" in s:
        rw = s["replica_watch"]
        rows.append(
            (
                "cross-replica watch: run on A, watched on B",
                f"{_p50_p99(rw['delivery'])}, {rw['complete_watchers']}/{rw['executions']} "
                "complete",
                f"on A: {_p50_p99(rw['local_delivery'])}" if "local_delivery" in rw else "",
            )
        )
    return rows


def table(r: dict[str, Any]) -> str:
    s, c, rat, fp = r["scenarios"], r["ceiling"], r["ratios"], r["footprint"]
    rows: list[tuple[str, str, str]] = []
    rows.append(("echo ceiling: unary, 64 in flight", f"{c['unary_rps']:.0f} calls/s", "1.00×"))
    rows.append(
        (
            "echo ceiling: unary, 1 in flight",
            f"p50 {c['unary_latency']['p50_ms']:.2f} / p99 {c['unary_latency']['p99_ms']:.2f} ms",
            "",
        )
    )
    cf = c["fanout"]
    rows.append(
        (
            f"echo ceiling: fan-out {cf['watchers']} streams × {cf['events']} msgs",
            f"p50 {cf['delivery']['p50_ms']:.0f} / p99 {cf['delivery']['p99_ms']:.0f} ms",
            "",
        )
    )
    names = {
        "throughput_1_submit": "1-task, (a) submit only",
        "throughput_1_wait": "1-task, (b) execute + watch",
        "throughput_1_stream": "1-task, (c) ExecuteAndWatch (one call)",
        "throughput_3_submit": "3-task chain, (a) submit only",
        "throughput_3_wait": "3-task chain, (b) execute + watch",
    }
    for key, label in names.items():
        if key in s:
            rows.append(
                (
                    f"throughput {label}",
                    f"{s[key]['executions_per_s']:.0f} exec/s",
                    f"{rat[key]:.2f}×",
                )
            )
    if "throughput_1_submit" in s:
        rows.append(
            (
                "  ExecuteWorkflow rate during (a), 1-task",
                f"{s['throughput_1_submit']['submit_rpc_per_s']:.0f} calls/s",
                "",
            )
        )
    if "latency" in s:
        lat = s["latency"]["submit_to_completed_seen"]
        p50, p95, p99 = lat["p50_ms"], lat["p95_ms"], lat["p99_ms"]
        rows.append(
            (
                "latency 3-task chain, 1 in flight",
                f"p50 {p50:.1f} / p95 {p95:.1f} / p99 {p99:.1f} ms",
                f"p50 {rat['latency_p50_x_echo']:.1f}× echo",
            )
        )
    if "rpc" in s:
        rows.append(
            (
                "CreateWorkflow, 64 in flight",
                f"{s['rpc']['create_workflow_per_s']:.0f} calls/s",
                f"{rat['create_workflow']:.2f}×",
            )
        )
        rows.append(
            (
                "GetExecution, 64 in flight",
                f"{s['rpc']['get_execution_per_s']:.0f} calls/s",
                f"{rat['get_execution']:.2f}×",
            )
        )
    if "http" in s:
        # Beside the same calls over gRPC, when measured in this run.
        grpc_rates = {
            "create_workflow_per_s": s.get("rpc", {}).get("create_workflow_per_s"),
            "execute_workflow_per_s": s.get("throughput_1_submit", {}).get("submit_rpc_per_s"),
            "get_execution_per_s": s.get("rpc", {}).get("get_execution_per_s"),
        }
        for label, key in (
            ("HTTP POST /workflows, 64 in flight", "create_workflow_per_s"),
            ("HTTP POST …/executions, 64 in flight", "execute_workflow_per_s"),
            ("HTTP GET one execution, 64 in flight", "get_execution_per_s"),
        ):
            rate, grpc_rate = s["http"][key], grpc_rates[key]
            versus = f"{rate / grpc_rate:.2f}× gRPC" if grpc_rate else ""
            rows.append((label, f"{rate:.0f} calls/s", versus))
    if "fanout" in s:
        f = s["fanout"]
        rows.append(
            (
                f"fan-out {f['watchers']} watchers, {f['events']} events",
                f"p50 {f['delivery']['p50_ms']:.0f} / p99 {f['delivery']['p99_ms']:.0f} ms, "
                f"{f['complete_watchers']}/{f['watchers']} complete",
                f"p99 {rat['fanout_p99_x_echo']:.1f}× echo",
            )
        )
    rows += peer_rows(r)
    rows.append(("start → SERVING", f"{fp['serving_s']:.2f} s", ""))
    rows.append(
        (
            "RSS idle / after fan-out",
            f"{fp['rss_idle_mb']:.0f} / {fp.get('rss_after_fanout_mb', float('nan')):.0f} MB",
            "",
        )
    )
    rows.append(("dataflow --help", f"{fp['cli_help_s']:.2f} s", ""))
    w0 = max(len(a) for a, _, _ in rows)
    w1 = max(len(b) for _, b, _ in rows)
    lines = [
        f"Dataflow bench — {r['backend']} — {r['machine']['cpus']} CPUs "
        f"{r['machine']['cpu_model']} — {r['started_at']}",
        f"{'measure'.ljust(w0)}  {'result'.ljust(w1)}  vs ceiling",
        f"{'-' * w0}  {'-' * w1}  ----------",
    ]
    lines += [f"{a.ljust(w0)}  {b.ljust(w1)}  {c_}" for a, b, c_ in rows]
    lines.append("")
    lines.append("targets:")
    for name, actual, ok in r["targets"]:
        lines.append(f"  [{'ok' if ok else 'MISS'}] {name}: {actual}")
    return "\n".join(lines)


# --- main ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--quick", action="store_true", help="smaller counts (a smoke run)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these scenarios")
    parser.add_argument("--profile", action="store_true", help="py-spy each scenario's server")
    parser.add_argument("--workers", type=int, help="DATAFLOW_WORKERS for the server")
    parser.add_argument(
        "--celery-threads",
        type=int,
        default=CELERY_CHAIN_THREADS,
        help=f"the Celery worker's threads for the chains (default {CELERY_CHAIN_THREADS})",
    )
    parser.add_argument(
        "--sqlite-driver",
        choices=("aiosqlite", "inline"),
        default="aiosqlite",
        help="DATAFLOW_SQLITE_DRIVER for the server (default: aiosqlite, the server's default)",
    )
    args = parser.parse_args()

    def wanted(name: str) -> bool:
        return not args.only or name in args.only or name == "warmup"

    RESULTS.mkdir(parents=True, exist_ok=True)
    backend = "postgresql" if args.postgres else "sqlite"
    result: dict[str, Any] = {
        "backend": backend,
        "started_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine(),
        "quick": args.quick,
        "scenarios": {},
    }
    began = time.perf_counter()
    print("measuring the echo ceiling…", flush=True)
    ceiling_before = measure_ceiling(args.quick)
    footprint: dict[str, Any] = {"cli_help_s": cli_help_seconds()}

    with tempfile.TemporaryDirectory(prefix="dataflow-bench-") as tmp_name:
        tmp = Path(tmp_name)
        with database(args.postgres, tmp) as (url, description):
            result["database"] = description
            port, http_port = free_port(), free_port()
            extra = {
                "DATAFLOW_LISTEN": f"127.0.0.1:{port}",
                "DATAFLOW_HTTP_LISTEN": f"127.0.0.1:{http_port}",
                "DATAFLOW_DATA_DIR": str(tmp / "data"),
            }
            if url:
                extra["DATAFLOW_DATABASE_URL"] = url
            if args.workers:
                extra["DATAFLOW_WORKERS"] = str(args.workers)
            if not args.postgres:
                extra["DATAFLOW_SQLITE_DRIVER"] = args.sqlite_driver
                result["sqlite_driver"] = args.sqlite_driver
            server = Server(env_with_paths(extra), tmp / "server.log", port)
            server.start()
            try:
                footprint["serving_s"] = round(server.serving_s, 3)
                time.sleep(1.0)
                assert server.process is not None
                footprint["rss_idle_mb"] = rss_mb(server.process.pid)
                driver_env = env_with_paths({})
                for name, argv in SCENARIOS:
                    if not wanted(name):
                        continue
                    full = [PY, "-m", "bench.driver", "--address", server.address]
                    full += ["--http", f"http://127.0.0.1:{http_port}", *argv]
                    if args.quick:
                        full += QUICK.get(argv[0], [])
                    print(f"running {name}…", flush=True)
                    with server.profiled(name, args.profile and name != "warmup"):
                        result["scenarios"][name] = run_json(full, driver_env, timeout=600)
                    if name == "fanout":
                        footprint["rss_after_fanout_mb"] = rss_mb(server.process.pid)
                footprint["rss_end_mb"] = rss_mb(server.process.pid)
                if wanted("replica_watch"):
                    print("running replica_watch…", flush=True)
                    result["scenarios"]["replica_watch"] = replica_watch(
                        server, tmp, driver_env, args.quick
                    )
                if wanted("inflight"):  # last: the server is killed after it
                    print("running inflight…", flush=True)
                    argv = [PY, "-m", "bench.driver", "--address", server.address, "inflight"]
                    argv += ["--server-pid", str(server.process.pid)]
                    argv += QUICK["inflight"] if args.quick else []
                    result["scenarios"]["inflight"] = run_json(argv, driver_env, timeout=900)
                    server.process.kill()  # rather than draining thousands of long waits
            finally:
                server.stop()
                with contextlib.suppress(OSError):
                    shutil.copy(server.log_path, RESULTS / f"server-{backend}.log")
        if wanted("celery"):
            result["celery"] = run_peer(tmp, args.celery_threads, args.quick)
    print("measuring the echo ceiling again…", flush=True)
    ceiling_after = measure_ceiling(args.quick)
    # The better of the two runs is the ceiling (conservative ratios on a noisy machine).
    best = max((ceiling_before, ceiling_after), key=lambda c: c["unary_rps"])
    result["ceiling"] = {
        **best,
        "unary_latency": min(
            (ceiling_before["unary_latency"], ceiling_after["unary_latency"]),
            key=lambda lat: lat["p50_ms"],
        ),
        "fanout": min(
            (ceiling_before["fanout"], ceiling_after["fanout"]),
            key=lambda f: f["delivery"]["p99_ms"],
        ),
        "runs": [ceiling_before, ceiling_after],
    }
    result["footprint"] = footprint
    result["ratios"] = ratios(result)
    sqlite_ref = None
    ref_path = RESULTS / "latest-sqlite.json"
    if backend == "postgresql" and ref_path.exists():
        sqlite_ref = json.loads(ref_path.read_text())
    result["targets"] = targets(result, sqlite_ref)
    result["wall_s"] = round(time.perf_counter() - began, 1)
    text = table(result)
    result["table"] = text
    for path in (RESULTS / "latest.json", RESULTS / f"latest-{backend}.json"):
        path.write_text(json.dumps(result, indent=2) + "\n")
    print()
    print(text)
    print(f"\n(wall {result['wall_s']} s; written to {RESULTS / 'latest.json'})")


if __name__ == "__main__":
    main()
