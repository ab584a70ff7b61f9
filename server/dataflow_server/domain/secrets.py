"""Secrets by reference: names, value rules and masking. Pure, no I/O.

A secret belongs to a tenant and is referenced from task inputs as
`{{secrets.NAME}}`. Its value is write-only: stored encrypted
(`vault/`), resolved only inside a running task, and masked wherever a task
would hand it back (outputs, error messages).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from .errors import InvalidArgument, preview
from .values import JsonValue

__all__ = [
    "MASK",
    "MAX_SECRETS_PER_TENANT",
    "MAX_SECRET_NAME_CHARS",
    "MAX_SECRET_VALUE_BYTES",
    "MIN_MASKED_CHARS",
    "OPENAI_API_KEY_SECRET",
    "OPENAI_BASE_URL_SECRET",
    "SecretRecord",
    "SecretSource",
    "SecretUnavailable",
    "checked_secret_name",
    "checked_secret_value",
    "mask",
    "mask_value",
]

MAX_SECRET_NAME_CHARS = 64
MAX_SECRET_VALUE_BYTES = 64 * 1024
MAX_SECRETS_PER_TENANT = 1000
# What a secret's value is replaced with wherever a task hands it back.
MASK = "***"
# Shorter values are not masked: replacing every "ab" in an output would garble
# it and hide nothing (such a value is guessable anyway). Documented in the README.
MIN_MASKED_CHARS = 4

# The secrets OpenAI tasks use when a tenant has set them (tasks/openai_tasks.py).
OPENAI_API_KEY_SECRET = "openai_api_key"
OPENAI_BASE_URL_SECRET = "openai_base_url"

# Identifier-like, as in `{{secrets.NAME}}` (domain/templates.py).
_NAME = re.compile(rf"[A-Za-z_][A-Za-z0-9_]{{0,{MAX_SECRET_NAME_CHARS - 1}}}")
_NAME_RULE = (
    f"must be a letter or '_' followed by letters, digits or '_', "
    f"at most {MAX_SECRET_NAME_CHARS} characters"
)


@dataclass(frozen=True, slots=True)
class SecretRecord:
    """A secret as it may be shown: never its value."""

    name: str
    created_at: datetime
    updated_at: datetime


class SecretUnavailable(Exception):
    """A stored value cannot be read with this server's key; the message says why
    and what to do (never the value)."""


class SecretSource(Protocol):
    """What a running task may read: its execution's tenant's clear values."""

    async def reveal(self, tenant_id: str, names: Collection[str]) -> dict[str, str]:
        """The values of the names that are set (absent ones are left out); raises
        SecretUnavailable when one cannot be decrypted."""
        ...


def checked_secret_name(name: str, field: str = "name") -> str:
    if not name:
        raise InvalidArgument.single(field, "is required")
    if not _NAME.fullmatch(name):
        raise InvalidArgument.single(field, f"{preview(name)} {_NAME_RULE}")
    return name


def checked_secret_value(value: str, field: str = "value") -> str:
    if not value:
        raise InvalidArgument.single(field, "is required (DeleteSecret removes a secret)")
    size = len(value.encode("utf-8"))
    if size > MAX_SECRET_VALUE_BYTES:
        raise InvalidArgument.single(
            field, f"is {size} bytes; a secret may be at most {MAX_SECRET_VALUE_BYTES} bytes"
        )
    return value


def mask(text: str, values: Collection[str]) -> str:
    """`text` with every occurrence of each value replaced by MASK (longest first,
    so a value containing another is masked whole)."""
    for value in sorted(values, key=len, reverse=True):
        if len(value) >= MIN_MASKED_CHARS and value in text:
            text = text.replace(value, MASK)
    return text


def mask_value(value: JsonValue, values: Collection[str]) -> JsonValue:
    """A JSON value with `mask` applied to every string in it, keys included."""
    if not values:
        return value
    if isinstance(value, str):
        return mask(value, values)
    if isinstance(value, list):
        return [mask_value(item, values) for item in value]
    if isinstance(value, Mapping):
        return {mask(str(k), values): mask_value(v, values) for k, v in value.items()}
    return value
