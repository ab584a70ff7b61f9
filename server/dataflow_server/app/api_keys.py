"""Managing API keys: issue, list, revoke (`dataflow-server keys …`).

The new key is returned once, to be shown once; only its hash is stored.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from ..domain import ids
from ..domain.api_keys import (
    ApiKeyRecord,
    checked_tenant_name,
    hash_key,
    new_key,
    scope_named,
)
from ..domain.errors import FieldViolation, InvalidArgument, NotFound

__all__ = ["KeyAdmin", "issue_key", "revoke_key"]

_MAX_NAME_CHARS = 200
_MAX_EXPIRY_DAYS = 36_500


class KeyAdmin(Protocol):
    """What managing keys needs of storage (store/api_keys.py `ApiKeyStore`)."""

    def now(self) -> datetime: ...

    async def create(self, record: ApiKeyRecord, key_hash: str) -> ApiKeyRecord: ...

    async def get(self, key_id: str) -> ApiKeyRecord | None: ...

    async def revoke(self, key_id: str, at: datetime) -> bool: ...


async def issue_key(
    keys: KeyAdmin,
    *,
    tenant: str,
    scope: str = "execute",
    name: str = "",
    expires_days: float | None = None,
    rate_limit: float | None = None,
) -> tuple[ApiKeyRecord, str]:
    """A new key for `tenant`; InvalidArgument naming the option that is wrong."""
    violations: list[FieldViolation] = []
    for check in (
        lambda: checked_tenant_name(tenant),
        lambda: scope_named(scope),
        lambda: _checked_name(name),
        lambda: _checked_positive("expires", expires_days, _MAX_EXPIRY_DAYS),
        lambda: _checked_positive("rate_limit", rate_limit, 1e9),
    ):
        try:
            check()
        except InvalidArgument as exc:
            violations.extend(exc.violations)
    if violations:
        raise InvalidArgument(violations)
    now = keys.now()
    record = ApiKeyRecord(
        key_id=ids.new_id(ids.API_KEY),
        tenant_id=tenant,
        name=name,
        scope=scope_named(scope),
        created_at=now,
        expires_at=None if expires_days is None else now + timedelta(days=expires_days),
        rate_limit=rate_limit,
    )
    secret = new_key()
    await keys.create(record, hash_key(secret))
    return record, secret


async def revoke_key(keys: KeyAdmin, key_id: str) -> tuple[ApiKeyRecord, bool]:
    """The key, revoked now (True) or already revoked before (False); NotFound if none."""
    ids.checked_id(key_id, ids.API_KEY, "id")
    revoked = await keys.revoke(key_id, keys.now())
    record = await keys.get(key_id)
    if record is None:
        raise NotFound(f"API key {key_id} not found")
    return record, revoked


def _checked_name(name: str) -> None:
    if len(name) > _MAX_NAME_CHARS or not name.isprintable():
        raise InvalidArgument.single(
            "name", f"must be at most {_MAX_NAME_CHARS} printable characters"
        )


def _checked_positive(field: str, value: float | None, limit: float) -> None:
    if value is not None and not 0 < value <= limit:
        raise InvalidArgument.single(field, f"must be a number > 0 and at most {limit:g}")
