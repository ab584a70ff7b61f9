"""The OpenAI clients of a server: one `AsyncOpenAI` per (key, base URL), reused.

Which account a task uses, first match wins:
1. its `api_key` input (a `{{secrets.NAME}}` reference, resolved by the engine);
2. its tenant's secret `openai_api_key`;
3. the server's `OPENAI_API_KEY` (settings).
The base URL is the tenant's secret `openai_base_url` when set (checked by the
SSRF guard like any URL a tenant gives), else the server's `OPENAI_BASE_URL`,
else the SDK's default (https://api.openai.com/v1).

Clients are built once per configuration and kept in a small LRU (each holds a
connection pool; the first one imports the SDK, which the server does not load at
start); the SDK's own retries are off (`max_retries=0`): the engine
retries with the task's policy. Nothing here reads the process environment:
the configuration comes from `Settings`.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..domain.secrets import (
    OPENAI_API_KEY_SECRET,
    OPENAI_BASE_URL_SECRET,
    SecretSource,
    SecretUnavailable,
)
from ..net.client import GuardedHttpClient
from ..net.errors import NetError

if TYPE_CHECKING:
    from openai import AsyncOpenAI

__all__ = [
    "DEFAULT_BASE_URL",
    "MISSING_KEY_MESSAGE",
    "OpenAIAccount",
    "OpenAIClients",
    "OpenAIConfig",
]

MISSING_KEY_MESSAGE = (
    "no OpenAI API key: set the tenant's secret openai_api_key (dataflow secrets set "
    "openai_api_key), or OPENAI_API_KEY in the server's environment (and OPENAI_BASE_URL "
    "to use an OpenAI-compatible server other than https://api.openai.com/v1)"
)
_DEFAULT_MAX_CLIENTS = 64
# Given explicitly: left unset, the SDK would read OPENAI_BASE_URL from the environment.
DEFAULT_BASE_URL = "https://api.openai.com/v1"


class NoAccount(Exception):
    """No usable account for a task; `code` is the task error code to fail with."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class OpenAIConfig:
    """The server's own account (OPENAI_API_KEY / OPENAI_BASE_URL), from settings."""

    api_key: str = field(default="", repr=False)
    base_url: str = ""


@dataclass(frozen=True, slots=True)
class OpenAIAccount:
    """The client a task uses, and the key to mask in anything it hands back."""

    client: AsyncOpenAI
    api_key: str = field(repr=False)


class OpenAIClients:
    def __init__(
        self,
        config: OpenAIConfig,
        *,
        secrets: SecretSource | None = None,
        guard: GuardedHttpClient | None = None,
        max_clients: int = _DEFAULT_MAX_CLIENTS,
    ) -> None:
        self._config = config
        self._secrets = secrets
        self._guard = guard
        self._max_clients = max_clients
        # sha256(key), base URL → client; a digest, so no further copy of a key is kept.
        self._clients: OrderedDict[tuple[str, str], AsyncOpenAI] = OrderedDict()
        self._closing: set[asyncio.Task[None]] = set()

    @property
    def size(self) -> int:
        """Clients currently kept (one per configuration in use)."""
        return len(self._clients)

    async def account(self, tenant_id: str, api_key: str | None = None) -> OpenAIAccount:
        """The client for a task of `tenant_id` (its `api_key` input when given);
        NoAccount when there is no key or the tenant's settings cannot be used."""
        tenant = await self._tenant_settings(tenant_id)
        key = (api_key or tenant.get(OPENAI_API_KEY_SECRET) or self._config.api_key).strip()
        if not key:
            raise NoAccount("MISSING_API_KEY", MISSING_KEY_MESSAGE)
        base_url = tenant.get(OPENAI_BASE_URL_SECRET, "").strip()
        if base_url:
            await self._check_base_url(base_url)
        else:
            base_url = self._config.base_url
        return OpenAIAccount(self._client(key, base_url), key)

    async def _tenant_settings(self, tenant_id: str) -> dict[str, str]:
        if self._secrets is None:
            return {}
        try:
            return await self._secrets.reveal(
                tenant_id, (OPENAI_API_KEY_SECRET, OPENAI_BASE_URL_SECRET)
            )
        except SecretUnavailable as exc:
            raise NoAccount("SECRET_UNAVAILABLE", str(exc)) from None

    async def _check_base_url(self, url: str) -> None:
        """A tenant's base URL goes where the SSRF guard allows, like http.request."""
        if self._guard is None:
            return
        try:
            await self._guard.check_destination(url, timeout=5.0)
        except NetError as exc:
            raise NoAccount(
                "INVALID_BASE_URL",
                f"the tenant's secret {OPENAI_BASE_URL_SECRET} cannot be used: {exc}",
            ) from None

    def _client(self, key: str, base_url: str) -> AsyncOpenAI:
        fingerprint = (hashlib.sha256(key.encode()).hexdigest(), base_url)
        client = self._clients.get(fingerprint)
        if client is not None:
            self._clients.move_to_end(fingerprint)
            return client
        # The SDK is imported with the first client: see tasks/openai_specs.py.
        import openai

        try:
            client = openai.AsyncOpenAI(
                api_key=key,
                base_url=base_url or DEFAULT_BASE_URL,
                max_retries=0,
            )
        except openai.OpenAIError as exc:
            raise NoAccount(
                "OPENAI_CONFIG", f"cannot configure the OpenAI client: {type(exc).__name__}"
            ) from None
        self._clients[fingerprint] = client
        if len(self._clients) > self._max_clients:
            _, evicted = self._clients.popitem(last=False)
            self._close_later(evicted)
        return client

    def _close_later(self, client: AsyncOpenAI) -> None:
        """Close an evicted client's connections in the background (requests still
        using it finish first: closing only stops the pool taking new ones)."""
        task = asyncio.get_running_loop().create_task(client.close())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def aclose(self) -> None:
        clients = list(self._clients.values())
        self._clients.clear()
        await asyncio.gather(*(c.close() for c in clients), *self._closing, return_exceptions=True)
