"""What a task implementation sees: its context, its failure type, its signature.

A task type is one module: a `TaskTypeSpec` (declared inputs and outputs) and
one `async def run(ctx, inputs) -> outputs`. Inputs arrive resolved and typed
as declared (defaults applied); outputs must match the declared outputs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ..domain.access import DEFAULT_TENANT
from ..domain.secrets import SecretSource
from ..domain.values import JsonObject, JsonValue
from ..net.client import GuardedHttpClient
from .openai_clients import OpenAIClients

__all__ = ["FileAccess", "TaskContext", "TaskFailure", "TaskHandler", "TaskServices"]


class TaskFailure(Exception):
    """A task attempt failed. `retryable` says whether another attempt could succeed;
    `retry_after` is how long the upstream asked us to wait (a 429's Retry-After):
    no attempt of the same resource starts before then."""

    def __init__(
        self, code: str, message: str, *, retryable: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retryable = retryable
        self.retry_after = retry_after


class FileAccess(Protocol):
    """How tasks read input files and store output files (content-addressed)."""

    async def save(self, data: bytes, name: str, content_type: str) -> JsonObject:
        """Store bytes as a file produced by this execution; returns the file value."""

    async def read(self, file_value: Mapping[str, JsonValue]) -> bytes:
        """The content of a file value ({"file_id": ...})."""


@dataclass(frozen=True, slots=True)
class TaskServices:
    """What task implementations share, built once by the server from its settings."""

    # The SSRF-guarded HTTP client (http.request); None: this server has none.
    http: GuardedHttpClient | None = None
    # The tenants' secrets (the engine resolves `{{secrets.NAME}}` with it; OpenAI
    # tasks read a tenant's `openai_api_key`); None: no secrets.
    secrets: SecretSource | None = None
    # The OpenAI clients, one per account in use (tasks/openai_clients.py); None:
    # OpenAI tasks fail with MISSING_API_KEY.
    openai: OpenAIClients | None = None


@dataclass(frozen=True)
class TaskContext:
    execution_id: str
    task_name: str
    attempt: int
    files: FileAccess
    services: TaskServices = field(default_factory=TaskServices)
    item_index: int | None = None  # the item being run, in a for_each task
    tenant_id: str = DEFAULT_TENANT  # the execution's tenant


TaskHandler = Callable[[TaskContext, JsonObject], Awaitable[JsonObject]]
