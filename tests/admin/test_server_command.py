"""`dataflow-server` as a newcomer runs it: read-only commands that never create
a database (issue 10, item 7) and a busy port refused in one line before the
database is touched (item 8)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from dataflow_server.listen import ListenError, check_listen_address, split_host_port
from dataflow_server.store.database import create_engine, current_revision
from tests.support.servers import REPO, ServerProcess, free_port


def server_command(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DATAFLOW_")}
    base["PYTHONPATH"] = os.pathsep.join([str(REPO / "server"), str(REPO / "client/python")])
    return subprocess.run(
        [sys.executable, "-m", "dataflow_server.main", *args],
        env={**base, **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


# -- item 7: read-only commands ------------------------------------------------------


def test_webhook_secret_elsewhere_refuses_and_creates_nothing(tmp_path: Path) -> None:
    done = server_command("webhook-secret", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert str(tmp_path / "data") in done.stderr  # where it looked
    assert "DATAFLOW_DATA_DIR" in done.stderr and "--data-dir" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []  # no ./data, no database


def test_webhook_secret_reads_the_running_servers_database(
    server_process: ServerProcess, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in server_process.env.items() if k.startswith("DATAFLOW_")}
    done = server_command("webhook-secret", cwd=elsewhere, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("whsec_") and done.stdout.count("\n") == 1
    assert "webhook secret of the " in done.stderr
    assert server_command("webhook-secret", cwd=elsewhere, env=env).stdout == done.stdout
    assert list(elsewhere.iterdir()) == []


def test_webhook_secret_of_a_data_dir_from_another_folder(tmp_path: Path) -> None:
    """The embedded default: the server's data dir, named by the variable or the option."""
    port = free_port()
    data_dir = (tmp_path / "data").resolve()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DATAFLOW_")},
        "DATAFLOW_LISTEN": f"127.0.0.1:{port}",
        "DATAFLOW_HTTP_LISTEN": "",  # gRPC only: no fixed HTTP port to collide on
        "DATAFLOW_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join([str(REPO / "server"), str(REPO / "client/python")]),
    }
    proc = ServerProcess(f"127.0.0.1:{port}", data_dir, env)
    proc.start()
    try:
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        by_env = server_command(
            "webhook-secret", cwd=elsewhere, env={"DATAFLOW_DATA_DIR": str(data_dir)}
        )
        assert by_env.returncode == 0, by_env.stderr
        assert by_env.stdout.startswith("whsec_")
        assert f"the data dir {data_dir}" in by_env.stderr
        for args in (
            ("webhook-secret", "--data-dir", str(data_dir)),
            ("--data-dir", str(data_dir), "webhook-secret"),
        ):
            by_option = server_command(*args, cwd=elsewhere)
            assert by_option.returncode == 0, by_option.stderr
            assert by_option.stdout == by_env.stdout
        assert list(elsewhere.iterdir()) == []
    finally:
        proc.kill()


def test_webhook_secret_never_migrates_an_empty_database(database_url: str, tmp_path: Path) -> None:
    env = {"DATAFLOW_DATABASE_URL": database_url, "DATAFLOW_DATA_DIR": str(tmp_path / "d")}
    if database_url.startswith("sqlite"):
        # An empty SQLite file where the data dir's database belongs.
        path = tmp_path / "d" / "dataflow.db"
        path.parent.mkdir()
        path.touch()
        env.pop("DATAFLOW_DATABASE_URL")
    done = server_command("webhook-secret", cwd=tmp_path, env=env)
    assert done.returncode == 2, done.stdout
    assert "holds no Dataflow data" in done.stderr
    assert "DATAFLOW_DATA_DIR" in done.stderr and "Traceback" not in done.stderr

    async def revision() -> str | None:
        engine = create_engine(database_url)
        try:
            return await current_revision(engine)
        finally:
            await engine.dispose()

    if database_url.startswith("postgresql"):
        assert asyncio.run(revision()) is None  # no schema was created


# -- item 8: a busy port -------------------------------------------------------------


def test_busy_port_is_one_line_and_exit_2_before_the_database(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        done = server_command(
            cwd=tmp_path,
            env={"DATAFLOW_LISTEN": address, "DATAFLOW_DATA_DIR": str(tmp_path / "data")},
        )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert address in lines[0] and "DATAFLOW_LISTEN" in lines[0]
    assert "already in use" in lines[0]
    assert not (tmp_path / "data").exists()  # the database was never opened


def test_check_listen_address() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = f"127.0.0.1:{port} \\(set by DATAFLOW_HTTP_LISTEN\\)"
        with pytest.raises(ListenError, match=busy):
            check_listen_address(f"127.0.0.1:{port}", "DATAFLOW_HTTP_LISTEN")
    check_listen_address(f"127.0.0.1:{port}", "DATAFLOW_LISTEN")  # free again
    check_listen_address("127.0.0.1:0", "DATAFLOW_LISTEN")  # any port will do
    with pytest.raises(ListenError, match="expected HOST:PORT"):
        check_listen_address("localhost", "DATAFLOW_LISTEN")
    assert split_host_port("[::1]:50051") == ("::1", 50051)
    assert split_host_port("0.0.0.0:80") == ("0.0.0.0", 80)
    with pytest.raises(ValueError):
        split_host_port("host:99999")
