"""OpenAI task types, run through the official `openai` SDK.

The account (key and base URL) is the task's `api_key` input (a secret), else
its tenant's secrets `openai_api_key` / `openai_base_url`, else the server's
OPENAI_API_KEY / OPENAI_BASE_URL; without any key a task fails with
MISSING_API_KEY. Clients are built once per account and reused
(tasks/openai_clients.py, `TaskServices.openai`). The declarations are in
tasks/openai_specs.py; this module (and the SDK) is imported when the first
OpenAI task runs (tasks/registry.py).

Default models (each task's `model` input overrides them):

| task type                  | default model            |
|----------------------------|--------------------------|
| openai.audio.tts           | gpt-4o-mini-tts          |
| openai.chat.completion     | gpt-4o-mini              |
| openai.audio.transcription | whisper-1                |
| openai.embeddings          | text-embedding-3-small   |
| openai.images.generate     | dall-e-3                 |

SDK errors become task errors: rate limits (429) are RATE_LIMITED, timeouts
UPSTREAM_TIMEOUT, connection errors and 5xx UPSTREAM_UNAVAILABLE, all
retryable (as are 408 and 409, which the SDK itself retries); any other 4xx
is UPSTREAM_REJECTED, not retryable; a response we cannot use is
INVALID_RESPONSE. Messages are built from the status and the API's error
message only, and the key is scrubbed from them: it never reaches outputs,
errors, events or logs.
"""

from __future__ import annotations

import base64
import binascii
import logging
import mimetypes
from collections.abc import Mapping
from typing import TypeGuard

import openai
from openai.types.chat import ChatCompletionMessageParam

from ..domain.secrets import mask
from ..domain.values import JsonObject, JsonValue
from .base import TaskContext, TaskFailure, TaskHandler
from .inputs import as_float, as_int, as_object, optional_text
from .openai_clients import MISSING_KEY_MESSAGE, NoAccount, OpenAIAccount
from .openai_specs import (
    CHAT_COMPLETION,
    EMBEDDINGS,
    IMAGES_GENERATE,
    OPENAI_TIMEOUT_SECONDS,
    TRANSCRIPTION,
    TTS,
    TTS_FORMATS,
    TtsFormat,
)

__all__ = ["HANDLERS", "MAX_AUDIO_BYTES", "TTS_CONTENT_TYPES"]

log = logging.getLogger(__name__)

TTS_CONTENT_TYPES: Mapping[str, str] = {
    "mp3": "audio/mpeg",
    "opus": "audio/ogg",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}
MAX_AUDIO_BYTES = 25 * 1024 * 1024  # OpenAI's limit for audio uploads; also caps speech output
MAX_IMAGE_BYTES = 25 * 1024 * 1024
# Per request: the engine's timeout (per attempt) usually ends an attempt first.
REQUEST_TIMEOUT = openai.Timeout(OPENAI_TIMEOUT_SECONDS, connect=10.0)
_MAX_DETAIL_CHARS = 300


async def _account(ctx: TaskContext, inputs: JsonObject) -> OpenAIAccount:
    """The client (and key) for this task: its api_key input, its tenant's secret
    openai_api_key, or the server's OPENAI_API_KEY (tasks/openai_clients.py)."""
    clients = ctx.services.openai
    if clients is None:
        raise _logged(ctx, TaskFailure("MISSING_API_KEY", MISSING_KEY_MESSAGE))
    try:
        return await clients.account(ctx.tenant_id, optional_text(inputs, "api_key"))
    except NoAccount as exc:
        raise _logged(ctx, TaskFailure(exc.code, exc.message)) from None


def _is_tts_format(value: JsonValue) -> TypeGuard[TtsFormat]:
    return value in TTS_FORMATS


def _scrub(text: str, key: str) -> str:
    """The text without any copy of the API key (a provider may echo it back)."""
    return mask(text, (key,))


def _detail(exc: openai.APIStatusError) -> str:
    """The API's own error message and type, never the raw response or request."""
    body = exc.body
    if not isinstance(body, Mapping):
        return str(exc.response.reason_phrase or "")
    message = body.get("message")
    kind = body.get("type") or body.get("code")
    parts = [str(message).strip()] if message else []
    if kind:
        parts.append(f"({kind})")
    text = " ".join(parts)
    if len(text) > _MAX_DETAIL_CHARS:
        text = text[: _MAX_DETAIL_CHARS - 1] + "…"
    return text


def _failure(exc: openai.OpenAIError, what: str, key: str) -> TaskFailure:
    """The task error for an SDK exception: (code, message, retryable)."""
    code, message, retryable = _classify(exc, what)
    return TaskFailure(
        code, _scrub(message, key), retryable=retryable, retry_after=_retry_after(exc)
    )


def _retry_after(exc: openai.OpenAIError) -> float | None:
    """A 429's Retry-After in seconds (the delta form), if given."""
    if not isinstance(exc, openai.APIStatusError) or exc.status_code != 429:
        return None
    try:
        seconds = float(exc.response.headers.get("retry-after", ""))
    except ValueError:
        return None
    return seconds if 0 <= seconds < float("inf") else None


def _classify(exc: openai.OpenAIError, what: str) -> tuple[str, str, bool]:
    if isinstance(exc, openai.APITimeoutError):
        return "UPSTREAM_TIMEOUT", f"{what}: the OpenAI API did not answer in time", True
    if isinstance(exc, openai.APIConnectionError):
        cause = type(exc.__cause__).__name__ if exc.__cause__ is not None else "connection error"
        return "UPSTREAM_UNAVAILABLE", f"{what}: cannot reach the OpenAI API ({cause})", True
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = _detail(exc)
        message = f"{what}: the OpenAI API answered HTTP {status}"
        if detail:
            message += f": {detail}"
        if status == 429:
            retry_after = exc.response.headers.get("retry-after", "").strip()
            if retry_after.replace(".", "", 1).isdigit():
                message += f" (Retry-After: {retry_after}s)"
            return "RATE_LIMITED", message, True
        if status == 408:
            return "UPSTREAM_TIMEOUT", message, True
        if status >= 500 or status == 409:  # 409: a lock timeout upstream; the SDK retries it
            return "UPSTREAM_UNAVAILABLE", message, True
        if status == 401:
            message += " (check the tenant's secret openai_api_key or OPENAI_API_KEY)"
        return "UPSTREAM_REJECTED", message, False
    if isinstance(exc, openai.APIResponseValidationError):
        return "INVALID_RESPONSE", f"{what}: the OpenAI API answered something unexpected", False
    return "UPSTREAM_ERROR", f"{what}: {type(exc).__name__}", False


def _invalid(what: str, reason: str) -> TaskFailure:
    return TaskFailure("INVALID_RESPONSE", f"{what}: {reason}", retryable=False)


def _broken_stream(what: str, exc: Exception) -> TaskFailure:
    """A transport error while reading a streamed body (the SDK does not wrap those)."""
    name = type(exc).__name__
    code = "UPSTREAM_TIMEOUT" if "Timeout" in name else "UPSTREAM_UNAVAILABLE"
    return TaskFailure(code, f"{what}: the response broke off ({name})", retryable=True)


def _logged(ctx: TaskContext, failure: TaskFailure) -> TaskFailure:
    log.info(
        "openai task %s of %s, attempt %d: %s %s",
        ctx.task_name,
        ctx.execution_id,
        ctx.attempt,
        failure.code,
        failure.message,
    )
    return failure


async def run_tts(ctx: TaskContext, inputs: JsonObject) -> JsonObject:
    what = "text to speech"
    fmt = inputs["format"]
    if not _is_tts_format(fmt):  # validation allows only these
        raise TypeError(f"format {fmt!r} is not one of {', '.join(TTS_FORMATS)}")
    content_type = TTS_CONTENT_TYPES[fmt]
    account = await _account(ctx, inputs)
    client = account.client
    chunks: list[bytes] = []
    size = 0
    too_large = TaskFailure(
        "RESPONSE_TOO_LARGE", f"{what}: the audio exceeds {MAX_AUDIO_BYTES} bytes", retryable=False
    )
    try:
        async with client.audio.speech.with_streaming_response.create(
            model=str(inputs["model"]),
            voice=str(inputs["voice"]),
            input=str(inputs["text"]),
            response_format=fmt,
            timeout=REQUEST_TIMEOUT,
        ) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_AUDIO_BYTES:
                raise too_large
            try:
                async for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_AUDIO_BYTES:
                        raise too_large
                    chunks.append(chunk)
            except (TaskFailure, openai.OpenAIError):
                raise
            except Exception as exc:  # httpx transport errors mid-body
                raise _broken_stream(what, exc) from None
    except openai.OpenAIError as exc:
        raise _logged(ctx, _failure(exc, what, account.api_key)) from None
    except TaskFailure as failure:
        raise _logged(ctx, failure) from None
    if size == 0:
        raise _logged(ctx, _invalid(what, "the OpenAI API returned no audio"))
    data = b"".join(chunks)
    chunks.clear()
    audio = await ctx.files.save(data, f"speech.{fmt}", content_type)
    return {"audio": audio}


async def run_chat_completion(ctx: TaskContext, inputs: JsonObject) -> JsonObject:
    what = "chat completion"
    account = await _account(ctx, inputs)
    client = account.client
    messages: list[ChatCompletionMessageParam] = []
    if inputs.get("system"):
        messages.append({"role": "system", "content": str(inputs["system"])})
    messages.append({"role": "user", "content": str(inputs["prompt"])})
    temperature = inputs.get("temperature")
    max_tokens = inputs.get("max_tokens")
    try:
        completion = await client.chat.completions.create(
            model=str(inputs["model"]),
            messages=messages,
            timeout=REQUEST_TIMEOUT,
            temperature=openai.omit if temperature is None else as_float(temperature),
            max_tokens=openai.omit if max_tokens is None else as_int(max_tokens),
        )
    except openai.OpenAIError as exc:
        raise _logged(ctx, _failure(exc, what, account.api_key)) from None
    try:
        message = completion.choices[0].message
        text = message.content
        refusal = getattr(message, "refusal", None)
        usage = completion.usage
    except (AttributeError, IndexError, TypeError):
        raise _logged(ctx, _invalid(what, "the answer has no choices")) from None
    if not isinstance(text, str):
        if isinstance(refusal, str) and refusal:
            raise _logged(
                ctx, TaskFailure("MODEL_REFUSED", f"{what}: {_scrub(refusal, account.api_key)}")
            )
        raise _logged(ctx, _invalid(what, "the answer has no text"))
    counts: JsonObject = {}
    for name in ("prompt_tokens", "completion_tokens", "total_tokens"):
        value = getattr(usage, name, None)
        if isinstance(value, int) and not isinstance(value, bool):
            counts[name] = value
    return {"text": text, "usage": counts}


async def run_transcription(ctx: TaskContext, inputs: JsonObject) -> JsonObject:
    what = "transcription"
    audio = as_object(inputs["audio"])
    too_large = TaskFailure(
        "INPUT_TOO_LARGE",
        f"{what}: the audio file exceeds OpenAI's limit of {MAX_AUDIO_BYTES} bytes",
        retryable=False,
    )
    declared = audio.get("size_bytes")
    if isinstance(declared, int) and declared > MAX_AUDIO_BYTES:
        raise too_large
    account = await _account(ctx, inputs)
    client = account.client
    data = await ctx.files.read(audio)
    if len(data) > MAX_AUDIO_BYTES:
        raise too_large
    name = str(audio.get("name") or "audio")
    content_type = str(
        audio.get("content_type") or mimetypes.guess_type(name)[0] or "application/octet-stream"
    )
    language = inputs.get("language")
    try:
        # The SDK does not validate what the API answered: checked below.
        result: object = await client.audio.transcriptions.create(
            file=(name, data, content_type),
            model=str(inputs["model"]),
            timeout=REQUEST_TIMEOUT,
            language=str(language) if language else openai.omit,
        )
    except openai.OpenAIError as exc:
        raise _logged(ctx, _failure(exc, what, account.api_key)) from None
    text = result if isinstance(result, str) else getattr(result, "text", None)
    if not isinstance(text, str):
        raise _logged(ctx, _invalid(what, "the answer has no text"))
    return {"text": text}


async def run_embeddings(ctx: TaskContext, inputs: JsonObject) -> JsonObject:
    what = "embeddings"
    account = await _account(ctx, inputs)
    client = account.client
    try:
        result = await client.embeddings.create(
            input=str(inputs["text"]),
            model=str(inputs["model"]),
            encoding_format="float",
            timeout=REQUEST_TIMEOUT,
        )
    except openai.OpenAIError as exc:
        raise _logged(ctx, _failure(exc, what, account.api_key)) from None
    try:
        vector: object = result.data[0].embedding  # unvalidated by the SDK: checked below
    except (AttributeError, IndexError, TypeError):
        raise _logged(ctx, _invalid(what, "the answer has no embedding")) from None
    if (
        not isinstance(vector, list)
        or not vector
        or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in vector)
    ):
        raise _logged(ctx, _invalid(what, "the embedding is not a list of numbers"))
    return {"embedding": [float(x) for x in vector]}


_IMAGE_KINDS = (
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"GIF8", "gif", "image/gif"),
)


def _image_kind(data: bytes) -> tuple[str, str] | None:
    for magic, ext, content_type in _IMAGE_KINDS:
        if data.startswith(magic):
            return ext, content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp", "image/webp"
    return None


async def run_images_generate(ctx: TaskContext, inputs: JsonObject) -> JsonObject:
    what = "image generation"
    account = await _account(ctx, inputs)
    client = account.client
    try:
        result = await client.images.generate(
            prompt=str(inputs["prompt"]),
            model=str(inputs["model"]),
            size=str(inputs["size"]),
            n=1,
            response_format="b64_json",
            timeout=REQUEST_TIMEOUT,
        )
    except openai.OpenAIError as exc:
        raise _logged(ctx, _failure(exc, what, account.api_key)) from None
    try:
        images = result.data or []
        encoded: object = images[0].b64_json  # unvalidated by the SDK: checked below
    except (AttributeError, IndexError, TypeError):
        raise _logged(ctx, _invalid(what, "the answer has no image")) from None
    if not isinstance(encoded, str) or not encoded:
        raise _logged(ctx, _invalid(what, "the answer has no base64 image"))
    if len(encoded) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        raise _logged(
            ctx, TaskFailure("RESPONSE_TOO_LARGE", f"{what}: the image exceeds {MAX_IMAGE_BYTES}")
        )
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise _logged(ctx, _invalid(what, "the image is not valid base64")) from None
    kind = _image_kind(data)
    if kind is None:
        raise _logged(ctx, _invalid(what, "the answer is not a PNG, JPEG, GIF or WebP image"))
    ext, content_type = kind
    image = await ctx.files.save(data, f"image.{ext}", content_type)
    return {"image": image}


HANDLERS: dict[str, TaskHandler] = {
    TTS.name: run_tts,
    CHAT_COMPLETION.name: run_chat_completion,
    TRANSCRIPTION.name: run_transcription,
    EMBEDDINGS.name: run_embeddings,
    IMAGES_GENERATE.name: run_images_generate,
}
