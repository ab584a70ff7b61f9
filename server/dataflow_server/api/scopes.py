"""The scope each RPC needs, read from the protos' `dataflow.v1.required_scope` option.

gRPC and HTTP check the same table, so a method's requirement is written once,
in its proto.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from google.protobuf.descriptor import MethodDescriptor

from dataflow.v1 import access_pb2
from dataflow.v1 import execution_service_pb2 as _execution
from dataflow.v1 import file_service_pb2 as _file
from dataflow.v1 import secret_service_pb2 as _secret
from dataflow.v1 import webhook_service_pb2 as _webhook
from dataflow.v1 import workflow_service_pb2 as _workflow

from ..domain.access import Scope

__all__ = ["method_scopes", "required_scope"]

_SERVICE_FILES = (_execution, _file, _secret, _webhook, _workflow)


def required_scope(method: MethodDescriptor) -> Scope | None:
    """The method's declared scope; None when it declares none (callers refuse it)."""
    value = method.GetOptions().Extensions[access_pb2.required_scope]
    return Scope(value) if value else None


@cache
def method_scopes() -> Mapping[str, Scope | None]:
    """'/dataflow.v1.Service/Method' (gRPC's method path) → its required scope."""
    return {
        f"/{service.full_name}/{method.name}": required_scope(method)
        for module in _SERVICE_FILES
        for service in module.DESCRIPTOR.services_by_name.values()
        for method in service.methods
    }
