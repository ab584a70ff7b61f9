"""`dataflow-server keys …` and DATAFLOW_AUTH on real server processes: keys made
without the server running, used over gRPC and HTTP, revoked; never stored in
clear, never logged; and protected mode refusing an exposed server without keys."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import grpc
import httpx
import pytest

from dataflow.v1 import workflow_service_pb2, workflow_service_pb2_grpc
from dataflow_server.auth_mode import ProtectedModeError, auth_required, is_loopback
from dataflow_server.config import ConfigError, Settings
from dataflow_server.domain.api_keys import hash_key
from dataflow_server.main import main
from tests.support.keys import cli_key, keys_command
from tests.support.servers import REPO, free_port, new_server_process

KEY = re.compile(r"^dfk_[0-9A-Za-z]{38}$")
LIST = workflow_service_pb2.ListWorkflowsRequest()


def _list_workflows(address: str, key: str | None) -> grpc.StatusCode:
    metadata = () if key is None else (("authorization", f"Bearer {key}"),)
    with grpc.insecure_channel(address) as channel:
        try:
            workflow_service_pb2_grpc.WorkflowServiceStub(channel).ListWorkflows(
                LIST, metadata=metadata, timeout=15
            )
        except grpc.RpcError as exc:
            return exc.code()  # type: ignore[attr-defined,no-any-return]
    return grpc.StatusCode.OK


def _listed(env: dict[str, str]) -> list[dict[str, object]]:
    done = keys_command(env, "list", "--json")
    assert done.returncode == 0, done.stderr
    assert "dfk_" not in done.stdout
    return list(json.loads(done.stdout))


def test_keys_made_offline_work_until_revoked_and_never_leak(
    database_url: str, tmp_path: Path
) -> None:
    server = new_server_process(
        database_url,
        tmp_path / "data",
        {"DATAFLOW_AUTH": "required", "DATAFLOW_KEY_CACHE_SECONDS": "0.1"},
    )
    env = server.env
    # Before the first start: `create` makes the database (the server need not run).
    key, said = cli_key(env, "acme", "--scope", "admin", "--name", "ops laptop", "--expires", "30")
    assert KEY.match(key)
    assert key not in said and "shown once" in said
    listed = _listed(env)
    assert len(listed) == 1
    admin = listed[0]
    assert admin["tenant"] == "acme" and admin["name"] == "ops laptop"
    assert admin["expires_at"] and admin["last_used_at"] is None and admin["revoked_at"] is None

    server.start()
    try:
        assert "authentication required" in server.log()
        reader, _ = cli_key(env, "acme", "--scope", "read")
        assert _list_workflows(server.address, key) == grpc.StatusCode.OK
        assert _list_workflows(server.address, None) == grpc.StatusCode.UNAUTHENTICATED
        base = f"http://{server.http_address}"
        auth = {"Authorization": f"Bearer {key}"}
        assert httpx.get(f"{base}/workflows", headers=auth, timeout=15).status_code == 200
        denied = httpx.post(
            f"{base}/workflows/wf-000000000000/executions",
            json={},
            headers={"Authorization": f"Bearer {reader}"},
            timeout=15,
        )
        assert denied.status_code == 403
        # A key made while the server runs works at once (unknown keys are not cached).
        assert _list_workflows(server.address, reader) == grpc.StatusCode.OK

        revoked = keys_command(env, "revoke", str(admin["id"]))
        assert revoked.returncode == 0, revoked.stderr
        assert f"revoked API key {admin['id']}" in revoked.stderr
        time.sleep(0.3)  # > DATAFLOW_KEY_CACHE_SECONDS
        assert _list_workflows(server.address, key) == grpc.StatusCode.UNAUTHENTICATED
        answer = httpx.get(f"{base}/workflows", headers=auth, timeout=15)
        assert answer.status_code == 401 and "was revoked" in answer.json()["detail"]
    finally:
        server.signal(signal.SIGTERM)
        assert server.wait() == 0

    log = server.log()
    assert "dataflow server listening" in log
    for secret in (key, reader):
        random_part = secret[4:36]
        assert secret not in log and random_part not in log
    # Last use is written in batches, at the latest when the server stops.
    after = {k["id"]: k for k in _listed(env)}
    assert after[admin["id"]]["last_used_at"] and after[admin["id"]]["revoked_at"]

    if database_url.startswith("sqlite"):
        database = Path(database_url.split("///", 1)[1])
        stored = b"".join(
            p.read_bytes() for p in database.parent.glob(database.name + "*") if p.is_file()
        )
        assert hash_key(key).encode() in stored  # what is kept: the hash (the grep works)
        for secret in (key, reader):
            assert secret.encode() not in stored and secret[4:36].encode() not in stored


@dataclass
class Ran:
    code: int
    out: str
    err: str


@pytest.fixture
def keys_main(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Ran]:
    """`dataflow-server keys ARGS…` in this process (the same `main`, minus a process
    start), on a SQLite data dir in tmp_path."""
    for name in [n for n in os.environ if n.startswith("DATAFLOW_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("DATAFLOW_DATA_DIR", str(tmp_path / "data"))

    def run(*args: str) -> Ran:
        code = 0
        try:
            main(["keys", *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run


def test_keys_command_refusals(keys_main: Callable[..., Ran], tmp_path: Path) -> None:
    missing = keys_main("list")
    assert missing.code == 2 and "no Dataflow database" in missing.err
    assert not (tmp_path / "data").exists()  # list creates nothing
    bad = keys_main("create", "--tenant", "Not A Tenant!", "--expires", "0", "--name", "a\x00")
    assert bad.code == 2 and bad.out == ""
    assert "--tenant must be 1 to 63 lowercase letters" in bad.err
    assert "--expires must be a number > 0" in bad.err
    assert "--name must be at most 200 printable characters" in bad.err
    created = keys_main("create", "--tenant", "t1", "--rate-limit", "5")
    assert created.code == 0 and KEY.match(created.out.strip())
    assert "rate limit 5/s" in created.err
    unknown = keys_main("revoke", "key-000000000000")
    assert unknown.code == 1 and "API key key-000000000000 not found" in unknown.err
    malformed = keys_main("revoke", "dfk_oops")
    assert malformed.code == 2 and "is not a API key id" in malformed.err
    table = keys_main("list")
    assert table.code == 0
    assert table.out.splitlines()[0].split() == [
        "ID", "TENANT", "NAME", "SCOPE", "CREATED", "EXPIRES", "LAST", "USED", "REVOKED"
    ]  # fmt: skip
    key_id = table.out.splitlines()[1].split()[0]
    assert "t1" in table.out and "dfk_" not in table.out
    assert keys_main("revoke", key_id).code == 0
    again = keys_main("revoke", key_id)
    assert again.code == 0 and "already revoked" in again.err
    assert keys_main("list", "--tenant", "other").err.startswith("dataflow-server: no API keys")


# --- protected mode -------------------------------------------------------------------


def _serve(env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DATAFLOW_")}
    base["PYTHONPATH"] = os.pathsep.join([str(REPO / "server"), str(REPO / "client/python")])
    return subprocess.Popen(
        [sys.executable, "-m", "dataflow_server.main"],
        env={**base, **env},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_an_exposed_server_without_dataflow_auth_refuses_to_start(tmp_path: Path) -> None:
    exposed = "DATAFLOW_LISTEN"
    env = {
        "DATAFLOW_LISTEN": f"0.0.0.0:{free_port()}",
        "DATAFLOW_HTTP_LISTEN": f"127.0.0.1:{free_port()}",
        "DATAFLOW_DATA_DIR": str(tmp_path / "data"),
    }
    process = _serve(env, tmp_path)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert f"{exposed}={env[exposed]} (not loopback)" in lines[0]
    assert "DATAFLOW_AUTH=required" in lines[0] and "DATAFLOW_AUTH=off" in lines[0]
    assert not (tmp_path / "data").exists()  # refused before the database


def test_dataflow_auth_off_serves_an_exposed_address(tmp_path: Path) -> None:
    port = free_port()
    env = {
        "DATAFLOW_LISTEN": f"0.0.0.0:{port}",
        "DATAFLOW_HTTP_LISTEN": "",
        "DATAFLOW_DATA_DIR": str(tmp_path / "data"),
        "DATAFLOW_AUTH": "off",
    }
    process = _serve(env, tmp_path)
    try:
        deadline = time.monotonic() + 60
        while _list_workflows(f"127.0.0.1:{port}", None) != grpc.StatusCode.OK:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
    assert process.returncode == 0


def test_protected_mode_covers_every_listen_address() -> None:
    exposed_http = Settings(listen="127.0.0.1:1", http_listen="[::]:8080")
    with pytest.raises(ProtectedModeError, match=r"DATAFLOW_HTTP_LISTEN=\[::\]:8080"):
        auth_required(exposed_http)
    assert auth_required(replace(exposed_http, auth="required")) is True
    assert auth_required(replace(exposed_http, auth="off")) is False
    assert auth_required(Settings(listen="localhost:1", http_listen="127.0.0.1:2")) is False
    with pytest.raises(ConfigError, match="DATAFLOW_AUTH must be one of required, off"):
        Settings.from_env({"DATAFLOW_AUTH": "maybe"})
    assert Settings.from_env({}).auth is None


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1:50051", True),
        ("127.8.9.10:1", True),
        ("[::1]:50051", True),
        ("localhost:8080", True),
        ("unix:/tmp/dataflow.sock", True),
        ("0.0.0.0:50051", False),
        ("[::]:50051", False),
        ("10.1.2.3:50051", False),
        ("no-such-host.invalid:1", False),
    ],
)
def test_loopback_addresses(address: str, loopback: bool) -> None:
    assert is_loopback(address) is loopback
