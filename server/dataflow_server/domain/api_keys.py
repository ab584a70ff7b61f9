"""API keys: their format, their hash, and what a key grants (pure; no I/O).

A key looks like ``dfk_`` + 32 base62 characters of randomness + 6 base62
characters of checksum, like GitHub's tokens:

- the prefix lets secret scanners (GitHub push protection, trufflehog,
  gitleaks) find a leaked key by pattern alone;
- 32 characters from 62 are ~190 bits from the CSPRNG, far past guessing;
- the CRC32 of the prefix and random part, in base62, catches a mistyped or
  truncated key before any database lookup (and lets scanners drop false
  positives). It is not a signature: it protects from typos, not forgers.

Only `hash_key(key)` is stored. SHA-256, not a slow password hash (bcrypt,
argon2), on purpose: a slow hash protects low-entropy secrets people choose;
with 190 random bits a preimage search is hopeless even at GPU speed, and a
fast deterministic hash lets each request find its key by an indexed equality
lookup instead of trying every row.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
import zlib
from dataclasses import dataclass
from datetime import datetime

from .access import Caller, Scope
from .errors import InvalidArgument, Unauthenticated

__all__ = [
    "KEY_PREFIX",
    "ApiKeyRecord",
    "checked_key",
    "checked_tenant_name",
    "hash_key",
    "new_key",
    "scope_named",
]

KEY_PREFIX = "dfk_"
_ALPHABET = string.digits + string.ascii_letters  # base62
_RANDOM_CHARS = 32  # 62**32 ≈ 2**190
_CHECKSUM_CHARS = 6  # 62**6 > 2**32: any CRC32 fits
_KEY = re.compile(rf"^{KEY_PREFIX}[0-9A-Za-z]{{{_RANDOM_CHARS + _CHECKSUM_CHARS}}}$")
_FORM = f"{KEY_PREFIX} followed by {_RANDOM_CHARS + _CHECKSUM_CHARS} letters and digits"

# Tenant names appear in URLs, logs and file paths of operators: keep them plain.
_TENANT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


def _base62(n: int, width: int) -> str:
    chars = []
    for _ in range(width):
        n, digit = divmod(n, len(_ALPHABET))
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))


def _checksum(body: str) -> str:
    return _base62(zlib.crc32(body.encode("ascii")), _CHECKSUM_CHARS)


def new_key() -> str:
    """A fresh key (shown once to its creator; only its hash is kept)."""
    body = KEY_PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(_RANDOM_CHARS))
    return body + _checksum(body)


def hash_key(key: str) -> str:
    """What is stored and looked up: the hex SHA-256 of the key (see the module doc)."""
    return hashlib.sha256(key.encode("ascii")).hexdigest()


def checked_key(key: str) -> str:
    """`key` if it is well-formed with a valid checksum, else Unauthenticated.

    The messages never quote the key: it may be a real one, sent to the wrong place.
    """
    if not _KEY.match(key):
        raise Unauthenticated(f"the API key is malformed: Dataflow keys are {_FORM}")
    body, checksum = key[:-_CHECKSUM_CHARS], key[-_CHECKSUM_CHARS:]
    if not secrets.compare_digest(_checksum(body), checksum):
        raise Unauthenticated(
            "the API key is mistyped or truncated (its checksum does not match); "
            "copy it again from where it was stored"
        )
    return key


def checked_tenant_name(name: str) -> str:
    """`name` if it is a valid tenant name, else InvalidArgument on `tenant`."""
    if not _TENANT.match(name):
        raise InvalidArgument.single(
            "tenant",
            "must be 1 to 63 lowercase letters, digits, '-' or '_', starting with a letter "
            "or digit",
        )
    return name


def scope_named(label: str) -> Scope:
    """'read' | 'execute' | 'admin' → Scope, else InvalidArgument on `scope`."""
    try:
        return Scope[label.upper()]
    except KeyError:
        raise InvalidArgument.single(
            "scope", f"must be one of {', '.join(s.label for s in Scope)}"
        ) from None


@dataclass(frozen=True, slots=True)
class ApiKeyRecord:
    """A stored key (never its secret). `rate_limit`: requests per second, None: the default."""

    key_id: str
    tenant_id: str
    name: str
    scope: Scope
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None
    rate_limit: float | None = None

    def caller_at(self, now: datetime) -> Caller:
        """The caller this key makes at `now`; Unauthenticated if revoked or expired."""
        if self.revoked_at is not None and self.revoked_at <= now:
            raise Unauthenticated(f"the API key {self.key_id} was revoked; ask for a new one")
        if self.expires_at is not None and self.expires_at <= now:
            raise Unauthenticated(
                f"the API key {self.key_id} expired at "
                f"{self.expires_at.isoformat(timespec='seconds')}; ask for a new one"
            )
        return Caller(tenant_id=self.tenant_id, scope=self.scope, key_id=self.key_id)
