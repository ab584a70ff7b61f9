"""Workflow use cases: validate definitions, then store immutable versions.

Every use case takes the `Caller` and reads and writes only its tenant's rows.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from ..domain import ids
from ..domain.access import Caller
from ..domain.definitions import WorkflowDefinition, definition_from_dict
from ..domain.errors import InvalidArgument
from ..domain.limits import DEFAULT_DATA_LIMITS, DataLimits, workflow_size
from ..domain.records import Page, WorkflowRecord
from ..domain.task_types import TaskTypeSpec
from ..domain.validation import DEFAULT_LIMITS, Limits, validate_definition
from ..store.interface import Store
from .pagination import bounded_page, checked_page_size

__all__ = ["SecretCheck", "WorkflowCatalog", "checked_workflow_id"]

# Secrets.check_referenced: (tenant, definition, field) → INVALID_ARGUMENT when a
# referenced secret is not set in the tenant.
SecretCheck = Callable[[str, WorkflowDefinition, str | None], Awaitable[None]]


def checked_workflow_id(workflow_id: str, field: str = "workflow_id") -> str:
    """INVALID_ARGUMENT for a blank or malformed id (the lookup of a well-formed
    one that names nothing answers NOT_FOUND)."""
    return ids.checked_id(workflow_id, ids.WORKFLOW, field)


class WorkflowCatalog:
    def __init__(
        self,
        store: Store,
        task_types: Mapping[str, TaskTypeSpec],
        limits: Limits = DEFAULT_LIMITS,
        data_limits: DataLimits = DEFAULT_DATA_LIMITS,
        check_secrets: SecretCheck | None = None,
    ) -> None:
        self._store = store
        self._check_secrets = check_secrets
        self._task_types = task_types
        self._limits = limits
        self._page_bytes = data_limits.max_page_bytes

    @property
    def task_types(self) -> Mapping[str, TaskTypeSpec]:
        return self._task_types

    async def _parse(self, raw: dict[str, Any] | None, tenant_id: str) -> WorkflowDefinition:
        if raw is None:
            raise InvalidArgument.single("workflow", "is required")
        definition = definition_from_dict(raw)
        validate_definition(definition, raw, self._task_types, self._limits)
        if self._check_secrets is not None:
            await self._check_secrets(tenant_id, definition, None)
        return definition

    async def create(self, caller: Caller, raw: dict[str, Any] | None) -> WorkflowRecord:
        definition = await self._parse(raw, caller.tenant_id)
        return await self._store.create_workflow(
            caller.tenant_id, ids.new_id(ids.WORKFLOW), definition
        )

    async def update(
        self, caller: Caller, workflow_id: str, raw: dict[str, Any] | None
    ) -> WorkflowRecord:
        checked_workflow_id(workflow_id)
        # Existence and state first: a missing workflow is NOT_FOUND even with a bad body.
        await self._store.get_workflow(caller.tenant_id, workflow_id)
        definition = await self._parse(raw, caller.tenant_id)
        return await self._store.add_workflow_version(caller.tenant_id, workflow_id, definition)

    async def get(self, caller: Caller, workflow_id: str, version: int = 0) -> WorkflowRecord:
        checked_workflow_id(workflow_id)
        if version < 0:
            raise InvalidArgument.single("workflow_version", "must not be negative")
        return await self._store.get_workflow(caller.tenant_id, workflow_id, version or None)

    async def list(
        self, caller: Caller, page_size: int, page_token: str, show_archived: bool
    ) -> Page[WorkflowRecord]:
        def fetch(size: int) -> Awaitable[Page[WorkflowRecord]]:
            return self._store.list_workflows(
                caller.tenant_id, size, page_token or None, show_archived
            )

        return await bounded_page(
            fetch, checked_page_size(page_size), self._page_bytes, workflow_size
        )

    async def archive(self, caller: Caller, workflow_id: str) -> WorkflowRecord:
        checked_workflow_id(workflow_id)
        return await self._store.archive_workflow(caller.tenant_id, workflow_id)
