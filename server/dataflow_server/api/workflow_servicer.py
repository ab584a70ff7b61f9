"""dataflow.v1.WorkflowService: proto ⇄ use cases."""

from __future__ import annotations

from typing import Any

from dataflow.v1 import workflow_service_pb2 as pb
from dataflow.v1 import workflow_service_pb2_grpc as pb_grpc

from ..app.workflows import WorkflowCatalog
from .caller import current_caller
from .convert import task_type_to_proto, workflow_definition_dict, workflow_to_proto

__all__ = ["WorkflowServicer"]

Context = Any  # grpc.aio.ServicerContext


class WorkflowServicer(pb_grpc.WorkflowServiceServicer):
    def __init__(self, catalog: WorkflowCatalog) -> None:
        self._catalog = catalog

    async def CreateWorkflow(
        self, request: pb.CreateWorkflowRequest, context: Context
    ) -> pb.CreateWorkflowResponse:
        raw = workflow_definition_dict(request.workflow) if request.HasField("workflow") else None
        record = await self._catalog.create(current_caller(), raw)
        return pb.CreateWorkflowResponse(
            workflow_id=record.workflow_id, workflow_version=record.version
        )

    async def GetWorkflow(
        self, request: pb.GetWorkflowRequest, context: Context
    ) -> pb.GetWorkflowResponse:
        record = await self._catalog.get(
            current_caller(), request.workflow_id, request.workflow_version
        )
        return pb.GetWorkflowResponse(workflow=workflow_to_proto(record))

    async def ListWorkflows(
        self, request: pb.ListWorkflowsRequest, context: Context
    ) -> pb.ListWorkflowsResponse:
        page = await self._catalog.list(
            current_caller(), request.page_size, request.page_token, request.show_archived
        )
        return pb.ListWorkflowsResponse(
            workflows=[workflow_to_proto(r) for r in page.items],
            next_page_token=page.next_cursor or "",
        )

    async def UpdateWorkflow(
        self, request: pb.UpdateWorkflowRequest, context: Context
    ) -> pb.UpdateWorkflowResponse:
        raw = workflow_definition_dict(request.workflow) if request.HasField("workflow") else None
        record = await self._catalog.update(current_caller(), request.workflow_id, raw)
        return pb.UpdateWorkflowResponse(
            workflow_id=record.workflow_id, workflow_version=record.version
        )

    async def DeleteWorkflow(
        self, request: pb.DeleteWorkflowRequest, context: Context
    ) -> pb.DeleteWorkflowResponse:
        record = await self._catalog.archive(current_caller(), request.workflow_id)
        return pb.DeleteWorkflowResponse(workflow=workflow_to_proto(record))

    async def ListTaskTypes(
        self, request: pb.ListTaskTypesRequest, context: Context
    ) -> pb.ListTaskTypesResponse:
        specs = self._catalog.task_types
        return pb.ListTaskTypesResponse(
            task_types=[task_type_to_proto(specs[name]) for name in sorted(specs)]
        )
