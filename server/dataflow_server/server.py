"""Assembles the service: store, use cases, engine, gRPC server with health and reflection."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from dataflow.v1 import (
    execution_service_pb2,
    execution_service_pb2_grpc,
    file_service_pb2,
    file_service_pb2_grpc,
    webhook_service_pb2,
    webhook_service_pb2_grpc,
    workflow_service_pb2,
    workflow_service_pb2_grpc,
)

from .api.errors import ErrorMappingInterceptor
from .api.execution_servicer import ExecutionServicer
from .api.file_servicer import FileServicer
from .api.webhook_servicer import WebhookServicer
from .api.workflow_servicer import WorkflowServicer
from .app.executions import Executions
from .app.files import Files
from .app.webhooks import WebhookDeliveries, WebhookUrlCheck
from .app.workflows import WorkflowCatalog
from .config import Settings
from .domain.records import EventRecord, ExecutionRecord, ExecutionStatus
from .engine.control import ExecutionControl
from .engine.events import EventHub
from .engine.executor import Executor
from .engine.files import ExecutionFiles
from .files.content_store import ContentStore
from .listen import ListenError
from .net import HTTP_CLIENT_SERVICE, AddressPolicy, GuardedHttpClient
from .store.change_feed import change_feed
from .store.database import default_sqlite_url, open_store
from .store.group_commit import GroupCommitWriter
from .store.sql import SqlStore
from .tasks import openai_tasks
from .tasks.registry import TaskRegistry, default_registry
from .webhooks.dispatcher import WebhookDispatcher
from .webhooks.signing import WEBHOOK_SECRET_SETTING, WebhookSigner, generate_secret

__all__ = ["DataflowServer", "start_server"]

log = logging.getLogger(__name__)

SERVICE_NAMES = (
    workflow_service_pb2.DESCRIPTOR.services_by_name["WorkflowService"].full_name,
    execution_service_pb2.DESCRIPTOR.services_by_name["ExecutionService"].full_name,
    file_service_pb2.DESCRIPTOR.services_by_name["FileService"].full_name,
    webhook_service_pb2.DESCRIPTOR.services_by_name["WebhookService"].full_name,
)
# Responses stay within 4 MiB (domain/limits.py); this is the transport ceiling for
# operators who raise DATAFLOW_MAX_EXECUTION_BYTES and the clients that follow them.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


def first_event(record: ExecutionRecord) -> EventRecord:
    """Event 1 of a new execution, as the store wrote it."""
    return EventRecord(
        execution_id=record.execution_id,
        sequence=1,
        type="execution.pending",
        status=ExecutionStatus.PENDING,
        timestamp=record.created_at,
    )


@dataclass
class DataflowServer:
    """A running server; `port` is the bound port (useful with port 0)."""

    settings: Settings
    grpc_server: grpc.aio.Server
    health: health.aio.HealthServicer
    store: SqlStore
    hub: EventHub
    port: int
    registry: TaskRegistry
    executor: Executor
    writer: GroupCommitWriter
    # The SSRF-guarded HTTP client shared by tasks (and webhooks); closed on stop.
    http_client: GuardedHttpClient | None = None
    dispatcher: WebhookDispatcher | None = None

    @property
    def address(self) -> str:
        host = self.settings.listen.rsplit(":", 1)[0]
        return f"{host}:{self.port}"

    async def _set_serving(self, serving: bool) -> None:
        status = (
            health_pb2.HealthCheckResponse.SERVING
            if serving
            else health_pb2.HealthCheckResponse.NOT_SERVING
        )
        for name in ("", *SERVICE_NAMES):
            await self.health.set(name, status)

    async def stop(self, grace: float | None = None) -> None:
        """Drain: NOT_SERVING first (load balancers stop sending), then stop."""
        grace = self.settings.shutdown_grace_seconds if grace is None else grace
        await self._set_serving(False)
        # Stop claiming and let running executions finish (or hand them back),
        # while the gRPC server still answers reads and streams.
        await self.executor.drain(grace)
        await self.writer.stop()
        if self.dispatcher is not None:
            await self.dispatcher.stop(grace=min(grace, 5.0))
        await self.grpc_server.stop(min(grace, 5.0))
        await self.hub.stop()
        if self.http_client is not None:  # SSRF-guarded HTTP client
            await self.http_client.aclose()
        await openai_tasks.aclose_client()
        await self.store.close()

    async def wait_for_termination(self) -> None:
        await self.grpc_server.wait_for_termination()


async def start_server(settings: Settings, registry: TaskRegistry | None = None) -> DataflowServer:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.database_url or default_sqlite_url(settings.data_dir)
    store = await open_store(url, sqlite_driver=settings.sqlite_driver)
    registry = registry or default_registry()
    hub = EventHub()

    content = ContentStore(settings.data_dir / "files")
    dispatcher_ref: list[WebhookDispatcher] = []  # created below; wakes on new deliveries
    writer = GroupCommitWriter(
        store,
        on_committed=hub.publish,
        on_outbox=lambda: dispatcher_ref[0].notify() if dispatcher_ref else None,
    )
    writer.start()
    # SSRF-guarded HTTP client, shared by http.request (and the webhook dispatcher).
    http_client = GuardedHttpClient(
        AddressPolicy(allow_private=settings.allow_private_networks),
        max_response_bytes=settings.max_http_response_bytes,
    )
    executor = Executor(
        store,
        writer,
        registry,
        lambda execution_id: ExecutionFiles(store, content, execution_id, settings.max_file_bytes),
        workers=settings.workers,
        lease_seconds=settings.lease_seconds,
        services={HTTP_CLIENT_SERVICE: http_client},
        limits=settings.data_limits,
    )
    control = ExecutionControl(store, writer, executor, hub)
    secret = settings.webhook_secret or await store.get_or_create_setting(
        WEBHOOK_SECRET_SETTING, generate_secret()
    )
    dispatcher = WebhookDispatcher(
        store,
        http_client,
        WebhookSigner(secret),
        settings.webhook_retry_schedule,
        timeout=settings.webhook_timeout_seconds,
    )
    dispatcher_ref.append(dispatcher)

    def accepted(record: ExecutionRecord) -> None:
        hub.publish((first_event(record),))
        if not executor.runs(record.execution_id):  # queued, not run here at once
            executor.notify()
        if record.webhook_url:
            dispatcher.notify()

    catalog = WorkflowCatalog(
        store, registry.specs(), settings.definition_limits, settings.data_limits
    )
    executions = Executions(
        store,
        control,
        on_accepted=accepted,
        check_webhook=WebhookUrlCheck(http_client),
        hub=hub,
        reserve=executor.reserve,
        limits=settings.data_limits,
    )
    webhook_deliveries = WebhookDeliveries(store, on_redeliver=dispatcher.notify)
    files = Files(store, content, settings.max_file_bytes)

    server = grpc.aio.server(
        interceptors=[ErrorMappingInterceptor()],
        options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ("grpc.so_reuseport", 0),
        ],
    )
    workflow_service_pb2_grpc.add_WorkflowServiceServicer_to_server(
        WorkflowServicer(catalog), server
    )
    execution_service_pb2_grpc.add_ExecutionServiceServicer_to_server(
        ExecutionServicer(executions), server
    )
    file_service_pb2_grpc.add_FileServiceServicer_to_server(FileServicer(files), server)
    webhook_service_pb2_grpc.add_WebhookServiceServicer_to_server(
        WebhookServicer(webhook_deliveries), server
    )
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (*SERVICE_NAMES, health.SERVICE_NAME, reflection.SERVICE_NAME), server
    )
    try:
        port = server.add_insecure_port(settings.listen)
    except RuntimeError:  # taken since main's check_listen_address
        port = 0
    if port == 0:
        await store.close()
        await http_client.aclose()
        raise ListenError(f"cannot listen on {settings.listen} (set by DATAFLOW_LISTEN)")
    await server.start()
    hub.start_tailer(store, change_feed(store))
    executor.start()
    dispatcher.start()
    running = DataflowServer(
        settings,
        server,
        health_servicer,
        store,
        hub,
        port,
        registry,
        executor,
        writer,
        http_client,
        dispatcher,
    )
    await running._set_serving(True)
    log.info("dataflow server listening on %s (database %s)", running.address, _redact(url))
    return running


def _redact(url: str) -> str:
    """Never log a database password."""
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://***@{rest.split('@', 1)[1]}"


async def serve_forever(settings: Settings) -> None:
    import signal

    running = await start_server(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("draining (grace %.0fs)", settings.shutdown_grace_seconds)
    await running.stop()
    log.info("stopped")
