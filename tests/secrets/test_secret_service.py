"""SecretService over gRPC, HTTP and the CLI, against a real server on SQLite and
PostgreSQL: values are write-only, encrypted at rest, and names are checked."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import grpc
import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from dataflow.v1 import secret_service_pb2 as pb
from dataflow.v1 import secret_service_pb2_grpc as pb_grpc
from dataflow_server.server import DataflowServer
from dataflow_server.store.database import normalize_database_url
from dataflow_server.store.secrets import SE
from dataflow_server.vault.keys import KEY_FILE_NAME
from tests.client.test_client_live import dataflow
from tests.support.api import violations
from tests.support.servers import ServerProcess, new_server_process

VALUE = "sk-planted-" + "q7Zr" * 8


def secrets_stub(channel: grpc.aio.Channel) -> pb_grpc.SecretServiceStub:
    return pb_grpc.SecretServiceStub(channel)


async def test_set_list_replace_delete(channel: grpc.aio.Channel) -> None:
    api = secrets_stub(channel)
    first = await api.SetSecret(pb.SetSecretRequest(name="openai_api_key", value=VALUE))
    assert first.secret.name == "openai_api_key"
    assert first.secret.create_time == first.secret.update_time
    assert VALUE not in str(first)
    replaced = await api.SetSecret(pb.SetSecretRequest(name="openai_api_key", value=VALUE + "2"))
    assert replaced.secret.create_time == first.secret.create_time
    assert replaced.secret.update_time.ToDatetime() >= first.secret.update_time.ToDatetime()
    for name in ("b_token", "a_token", "c_token"):
        await api.SetSecret(pb.SetSecretRequest(name=name, value=VALUE))

    page = await api.ListSecrets(pb.ListSecretsRequest(page_size=2))
    assert [s.name for s in page.secrets] == ["a_token", "b_token"]
    rest = await api.ListSecrets(pb.ListSecretsRequest(page_token=page.next_page_token))
    assert [s.name for s in rest.secrets] == ["c_token", "openai_api_key"]
    assert rest.next_page_token == ""
    assert VALUE not in str(page) + str(rest)

    await api.DeleteSecret(pb.DeleteSecretRequest(name="b_token"))
    names = [s.name for s in (await api.ListSecrets(pb.ListSecretsRequest())).secrets]
    assert names == ["a_token", "c_token", "openai_api_key"]
    with pytest.raises(grpc.aio.AioRpcError) as missing:
        await api.DeleteSecret(pb.DeleteSecretRequest(name="b_token"))
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (pb.SetSecretRequest(name="", value="x"), "name"),
        (pb.SetSecretRequest(name="1abc", value="x"), "name"),
        (pb.SetSecretRequest(name="has-dash", value="x"), "name"),
        (pb.SetSecretRequest(name="a" * 65, value="x"), "name"),
        (pb.SetSecretRequest(name="ok", value=""), "value"),
        (pb.SetSecretRequest(name="ok", value="v" * (64 * 1024 + 1)), "value"),
    ],
)
async def test_bad_requests_are_invalid_argument_and_store_nothing(
    channel: grpc.aio.Channel, request_: pb.SetSecretRequest, field: str
) -> None:
    api = secrets_stub(channel)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await api.SetSecret(request_)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert list(violations(refused.value)) == [field]
    assert not (await api.ListSecrets(pb.ListSecretsRequest())).secrets
    with pytest.raises(grpc.aio.AioRpcError) as token:
        await api.ListSecrets(pb.ListSecretsRequest(page_token="not a token!"))
    assert list(violations(token.value)) == ["page_token"]


async def test_http_routes_never_return_a_value(server: DataflowServer) -> None:
    assert server.http is not None
    async with httpx.AsyncClient(base_url=f"http://{server.http.address}") as http:
        put = await http.put("/secrets/api_token", json={"value": VALUE})
        assert put.status_code == 200, put.text
        assert put.json()["name"] == "api_token" and "value" not in put.json()
        listed = await http.get("/secrets")
        assert [s["name"] for s in listed.json()["secrets"]] == ["api_token"]
        bad = await http.put("/secrets/bad-name", json={"value": VALUE})
        assert bad.status_code == 400
        assert bad.headers["content-type"].startswith("application/problem+json")
        assert (await http.delete("/secrets/api_token")).status_code == 200
        assert (await http.delete("/secrets/api_token")).status_code == 404
        for response in (put, listed, bad):
            assert VALUE not in response.text


async def test_values_are_encrypted_at_rest(
    channel: grpc.aio.Channel, server: DataflowServer, database_url: str
) -> None:
    await secrets_stub(channel).SetSecret(pb.SetSecretRequest(name="token", value=VALUE))
    engine = create_async_engine(normalize_database_url(database_url))
    try:
        async with engine.connect() as conn:
            row = (await conn.execute(select(SE.c.ciphertext, SE.c.nonce))).one()
    finally:
        await engine.dispose()
    assert VALUE.encode() not in bytes(row.ciphertext)
    assert len(bytes(row.nonce)) == 12
    key_file = server.settings.data_dir / KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(base64.b64decode(key_file.read_text())) == 32


def test_cli_reads_values_from_stdin_or_a_file(
    server_process: ServerProcess, tmp_path: Path
) -> None:
    address = server_process.address
    piped = dataflow(address, "secrets", "set", "from_stdin", stdin=VALUE + "\n")
    assert piped.returncode == 0, piped.stderr
    assert "from_stdin" in piped.stdout and VALUE not in piped.stdout
    value_file = tmp_path / "value.txt"
    value_file.write_text(VALUE)
    from_file = dataflow(address, "secrets", "set", "from_file", "--value-file", str(value_file))
    assert from_file.returncode == 0, from_file.stderr
    empty = dataflow(address, "secrets", "set", "empty", stdin="")
    assert empty.returncode != 0 and "empty" in empty.stderr
    listed = dataflow(address, "--json", "secrets", "list")
    assert listed.returncode == 0, listed.stderr
    assert '"from_file"' in listed.stdout and '"from_stdin"' in listed.stdout
    assert '"empty"' not in listed.stdout
    deleted = dataflow(address, "secrets", "delete", "from_file")
    assert deleted.returncode == 0, deleted.stderr
    again = dataflow(address, "secrets", "delete", "from_file")
    assert again.returncode != 0 and "not found" in again.stderr.lower()
    assert VALUE not in server_process.log()


def _start_fails(tmp_path: Path, env: dict[str, str]) -> str:
    """The server's stderr when it refuses to start (exit code 2)."""
    proc = new_server_process(None, tmp_path / "data", env)
    (tmp_path / "data").mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "dataflow_server.main"],
        env=proc.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    return done.stderr


def test_refuses_to_start_with_a_bad_key(tmp_path: Path) -> None:
    malformed = _start_fails(tmp_path, {"DATAFLOW_SECRETS_KEY": "c2hvcnQ="})
    assert "DATAFLOW_SECRETS_KEY must be the base64 of 32 random bytes" in malformed
    key_file = tmp_path / "data" / KEY_FILE_NAME
    key_file.write_text(base64.b64encode(os.urandom(32)).decode())
    key_file.chmod(0o644)
    readable = _start_fails(tmp_path, {"DATAFLOW_SECRETS_KEY": ""})
    assert f"chmod 600 {key_file}" in readable and "accessible by other users" in readable
    key_file.chmod(0o600)
    key_file.write_text("not a key")
    garbage = _start_fails(tmp_path, {"DATAFLOW_SECRETS_KEY": ""})
    assert f"the secrets key file {key_file} must be the base64" in garbage
