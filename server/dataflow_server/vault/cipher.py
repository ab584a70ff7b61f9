"""Authenticated encryption of secret values: AES-256-GCM (`cryptography`).

Each value gets a fresh 96-bit random nonce; the tenant and the name are the
associated data, so a ciphertext copied to another row or tenant does not
decrypt. The key's id is stored beside the ciphertext: a value written under
another key is reported as such.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..domain.secrets import SecretUnavailable
from .keys import SecretsKey

__all__ = ["NONCE_BYTES", "Sealed", "SecretCipher"]

NONCE_BYTES = 12


@dataclass(frozen=True, slots=True)
class Sealed:
    """What is stored for one value."""

    ciphertext: bytes
    nonce: bytes
    key_id: str


class SecretCipher:
    def __init__(self, key: SecretsKey) -> None:
        self._aead = AESGCM(key.material)
        self._key = key

    @property
    def key_id(self) -> str:
        return self._key.key_id

    def seal(self, tenant_id: str, name: str, value: str) -> Sealed:
        nonce = os.urandom(NONCE_BYTES)
        data = self._aead.encrypt(nonce, value.encode("utf-8"), _associated(tenant_id, name))
        return Sealed(data, nonce, self._key.key_id)

    def open(self, tenant_id: str, name: str, sealed: Sealed) -> str:
        if sealed.key_id != self._key.key_id:
            raise SecretUnavailable(
                f"secret {name!r} was stored under another secrets key (key id {sealed.key_id}; "
                f"this server's, from {self._key.source}, is {self._key.key_id}): restore the "
                "key it was written with, or set the secret again"
            )
        try:
            data = self._aead.decrypt(sealed.nonce, sealed.ciphertext, _associated(tenant_id, name))
        except InvalidTag:
            raise SecretUnavailable(
                f"secret {name!r} does not decrypt with this server's secrets key: "
                "its stored value was altered; set the secret again"
            ) from None
        return data.decode("utf-8")


def _associated(tenant_id: str, name: str) -> bytes:
    return f"dataflow-secret\0{tenant_id}\0{name}".encode()
