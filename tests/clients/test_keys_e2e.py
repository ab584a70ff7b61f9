"""A key made by `dataflow-server keys create` works end to end over TLS: the Python
clients, the CLI, the Go example and both Getting Started scripts against a server
process that requires keys (DATAFLOW_AUTH=required) and serves TLS; without the key
each is refused with UNAUTHENTICATED / 401, and no output shows the key."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest

from dataflow_client import AsyncDataflowClient, DataflowClient, DataflowError
from tests.clients.conftest import require_toolchain, run_make_build, run_step
from tests.clients.test_cross_language import BUILD_TIMEOUT, RUN_TIMEOUT
from tests.clients.test_tls import cli, curl, start_tls_server
from tests.support.api import HELLO_WORLD
from tests.support.certs import Pki
from tests.support.keys import cli_key
from tests.support.openai_server import FakeOpenAI
from tests.support.receiver import Receiver
from tests.support.servers import REPO, ServerProcess


@dataclass
class KeyedServer:
    process: ServerProcess
    key: str

    @property
    def address(self) -> str:
        return self.process.address


@pytest.fixture(scope="module")
def keyed(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeyedServer]:
    openai = FakeOpenAI().start()
    env = {**openai.env(), "DATAFLOW_AUTH": "required", "DATAFLOW_ALLOW_PRIVATE_NETWORKS": "true"}
    proc = start_tls_server(pki, tmp_path_factory.mktemp("keyed"), mutual=False, env=env)
    try:
        key, _ = cli_key(proc.env, "acme", "--scope", "admin", "--name", "e2e")
        yield KeyedServer(proc, key)
    finally:
        proc.kill()
        openai.stop()


def test_python_clients_with_a_created_key(keyed: KeyedServer, pki: Pki, tmp_path: Path) -> None:
    with DataflowClient(keyed.address, ca_file=pki.ca_file, api_key=keyed.key) as client:
        created = client.create_workflow(HELLO_WORLD)
        uploaded = client.upload_file(b"key" * 1000, name="k.bin")
        assert client.download_file(uploaded, tmp_path / "k.bin").size_bytes == 3000

    async def watched() -> list[str]:
        async with AsyncDataflowClient(
            keyed.address, ca_file=pki.ca_file, api_key=keyed.key
        ) as client:
            started = await client.execute(created.workflow_id, {"text": "Hello with a key"})
            return [e.type async for e in client.watch(started.workflow_execution_id)]

    assert asyncio.run(watched())[-1] == "execution.completed"

    for key in (None, keyed.key[:-1] + ("A" if keyed.key[-1] != "A" else "B")):
        with (
            DataflowClient(keyed.address, ca_file=pki.ca_file, api_key=key) as client,
            pytest.raises(DataflowError) as info,
        ):
            client.get_workflow(created.workflow_id)
        assert info.value.code == grpc.StatusCode.UNAUTHENTICATED
        assert keyed.key not in str(info.value)


def test_cli_with_a_created_key(keyed: KeyedServer, pki: Pki) -> None:
    env = {"DATAFLOW_ADDRESS": keyed.address, "DATAFLOW_CA_FILE": str(pki.ca_file)}
    definition = str(REPO / "examples" / "hello-world.json")
    done = cli("workflows", "create", "-f", definition, env={**env, "DATAFLOW_API_KEY": keyed.key})
    assert done.returncode == 0, done.stderr
    assert "wf-" in done.stdout and keyed.key not in done.stdout + done.stderr
    by_option = cli("--api-key", keyed.key, "workflows", "list", env=env)
    assert by_option.returncode == 0, by_option.stderr

    refused = cli("workflows", "list", env=env)
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: UNAUTHENTICATED")
    assert "DATAFLOW_API_KEY" in refused.stderr


@pytest.mark.timeout(BUILD_TIMEOUT + RUN_TIMEOUT + 60)
def test_go_example_with_a_created_key(keyed: KeyedServer, pki: Pki, tmp_path: Path) -> None:
    require_toolchain("go")
    run_make_build("build-go", timeout=BUILD_TIMEOUT)
    env = {
        "DATAFLOW_ADDRESS": keyed.address,
        "DATAFLOW_CA_FILE": str(pki.ca_file),
        "DATAFLOW_AUDIO_OUT": str(tmp_path / "hello-go.mp3"),
    }
    example = ["make", "--no-print-directory", "example-go"]
    step = run_step(example, timeout=RUN_TIMEOUT, env={**env, "DATAFLOW_API_KEY": keyed.key})
    assert "status: COMPLETED" in step.output.splitlines()
    assert keyed.key not in step.output
    refused = run_step(example, timeout=RUN_TIMEOUT, env=env, check=False)
    assert refused.returncode != 0 and "Unauthenticated" in refused.output


@pytest.mark.timeout(300)
def test_both_scripts_with_a_created_key(
    grpcurl: str, keyed: KeyedServer, pki: Pki, receiver: Receiver, tmp_path: Path
) -> None:
    env = {"DATAFLOW_CA_FILE": str(pki.ca_file), "DATAFLOW_API_KEY": keyed.key}
    step = run_step(
        ["bash", str(REPO / "scripts" / "grpcurl-getting-started.sh")],
        timeout=120,
        env={**env, "DATAFLOW_ADDRESS": keyed.address, "GRPCURL": grpcurl},
        check=False,
    )
    assert step.returncode == 0, step.output
    assert step.output.rstrip().endswith("### status: COMPLETED")
    step = run_step(
        ["bash", str(REPO / "scripts" / "curl-getting-started.sh")],
        timeout=120,
        env={
            **env,
            "DATAFLOW_HTTP": f"https://{keyed.process.http_address}",
            "WEBHOOK_URL": receiver.url,
            "AUDIO_OUT": str(tmp_path / "hello.mp3"),
        },
        check=False,
    )
    assert step.returncode == 0, step.output
    assert step.output.rstrip().endswith("### status: COMPLETED")

    url = f"https://{keyed.process.http_address}/workflows"
    body = tmp_path / "refused.json"
    refused = curl("--cacert", str(pki.ca_file), "-w", "%{http_code}", "-o", str(body), url)
    assert refused.stdout == "401"
