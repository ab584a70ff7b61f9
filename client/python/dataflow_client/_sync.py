"""The blocking client."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, TypeVar, cast

import grpc

from dataflow.v1 import (
    execution_service_pb2,
    file_service_pb2,
    secret_service_pb2,
    webhook_service_pb2,
    workflow_service_pb2,
)

from . import _config, _convert
from ._config import TERMINAL_EVENT_TYPES, resolve_address
from ._connect import Transport, sync_channel
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

__all__ = ["DataflowClient"]

_R = TypeVar("_R")


class DataflowClient:
    """A blocking client of the Dataflow API.

    ``address`` defaults to ``$DATAFLOW_ADDRESS``, else ``127.0.0.1:50051``.
    ``api_key`` (default ``$DATAFLOW_API_KEY``) is sent as ``authorization:
    Bearer <key>`` with every call, streams included, and never shown in a
    repr or an error. The channel uses TLS when ``tls`` is true (default
    ``$DATAFLOW_TLS``) or a file is given: ``ca_file`` (``$DATAFLOW_CA_FILE``;
    else the system's trusted roots) verifies the server, ``client_cert_file``
    and ``client_key_file`` (``$DATAFLOW_CLIENT_CERT_FILE``,
    ``$DATAFLOW_CLIENT_KEY_FILE``) answer a server that requires client
    certificates. An unreadable file raises ``ValueError``.
    ``timeout`` is the deadline, in seconds, of each unary call (``None``: no
    deadline); streams (``watch``, uploads, downloads) have none unless given.
    Every method raises :class:`DataflowError` when the call fails and returns
    typed objects (``dataflow_client.Execution``…); each keeps its message in
    ``.raw``, and ``client.stubs`` calls the generated stubs directly.

    Use it as a context manager, or call :meth:`close`::

        with DataflowClient() as client:
            wf = client.create_workflow(definition)
            ex = client.execute(wf.workflow_id, {"text": "Hello"})
            final = client.wait(ex.workflow_execution_id)
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
        self._channel = sync_channel(
            self.address, [*_config.CHANNEL_OPTIONS, *(options or ())], self._transport
        )
        #: The generated stubs on this client's channel (raw messages in and out).
        self.stubs = Stubs.on(self._channel)

    # -- lifecycle ---------------------------------------------------------

    def close(self) -> None:
        """Close the channel; calls in flight are cancelled."""
        self._channel.close()

    def __enter__(self) -> DataflowClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"DataflowClient({self.address!r})"

    def _unary(
        self, method: Any, request: Any, response_type: type[_R], timeout: float | None = None
    ) -> _R:
        """Call a unary method with the client's deadline; ``response_type`` types the result."""
        try:
            response = method(request, timeout=self.timeout if timeout is None else timeout)
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        return cast(_R, response)

    # -- workflows ---------------------------------------------------------

    def create_workflow(self, definition: Definition) -> WorkflowRef:
        """Validate a definition and store it as version 1 (it is not run)."""
        request = workflow_service_pb2.CreateWorkflowRequest(
            workflow=_convert.to_workflow(definition)
        )
        return WorkflowRef.from_proto(
            self._unary(
                self.stubs.workflows.CreateWorkflow,
                request,
                workflow_service_pb2.CreateWorkflowResponse,
            )
        )

    def update_workflow(self, workflow_id: str, definition: Definition) -> WorkflowRef:
        """Store a complete new definition as the workflow's next version."""
        request = workflow_service_pb2.UpdateWorkflowRequest(
            workflow_id=workflow_id, workflow=_convert.to_workflow(definition)
        )
        return WorkflowRef.from_proto(
            self._unary(
                self.stubs.workflows.UpdateWorkflow,
                request,
                workflow_service_pb2.UpdateWorkflowResponse,
            )
        )

    def get_workflow(self, workflow_id: str, version: int = 0) -> Workflow:
        """The latest version of a workflow, or ``version`` when not 0."""
        request = workflow_service_pb2.GetWorkflowRequest(
            workflow_id=workflow_id, workflow_version=version
        )
        response = self._unary(
            self.stubs.workflows.GetWorkflow, request, workflow_service_pb2.GetWorkflowResponse
        )
        return Workflow.from_proto(response.workflow)

    def list_workflows(
        self, page_size: int = 0, page_token: str = "", *, show_archived: bool = False
    ) -> Page[Workflow]:
        """One page of workflows, newest first (``page_size`` 0: server default)."""
        request = _convert.list_workflows_request(page_size, page_token, show_archived)
        return _convert.workflow_page(
            self._unary(
                self.stubs.workflows.ListWorkflows,
                request,
                workflow_service_pb2.ListWorkflowsResponse,
            )
        )

    def iter_workflows(
        self, page_size: int = 0, *, show_archived: bool = False
    ) -> Iterator[Workflow]:
        """Every workflow, newest first, fetching pages as needed."""
        token = ""
        while True:
            page = self.list_workflows(page_size, token, show_archived=show_archived)
            yield from page
            token = page.next_page_token
            if not token:
                return

    def delete_workflow(self, workflow_id: str) -> Workflow:
        """Archive a workflow; returns it (latest version, ARCHIVED)."""
        request = workflow_service_pb2.DeleteWorkflowRequest(workflow_id=workflow_id)
        response = self._unary(
            self.stubs.workflows.DeleteWorkflow,
            request,
            workflow_service_pb2.DeleteWorkflowResponse,
        )
        return Workflow.from_proto(response.workflow)

    def list_task_types(self) -> list[TaskType]:
        """Every task type a definition can use, sorted by name."""
        request = workflow_service_pb2.ListTaskTypesRequest()
        response = self._unary(
            self.stubs.workflows.ListTaskTypes, request, workflow_service_pb2.ListTaskTypesResponse
        )
        return [TaskType.from_proto(t) for t in response.task_types]

    # -- executions --------------------------------------------------------

    def execute(
        self,
        workflow_id: str,
        inputs: Mapping[str, Any] | None = None,
        webhook: str | None = None,
        request_id: str | None = None,
        wait: float | None = None,
    ) -> StartedExecution:
        """Queue an execution of the workflow's latest version (PENDING).

        With ``wait`` (seconds, at most 60), the server answers once the execution
        has ended or the wait ran out, with the execution in ``execution``.

        ``inputs`` are JSON values; a :class:`File` is passed as its file value."""
        request = _convert.execute_request(workflow_id, inputs, webhook, request_id, wait)
        return StartedExecution.from_proto(
            self._unary(
                self.stubs.executions.ExecuteWorkflow,
                request,
                execution_service_pb2.ExecuteWorkflowResponse,
                None if wait is None else wait + _config.RUN_ANSWER_SLACK_SECONDS,
            )
        )

    def run(
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
                response = self._unary(
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
                time.sleep(delay)
        started = StartedExecution.from_proto(response)
        if started.execution is not None and started.execution.status.terminal:
            return started.execution
        return self.wait(started.workflow_execution_id, timeout=attempts.remaining())

    def get_execution(self, execution_id: str, workflow_id: str | None = None) -> Execution:
        """An execution with its tasks, outputs and error."""
        request = execution_service_pb2.GetExecutionRequest(
            workflow_execution_id=execution_id, workflow_id=workflow_id or ""
        )
        response = self._unary(
            self.stubs.executions.GetExecution, request, execution_service_pb2.GetExecutionResponse
        )
        return Execution.from_proto(response.execution)

    def list_executions(
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
            self._unary(
                self.stubs.executions.ListExecutions,
                request,
                execution_service_pb2.ListExecutionsResponse,
            )
        )

    def iter_executions(
        self,
        workflow_id: str,
        status: ExecutionStatusLike | None = None,
        page_size: int = 0,
        full: bool = False,
    ) -> Iterator[Execution]:
        """Every execution of a workflow, newest first, fetching pages as needed."""
        token = ""
        while True:
            page = self.list_executions(workflow_id, status, page_size, token, full)
            yield from page
            token = page.next_page_token
            if not token:
                return

    def watch(
        self,
        execution_id: str,
        after_sequence: int = 0,
        event_types: Iterable[str] = (),
        *,
        timeout: float | None = None,
        max_retries: int = 5,
    ) -> Iterator[ExecutionEvent]:
        """The execution's events after ``after_sequence``, then live ones,
        until it is terminal.

        When the stream breaks with UNAVAILABLE or RESOURCE_EXHAUSTED before a
        terminal event, it is resumed from the last sequence seen (without gap
        or duplicate), at most ``max_retries`` times in a row. ``timeout``
        bounds the whole watch (DEADLINE_EXCEEDED when it runs out).
        """
        state = WatchState(execution_id, after_sequence, event_types, timeout, max_retries)
        while True:
            call = self.stubs.executions.WatchExecution(state.request(), timeout=state.remaining())
            try:
                for response in call:
                    for event in state.received(response):
                        yield ExecutionEvent.from_proto(event)
                return
            except grpc.RpcError as exc:
                if state.terminal:  # broke after the terminal event: nothing is missing
                    return
                error = from_rpc_error(exc)
                delay = state.retry_delay(error)
                if delay is None:
                    raise error from exc
            finally:
                call.cancel()
            time.sleep(delay)

    def wait(self, execution_id: str, timeout: float | None = None) -> Execution:
        """Block until the execution is terminal; returns its final snapshot.

        Raises :class:`DataflowError` with DEADLINE_EXCEEDED after ``timeout``
        seconds.
        """
        last: ExecutionEvent | None = None
        for event in self.watch(execution_id, event_types=TERMINAL_EVENT_TYPES, timeout=timeout):
            last = event
        if last is not None and last.execution is not None:
            return last.execution
        return self.get_execution(execution_id)

    def cancel(self, execution_id: str, reason: str = "") -> Execution:
        """Cancel a PENDING or RUNNING execution."""
        request = execution_service_pb2.CancelExecutionRequest(
            workflow_execution_id=execution_id, reason=reason
        )
        response = self._unary(
            self.stubs.executions.CancelExecution,
            request,
            execution_service_pb2.CancelExecutionResponse,
        )
        return Execution.from_proto(response.execution)

    def retry(self, execution_id: str) -> Execution:
        """Run a FAILED or CANCELLED execution again from its first unfinished task."""
        request = execution_service_pb2.RetryExecutionRequest(workflow_execution_id=execution_id)
        response = self._unary(
            self.stubs.executions.RetryExecution,
            request,
            execution_service_pb2.RetryExecutionResponse,
        )
        return Execution.from_proto(response.execution)

    # -- webhooks ----------------------------------------------------------

    def list_webhook_deliveries(
        self, execution_id: str, page_size: int = 0, page_token: str = ""
    ) -> Page[WebhookDelivery]:
        """An execution's webhook deliveries in event order, with every attempt."""
        request = webhook_service_pb2.ListWebhookDeliveriesRequest(
            workflow_execution_id=execution_id, page_size=page_size, page_token=page_token
        )
        return _convert.delivery_page(
            self._unary(
                self.stubs.webhooks.ListWebhookDeliveries,
                request,
                webhook_service_pb2.ListWebhookDeliveriesResponse,
            )
        )

    def iter_webhook_deliveries(
        self, execution_id: str, page_size: int = 0
    ) -> Iterator[WebhookDelivery]:
        """Every delivery of an execution, in event order, fetching pages as needed."""
        token = ""
        while True:
            page = self.list_webhook_deliveries(execution_id, page_size, token)
            yield from page
            token = page.next_page_token
            if not token:
                return

    def redeliver_webhook(self, webhook_id: str) -> WebhookDelivery:
        """Send a delivery again (same webhook-id, new timestamp and signature)."""
        request = webhook_service_pb2.RedeliverWebhookRequest(webhook_id=webhook_id)
        response = self._unary(
            self.stubs.webhooks.RedeliverWebhook,
            request,
            webhook_service_pb2.RedeliverWebhookResponse,
        )
        return WebhookDelivery.from_proto(response.delivery)

    def get_webhook_secret(self) -> WebhookSecret:
        """Your tenant's webhook signing secret (and the previous one during a
        rotation window). Needs an admin key."""
        response = self._unary(
            self.stubs.webhooks.GetWebhookSecret,
            webhook_service_pb2.GetWebhookSecretRequest(),
            webhook_service_pb2.GetWebhookSecretResponse,
        )
        return WebhookSecret.from_proto(response.secret)

    def rotate_webhook_secret(self, window_seconds: int | None = None) -> WebhookSecret:
        """A new signing secret; the replaced one keeps signing for `window_seconds`
        (default: the server's rotation window; 0: stops at once). Needs an admin key."""
        request = webhook_service_pb2.RotateWebhookSecretRequest()
        if window_seconds is not None:
            request.window_seconds = window_seconds
        response = self._unary(
            self.stubs.webhooks.RotateWebhookSecret,
            request,
            webhook_service_pb2.RotateWebhookSecretResponse,
        )
        return WebhookSecret.from_proto(response.secret)

    # -- secrets -----------------------------------------------------------

    def set_secret(self, name: str, value: str) -> Secret:
        """Create the secret ``name`` of your tenant, or replace its value. Task inputs
        declared secret-capable reference it as ``{{secrets.NAME}}``."""
        request = secret_service_pb2.SetSecretRequest(name=name, value=value)
        response = self._unary(
            self.stubs.secrets.SetSecret, request, secret_service_pb2.SetSecretResponse
        )
        return Secret.from_proto(response.secret)

    def list_secrets(self, page_size: int = 0, page_token: str = "") -> Page[Secret]:
        """Your tenant's secrets by name: names and times, never values."""
        request = secret_service_pb2.ListSecretsRequest(page_size=page_size, page_token=page_token)
        return _convert.secret_page(
            self._unary(
                self.stubs.secrets.ListSecrets, request, secret_service_pb2.ListSecretsResponse
            )
        )

    def iter_secrets(self, page_size: int = 0) -> Iterator[Secret]:
        """Every secret of your tenant, by name, fetching pages as needed."""
        token = ""
        while True:
            page = self.list_secrets(page_size, token)
            yield from page
            token = page.next_page_token
            if not token:
                return

    def delete_secret(self, name: str) -> None:
        """Delete a secret (NOT_FOUND when there is none)."""
        request = secret_service_pb2.DeleteSecretRequest(name=name)
        self._unary(
            self.stubs.secrets.DeleteSecret, request, secret_service_pb2.DeleteSecretResponse
        )

    # -- files -------------------------------------------------------------

    def upload_file(
        self,
        source: UploadSource,
        name: str | None = None,
        content_type: str | None = None,
        *,
        timeout: float | None = None,
    ) -> File:
        """Upload a file given as a path, bytes or a binary stream, in 1 MiB
        chunks. ``name`` defaults to the path's base name; the content type is
        guessed by the server from the name when not given."""
        upload = Upload.open(source, name)
        failure: list[BaseException] = []

        def requests() -> Iterator[file_service_pb2.UploadFileRequest]:
            try:
                yield _convert.upload_metadata(
                    upload.name, content_type, upload.size, upload.sha256
                )
                while chunk := upload.read_chunk():
                    yield file_service_pb2.UploadFileRequest(data=chunk)
            except Exception as exc:  # reported below instead of grpc's UNKNOWN
                failure.append(exc)
                raise

        try:
            response = self.stubs.files.UploadFile(requests(), timeout=timeout)
        except grpc.RpcError as exc:
            if failure:
                raise failure[0] from exc
            raise from_rpc_error(exc) from exc
        finally:
            upload.close()
        return File.from_proto(upload.verify(response.file))

    def get_file(self, file: FileLike) -> File:
        """A file's metadata (``file`` is a ``file-…`` id or a :class:`File`)."""
        request = file_service_pb2.GetFileRequest(file_id=file_id_of(file))
        response = self._unary(self.stubs.files.GetFile, request, file_service_pb2.GetFileResponse)
        return File.from_proto(response.file)

    def download_file(
        self, file: FileLike, dest: DownloadTarget, *, timeout: float | None = None
    ) -> File:
        """Stream a file's content to a path or a writable binary stream, and
        check its size and SHA-256; returns its metadata. A path is only
        written once the whole file has arrived intact. ``file`` is a
        ``file-…`` id or a :class:`File` (an output value, say)."""
        download = Download(dest)
        call = self.stubs.files.DownloadFile(
            file_service_pb2.DownloadFileRequest(file_id=file_id_of(file)), timeout=timeout
        )
        try:
            for response in call:
                if response.HasField("file") and download.file is None:
                    download.file = response.file
                if response.data:
                    download.write(response.data)
            return File.from_proto(download.finish())
        except grpc.RpcError as exc:
            download.abort()
            raise from_rpc_error(exc) from exc
        except BaseException:
            download.abort()
            call.cancel()
            raise
