"""Resource ids: a prefix and random lowercase letters and digits."""

from __future__ import annotations

import re
import secrets

__all__ = ["EXECUTION", "FILE", "WORKFLOW", "is_id", "new_id"]

WORKFLOW = "wf"
EXECUTION = "we"
FILE = "file"

_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_RANDOM_LENGTH = 12  # 36**12 ≈ 4.7e18: collisions are not a practical concern.
_PATTERN = re.compile(r"^(wf|we|file)-[a-z0-9]{8,64}$")


_SPACE = len(_ALPHABET) ** _RANDOM_LENGTH


def new_id(prefix: str) -> str:
    # One draw from the CSPRNG, written in base 36 (uniform over all 12-character ids).
    n = secrets.randbelow(_SPACE)
    chars = []
    for _ in range(_RANDOM_LENGTH):
        n, digit = divmod(n, len(_ALPHABET))
        chars.append(_ALPHABET[digit])
    return prefix + "-" + "".join(chars)


def is_id(value: str, prefix: str) -> bool:
    """Whether `value` is well-formed for `prefix` (ids are checked before any lookup)."""
    m = _PATTERN.match(value)
    return m is not None and m.group(1) == prefix
