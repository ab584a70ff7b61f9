"""Who is calling: the tenant and scope an API key grants (pure; no I/O).

The edges (gRPC and HTTP) turn credentials into a `Caller` in one shared
function and check the method's `required_scope` (a proto method option); the
use cases receive the `Caller` and read and write only its tenant's rows.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import PermissionDenied

__all__ = ["DEFAULT_TENANT", "LOCAL_CALLER", "Caller", "Scope"]

# The tenant of everything made while authentication is off (and of every row
# created before tenants existed).
DEFAULT_TENANT = "default"


class Scope(enum.IntEnum):
    """Ordered: each scope includes the ones below it (values match dataflow.v1.Scope)."""

    READ = 1
    EXECUTE = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated principal. `key_id` is None when authentication is off."""

    tenant_id: str
    scope: Scope
    key_id: str | None = None

    def allows(self, needed: Scope) -> bool:
        return self.scope >= needed

    def require(self, needed: Scope) -> None:
        """PermissionDenied unless this caller's scope includes `needed`."""
        if not self.allows(needed):
            raise PermissionDenied(
                f"this API key has scope {self.scope.label!r}; the operation needs {needed.label!r}"
            )


# Everything is allowed in the default tenant: the caller of a server with
# DATAFLOW_AUTH=off (loopback only unless the operator says otherwise).
LOCAL_CALLER = Caller(tenant_id=DEFAULT_TENANT, scope=Scope.ADMIN)
