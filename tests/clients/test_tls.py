"""TLS and mutual TLS on both edges (gRPC and HTTP) of real `dataflow-server`
processes, with certificates made in the test (tests/support/certs.py):
handshakes from the Python clients, the CLI, grpcurl and curl; both Getting
Started scripts and the TypeScript, Go and Java examples end to end over mutual
TLS; the refusals of a plaintext client, an untrusted server, a client without a
certificate and one signed by another CA."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from dataflow_client import AsyncDataflowClient, DataflowClient, DataflowError
from tests.clients.conftest import require_toolchain, run_make_build, run_step
from tests.clients.test_cross_language import BUILD_TIMEOUT, CLIENTS, RUN_TIMEOUT
from tests.support.api import HELLO_WORLD
from tests.support.certs import Pki
from tests.support.openai_server import FakeOpenAI
from tests.support.receiver import Receiver
from tests.support.servers import REPO, ServerProcess, new_server_process

CLIENT_ENV = (
    "DATAFLOW_ADDRESS",
    "DATAFLOW_API_KEY",
    "DATAFLOW_TLS",
    "DATAFLOW_CA_FILE",
    "DATAFLOW_CLIENT_CERT_FILE",
    "DATAFLOW_CLIENT_KEY_FILE",
)


@pytest.fixture(autouse=True)
def no_client_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test says how its clients connect."""
    for name in CLIENT_ENV:
        monkeypatch.delenv(name, raising=False)


# grpcurl retries a refused handshake until its connect timeout (10 s by default).
FAST = ("-connect-timeout", "2")


def start_tls_server(pki: Pki, root: Path, *, mutual: bool, env: dict[str, str]) -> ServerProcess:
    proc = new_server_process(None, root / "data", {**pki.server_env(mutual=mutual), **env})
    proc.credentials = grpc.ssl_channel_credentials(
        pki.ca_file.read_bytes(),
        pki.client_key.read_bytes() if mutual else None,
        pki.client_cert.read_bytes() if mutual else None,
    )
    proc.start()
    return proc


@pytest.fixture(scope="module")
def tls_server(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """TLS on gRPC and HTTP; no client certificate asked for."""
    proc = start_tls_server(pki, tmp_path_factory.mktemp("tls"), mutual=False, env={})
    try:
        yield proc
    finally:
        proc.kill()


@pytest.fixture(scope="module")
def mtls_server(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """Client certificates from the test CA required; OpenAI tasks talk to the loopback
    stand-in and webhooks may reach loopback, so the Getting Started scripts complete."""
    openai = FakeOpenAI().start()
    env = {**openai.env(), "DATAFLOW_ALLOW_PRIVATE_NETWORKS": "true"}
    proc = start_tls_server(pki, tmp_path_factory.mktemp("mtls"), mutual=True, env=env)
    try:
        yield proc
    finally:
        proc.kill()
        openai.stop()


def client_cert(pki: Pki) -> dict[str, Path]:
    return {"client_cert_file": pki.client_cert, "client_key_file": pki.client_key}


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in CLIENT_ENV}
    base["PYTHONPATH"] = os.pathsep.join([str(REPO / "server"), str(REPO / "client/python")])
    return subprocess.run(
        [sys.executable, "-m", "dataflow_client.cli", *args],
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def curl(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("curl") is None:
        pytest.fail("this test needs curl on PATH", pytrace=False)
    return subprocess.run(
        ["curl", "-sS", "--max-time", "20", *args], capture_output=True, text=True, timeout=60
    )


# -- TLS: gRPC -----------------------------------------------------------------------


def test_python_clients_over_tls(tls_server: ServerProcess, pki: Pki, tmp_path: Path) -> None:
    payload = bytes(range(256)) * 5000  # 1.2 MiB: two upload chunks
    with DataflowClient(tls_server.address, ca_file=pki.ca_file) as client:
        created = client.create_workflow(HELLO_WORLD)
        assert client.get_workflow(created.workflow_id).title == "Hello World Workflow"
        # Both stream kinds over TLS: a client stream up, a server stream down.
        uploaded = client.upload_file(payload, name="blob.bin")
        assert client.download_file(uploaded, tmp_path / "sync.bin").sha256 == uploaded.sha256
    assert (tmp_path / "sync.bin").read_bytes() == payload

    async def with_async_client() -> list[str]:
        async with AsyncDataflowClient(tls_server.address, ca_file=str(pki.ca_file)) as client:
            workflows = [w.workflow_id async for w in client.iter_workflows()]
            file = await client.download_file(uploaded, tmp_path / "async.bin")
            assert file.size_bytes == len(payload)
            return workflows

    assert created.workflow_id in asyncio.run(with_async_client())


def test_the_ca_file_from_the_environment(
    tls_server: ServerProcess, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATAFLOW_CA_FILE", str(pki.ca_file))
    with DataflowClient(tls_server.address) as client:
        assert "openai.audio.tts" in [t.name for t in client.list_task_types()]


@pytest.mark.parametrize(
    "how",
    ["plaintext", "system roots only"],
)
def test_a_client_that_cannot_handshake_gets_unavailable(
    tls_server: ServerProcess, how: str
) -> None:
    with (
        DataflowClient(tls_server.address, timeout=10, tls=how != "plaintext") as client,
        pytest.raises(DataflowError) as info,
    ):
        client.list_workflows()
    assert info.value.code == grpc.StatusCode.UNAVAILABLE


def test_client_tls_files_that_cannot_serve(tmp_path: Path, pki: Pki) -> None:
    missing = tmp_path / "nowhere.pem"
    with pytest.raises(ValueError, match=f"cannot read the CA file {missing}"):
        DataflowClient("127.0.0.1:1", ca_file=missing)
    with pytest.raises(ValueError, match="client certificate needs its key"):
        DataflowClient("127.0.0.1:1", client_cert_file=pki.client_cert)


def test_cli_over_tls(tls_server: ServerProcess, pki: Pki) -> None:
    with DataflowClient(tls_server.address, ca_file=pki.ca_file) as client:
        workflow_id = client.create_workflow(HELLO_WORLD).workflow_id
    by_option = cli(
        "--server", tls_server.address, "--ca-file", str(pki.ca_file), "workflows", "list", "--json"
    )
    assert by_option.returncode == 0, by_option.stderr
    assert workflow_id in [w["workflow_id"] for w in json.loads(by_option.stdout)["workflows"]]
    by_env = cli(
        "workflows",
        "get",
        workflow_id,
        "--json",
        env={"DATAFLOW_ADDRESS": tls_server.address, "DATAFLOW_CA_FILE": str(pki.ca_file)},
    )
    assert by_env.returncode == 0, by_env.stderr
    assert json.loads(by_env.stdout)["workflow_id"] == workflow_id

    plaintext = cli("--server", tls_server.address, "workflows", "list")
    assert plaintext.returncode == 1
    assert plaintext.stdout == ""
    assert f"error: cannot reach server at {tls_server.address}" in plaintext.stderr
    assert "--ca-file" in plaintext.stderr and "Traceback" not in plaintext.stderr

    unreadable = cli(
        "--server", tls_server.address, "--ca-file", "/nonexistent.pem", "workflows", "list"
    )
    assert unreadable.returncode == 2
    assert unreadable.stderr.strip().splitlines() == [
        "error: cannot read the CA file /nonexistent.pem: No such file or directory"
    ]


def test_grpcurl_over_tls(grpcurl: str, tls_server: ServerProcess, pki: Pki) -> None:
    step = run_step([grpcurl, "-cacert", str(pki.ca_file), tls_server.address, "list"], timeout=60)
    assert "dataflow.v1.WorkflowService" in step.output.split()
    step = run_step(
        [
            grpcurl,
            "-cacert",
            str(pki.ca_file),
            "-d",
            json.dumps({"workflow": HELLO_WORLD}),
            tls_server.address,
            "dataflow.v1.WorkflowService/CreateWorkflow",
        ],
        timeout=60,
    )
    assert json.loads(step.output)["workflow_id"].startswith("wf-")
    # A refused handshake is retried until the connect timeout.
    plaintext = run_step(
        [grpcurl, *FAST, "-plaintext", tls_server.address, "list"], timeout=60, check=False
    )
    assert plaintext.returncode != 0 and "Failed to dial" in plaintext.output
    untrusted = run_step([grpcurl, *FAST, tls_server.address, "list"], timeout=60, check=False)
    assert untrusted.returncode != 0
    assert "certificate" in untrusted.output


# -- TLS: HTTP -----------------------------------------------------------------------


def test_curl_over_tls(tls_server: ServerProcess, pki: Pki) -> None:
    base = f"https://{tls_server.http_address}"
    done = curl("--fail-with-body", "--cacert", str(pki.ca_file), f"{base}/workflows")
    assert done.returncode == 0, done.stderr
    assert "workflows" in json.loads(done.stdout)
    # By name too: the certificate names localhost.
    port = tls_server.http_address.rsplit(":", 1)[1]
    done = curl(
        "--fail-with-body", "--cacert", str(pki.ca_file), f"https://localhost:{port}/healthz"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"status": "SERVING"}

    untrusted = curl(f"{base}/workflows")
    assert untrusted.returncode == 60, untrusted.stderr  # CURLE_PEER_FAILED_VERIFICATION
    plaintext = curl(f"http://{tls_server.http_address}/workflows")
    assert plaintext.returncode != 0 and plaintext.stdout == ""


# -- mutual TLS ----------------------------------------------------------------------


def test_mtls_python_client(mtls_server: ServerProcess, pki: Pki) -> None:
    with DataflowClient(mtls_server.address, ca_file=pki.ca_file, **client_cert(pki)) as client:
        created = client.create_workflow(HELLO_WORLD)
        assert client.get_workflow(created.workflow_id).workflow_id == created.workflow_id

    refused = {
        "no client certificate": {},
        "a certificate from another CA": {
            "client_cert_file": pki.stranger_cert,
            "client_key_file": pki.stranger_key,
        },
    }
    for why, files in refused.items():
        with (
            DataflowClient(mtls_server.address, timeout=10, ca_file=pki.ca_file, **files) as client,
            pytest.raises(DataflowError) as info,
        ):
            client.list_workflows()
        assert info.value.code == grpc.StatusCode.UNAVAILABLE, why


def test_mtls_cli(mtls_server: ServerProcess, pki: Pki) -> None:
    by_options = cli(
        "--server",
        mtls_server.address,
        "--ca-file",
        str(pki.ca_file),
        "--client-cert",
        str(pki.client_cert),
        "--client-key",
        str(pki.client_key),
        "task-types",
        "list",
        "--json",
    )
    assert by_options.returncode == 0, by_options.stderr
    assert "openai.audio.tts" in by_options.stdout
    env = {
        "DATAFLOW_ADDRESS": mtls_server.address,
        "DATAFLOW_CA_FILE": str(pki.ca_file),
        "DATAFLOW_CLIENT_CERT_FILE": str(pki.client_cert),
        "DATAFLOW_CLIENT_KEY_FILE": str(pki.client_key),
    }
    assert cli("workflows", "list", env=env).returncode == 0
    without = cli(
        "workflows",
        "list",
        env={**env, "DATAFLOW_CLIENT_CERT_FILE": "", "DATAFLOW_CLIENT_KEY_FILE": ""},
    )
    assert without.returncode == 1
    assert "cannot reach server" in without.stderr


def test_mtls_grpcurl(grpcurl: str, mtls_server: ServerProcess, pki: Pki) -> None:
    trust = ["-cacert", str(pki.ca_file)]
    mine = ["-cert", str(pki.client_cert), "-key", str(pki.client_key)]
    stranger = ["-cert", str(pki.stranger_cert), "-key", str(pki.stranger_key)]
    step = run_step([grpcurl, *trust, *mine, mtls_server.address, "list"], timeout=60)
    assert "dataflow.v1.ExecutionService" in step.output.split()
    for refused in ([], stranger):
        step = run_step(
            [grpcurl, *FAST, *trust, *refused, mtls_server.address, "list"],
            timeout=60,
            check=False,
        )
        assert step.returncode != 0 and "Failed to dial" in step.output


def test_mtls_curl(mtls_server: ServerProcess, pki: Pki) -> None:
    url = f"https://{mtls_server.http_address}/workflows"
    trust = ["--cacert", str(pki.ca_file)]
    done = curl(
        "--fail-with-body",
        *trust,
        "--cert",
        str(pki.client_cert),
        "--key",
        str(pki.client_key),
        url,
    )
    assert done.returncode == 0, done.stderr
    assert "workflows" in json.loads(done.stdout)
    without = curl("--fail-with-body", *trust, url)
    assert without.returncode != 0 and without.stdout == ""
    stranger = curl(
        "--fail-with-body",
        *trust,
        "--cert",
        str(pki.stranger_cert),
        "--key",
        str(pki.stranger_key),
        url,
    )
    assert stranger.returncode != 0 and stranger.stdout == ""


# -- the Getting Started scripts over mutual TLS ----------------------------------------


def script_env(pki: Pki) -> dict[str, str]:
    return {
        "DATAFLOW_CA_FILE": str(pki.ca_file),
        "DATAFLOW_CLIENT_CERT_FILE": str(pki.client_cert),
        "DATAFLOW_CLIENT_KEY_FILE": str(pki.client_key),
    }


@pytest.mark.timeout(300)
def test_grpcurl_script_over_mtls(grpcurl: str, mtls_server: ServerProcess, pki: Pki) -> None:
    step = run_step(
        ["bash", str(REPO / "scripts" / "grpcurl-getting-started.sh")],
        timeout=120,
        env={**script_env(pki), "DATAFLOW_ADDRESS": mtls_server.address, "GRPCURL": grpcurl},
        check=False,
    )
    assert step.returncode == 0, step.output
    assert step.output.rstrip().endswith("### status: COMPLETED")


def test_curl_script_over_mtls(
    mtls_server: ServerProcess, pki: Pki, receiver: Receiver, tmp_path: Path
) -> None:
    audio = tmp_path / "hello.mp3"
    step = run_step(
        ["bash", str(REPO / "scripts" / "curl-getting-started.sh")],
        timeout=120,
        env={
            **script_env(pki),
            "DATAFLOW_HTTP": f"https://{mtls_server.http_address}",
            "WEBHOOK_URL": receiver.url,
            "AUDIO_OUT": str(audio),
        },
        check=False,
    )
    assert step.returncode == 0, step.output
    assert step.output.rstrip().endswith("### status: COMPLETED")
    assert audio.stat().st_size > 0


# -- the TypeScript, Go and Java examples over mutual TLS ---------------------------------


@pytest.mark.timeout(BUILD_TIMEOUT + 2 * RUN_TIMEOUT + 60)
@pytest.mark.parametrize("language", list(CLIENTS))
def test_other_language_examples_over_mtls(
    language: str, mtls_server: ServerProcess, pki: Pki, tmp_path: Path
) -> None:
    require_toolchain(language)
    suffix, _ = CLIENTS[language]
    run_make_build(f"build-{suffix}", timeout=BUILD_TIMEOUT)
    env = {
        **script_env(pki),
        "DATAFLOW_ADDRESS": mtls_server.address,
        "DATAFLOW_AUDIO_OUT": str(tmp_path / f"hello-{suffix}.mp3"),
    }
    example = ["make", "--no-print-directory", f"example-{suffix}"]
    step = run_step(example, timeout=RUN_TIMEOUT, env=env, check=False)
    assert step.returncode == 0, step.output
    assert "status: COMPLETED" in step.output.splitlines()
    assert (tmp_path / f"hello-{suffix}.mp3").stat().st_size > 0

    without = {**env, "DATAFLOW_CLIENT_CERT_FILE": "", "DATAFLOW_CLIENT_KEY_FILE": ""}
    step = run_step(example, timeout=RUN_TIMEOUT, env=without, check=False)
    assert step.returncode != 0
    assert "status: COMPLETED" not in step.output
