"""Pytest plugin: an OpenAI-compatible HTTP server of our own, on loopback.

The real `openai` SDK talks to it over real HTTP (no mocks, no internet). It
runs on 127.0.0.1 at a free port in a background thread and implements

- POST /v1/audio/speech          deterministic audio bytes (`speech_bytes`)
- POST /v1/chat/completions      "Summary: " + the first 200 chars of the last user message
- POST /v1/audio/transcriptions  multipart; text derived from the uploaded bytes
- POST /v1/embeddings            a deterministic vector (`embedding_for`)
- POST /v1/images/generations    a small PNG (`png_for`), as b64_json

Every request must carry `Authorization: Bearer <api_key>` (or one of
`other_keys`; 401 otherwise),
and is recorded (`requests`, with the response body that was sent).
Scripted behaviour, consumed one per request in order:
`fail_next(status, times, retry_after=, message=)`, `hang_next(seconds)`
(answers only after `seconds`, or at `stop()`), `garbage_next()` (200 with
JSON of the wrong shape).

Fixtures
- `openai_server` (function): a started `FakeOpenAI`; `.base_url` (ends in
  /v1), `.api_key`, `.requests`, `.fail_next(...)`, `.hang_next(...)`,
  `.garbage_next()`, `.env()`; stopped at the end of the test.
- `openai_env` (function): `openai_server` with OPENAI_API_KEY and
  OPENAI_BASE_URL set in this process's environment (monkeypatch), for the
  server *processes* a test starts (request it before `server_process`, whose
  env is copied from os.environ; or pass `env={**os.environ, **openai_server.env()}`).
  The in-process `server` fixture configures its `Settings` from
  `openai_server` whenever the test uses it.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import secrets
import socket
import struct
import threading
import time
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

__all__ = [
    "FakeOpenAI",
    "RecordedRequest",
    "UploadedFile",
    "embedding_for",
    "openai_env",
    "openai_server",
    "png_for",
    "speech_bytes",
    "transcript_for",
]

SPEECH_CONTENT_TYPES = {
    "mp3": "audio/mpeg",
    "opus": "audio/ogg",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}
_SPEECH_MAGIC = {"mp3": b"ID3", "opus": b"OggS", "flac": b"fLaC"}
SPEECH_SIZE = 40 * 1024
EMBEDDING_DIMENSIONS = 8


# ---------------------------------------------------------------- deterministic answers


def speech_bytes(text: str, fmt: str = "mp3") -> bytes:
    """The audio the server answers for `text`: magic + sha256 repeated to ~40 KB.

    "wav" is a real, playable WAV file (8-bit mono PCM at 8 kHz: 5 s of the
    digest's bytes as samples), so that a browser's audio element can load it."""
    digest = hashlib.sha256(f"{fmt}:{text}".encode()).digest()
    if fmt == "wav":
        return _wav(digest * (SPEECH_SIZE // len(digest) + 1))
    magic = _SPEECH_MAGIC.get(fmt, b"")
    return (magic + digest * (SPEECH_SIZE // len(digest) + 1))[:SPEECH_SIZE]


def _wav(samples: bytes) -> bytes:
    data = samples[: SPEECH_SIZE - 44]
    rate = 8000
    fmt_chunk = struct.pack("<IHHIIHH", 16, 1, 1, rate, rate, 1, 8)  # PCM, mono, 8-bit
    return (
        b"RIFF"
        + struct.pack("<I", 36 + len(data))
        + b"WAVEfmt "
        + fmt_chunk
        + b"data"
        + struct.pack("<I", len(data))
        + data
    )


def transcript_for(data: bytes) -> str:
    return f"transcript of {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}"


def embedding_for(text: str) -> list[float]:
    """Values k/256: exact in float32, so base64 and float encodings agree."""
    digest = hashlib.sha256(text.encode()).digest()
    return [b / 256 for b in digest[:EMBEDDING_DIMENSIONS]]


def png_for(prompt: str) -> bytes:
    """A valid 2x2 RGB PNG whose colour derives from the prompt."""
    r, g, b = hashlib.sha256(prompt.encode()).digest()[:3]
    row = b"\x00" + bytes((r, g, b)) * 2
    raw = row * 2

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def chat_answer(prompt: str) -> str:
    return "Summary: " + prompt[:200]


# ---------------------------------------------------------------- records and script


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    content_type: str
    data: bytes


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes
    json: Any = None
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    status: int = 0  # what the server answered
    response: bytes = b""


@dataclass(frozen=True)
class _Action:
    kind: str  # "fail" | "hang" | "garbage"
    status: int = 0
    retry_after: float | None = None
    message: str | None = None
    seconds: float = 0.0


_DEFAULT_ERRORS = {
    400: ("Invalid request: the input is not acceptable.", "invalid_request_error"),
    401: ("Incorrect API key provided: {authorization}", "invalid_request_error"),
    404: ("Not found.", "invalid_request_error"),
    429: ("Rate limit reached for requests.", "requests"),
    500: ("The server had an error while processing your request.", "server_error"),
    503: ("The engine is currently overloaded.", "server_error"),
}


def _parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, Any]]:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        raise ValueError("multipart without boundary")
    delimiter = b"--" + match.group(1).encode()
    form: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        part = part.removeprefix(b"\r\n")
        head, _, data = part.partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        params = dict(re.findall(r'(\w+)="([^"]*)"', headers.get("content-disposition", "")))
        field_name = params.get("name", "")
        if "filename" in params:
            files[field_name] = UploadedFile(
                params["filename"], headers.get("content-type", ""), data
            )
        else:
            form[field_name] = data.decode()
    return form, files


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, fake: FakeOpenAI) -> None:
        self.fake = fake
        self.connections: set[socket.socket] = set()
        super().__init__(("127.0.0.1", 0), _Handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        self.connections.add(sock)
        return sock, address

    def shutdown_request(self, request: Any) -> None:
        self.connections.discard(request)
        super().shutdown_request(request)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def handle(self) -> None:
        # The client may go away (e.g. it timed out during a hang).
        with contextlib.suppress(OSError):
            super().handle()

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        fake = self.server.fake
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        record = RecordedRequest(
            self.command,
            self.path.split("?", 1)[0],
            {k.lower(): v for k, v in self.headers.items()},
            body,
        )
        content_type = record.headers.get("content-type", "")
        try:
            if content_type.startswith("application/json"):
                record.json = json.loads(body)
            elif content_type.startswith("multipart/form-data"):
                record.form, record.files = _parse_multipart(body, content_type)
        except ValueError:
            pass
        fake._record(record)
        authorization = record.headers.get("authorization", "")
        if authorization.removeprefix("Bearer ") not in fake.accepted_keys():
            self._error(record, 401, None, authorization)
            return
        action = fake._next_action()
        if action is not None and action.kind == "hang":
            fake._release.wait(action.seconds)
        if action is not None and action.kind == "fail":
            headers = {}
            if action.retry_after is not None:
                headers["Retry-After"] = f"{action.retry_after:g}"
            self._error(record, action.status, action.message, authorization, headers)
            return
        if action is not None and action.kind == "garbage":
            self._json(record, 200, {"unexpected": True})
            return
        route = {
            "/v1/audio/speech": self._speech,
            "/v1/chat/completions": self._chat,
            "/v1/audio/transcriptions": self._transcription,
            "/v1/embeddings": self._embeddings,
            "/v1/images/generations": self._images,
        }.get(record.path)
        if route is None or self.command != "POST":
            self._error(record, 404, f"Unknown path {record.path}", authorization)
            return
        route(record)

    # ------------------------------------------------------------ answers

    def _send(
        self,
        record: RecordedRequest,
        status: int,
        payload: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        record.status, record.response = status, payload
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-request-id", "req_" + secrets.token_hex(6))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        for start in range(0, len(payload), 8192):  # several writes: the SDK streams them
            self.wfile.write(payload[start : start + 8192])
        self.wfile.flush()

    def _json(
        self,
        record: RecordedRequest,
        status: int,
        value: Any,
        headers: dict[str, str] | None = None,
    ) -> None:
        self._send(record, status, json.dumps(value).encode(), "application/json", headers)

    def _error(
        self,
        record: RecordedRequest,
        status: int,
        message: str | None,
        authorization: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        default, kind = _DEFAULT_ERRORS.get(status, (f"HTTP {status}", "api_error"))
        # `{authorization}` lets a test make the upstream echo what it received.
        text = (message or default).replace("{authorization}", authorization)
        error = {"message": text, "type": kind, "param": None, "code": None}
        self._json(record, status, {"error": error}, headers)

    def _bad_request(self, record: RecordedRequest, message: str) -> None:
        self._error(record, 400, message, "")

    def _speech(self, record: RecordedRequest) -> None:
        body = record.json if isinstance(record.json, dict) else {}
        text, fmt = body.get("input"), body.get("response_format", "mp3")
        if not isinstance(text, str) or fmt not in SPEECH_CONTENT_TYPES or not body.get("voice"):
            self._bad_request(record, "input, voice and a known response_format are required")
            return
        self._send(record, 200, speech_bytes(text, fmt), SPEECH_CONTENT_TYPES[fmt])

    def _chat(self, record: RecordedRequest) -> None:
        body = record.json if isinstance(record.json, dict) else {}
        messages = body.get("messages") or []
        users = [m.get("content", "") for m in messages if m.get("role") == "user"]
        if not users:
            self._bad_request(record, "messages must contain a user message")
            return
        answer = chat_answer(str(users[-1]))
        prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in messages)
        completion_tokens = len(answer.split())
        self._json(
            record,
            200,
            {
                "id": "chatcmpl-" + secrets.token_hex(6),
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", ""),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": answer, "refusal": None},
                        "finish_reason": "stop",
                        "logprobs": None,
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
            },
        )

    def _transcription(self, record: RecordedRequest) -> None:
        upload = record.files.get("file")
        if upload is None or not record.form.get("model"):
            self._bad_request(record, "file and model are required")
            return
        self._json(record, 200, {"text": transcript_for(upload.data)})

    def _embeddings(self, record: RecordedRequest) -> None:
        body = record.json if isinstance(record.json, dict) else {}
        text = body.get("input")
        if not isinstance(text, str):
            self._bad_request(record, "input must be a string")
            return
        vector: Any = embedding_for(text)
        if body.get("encoding_format") == "base64":
            vector = base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
        tokens = len(text.split())
        self._json(
            record,
            200,
            {
                "object": "list",
                "data": [{"object": "embedding", "index": 0, "embedding": vector}],
                "model": body.get("model", ""),
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            },
        )

    def _images(self, record: RecordedRequest) -> None:
        body = record.json if isinstance(record.json, dict) else {}
        prompt = body.get("prompt")
        if not isinstance(prompt, str):
            self._bad_request(record, "prompt is required")
            return
        item: dict[str, str]
        if body.get("response_format") == "b64_json":
            item = {"b64_json": base64.b64encode(png_for(prompt)).decode()}
        else:
            item = {"url": "https://images.invalid/image.png"}
        self._json(record, 200, {"created": int(time.time()), "data": [item]})


class FakeOpenAI:
    """The server; `start()` / `stop()`, or use the `openai_server` fixture."""

    def __init__(self, api_key: str | None = None) -> None:
        self.api_key = api_key or "sk-test-" + secrets.token_hex(16)
        # Keys of other accounts (tenants' own keys), accepted like `api_key`.
        self.other_keys: set[str] = set()
        self._requests: list[RecordedRequest] = []
        self._script: deque[_Action] = deque()
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self) -> FakeOpenAI:
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()  # ends hangs
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        for sock in list(self._server.connections):  # kept-alive connections
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(5)
        self._server = None

    @property
    def port(self) -> int:
        assert self._server is not None, "not started"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def accepted_keys(self) -> set[str]:
        return {self.api_key, *self.other_keys}

    def env(self) -> dict[str, str]:
        """What a Dataflow server needs in its environment to use this server."""
        return {"OPENAI_API_KEY": self.api_key, "OPENAI_BASE_URL": self.base_url}

    # ------------------------------------------------------------ script

    def fail_next(
        self,
        status: int,
        times: int = 1,
        *,
        retry_after: float | None = None,
        message: str | None = None,
    ) -> None:
        """Answer the next `times` requests with `status` and an OpenAI error body.

        `message` may contain `{authorization}`, replaced by the received header.
        """
        with self._lock:
            self._script.extend(
                [_Action("fail", status, retry_after=retry_after, message=message)] * times
            )

    def hang_next(self, seconds: float = 30.0, times: int = 1) -> None:
        """Hold the next requests `seconds` (or until `stop()`) before answering."""
        with self._lock:
            self._script.extend([_Action("hang", seconds=seconds)] * times)

    def garbage_next(self, times: int = 1) -> None:
        """Answer the next requests 200 with JSON of the wrong shape."""
        with self._lock:
            self._script.extend([_Action("garbage")] * times)

    def _next_action(self) -> _Action | None:
        with self._lock:
            return self._script.popleft() if self._script else None

    # ------------------------------------------------------------ records

    def _record(self, record: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(record)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far (a copy), oldest first."""
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """Requests whose path ends with `path`, e.g. "/chat/completions"."""
        return [r for r in self.requests if r.path.endswith(path)]


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI().start()
    try:
        yield fake
    finally:
        fake.stop()


_AMBIENT = (
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "OPENAI_ADMIN_KEY",
    "OPENAI_CUSTOM_HEADERS",
    "OPENAI_WEBHOOK_SECRET",
)


@pytest.fixture
def openai_env(openai_server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAI:
    """`openai_server`, with this process's OPENAI_* environment pointing at it, for
    the server processes a test starts (they read it at start). The in-process
    `server` fixture takes the same settings from `openai_server` directly."""
    for name in _AMBIENT:
        monkeypatch.delenv(name, raising=False)
    for name, value in openai_server.env().items():
        monkeypatch.setenv(name, value)
    return openai_server
