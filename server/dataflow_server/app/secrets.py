"""Secret use cases: set (create or replace), list names, delete, and the check that
the secrets a definition references exist in the caller's tenant."""

from __future__ import annotations

import base64
import binascii
from collections import OrderedDict

from ..domain.access import Caller
from ..domain.definitions import WorkflowDefinition
from ..domain.errors import FieldViolation, InvalidArgument
from ..domain.records import Page
from ..domain.secrets import (
    MAX_SECRETS_PER_TENANT,
    SecretRecord,
    checked_secret_name,
    checked_secret_value,
)
from ..domain.validation import secret_references
from ..store.secrets import SqlSecretStore
from .pagination import checked_page_size

__all__ = ["Secrets"]

_MAX_TOKEN_CHARS = 200
_CACHED_DEFINITIONS = 1024


class Secrets:
    def __init__(self, store: SqlSecretStore, most: int = MAX_SECRETS_PER_TENANT) -> None:
        self._store = store
        self._most = most
        # Definitions are immutable: their references are found once (ExecuteWorkflow
        # checks them on each call). Keyed by identity, the definition kept alive.
        self._references: OrderedDict[int, tuple[WorkflowDefinition, dict[str, str]]] = (
            OrderedDict()
        )

    async def set(self, caller: Caller, name: str, value: str) -> SecretRecord:
        checked_secret_name(name)
        checked_secret_value(value)
        return await self._store.put(caller.tenant_id, name, value, self._most)

    async def list(self, caller: Caller, page_size: int, page_token: str) -> Page[SecretRecord]:
        size = checked_page_size(page_size)
        after = _decode_token(page_token)
        # One more than asked says whether there is a next page.
        found = await self._store.page(caller.tenant_id, size + 1, after)
        items = tuple(found[:size])
        more = len(found) > size
        return Page(items, _encode_token(items[-1].name) if more else None)

    async def delete(self, caller: Caller, name: str) -> None:
        checked_secret_name(name)
        await self._store.remove(caller.tenant_id, name)

    async def check_referenced(
        self, tenant_id: str, definition: WorkflowDefinition, field: str | None = None
    ) -> None:
        """INVALID_ARGUMENT when a `{{secrets.NAME}}` of the definition is not set in
        the tenant: at the reference's path, or at `field` (ExecuteWorkflow's
        `workflow_id`) naming that path."""
        references = self._references_of(definition)
        if not references:
            return
        missing = await self._store.missing(tenant_id, set(references.values()))
        violations = [
            FieldViolation(
                field or path,
                f"{path + ' ' if field else ''}references secret {name!r}, which is not set "
                f"in this tenant: set it first (dataflow secrets set {name})",
            )
            for path, name in references.items()
            if name in missing
        ]
        if violations:
            raise InvalidArgument(violations)

    def _references_of(self, definition: WorkflowDefinition) -> dict[str, str]:
        cached = self._references.get(id(definition))
        if cached is not None and cached[0] is definition:
            self._references.move_to_end(id(definition))
            return cached[1]
        references = secret_references(definition)
        self._references[id(definition)] = (definition, references)
        if len(self._references) > _CACHED_DEFINITIONS:
            self._references.popitem(last=False)
        return references


def _encode_token(name: str) -> str:
    return base64.urlsafe_b64encode(name.encode()).decode().rstrip("=")


def _decode_token(token: str) -> str | None:
    if not token:
        return None
    invalid = InvalidArgument.single(
        "page_token", "invalid page token: pass the next_page_token of a previous page"
    )
    if len(token) > _MAX_TOKEN_CHARS:
        raise invalid
    try:
        name = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid from None
    try:
        return checked_secret_name(name)
    except InvalidArgument:
        raise invalid from None
