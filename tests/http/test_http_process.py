"""The HTTP API in a real server process: both edges start together, and SIGTERM
drains them together (readiness turns 503, event streams end, the process exits 0)."""

from __future__ import annotations

import signal
import socket
import threading
from pathlib import Path

import httpx

from tests.admin.test_server_command import server_command
from tests.http.conftest import HttpProcess
from tests.support.servers import free_port

SLEEPY = {
    "title": "sleepy",
    "inputs": [],
    "tasks": [{"name": "nap", "type": "core.sleep", "inputs": {"seconds": 60}}],
    "outputs": [],
}


def test_sigterm_drains_http_with_grpc(http_process: HttpProcess) -> None:
    with httpx.Client(base_url=http_process.base_url, timeout=30) as http:
        assert http.get("/readyz").status_code == 200
        workflow_id = http.post("/workflows", json=SLEEPY).json()["workflow_id"]
        started = http.post(f"/workflows/{workflow_id}/executions", json={})
        execution = started.headers["location"]

        lines: list[str] = []
        subscribed = threading.Event()

        def follow() -> None:
            with http.stream("GET", f"{execution}/events") as response:
                for line in response.iter_lines():
                    lines.append(line)
                    subscribed.set()

        reader = threading.Thread(target=follow)
        reader.start()
        assert subscribed.wait(30)
        http_process.server.signal(signal.SIGTERM)
        reader.join(30)
        assert not reader.is_alive(), "the event stream did not end on shutdown"
        assert http_process.server.wait(timeout=30) == 0

    # The task outlives the grace (2 s): its lease is handed back, and the open
    # stream is ended with a comment telling the client to resume elsewhere.
    events = [line.removeprefix("event: ") for line in lines if line.startswith("event: ")]
    assert events[0] == "execution.pending" and "execution.completed" not in events
    assert [line for line in lines if line][-1] == (
        ": the server is shutting down; reconnect with Last-Event-ID"
    )
    assert "released 1 leases" in http_process.server.log()


def test_a_busy_http_port_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        done = server_command(
            cwd=tmp_path,
            env={
                "DATAFLOW_LISTEN": f"127.0.0.1:{free_port()}",
                "DATAFLOW_HTTP_LISTEN": address,
                "DATAFLOW_DATA_DIR": str(tmp_path / "data"),
            },
        )
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert address in line and "DATAFLOW_HTTP_LISTEN" in line and "already in use" in line
    assert not (tmp_path / "data").exists()  # checked before the database is opened
