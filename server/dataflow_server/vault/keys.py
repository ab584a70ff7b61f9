"""The key secrets are encrypted under: DATAFLOW_SECRETS_KEY, else a key file.

The key is 32 random bytes (AES-256), written as base64. Without
DATAFLOW_SECRETS_KEY the server generates one at first start into
`<data dir>/secrets.key`, created with permissions 0600, and refuses to start
when that file is readable or writable by anyone but its owner, or does not
hold a key. Servers sharing one database (replicas) must share the key: set
DATAFLOW_SECRETS_KEY on each of them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

__all__ = ["KEY_BYTES", "KEY_FILE_NAME", "SecretsKey", "SecretsKeyError", "load_key", "parse_key"]

KEY_BYTES = 32
KEY_FILE_NAME = "secrets.key"


class SecretsKeyError(ValueError):
    """The configured key cannot be used; the message says what to do."""


@dataclass(frozen=True, slots=True, repr=False)
class SecretsKey:
    """Key material and where it came from (for messages; never the key itself)."""

    material: bytes
    source: str

    @property
    def key_id(self) -> str:
        """A short fingerprint stored beside each ciphertext, so that a value written
        under another key is reported as such instead of as corrupt."""
        return hashlib.sha256(b"dataflow-secrets-key-id\0" + self.material).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"SecretsKey(source={self.source!r}, key_id={self.key_id!r})"


def parse_key(text: str, source: str) -> SecretsKey:
    """A key from its base64 text (standard or URL-safe alphabet, padding optional)."""
    raw = text.strip()
    try:
        material = base64.b64decode(
            raw.replace("-", "+").replace("_", "/") + "=" * (-len(raw) % 4), validate=True
        )
    except (binascii.Error, ValueError):
        material = b""
    if len(material) != KEY_BYTES:
        raise SecretsKeyError(
            f"{source} must be the base64 of {KEY_BYTES} random bytes "
            f"(e.g. the output of: openssl rand -base64 {KEY_BYTES})"
        )
    return SecretsKey(material, source)


def load_key(configured: str | None, data_dir: Path) -> SecretsKey:
    """DATAFLOW_SECRETS_KEY when set, else the data dir's key file (created if absent)."""
    if configured:
        return parse_key(configured, "DATAFLOW_SECRETS_KEY")
    path = data_dir / KEY_FILE_NAME
    _create_if_absent(path)
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        raise SecretsKeyError(f"the secrets key file {path} is not a regular file")
    if mode & 0o077:
        raise SecretsKeyError(
            f"the secrets key file {path} is accessible by other users "
            f"(mode {stat.S_IMODE(mode):04o}); run: chmod 600 {path}"
        )
    return parse_key(path.read_text(errors="replace"), f"the secrets key file {path}")


def _create_if_absent(path: Path) -> None:
    """Write a new random key with mode 0600 (O_EXCL: two starting servers keep one key)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as file:
        file.write(base64.b64encode(os.urandom(KEY_BYTES)).decode() + "\n")
        file.flush()
        os.fsync(file.fileno())
