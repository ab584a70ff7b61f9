"""Resource ids: a prefix and random lowercase letters and digits.

An id that cannot be one of ours (wrong prefix, other characters, too short
or too long) is a malformed request, told apart from a well-formed id that
names nothing (NOT_FOUND) before any lookup.
"""

from __future__ import annotations

import re
import secrets

from .errors import InvalidArgument, preview

__all__ = [
    "API_KEY",
    "EXECUTION",
    "FILE",
    "WORKFLOW",
    "checked_id",
    "expected_form",
    "is_id",
    "new_id",
]

WORKFLOW = "wf"
EXECUTION = "we"
FILE = "file"
API_KEY = "key"  # the public id of an API key (never the key itself)

_NOUNS = {WORKFLOW: "workflow", EXECUTION: "execution", FILE: "file", API_KEY: "API key"}
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_RANDOM_LENGTH = 12  # 36**12 ≈ 4.7e18: collisions are not a practical concern.
_MIN_RANDOM, _MAX_RANDOM = 8, 64
_PATTERN = re.compile(rf"^(wf|we|file|key)-[a-z0-9]{{{_MIN_RANDOM},{_MAX_RANDOM}}}$")


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


def expected_form(prefix: str) -> str:
    """How an id of `prefix` looks, for messages."""
    return (
        f"{prefix}- followed by {_MIN_RANDOM} to {_MAX_RANDOM} lowercase letters or digits "
        f"(like {prefix}-{'x' * _RANDOM_LENGTH})"
    )


def checked_id(value: str, prefix: str, field: str) -> str:
    """`value` if it is a well-formed id of `prefix`; else InvalidArgument on `field`
    (blank: "is required"; malformed: the expected form)."""
    if not value:
        raise InvalidArgument.single(field, "is required")
    if not is_id(value, prefix):
        raise InvalidArgument.single(
            field,
            f"{preview(value)} is not a {_NOUNS.get(prefix, prefix)} id: "
            f"expected {expected_form(prefix)}",
        )
    return value
