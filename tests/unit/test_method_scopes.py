"""Every RPC declares the scope a key needs (proto option `dataflow.v1.required_scope`)."""

from __future__ import annotations

import pytest

from dataflow_server.api.scopes import method_scopes
from dataflow_server.domain.access import LOCAL_CALLER, Caller, Scope
from dataflow_server.domain.errors import PermissionDenied


def test_every_method_declares_a_scope() -> None:
    scopes = method_scopes()
    assert len(scopes) >= 17
    assert {path for path, scope in scopes.items() if scope is None} == set()


def test_reads_need_read_and_definitions_need_admin() -> None:
    scopes = method_scopes()
    assert scopes["/dataflow.v1.ExecutionService/WatchExecution"] is Scope.READ
    assert scopes["/dataflow.v1.ExecutionService/ExecuteWorkflow"] is Scope.EXECUTE
    assert scopes["/dataflow.v1.WorkflowService/CreateWorkflow"] is Scope.ADMIN


def test_scopes_are_ordered() -> None:
    reader = Caller(tenant_id="t1", scope=Scope.READ, key_id="k1")
    reader.require(Scope.READ)
    with pytest.raises(PermissionDenied, match="needs 'execute'"):
        reader.require(Scope.EXECUTE)
    LOCAL_CALLER.require(Scope.ADMIN)
