"""The asyncio client."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, TypeVar, cast

import grpc
import grpc.aio

from dataflow.v1 import (
    execution_service_pb2,
    file_service_pb2,
    secret_service_pb2,
    webhook_service_pb2,
    workflow_service_pb2,
)

from . import _config, _convert
from ._config import TERMINAL_EVENT_TYPES, resolve_address
from ._connect import Transport, aio_channel
from ._convert import Definition, ExecutionStatusLike, FileLike, UploadSource, file_id_of
from ._errors import DataflowError, from_rpc_error
from ._files import Download, DownloadTarget, Upload
from ._model import (
    Execution,
    ExecutionEvent,
    File,
    Page,
    Secret,
    StartedExecution,
    TaskType,
    WebhookDelivery,
    WebhookSecret,
    Workflow,
    WorkflowRef,
)
from ._run import RunAttempts
from ._stubs import Stubs
from ._watch import WatchState

__all__ = ["AsyncDataflowClient"]

_R = TypeVar("_R")


class AsyncDataflowClient:
    """An asyncio client of the Dataflow API, with the methods of
    :class:`DataflowClient` as coroutines (``watch`` is an async iterator).

    Create it inside a running event loop; use ``async with``, or await
    :meth:`close`. ``api_key``, ``tls``, ``ca_file``, ``client_cert_file`` and
    ``client_key_file`` are those of :class:`DataflowClient`::

        async with AsyncDataflowClient() as client:
            ex = await client.execute(workflow_id, {"text": "Hello"})
            async for event in client.watch(ex.workflow_execution_id):
                print(event.sequence, event.type, event.status)
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        timeout: float | None = 30.0,
        options: Sequence[tuple[str, Any]] | None = None,
        api_key: str | None = None,
        tls: bool | None = None,
        ca_file: str | os.PathLike[str] | None = None,
        client_cert_file: str | os.PathLike[str] | None = None,
        client_key_file: str | os.PathLike[str] | None = None,
    ) -> None:
        self.address = resolve_address(address)
        self.timeout = timeout
        self._transport = Transport.resolve(
            api_key, tls, ca_file, client_cert_file, client_key_file
        )
        self._channel = aio_channel(
            self.address, [*_config.CHANNEL_OPTIONS, *(options or ())], self._transport
        )
        #: The generated stubs on this client's channel (raw messages in and out).
        self.stubs = Stubs.on(self._channel)

    # -- lifecycle ---------------------------------------------------------

    async def close(self) -> None:
        """Close the channel; calls in flight are cancelled."""
        await self._channel.close()

    async def __aenter__(self) -> AsyncDataflowClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"AsyncDataflowClient({self.address!r})"

    async def _unary(
        self, method: Any, request: Any, response_type: type[_R], timeout: float | None = None
    ) -> _R:
        """Call a unary method with the client's deadline; ``response_type`` types the result."""
        try:
            response = await method(request, timeout=self.timeout if timeout is None else timeout)
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        return cast(_R, response)

    # -- workflows ---------------------------------------------------------

    async def create_workflow(self, definition: Definition) -> WorkflowRef:
        """Validate a definition and store it as version 1 (it is not run)."""
        request = workflow_service_pb2.CreateWorkflowRequest(
            workflow=_convert.to_workflow(definition)
        )
        return WorkflowRef.from_proto(
            await self._unary(
                self.stubs.workflows.CreateWorkflow,
                request,
                workflow_service_pb2.CreateWorkflowResponse,
            )
        )

    async def update_workflow(self, workflow_id: str, definition: Definition) -> WorkflowRef:
        """Store a complete new definition as the workflow's next version."""
        request = workflow_service_pb2.UpdateWorkflowRequest(
            workflow_id=workflow_id, workflow=_convert.to_workflow(definition)
        )
        return WorkflowRef.from_proto(
            await self._unary(
                self.stubs.workflows.UpdateWorkflow,
                request,
                workflow_service_pb2.UpdateWorkflowResponse,
            )
        )

    async def get_workflow(self, workflow_id: str, version: int = 0) -> Workflow:
        """The latest version of a workflow, or ``version`` when not 0."""
        request = workflow_service_pb2.GetWorkflowRequest(
            workflow_id=workflow_id, workflow_version=version
        )
        response = await self._unary(
            self.stubs.workflows.GetWorkflow, request, workflow_service_pb2.GetWorkflowResponse
        )
        return Workflow.from_proto(response.workflow)

    async def list_workflows(
        self, page_size: int = 0, page_token: str = "", *, show_archived: bool = False
    ) -> Page[Workflow]:
        """One page of workflows, newest first (``page_size`` 0: server default)."""
        request = _convert.list_workflows_request(page_size, page_token, show_archived)
        return _convert.workflow_page(
            await self._unary(
                self.stubs.workflows.ListWorkflows,
                request,
                workflow_service_pb2.ListWorkflowsResponse,
            )
        )

    async def iter_workflows(
        self, page_size: int = 0, *, show_archived: bool = False
    ) -> AsyncIterator[Workflow]:
        """Every workflow, newest first, fetching pages as needed."""
        token = ""
        while True:
            page = await self.list_workflows(page_size, token, show_archived=show_archived)
            for workflow in page:
                yield workflow
            token = page.next_page_token
            if not token:
                return

    async def delete_workflow(self, workflow_id: str) -> Workflow:
        """Archive a workflow; returns it (latest version, ARCHIVED)."""
        request = workflow_service_pb2.DeleteWorkflowRequest(workflow_id=workflow_id)
        response = await self._unary(
            self.stubs.workflows.DeleteWorkflow,
            request,
            workflow_service_pb2.DeleteWorkflowResponse,
        )
        return Workflow.from_proto(response.workflow)

    async def list_task_types(self) -> list[TaskType]:
        """Every task type a definition can use, sorted by name."""
        request = workflow_service_pb2.ListTaskTypesRequest()
        response = await self._unary(
            self.stubs.workflows.ListTaskTypes, request, workflow_service_pb2.ListTaskTypesResponse
        )
        return [TaskType.from_proto(t) for t in response.task_types]

    # -- executions --------------------------------------------------------

    async def execute(
        self,
        workflow_id: str,
        inputs: Mapping[str, Any] | None = None,
        webhook: str | None = None,
        request_id: str | None = None,
        wait: float | None = None,
    ) -> StartedExecution:
        """Queue an execution of the workflow's latest version (PENDING).

        With ``wait`` (seconds, at most 60), the server answers once the execution
        has ended or the wait ran out, with the execution in ``execution``."""
        request = _convert.execute_request(workflow_id, inputs, webhook, request_id, wait)
        return StartedExecution.from_proto(
            await self._unary(
                self.stubs.executions.ExecuteWorkflow,
                request,
                execution_service_pb2.ExecuteWorkflowResponse,
                None if wait is None else wait + _config.RUN_ANSWER_SLACK_SECONDS,
            )
        )

    async def run(
        self,
        workflow_id: str,
        inputs: Mapping[str, Any] | None = None,
        webhook: str | None = None,
        request_id: str | None = None,
        timeout: float | None = None,
    ) -> Execution:
        """Execute the workflow and return the execution once it has ended
        (COMPLETED with its outputs, FAILED with its error, or CANCELLED: an
        outcome, not an exception).

        One call while the execution ends within a minute (ExecuteWorkflow with
        ``wait``); beyond that, it follows the execution's terminal event. The
        call carries ``request_id`` (a random one unless given) and is repeated
        after UNAVAILABLE (up to 8 times, 0.2 to 5 s apart) with it: a repeat
        returns the same execution, never a second one. Raises
        :class:`DataflowError` on a refusal, and DEADLINE_EXCEEDED after
        ``timeout`` seconds (the execution goes on; to retry a run that raised,
        pass your own ``request_id`` both times)."""
        attempts = RunAttempts(workflow_id, inputs, webhook, request_id, timeout)
        while True:
            request, deadline = attempts.call()
            try:
                response = await self._unary(
                    self.stubs.executions.ExecuteWorkflow,
                    request,
                    execution_service_pb2.ExecuteWorkflowResponse,
                    deadline,
                )
                break
            except DataflowError as error:
                delay = attempts.retry_delay(error)
                if delay is None:
                    raise
                await asyncio.sleep(delay)
        started = StartedExecution.from_proto(response)
        if started.execution is not None and started.execution.status.terminal:
            return started.execution
        return await self.wait(started.workflow_execution_id, timeout=attempts.remaining())

    async def get_execution(self, execution_id: str, workflow_id: str | None = None) -> Execution:
        """An execution with its tasks, outputs and error."""
        request = execution_service_pb2.GetExecutionRequest(
            workflow_execution_id=execution_id, workflow_id=workflow_id or ""
        )
        response = await self._unary(
            self.stubs.executions.GetExecution, request, execution_service_pb2.GetExecutionResponse
        )
        return Execution.from_proto(response.execution)

    async def list_executions(
        self,
        workflow_id: str,
        status: ExecutionStatusLike | None = None,
        page_size: int = 0,
        page_token: str = "",
        full: bool = False,
    ) -> Page[Execution]:
        """One page of a workflow's executions, newest first."""
        request = _convert.list_executions_request(workflow_id, status, page_size, page_token, full)
        return _convert.execution_page(
            await self._unary(
                self.stubs.executions.ListExecutions,
                request,
                execution_service_pb2.ListExecutionsResponse,
            )
        )

    async def iter_executions(
        self,
        workflow_id: str,
        status: ExecutionStatusLike | None = None,
        page_size: int = 0,
        full: bool = False,
    ) -> AsyncIterator[Execution]:
        """Every execution of a workflow, newest first, fetching pages as needed."""
        token = ""
        while True:
            page = await self.list_executions(workflow_id, status, page_size, token, full)
            for execution in page:
                yield execution
            token = page.next_page_token
            if not token:
                return

    async def watch(
        self,
        execution_id: str,
        after_sequence: int = 0,
        event_types: Iterable[str] = (),
        *,
        timeout: float | None = None,
        max_retries: int = 5,
    ) -> AsyncIterator[ExecutionEvent]:
        """The execution's events after ``after_sequence``, then live ones,
        until it is terminal; resumed from the last sequence seen when the
        stream breaks with UNAVAILABLE or RESOURCE_EXHAUSTED (see
        :meth:`DataflowClient.watch`)."""
        state = WatchState(execution_id, after_sequence, event_types, timeout, max_retries)
        while True:
            call = self.stubs.executions.WatchExecution(state.request(), timeout=state.remaining())
            try:
                async for response in call:
                    for event in state.received(response):
                        yield ExecutionEvent.from_proto(event)
                return
            except grpc.RpcError as exc:
                if state.terminal:
                    return
                error = from_rpc_error(exc)
                delay = state.retry_delay(error)
                if delay is None:
                    raise error from exc
            finally:
                call.cancel()
            await asyncio.sleep(delay)

    async def wait(self, execution_id: str, timeout: float | None = None) -> Execution:
        """Wait until the execution is terminal; returns its final snapshot."""
        last: ExecutionEvent | None = None
        async for event in self.watch(
            execution_id, event_types=TERMINAL_EVENT_TYPES, timeout=timeout
        ):
            last = event
        if last is not None and last.execution is not None:
            return last.execution
        return await self.get_execution(execution_id)

    async def cancel(self, execution_id: str, reason: str = "") -> Execution:
        """Cancel a PENDING or RUNNING execution."""
        request = execution_service_pb2.CancelExecutionRequest(
            workflow_execution_id=execution_id, reason=reason
        )
        response = await self._unary(
            self.stubs.executions.CancelExecution,
            request,
            execution_service_pb2.CancelExecutionResponse,
        )
        return Execution.from_proto(response.execution)

    async def retry(self, execution_id: str) -> Execution:
        """Run a FAILED or CANCELLED execution again from its first unfinished task."""
        request = execution_service_pb2.RetryExecutionRequest(workflow_execution_id=execution_id)
        response = await self._unary(
            self.stubs.executions.RetryExecution,
            request,
            execution_service_pb2.RetryExecutionResponse,
        )
        return Execution.from_proto(response.execution)

    # -- webhooks ----------------------------------------------------------

    async def list_webhook_deliveries(
        self, execution_id: str, page_size: int = 0, page_token: str = ""
    ) -> Page[WebhookDelivery]:
        """An execution's webhook deliveries in event order, with every attempt."""
        request = webhook_service_pb2.ListWebhookDeliveriesRequest(
            workflow_execution_id=execution_id, page_size=page_size, page_token=page_token
        )
        return _convert.delivery_page(
            await self._unary(
                self.stubs.webhooks.ListWebhookDeliveries,
                request,
                webhook_service_pb2.ListWebhookDeliveriesResponse,
            )
        )

    async def iter_webhook_deliveries(
        self, execution_id: str, page_size: int = 0
    ) -> AsyncIterator[WebhookDelivery]:
        """Every delivery of an execution, in event order, fetching pages as needed."""
        token = ""
        while True:
            page = await self.list_webhook_deliveries(execution_id, page_size, token)
            for delivery in page:
                yield delivery
            token = page.next_page_token
            if not token:
                return

    async def redeliver_webhook(self, webhook_id: str) -> WebhookDelivery:
        """Send a delivery again (same webhook-id, new timestamp and signature)."""
        request = webhook_service_pb2.RedeliverWebhookRequest(webhook_id=webhook_id)
        response = await self._unary(
            self.stubs.webhooks.RedeliverWebhook,
            request,
            webhook_service_pb2.RedeliverWebhookResponse,
        )
        return WebhookDelivery.from_proto(response.delivery)

    async def get_webhook_secret(self) -> WebhookSecret:
        """Your tenant's webhook signing secret (and the previous one during a
        rotation window). Needs an admin key."""
        response = await self._unary(
            self.stubs.webhooks.GetWebhookSecret,
            webhook_service_pb2.GetWebhookSecretRequest(),
            webhook_service_pb2.GetWebhookSecretResponse,
        )
        return WebhookSecret.from_proto(response.secret)

    async def rotate_webhook_secret(self, window_seconds: int | None = None) -> WebhookSecret:
        """A new signing secret; the replaced one keeps signing for `window_seconds`
        (default: the server's rotation window; 0: stops at once). Needs an admin key."""
        request = webhook_service_pb2.RotateWebhookSecretRequest()
        if window_seconds is not None:
            request.window_seconds = window_seconds
        response = await self._unary(
            self.stubs.webhooks.RotateWebhookSecret,
            request,
            webhook_service_pb2.RotateWebhookSecretResponse,
        )
        return WebhookSecret.from_proto(response.secret)

    # -- secrets -----------------------------------------------------------

    async def set_secret(self, name: str, value: str) -> Secret:
        """Create the secret ``name`` of your tenant, or replace its value. Task inputs
        declared secret-capable reference it as ``{{secrets.NAME}}``."""
        request = secret_service_pb2.SetSecretRequest(name=name, value=value)
        response = await self._unary(
            self.stubs.secrets.SetSecret, request, secret_service_pb2.SetSecretResponse
        )
        return Secret.from_proto(response.secret)

    async def list_secrets(self, page_size: int = 0, page_token: str = "") -> Page[Secret]:
        """Your tenant's secrets by name: names and times, never values."""
        request = secret_service_pb2.ListSecretsRequest(page_size=page_size, page_token=page_token)
        return _convert.secret_page(
            await self._unary(
                self.stubs.secrets.ListSecrets, request, secret_service_pb2.ListSecretsResponse
            )
        )

    async def iter_secrets(self, page_size: int = 0) -> AsyncIterator[Secret]:
        """Every secret of your tenant, by name, fetching pages as needed."""
        token = ""
        while True:
            page = await self.list_secrets(page_size, token)
            for secret in page:
                yield secret
            token = page.next_page_token
            if not token:
                return

    async def delete_secret(self, name: str) -> None:
        """Delete a secret (NOT_FOUND when there is none)."""
        request = secret_service_pb2.DeleteSecretRequest(name=name)
        await self._unary(
            self.stubs.secrets.DeleteSecret, request, secret_service_pb2.DeleteSecretResponse
        )

    # -- files -------------------------------------------------------------

    async def upload_file(
        self,
        source: UploadSource,
        name: str | None = None,
        content_type: str | None = None,
        *,
        timeout: float | None = None,
    ) -> File:
        """Upload a file given as a path, bytes or a binary stream, in 1 MiB
        chunks read off the event loop."""
        upload = await asyncio.to_thread(Upload.open, source, name)
        failure: list[BaseException] = []

        async def requests() -> AsyncIterator[file_service_pb2.UploadFileRequest]:
            try:
                yield _convert.upload_metadata(
                    upload.name, content_type, upload.size, upload.sha256
                )
                while chunk := await asyncio.to_thread(upload.read_chunk):
                    yield file_service_pb2.UploadFileRequest(data=chunk)
            except Exception as exc:  # reported below instead of grpc's UNKNOWN
                failure.append(exc)
                raise

        try:
            response = await self.stubs.files.UploadFile(requests(), timeout=timeout)
        except grpc.RpcError as exc:
            if failure:
                raise failure[0] from exc
            raise from_rpc_error(exc) from exc
        finally:
            await asyncio.to_thread(upload.close)
        if failure:  # grpc.aio may end the call without raising
            raise failure[0]
        return File.from_proto(upload.verify(response.file))

    async def get_file(self, file: FileLike) -> File:
        """A file's metadata (``file`` is a ``file-…`` id or a :class:`File`)."""
        request = file_service_pb2.GetFileRequest(file_id=file_id_of(file))
        response = await self._unary(
            self.stubs.files.GetFile, request, file_service_pb2.GetFileResponse
        )
        return File.from_proto(response.file)

    async def download_file(
        self,
        file: FileLike,
        dest: DownloadTarget,
        *,
        timeout: float | None = None,
    ) -> File:
        """Stream a file's content to a path or a writable binary stream (written
        off the event loop), checking its size and SHA-256; returns its metadata."""
        download = await asyncio.to_thread(Download, dest)
        call = self.stubs.files.DownloadFile(
            file_service_pb2.DownloadFileRequest(file_id=file_id_of(file)), timeout=timeout
        )
        try:
            async for response in call:
                if response.HasField("file") and download.file is None:
                    download.file = response.file
                if response.data:
                    await asyncio.to_thread(download.write, response.data)
            return File.from_proto(await asyncio.to_thread(download.finish))
        except grpc.RpcError as exc:
            await asyncio.to_thread(download.abort)
            raise from_rpc_error(exc) from exc
        except BaseException:
            call.cancel()
            download.abort()
            raise
