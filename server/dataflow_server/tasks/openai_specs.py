"""The OpenAI task types' declarations: what validation, `ListTaskTypes` and the
engine's limits need, without the `openai` SDK.

The SDK (and the ~1,000 modules of types it brings) is imported with the
handlers (tasks/openai_tasks.py) when the first OpenAI task runs, not when the
server starts: it was a quarter of the start-up time and ~30 MB of every
server's memory, OpenAI tasks or not.
"""

from __future__ import annotations

from typing import Literal, get_args

from ..domain.definitions import RetryPolicy
from ..domain.task_types import FieldSpec, TaskTypeSpec
from ..domain.values import ValueType

__all__ = [
    "CHAT_COMPLETION",
    "EMBEDDINGS",
    "IMAGES_GENERATE",
    "OPENAI_RESOURCE",
    "OPENAI_RETRY",
    "OPENAI_TIMEOUT_SECONDS",
    "SPECS",
    "TRANSCRIPTION",
    "TTS",
    "TTS_FORMATS",
    "TtsFormat",
]

# Rate limits and transient 5xx are common: retry a few times with backoff.
OPENAI_RETRY = RetryPolicy(
    max_attempts=3, initial_backoff_seconds=1.0, backoff_multiplier=2.0, max_backoff_seconds=30.0
)
OPENAI_TIMEOUT_SECONDS = 120.0
# The engine's limiter for every OpenAI task type (engine.limits): one provider,
# one concurrency and requests-per-minute budget, one 429 pause.
OPENAI_RESOURCE = "openai"

TTS_VOICES = (
    "alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse",
)  # fmt: skip
TtsFormat = Literal["mp3", "opus", "aac", "flac", "wav", "pcm"]  # the SDK's response_format
TTS_FORMATS: tuple[TtsFormat, ...] = get_args(TtsFormat)
IMAGE_SIZES = ("256x256", "512x512", "1024x1024", "1792x1024", "1024x1792")

# Every OpenAI task type: an optional key, which must be a secret of the tenant.
API_KEY = FieldSpec(
    "api_key",
    ValueType.TEXT,
    "The OpenAI API key, as {{secrets.NAME}}; default: the tenant's secret openai_api_key, "
    "else the server's OPENAI_API_KEY.",
    accepts_secrets=True,
    secret_only=True,
)

_T, _N, _I, _J, _F = (
    ValueType.TEXT,
    ValueType.NUMBER,
    ValueType.INTEGER,
    ValueType.JSON,
    ValueType.FILE,
)

TTS = TaskTypeSpec(
    name="openai.audio.tts",
    description="Turns text into speech with an OpenAI text-to-speech model.",
    inputs=(
        FieldSpec("text", _T, "The text to speak (OpenAI accepts up to 4096 characters).", True),
        FieldSpec("voice", _T, "The voice.", default="alloy", allowed_values=TTS_VOICES),
        FieldSpec("model", _T, "The speech model.", default="gpt-4o-mini-tts"),
        FieldSpec("format", _T, "The audio format.", default="mp3", allowed_values=TTS_FORMATS),
        API_KEY,
    ),
    outputs=(FieldSpec("audio", _F, "The spoken audio, stored as a file."),),
    default_retry=OPENAI_RETRY,
    resource=OPENAI_RESOURCE,
    default_timeout_seconds=OPENAI_TIMEOUT_SECONDS,
)

CHAT_COMPLETION = TaskTypeSpec(
    name="openai.chat.completion",
    description="Answers a prompt with an OpenAI chat model.",
    inputs=(
        FieldSpec("prompt", _T, "The user message.", True),
        FieldSpec("system", _T, "An optional system message that steers the model."),
        FieldSpec("model", _T, "The chat model.", default="gpt-4o-mini"),
        FieldSpec(
            "temperature", _N, "Sampling temperature: higher is more random.", minimum=0, maximum=2
        ),
        FieldSpec("max_tokens", _I, "Upper bound of tokens in the answer.", minimum=1),
        API_KEY,
    ),
    outputs=(
        FieldSpec("text", _T, "The model's answer."),
        FieldSpec("usage", _J, "Token counts as reported by OpenAI."),
    ),
    default_retry=OPENAI_RETRY,
    resource=OPENAI_RESOURCE,
    default_timeout_seconds=OPENAI_TIMEOUT_SECONDS,
)

TRANSCRIPTION = TaskTypeSpec(
    name="openai.audio.transcription",
    description="Transcribes speech in an audio file to text.",
    inputs=(
        FieldSpec("audio", _F, "The audio file to transcribe.", True),
        FieldSpec("model", _T, "The transcription model.", default="whisper-1"),
        FieldSpec("language", _T, "The spoken language as ISO-639-1 (e.g. en); detected if unset."),
        API_KEY,
    ),
    outputs=(FieldSpec("text", _T, "The transcript."),),
    default_retry=OPENAI_RETRY,
    resource=OPENAI_RESOURCE,
    default_timeout_seconds=OPENAI_TIMEOUT_SECONDS,
)

EMBEDDINGS = TaskTypeSpec(
    name="openai.embeddings",
    description="Computes an embedding vector of a text.",
    inputs=(
        FieldSpec("text", _T, "The text to embed.", True),
        FieldSpec("model", _T, "The embedding model.", default="text-embedding-3-small"),
        API_KEY,
    ),
    outputs=(FieldSpec("embedding", _J, "The embedding: a list of numbers."),),
    default_retry=OPENAI_RETRY,
    resource=OPENAI_RESOURCE,
    default_timeout_seconds=OPENAI_TIMEOUT_SECONDS,
)

IMAGES_GENERATE = TaskTypeSpec(
    name="openai.images.generate",
    description="Generates an image from a prompt.",
    inputs=(
        FieldSpec("prompt", _T, "What the image shows.", True),
        FieldSpec(
            "size", _T, "The image size in pixels.", default="1024x1024", allowed_values=IMAGE_SIZES
        ),
        FieldSpec("model", _T, "The image model.", default="dall-e-3"),
        API_KEY,
    ),
    outputs=(FieldSpec("image", _F, "The generated image, stored as a file."),),
    default_retry=OPENAI_RETRY,
    resource=OPENAI_RESOURCE,
    default_timeout_seconds=OPENAI_TIMEOUT_SECONDS,
)

SPECS: tuple[TaskTypeSpec, ...] = (TTS, CHAT_COMPLETION, TRANSCRIPTION, EMBEDDINGS, IMAGES_GENERATE)
