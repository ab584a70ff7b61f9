"""Server configuration, read once from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from .domain.limits import DEFAULT_DATA_LIMITS, DataLimits
from .domain.ui_sessions import SessionLifetime
from .domain.validation import DEFAULT_LIMITS, Limits
from .vault.keys import SecretsKeyError, parse_key
from .webhooks.signing import is_valid_secret

__all__ = ["AUTH_MODES", "ConfigError", "Settings"]

AUTH_MODES = ("required", "off")
DEFAULT_WEBHOOK_RETRY_SCHEDULE = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)


class ConfigError(ValueError):
    """A configuration variable has a value we cannot use."""


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _positive_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be > 0, got {raw!r}")
    return value


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be > 0, got {raw!r}")
    return value


def _schedule(env: Mapping[str, str], name: str) -> tuple[float, ...]:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return DEFAULT_WEBHOOK_RETRY_SCHEDULE
    try:
        values = tuple(float(part) for part in raw.split(",") if part.strip())
    except ValueError:
        raise ConfigError(f"{name} must be comma-separated seconds, got {raw!r}") from None
    if not values or any(v < 0 for v in values):
        raise ConfigError(f"{name} must be comma-separated non-negative seconds, got {raw!r}")
    return values


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    raw = (env.get(name) or choices[0]).strip().lower()
    if raw not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw


def _path(env: Mapping[str, str], name: str) -> Path | None:
    raw = (env.get(name) or "").strip()
    return Path(raw) if raw else None


def _optional_positive_float(env: Mapping[str, str], name: str) -> float | None:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return None
    return _positive_float(env, name, 0.0)


def _auth(env: Mapping[str, str]) -> str | None:
    raw = env.get("DATAFLOW_AUTH")
    if raw is None or raw.strip() == "":
        return None  # decided by the listen addresses (auth_mode.py)
    return _choice(env, "DATAFLOW_AUTH", AUTH_MODES)


def _webhook_secret(env: Mapping[str, str]) -> str | None:
    raw = env.get("DATAFLOW_WEBHOOK_SECRET") or None
    if raw is None:
        return None
    if not is_valid_secret(raw):
        raise ConfigError(
            "DATAFLOW_WEBHOOK_SECRET must be whsec_ followed by base64 of at least 16 bytes"
        )
    return raw


def _secrets_key(env: Mapping[str, str]) -> str | None:
    raw = env.get("DATAFLOW_SECRETS_KEY") or None
    if raw is not None:
        try:
            parse_key(raw, "DATAFLOW_SECRETS_KEY")
        except SecretsKeyError as exc:
            raise ConfigError(str(exc)) from None
    return raw


@dataclass(frozen=True)
class Settings:
    listen: str = "127.0.0.1:50051"
    # The REST/JSON API's address; "" serves gRPC only. DATAFLOW_HTTP_LISTEN defaults
    # to 127.0.0.1:8080; Settings built in code (tests, embedding) opt in explicitly.
    http_listen: str = ""
    # Comment lines on idle server-sent event streams, so proxies keep them open.
    sse_keepalive_seconds: float = 15.0
    data_dir: Path = field(default_factory=lambda: Path("data"))
    database_url: str | None = None  # None: SQLite in data_dir
    # The default tenant's signing secret, fixed (None: generated on first need and
    # stored, like every other tenant's).
    webhook_secret: str | None = None
    # How long a replaced secret keeps signing after a rotation.
    webhook_secret_rotation_hours: float = 24.0
    # Base64 of the 32-byte key secrets are encrypted under; None: the data dir's
    # generated key file (vault/keys.py).
    secrets_key: str | None = field(default=None, repr=False)
    # The OpenAI account of tasks whose tenant set no `openai_api_key` secret
    # (OPENAI_API_KEY, OPENAI_BASE_URL; "" = none / api.openai.com).
    openai_api_key: str = field(default="", repr=False)
    openai_base_url: str = ""
    allow_private_networks: bool = False
    lease_seconds: float = 30.0
    # Executions in flight in this process (each a coroutine; beyond it they
    # wait in the durable queue). Per-resource bounds below.
    max_in_flight: int = 10_000
    openai_max_concurrent: int = 16
    openai_requests_per_minute: float = 500.0
    http_max_concurrent: int = 64
    shutdown_grace_seconds: float = 30.0
    webhook_retry_schedule: tuple[float, ...] = DEFAULT_WEBHOOK_RETRY_SCHEDULE
    webhook_timeout_seconds: float = 15.0
    sqlite_driver: str = "aiosqlite"  # or "inline" (faster; docs/performance.md)
    event_loop: str = "uvloop"  # or "asyncio"
    max_file_bytes: int = 512 * 1024 * 1024
    # Response-body cap of http.request (issue 4, SSRF-guarded client).
    max_http_response_bytes: int = 10 * 1024 * 1024
    # What keeps every execution readable by a default client (domain/limits.py).
    max_value_bytes: int = DEFAULT_DATA_LIMITS.max_value_bytes
    max_execution_bytes: int = DEFAULT_DATA_LIMITS.max_execution_bytes
    max_definition_bytes: int = DEFAULT_LIMITS.max_definition_bytes
    # TLS on both edges when the certificate and key are set; client certificates
    # signed by the client CA are then required (mTLS). Checked by tls.py.
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None
    tls_client_ca_file: Path | None = None
    # API keys (issue 15): "required", "off", or None: off while every listen address
    # is loopback, else the server refuses to start (auth_mode.py).
    auth: str | None = None
    key_rate_limit: float | None = None  # requests/s per key; None: unlimited
    key_rate_burst: float | None = None  # None: one second's worth (at least 1)
    key_cache_seconds: float = 5.0  # how long a revoked key may still be accepted

    def listen_addresses(self) -> list[tuple[str, str]]:
        """Every address the server will listen on, with the variable that sets it."""
        addresses = [(self.listen, "DATAFLOW_LISTEN")]
        if self.http_listen:
            addresses.append((self.http_listen, "DATAFLOW_HTTP_LISTEN"))
        return addresses

    # Web console sessions (docs/ui.md, "Signing in"): ended after this long without a
    # request, and this long after sign-in in any case.
    ui_session_idle_seconds: float = 2 * 3600.0
    ui_session_max_seconds: float = 12 * 3600.0

    @property
    def ui_session_lifetime(self) -> SessionLifetime:
        return SessionLifetime(
            idle=timedelta(seconds=self.ui_session_idle_seconds),
            absolute=timedelta(seconds=self.ui_session_max_seconds),
        )

    @property
    def data_limits(self) -> DataLimits:
        return DataLimits(self.max_value_bytes, self.max_execution_bytes)

    @property
    def definition_limits(self) -> Limits:
        return replace(DEFAULT_LIMITS, max_definition_bytes=self.max_definition_bytes)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        return cls(
            listen=e.get("DATAFLOW_LISTEN") or "127.0.0.1:50051",
            http_listen=e.get("DATAFLOW_HTTP_LISTEN", "127.0.0.1:8080").strip(),
            sse_keepalive_seconds=_positive_float(e, "DATAFLOW_SSE_KEEPALIVE_SECONDS", 15.0),
            data_dir=Path(e.get("DATAFLOW_DATA_DIR") or "data"),
            database_url=e.get("DATAFLOW_DATABASE_URL") or None,
            webhook_secret=_webhook_secret(e),
            webhook_secret_rotation_hours=_positive_float(
                e, "DATAFLOW_WEBHOOK_SECRET_ROTATION_HOURS", 24.0
            ),
            secrets_key=_secrets_key(e),
            openai_api_key=(e.get("OPENAI_API_KEY") or "").strip(),
            openai_base_url=(e.get("OPENAI_BASE_URL") or "").strip(),
            allow_private_networks=_bool(e, "DATAFLOW_ALLOW_PRIVATE_NETWORKS", False),
            lease_seconds=_positive_float(e, "DATAFLOW_LEASE_SECONDS", 30.0),
            # DATAFLOW_WORKERS: the earlier name of the same bound.
            max_in_flight=_positive_int(
                e,
                "DATAFLOW_MAX_IN_FLIGHT" if e.get("DATAFLOW_MAX_IN_FLIGHT") else "DATAFLOW_WORKERS",
                10_000,
            ),
            openai_max_concurrent=_positive_int(e, "DATAFLOW_OPENAI_MAX_CONCURRENT", 16),
            openai_requests_per_minute=_positive_float(
                e, "DATAFLOW_OPENAI_REQUESTS_PER_MINUTE", 500.0
            ),
            http_max_concurrent=_positive_int(e, "DATAFLOW_HTTP_MAX_CONCURRENT", 64),
            shutdown_grace_seconds=_positive_float(e, "DATAFLOW_SHUTDOWN_GRACE_SECONDS", 30.0),
            webhook_retry_schedule=_schedule(e, "DATAFLOW_WEBHOOK_RETRY_SCHEDULE"),
            webhook_timeout_seconds=_positive_float(e, "DATAFLOW_WEBHOOK_TIMEOUT_SECONDS", 15.0),
            sqlite_driver=_choice(e, "DATAFLOW_SQLITE_DRIVER", ("aiosqlite", "inline")),
            event_loop=_choice(e, "DATAFLOW_EVENT_LOOP", ("uvloop", "asyncio")),
            max_file_bytes=_positive_int(e, "DATAFLOW_MAX_FILE_BYTES", 512 * 1024 * 1024),
            max_http_response_bytes=_positive_int(
                e, "DATAFLOW_HTTP_MAX_RESPONSE_BYTES", 10 * 1024 * 1024
            ),
            max_value_bytes=_positive_int(
                e, "DATAFLOW_MAX_VALUE_BYTES", DEFAULT_DATA_LIMITS.max_value_bytes
            ),
            max_execution_bytes=_positive_int(
                e, "DATAFLOW_MAX_EXECUTION_BYTES", DEFAULT_DATA_LIMITS.max_execution_bytes
            ),
            max_definition_bytes=_positive_int(
                e, "DATAFLOW_MAX_DEFINITION_BYTES", DEFAULT_LIMITS.max_definition_bytes
            ),
            tls_cert_file=_path(e, "DATAFLOW_TLS_CERT_FILE"),
            tls_key_file=_path(e, "DATAFLOW_TLS_KEY_FILE"),
            tls_client_ca_file=_path(e, "DATAFLOW_TLS_CLIENT_CA_FILE"),
            auth=_auth(e),
            key_rate_limit=_optional_positive_float(e, "DATAFLOW_KEY_RATE_LIMIT"),
            key_rate_burst=_optional_positive_float(e, "DATAFLOW_KEY_RATE_BURST"),
            key_cache_seconds=_positive_float(e, "DATAFLOW_KEY_CACHE_SECONDS", 5.0),
            ui_session_idle_seconds=_positive_float(
                e, "DATAFLOW_UI_SESSION_IDLE_SECONDS", 2 * 3600.0
            ),
            ui_session_max_seconds=_positive_float(
                e, "DATAFLOW_UI_SESSION_MAX_SECONDS", 12 * 3600.0
            ),
        )
