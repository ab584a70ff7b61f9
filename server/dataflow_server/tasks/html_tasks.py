"""HTML task types (declarations)."""

from __future__ import annotations

from ..domain.definitions import RetryPolicy
from ..domain.task_types import FieldSpec, TaskTypeSpec
from ..domain.values import ValueType

__all__ = ["SPECS"]

# Local and deterministic: a retry would fail the same way.
_NO_RETRY = RetryPolicy(
    max_attempts=1, initial_backoff_seconds=1.0, backoff_multiplier=2.0, max_backoff_seconds=30.0
)

EXTRACT_TEXT = TaskTypeSpec(
    name="html.extract_text",
    description="Extracts the readable text and the title of an HTML document.",
    inputs=(FieldSpec("html", ValueType.TEXT, "The HTML document.", True),),
    outputs=(
        FieldSpec("text", ValueType.TEXT, "The visible text, without markup, scripts or styles."),
        FieldSpec("title", ValueType.TEXT, "The document's <title>, or empty."),
    ),
    default_retry=_NO_RETRY,
    default_timeout_seconds=30.0,
)

SPECS: tuple[TaskTypeSpec, ...] = (EXTRACT_TEXT,)
