"""The Celery + Redis peer, run by bench/run.py after the Dataflow scenarios of the same run.

- Redis: Debian's `redis-server` on a free loopback port, with its append-only
  file written at every command and fsynced every second (like SQLite's
  `synchronous=NORMAL` in WAL mode: what was acknowledged survives the process,
  not necessarily the machine); no RDB snapshots.
- A Celery worker (`celery -A bench.celery_peer worker`), broker and result
  backend on that Redis, default settings but for the pool and its size:
  `--pool threads` (one process, like the Dataflow server) with 16 threads for
  the chains (`--celery-threads`), and 1,000 threads for the 1 s waits (one
  per waiting task: Celery's way to hold them all at once without gevent).
  Gossip, mingle and heartbeats are off (they cost at start, not per task).
- One driver process per scenario (bench/celery_peer.py), awaiting outcomes
  through the result backend.
"""

from __future__ import annotations

import contextlib
import importlib.util
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .processes import PY, REPO, env_with_paths, free_port, run_json, stop_process, wait_port

# The worker's pool for the chains: Dataflow's worker slots before issue 11 (16), and a
# common Celery setting; for the 1 s waits, one thread per task.
CELERY_CHAIN_THREADS = 16
SLEEPER_THREADS = 1000


@contextlib.contextmanager
def _redis(tmp: Path) -> Iterator[str]:
    port = free_port()
    data = tmp / "redis"
    data.mkdir(parents=True, exist_ok=True)
    with (data / "redis.log").open("wb") as log:
        process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(data),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop_process(process)


@contextlib.contextmanager
def _worker(env: dict[str, str], threads: int, log_path: Path) -> Iterator[None]:
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [
                PY,
                "-m",
                "celery",
                "-A",
                "bench.celery_peer",
                "worker",
                "--pool",
                "threads",
                "--concurrency",
                str(threads),
                "--loglevel",
                "warning",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield  # the drivers' warm-up waits for the worker to take tasks
    finally:
        stop_process(process)


def missing() -> str | None:
    """Why the peer cannot run here (None: it can)."""
    if shutil.which("redis-server") is None:
        return "redis-server not found (apt-get install -y redis-server)"
    if importlib.util.find_spec("celery") is None or importlib.util.find_spec("redis") is None:
        return "celery/redis not installed (make bench installs the `bench` extra)"
    return None


def run_peer(tmp: Path, worker_slots: int, quick: bool) -> dict[str, Any]:
    """Celery's chains (worker_slots threads), latency and 1 s waits (1,000 threads)."""
    why = missing()
    if why is not None:
        print(f"skipping the Celery peer: {why}", flush=True)
        return {"skipped": why}
    counts = {
        "chains": ["--count", "500" if quick else "2000"],
        "latency": ["--count", "50" if quick else "200"],
        "sleepers": ["--count", "250" if quick else "1000"],
    }
    result: dict[str, Any] = {
        "worker": {
            "pool": "threads",
            "chains_threads": worker_slots,
            "sleepers_threads": SLEEPER_THREADS,
        }
    }
    with _redis(tmp) as url:
        env = env_with_paths({"BENCH_REDIS_URL": url})
        log = tmp / "celery-worker.log"

        def drive(name: str) -> None:
            print(f"running celery {name}…", flush=True)
            argv = [PY, "-m", "bench.celery_peer", name, *counts[name]]
            result[name] = run_json(argv, env, timeout=900)

        with _worker(env, worker_slots, log):
            drive("chains")
            drive("latency")
        with _worker(env, SLEEPER_THREADS, log):
            drive("sleepers")
    return result
