"""Declarations of task types: typed inputs and outputs, defaults. Pure data.

The task registry (`dataflow_server.tasks`) declares one `TaskTypeSpec` per
type; validation receives them as a mapping, so the domain never imports
task implementations.
"""

from __future__ import annotations

from dataclasses import dataclass

from .definitions import RetryPolicy
from .values import JsonValue, ValueType

__all__ = ["DEFAULT_RETRY", "FieldSpec", "TaskTypeSpec"]

DEFAULT_RETRY = RetryPolicy(
    max_attempts=3, initial_backoff_seconds=1.0, backoff_multiplier=2.0, max_backoff_seconds=60.0
)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One typed input or output of a task type."""

    name: str
    type: ValueType
    description: str = ""
    required: bool = False
    default: JsonValue = None
    allowed_values: tuple[JsonValue, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    # An input that may reference `{{secrets.NAME}}` (an API key, HTTP headers):
    # the only places a secret can go. `secret_only`: it must be such a reference
    # (a credential written in a definition would be stored and shown).
    accepts_secrets: bool = False
    secret_only: bool = False


@dataclass(frozen=True, slots=True)
class TaskTypeSpec:
    name: str
    description: str
    inputs: tuple[FieldSpec, ...]
    outputs: tuple[FieldSpec, ...]
    default_retry: RetryPolicy = DEFAULT_RETRY
    default_timeout_seconds: float = 300.0
    # Pure: computed in-process from its inputs alone, quickly, with no side
    # effect. The engine may run such a task before its task.running event is
    # committed and commit its events together with the next step's (one
    # transaction instead of two per task); a crash before that commit simply
    # runs it again, which nobody can tell from running it once.
    pure: bool = False
    # The resource an attempt uses (`engine.limits`): attempts of types sharing a
    # resource share its concurrency and rate bounds. "": bounded by nothing but
    # the process's cap on executions in flight.
    resource: str = ""

    def input(self, name: str) -> FieldSpec | None:
        return next((f for f in self.inputs if f.name == name), None)

    def output(self, name: str) -> FieldSpec | None:
        return next((f for f in self.outputs if f.name == name), None)
