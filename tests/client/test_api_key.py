"""The API key of the Python clients and the CLI: sent as `authorization: Bearer
<key>` with every call (unary, both stream kinds, resumed watches), over plaintext
and TLS channels, and never shown in a repr, an error or the CLI's output. The
in-process gRPC server of test_client_fake.py records the metadata it receives."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

import dataflow_client._watch as watch_module
from dataflow_client import AsyncDataflowClient, DataflowClient, DataflowError
from dataflow_client.cli import main
from tests.client.test_client_fake import EXECUTION, WORKFLOW, Fake, running_fake
from tests.support.api import HELLO_WORLD
from tests.support.certs import Pki

KEY = "dfk_test_0123456789abcdefABCDEF"
BEARER = f"Bearer {KEY}"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[Fake]:
    monkeypatch.setattr(watch_module, "INITIAL_BACKOFF", 0.01)
    monkeypatch.delenv("DATAFLOW_API_KEY", raising=False)
    with running_fake() as server:
        yield server


def authorizations(fake: Fake) -> dict[str, set[str | None]]:
    """The authorization values received, by method."""
    seen: dict[str, set[str | None]] = {}
    for method, metadata in fake.metadata.calls:
        seen.setdefault(method.rsplit("/", 1)[1], set()).add(metadata.get("authorization"))
    return seen


def every_kind_of_call(client: DataflowClient, tmp_path: Path) -> None:
    client.create_workflow(HELLO_WORLD)  # unary
    uploaded = client.upload_file(b"x" * 1000, name="x.bin")  # client stream
    client.download_file(uploaded, tmp_path / "x.bin")  # server stream
    list(client.watch(EXECUTION))  # server stream, resumed once after UNAVAILABLE


def test_sync_client_sends_the_key_with_every_call(fake: Fake, tmp_path: Path) -> None:
    fake.executions.breaks = [(2, grpc.StatusCode.UNAVAILABLE)]
    with DataflowClient(fake.address, api_key=KEY) as client:
        every_kind_of_call(client, tmp_path)
    assert authorizations(fake) == {
        "CreateWorkflow": {BEARER},
        "UploadFile": {BEARER},
        "DownloadFile": {BEARER},
        "WatchExecution": {BEARER},
    }
    assert len(fake.executions.watch_requests) == 2  # the resumed call carried it too


def test_async_client_sends_the_key_with_every_call(fake: Fake, tmp_path: Path) -> None:
    fake.executions.breaks = [(2, grpc.StatusCode.UNAVAILABLE)]

    async def calls() -> None:
        async with AsyncDataflowClient(fake.address, api_key=KEY) as client:
            await client.create_workflow(HELLO_WORLD)
            uploaded = await client.upload_file(b"x" * 1000, name="x.bin")
            await client.download_file(uploaded, tmp_path / "x.bin")
            assert [e.sequence async for e in client.watch(EXECUTION)] == [1, 2, 3, 4, 5]
            await client.execute(WORKFLOW, {"text": "hi"})

    asyncio.run(calls())
    assert authorizations(fake) == {
        "CreateWorkflow": {BEARER},
        "UploadFile": {BEARER},
        "DownloadFile": {BEARER},
        "WatchExecution": {BEARER},
        "ExecuteWorkflow": {BEARER},
    }


def test_the_key_from_the_environment_and_none_without(
    fake: Fake, monkeypatch: pytest.MonkeyPatch
) -> None:
    with DataflowClient(fake.address) as client:
        client.list_workflows()
    monkeypatch.setenv("DATAFLOW_API_KEY", f" {KEY}\n")  # as pasted into a shell
    with DataflowClient(fake.address) as client:
        client.list_workflows()
    with DataflowClient(fake.address, api_key="dfk_explicit") as client:
        client.list_workflows()
    assert [m.get("authorization") for _, m in fake.metadata.calls] == [
        None,
        BEARER,
        "Bearer dfk_explicit",
    ]


def test_the_key_over_tls(pki: Pki) -> None:
    credentials = grpc.ssl_server_credentials(
        [(pki.server_key.read_bytes(), pki.server_cert.read_bytes())]
    )
    with (
        running_fake(credentials) as fake,
        DataflowClient(fake.address, api_key=KEY, ca_file=pki.ca_file) as client,
    ):
        assert client.list_workflows().items
    assert authorizations(fake) == {"ListWorkflows": {BEARER}}


def test_the_key_is_never_shown(fake: Fake) -> None:
    with DataflowClient(fake.address, api_key=KEY) as client:
        with pytest.raises(DataflowError) as info:
            client.get_workflow("wf-missing1")
        shown = [repr(client), str(client), repr(vars(client)), str(info.value), repr(info.value)]
        shown.append(repr(info.value.__cause__))
    for text in shown:
        assert KEY not in text
    assert "***" in repr(vars(client)["_transport"])
    with pytest.raises(ValueError, match="printable ASCII") as bad:
        DataflowClient(fake.address, api_key="dfk_line\nbreak")
    assert "dfk_line" not in str(bad.value)


def test_cli_sends_the_key_and_never_prints_it(
    fake: Fake, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--server", fake.address, "--api-key", KEY, "workflows", "list"]) == 0
    monkeypatch.setenv("DATAFLOW_API_KEY", KEY)
    assert main(["workflows", "list", "--server", fake.address, "--json"]) == 0
    assert main(["--server", fake.address, "workflows", "get", "wf-missing1"]) == 1
    assert main(["--server", fake.address, "executions", "watch", EXECUTION]) == 0
    out, err = capsys.readouterr()
    assert KEY not in out and KEY not in err
    assert "NOT_FOUND" in err
    assert authorizations(fake) == {
        "ListWorkflows": {BEARER},
        "GetWorkflow": {BEARER},
        "WatchExecution": {BEARER},
    }
