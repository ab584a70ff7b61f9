"""Wording shared by the exception and the CLI. Imports nothing heavy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["headline"]


def headline(message: str, violations: Sequence[Any]) -> str:
    """An error's message, or ``"2 invalid fields"`` when it only lists its field
    violations (the server's default message does), so each is shown once."""
    if violations:
        first = violations[0]
        shown = f"{first.field}: {first.description}" if first.field else first.description
        if not message or message.startswith(shown):
            count = len(violations)
            return f"{count} invalid field{'s' if count > 1 else ''}"
    return message
