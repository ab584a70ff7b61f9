"""OpenAI task types end to end: gRPC API → engine → real `openai` SDK → loopback server.

The OpenAI-compatible server is tests/support/openai_server.py; the Dataflow
server runs in process (`channel`), against SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from dataflow.v1 import (
    execution_pb2,
    execution_service_pb2,
    file_service_pb2,
    secret_service_pb2,
    secret_service_pb2_grpc,
)
from dataflow_server.tasks import openai_tasks
from tests.support.api import Stubs, create_request, seed_hello_world_body, stubs, wait_terminal
from tests.support.openai_server import (
    FakeOpenAI,
    chat_answer,
    embedding_for,
    png_for,
    speech_bytes,
    transcript_for,
)
from tests.support.servers import ServerProcess, free_port

ES = execution_service_pb2
EX = execution_pb2.Execution
TR = execution_pb2.TaskRun
FAST_RETRY = {"max_attempts": 3, "initial_backoff_seconds": 0.01}


def one_task(
    task_type: str,
    inputs: dict[str, Any],
    outputs: dict[str, str],
    *,
    workflow_inputs: list[dict[str, Any]] | None = None,
    **task: Any,
) -> dict[str, Any]:
    """A workflow of one task `t`; `outputs` maps each task output to its type."""
    return {
        "title": f"one {task_type}",
        "inputs": workflow_inputs or [],
        "tasks": [{"name": "t", "type": task_type, "inputs": inputs, **task}],
        "outputs": [
            {"name": name, "type": kind, "value": f"{{{{tasks.t.outputs.{name}}}}}"}
            for name, kind in outputs.items()
        ],
    }


async def run(api: Stubs, definition: dict[str, Any], inputs: dict[str, Any] | None = None) -> Any:
    """Create, execute, wait: the final execution (from GetExecution)."""
    created = await api.workflows.CreateWorkflow(create_request(definition))
    request = json_format.ParseDict(
        {"workflow_id": created.workflow_id, "inputs": inputs or {}}, ES.ExecuteWorkflowRequest()
    )
    reply = await api.executions.ExecuteWorkflow(request)
    await wait_terminal(api, reply.workflow_execution_id)
    got = await api.executions.GetExecution(
        ES.GetExecutionRequest(workflow_execution_id=reply.workflow_execution_id)
    )
    return got.execution


def outputs(execution: Any) -> dict[str, Any]:
    return dict(json_format.MessageToDict(execution.outputs))


async def download(api: Stubs, file_id: str) -> tuple[Any, bytes]:
    meta, data = None, b""
    async for part in api.files.DownloadFile(file_service_pb2.DownloadFileRequest(file_id=file_id)):
        meta = meta or (part.file if part.HasField("file") else None)
        data += part.data
    return meta, data


async def upload(api: Stubs, name: str, content_type: str, data: bytes) -> Any:
    async def parts() -> Any:
        yield file_service_pb2.UploadFileRequest(
            metadata=file_service_pb2.UploadFileMetadata(name=name, content_type=content_type)
        )
        for start in range(0, len(data), 64 * 1024):
            yield file_service_pb2.UploadFileRequest(data=data[start : start + 64 * 1024])

    return (await api.files.UploadFile(parts())).file


def chat(**task: Any) -> dict[str, Any]:
    return one_task("openai.chat.completion", {"prompt": "Say hi"}, {"text": "text"}, **task)


# ---------------------------------------------------------------- every task type


async def test_seed_hello_world_audio_is_what_the_api_returned(
    channel: grpc.aio.Channel, openai_env: FakeOpenAI
) -> None:
    api = stubs(channel)
    execution = await run(api, seed_hello_world_body(), {"text": "Hello"})
    assert execution.status == EX.COMPLETED, execution.error
    audio = outputs(execution)["audio"]
    assert audio["content_type"] == "audio/mpeg" and audio["name"] == "speech.mp3"
    (sent,) = openai_env.requests_to("/audio/speech")
    assert sent.json == {
        "input": "Hello",
        "model": "gpt-4o-mini-tts",
        "voice": "alloy",
        "response_format": "mp3",
    }
    assert sent.headers["authorization"] == f"Bearer {openai_env.api_key}"
    meta, data = await download(api, audio["file_id"])
    assert data == sent.response == speech_bytes("Hello", "mp3")
    assert (meta.content_type, meta.size_bytes) == ("audio/mpeg", len(data))
    assert meta.sha256 == hashlib.sha256(data).hexdigest() == audio["sha256"]


async def test_chat_completion_sends_system_and_prompt(
    channel: grpc.aio.Channel, openai_env: FakeOpenAI
) -> None:
    definition = one_task(
        "openai.chat.completion",
        {
            "prompt": "Summarize: {{inputs.text}}",
            "system": "You are terse.",
            "temperature": 0.2,
            "max_tokens": 50,
        },
        {"text": "text", "usage": "json"},
        workflow_inputs=[{"name": "text", "type": "text"}],
    )
    execution = await run(stubs(channel), definition, {"text": "the quick brown fox"})
    assert execution.status == EX.COMPLETED, execution.error
    (sent,) = openai_env.requests_to("/chat/completions")
    assert sent.json["model"] == "gpt-4o-mini"
    assert sent.json["messages"] == [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Summarize: the quick brown fox"},
    ]
    assert (sent.json["temperature"], sent.json["max_tokens"]) == (0.2, 50)
    result = outputs(execution)
    assert result["text"] == chat_answer("Summarize: the quick brown fox")
    assert result["usage"] == {"prompt_tokens": 8, "completion_tokens": 6, "total_tokens": 14}


async def test_transcription_uploads_the_input_file(
    channel: grpc.aio.Channel, openai_env: FakeOpenAI
) -> None:
    api = stubs(channel)
    audio = bytes(range(256)) * 600  # 150 KiB, every byte value
    stored = await upload(api, "clip.wav", "audio/wav", audio)
    definition = one_task(
        "openai.audio.transcription",
        {"audio": "{{inputs.recording}}", "language": "en"},
        {"text": "text"},
        workflow_inputs=[{"name": "recording", "type": "file"}],
    )
    execution = await run(api, definition, {"recording": {"file_id": stored.file_id}})
    assert execution.status == EX.COMPLETED, execution.error
    assert outputs(execution)["text"] == transcript_for(audio)
    (sent,) = openai_env.requests_to("/audio/transcriptions")
    upload_seen = sent.files["file"]
    assert upload_seen.data == audio
    assert (upload_seen.filename, upload_seen.content_type) == ("clip.wav", "audio/wav")
    assert sent.form["model"] == "whisper-1" and sent.form["language"] == "en"


async def test_embeddings(channel: grpc.aio.Channel, openai_env: FakeOpenAI) -> None:
    definition = one_task("openai.embeddings", {"text": "vector me"}, {"embedding": "json"})
    execution = await run(stubs(channel), definition)
    assert execution.status == EX.COMPLETED, execution.error
    assert outputs(execution)["embedding"] == embedding_for("vector me")
    (sent,) = openai_env.requests_to("/embeddings")
    assert sent.json["model"] == "text-embedding-3-small"


async def test_images_generate_png_file(channel: grpc.aio.Channel, openai_env: FakeOpenAI) -> None:
    api = stubs(channel)
    definition = one_task(
        "openai.images.generate", {"prompt": "a red fox", "size": "512x512"}, {"image": "file"}
    )
    execution = await run(api, definition)
    assert execution.status == EX.COMPLETED, execution.error
    image = outputs(execution)["image"]
    assert (image["name"], image["content_type"]) == ("image.png", "image/png")
    _, data = await download(api, image["file_id"])
    assert data == png_for("a red fox")
    (sent,) = openai_env.requests_to("/images/generations")
    assert sent.json["response_format"] == "b64_json"
    assert (sent.json["model"], sent.json["size"]) == ("dall-e-3", "512x512")


async def test_hello_world_in_a_server_process(
    openai_env: FakeOpenAI, server_process: ServerProcess
) -> None:
    """A real `dataflow-server` takes the OpenAI settings from its environment at
    start (`openai_env` is set up first, and `server_process` copies os.environ)."""
    assert server_process.env["OPENAI_BASE_URL"] == openai_env.base_url
    async with grpc.aio.insecure_channel(server_process.address) as ch:
        api = stubs(ch)
        execution = await run(api, seed_hello_world_body(), {"text": "Hello, process"})
        assert execution.status == EX.COMPLETED, execution.error
        _, data = await download(api, outputs(execution)["audio"]["file_id"])
    assert data == speech_bytes("Hello, process", "mp3")
    assert openai_env.api_key not in server_process.log()


# ---------------------------------------------------------------- failures


@pytest.mark.parametrize(("status", "code"), [(500, "UPSTREAM_UNAVAILABLE"), (429, "RATE_LIMITED")])
async def test_retryable_status_is_retried(
    channel: grpc.aio.Channel, openai_env: FakeOpenAI, status: int, code: str
) -> None:
    openai_env.fail_next(status, retry_after=1 if status == 429 else None)
    api = stubs(channel)
    execution = await run(api, chat(retry=FAST_RETRY))
    assert execution.status == EX.COMPLETED, execution.error
    assert execution.tasks[0].attempts == 2
    assert [r.status for r in openai_env.requests_to("/chat/completions")] == [status, 200]
    events = [
        m.event
        async for m in api.executions.WatchExecution(
            ES.WatchExecutionRequest(
                workflow_execution_id=execution.workflow_execution_id,
                event_types=["task.retrying"],
            )
        )
    ]
    assert [(e.error.code, e.error.retryable) for e in events] == [(code, True)]
    assert f"HTTP {status}" in events[0].error.message


async def test_client_error_fails_without_retry(
    channel: grpc.aio.Channel, openai_env: FakeOpenAI
) -> None:
    openai_env.fail_next(400, message="'model' is not a known model")
    execution = await run(stubs(channel), chat(retry=FAST_RETRY))
    assert execution.status == EX.FAILED
    assert (execution.tasks[0].status, execution.tasks[0].attempts) == (TR.FAILED, 1)
    error = execution.error
    assert (error.code, error.retryable, error.task_name) == ("UPSTREAM_REJECTED", False, "t")
    assert "HTTP 400" in error.message and "'model' is not a known model" in error.message
    assert len(openai_env.requests) == 1


async def test_hang_longer_than_timeout_is_timeout(
    channel: grpc.aio.Channel, openai_env: FakeOpenAI
) -> None:
    openai_env.hang_next(30)
    execution = await run(stubs(channel), chat(timeout_seconds=0.5, retry={"max_attempts": 1}))
    assert execution.status == EX.FAILED
    assert (execution.error.code, execution.error.retryable) == ("TIMEOUT", True)


@pytest.mark.parametrize(
    "server_settings", [{"openai_base_url": f"http://127.0.0.1:{free_port()}/v1"}]
)
async def test_connection_refused_is_retryable(
    channel: grpc.aio.Channel, openai_env: FakeOpenAI
) -> None:
    execution = await run(stubs(channel), chat(retry={**FAST_RETRY, "max_attempts": 2}))
    assert execution.status == EX.FAILED
    assert execution.tasks[0].attempts == 2
    assert (execution.error.code, execution.error.retryable) == ("UPSTREAM_UNAVAILABLE", True)
    assert openai_env.requests == []


async def test_malformed_response_is_invalid_response(
    channel: grpc.aio.Channel, openai_env: FakeOpenAI
) -> None:
    openai_env.garbage_next()
    execution = await run(stubs(channel), chat(retry=FAST_RETRY))
    assert execution.status == EX.FAILED
    assert (execution.error.code, execution.error.retryable) == ("INVALID_RESPONSE", False)
    assert execution.tasks[0].attempts == 1


async def test_audio_larger_than_the_cap_fails(
    channel: grpc.aio.Channel, openai_env: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(openai_tasks, "MAX_AUDIO_BYTES", 10_000)  # the server sends 40 KiB
    execution = await run(stubs(channel), seed_hello_world_body(), {"text": "Hello"})
    assert execution.status == EX.FAILED
    assert (execution.error.code, execution.error.retryable) == ("RESPONSE_TOO_LARGE", False)


@pytest.mark.parametrize("server_settings", [{"openai_api_key": ""}])
async def test_missing_key_fails_clearly(channel: grpc.aio.Channel, openai_env: FakeOpenAI) -> None:
    execution = await run(stubs(channel), seed_hello_world_body(), {"text": "Hello"})
    assert execution.status == EX.FAILED
    error = execution.error
    assert (error.code, error.retryable) == ("MISSING_API_KEY", False)
    assert error.message.startswith("no OpenAI API key: set the tenant's secret openai_api_key")
    assert execution.tasks[0].attempts == 1
    assert openai_env.requests == []


async def test_api_key_appears_nowhere(
    channel: grpc.aio.Channel, openai_env: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    api = stubs(channel)
    # A success, an upstream that echoes the key in its error, and a wrong key (401).
    executions = [await run(api, seed_hello_world_body(), {"text": "Hello"})]
    openai_env.fail_next(400, message="bad request from {authorization}")
    executions.append(await run(api, chat()))
    assert executions[-1].error.code == "UPSTREAM_REJECTED"
    # The tenant's own key (a secret) comes before the server's: a wrong one is a 401.
    wrong_key = "sk-wrong-" + "x" * 24
    secrets = secret_service_pb2_grpc.SecretServiceStub(channel)
    await secrets.SetSecret(
        secret_service_pb2.SetSecretRequest(name="openai_api_key", value=wrong_key)
    )
    executions.append(await run(api, chat()))
    assert executions[-1].error.code == "UPSTREAM_REJECTED"
    assert "HTTP 401" in executions[-1].error.message
    assert openai_env.requests_to("/chat/completions")[-1].headers["authorization"] == (
        f"Bearer {wrong_key}"
    )
    # The upstream did see (and echo) the keys, so the checks below are meaningful.
    assert openai_env.api_key.encode() in openai_env.requests_to("/chat/completions")[0].response

    seen: list[str] = []
    for execution in executions:
        got = await api.executions.GetExecution(
            ES.GetExecutionRequest(workflow_execution_id=execution.workflow_execution_id)
        )
        seen.append(json_format.MessageToJson(got))
        async for message in api.executions.WatchExecution(
            ES.WatchExecutionRequest(workflow_execution_id=execution.workflow_execution_id)
        ):
            seen.append(json_format.MessageToJson(message))
    seen.append(caplog.text)
    seen.append(json.dumps([r.getMessage() for r in caplog.records]))
    assert "***" in "".join(seen)  # the echoed key was masked, not dropped
    for key in (openai_env.api_key, wrong_key):
        assert not [text for text in seen if key in text]
