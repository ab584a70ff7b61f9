"""Assembles the service: store, use cases, engine, gRPC server with health and reflection."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from dataflow.v1 import (
    execution_service_pb2,
    execution_service_pb2_grpc,
    file_service_pb2,
    file_service_pb2_grpc,
    secret_service_pb2,
    secret_service_pb2_grpc,
    webhook_service_pb2,
    webhook_service_pb2_grpc,
    workflow_service_pb2,
    workflow_service_pb2_grpc,
)

from .api.errors import ErrorMappingInterceptor
from .api.execution_servicer import ExecutionServicer
from .api.file_servicer import FileServicer
from .api.http.app import HttpApi, Readiness
from .api.http.server import HttpServer, start_http_server
from .api.http.ui_session import ConsoleAuth
from .api.secret_servicer import SecretServicer
from .api.webhook_servicer import WebhookServicer
from .api.workflow_servicer import WorkflowServicer
from .app.access import Authenticator, RateLimit
from .app.executions import Executions
from .app.files import Files
from .app.secrets import Secrets
from .app.ui_sessions import UiSessions
from .app.webhooks import WebhookDeliveries, WebhookSigningSecrets, WebhookUrlCheck
from .app.workflows import WorkflowCatalog
from .auth_mode import auth_required
from .config import Settings
from .domain.lifecycle import accepted_event
from .domain.records import ExecutionRecord
from .engine.control import ExecutionControl
from .engine.events import EventHub
from .engine.executor import Executor
from .engine.files import ExecutionFiles
from .engine.group_commit import GroupCommitWriter
from .engine.limits import ResourceLimit, ResourceLimits
from .files.content_store import ContentStore
from .listen import ListenError
from .net import AddressPolicy, GuardedHttpClient
from .store.api_keys import ApiKeyStore
from .store.change_feed import change_feed
from .store.database import default_sqlite_url, open_store
from .store.secrets import SqlSecretStore
from .store.sql import SqlStore
from .store.ui_sessions import SqlUiSessions
from .tasks.base import TaskServices
from .tasks.http_tasks import HTTP_RESOURCE
from .tasks.openai_clients import OpenAIClients, OpenAIConfig
from .tasks.openai_specs import OPENAI_RESOURCE
from .tasks.registry import TaskRegistry, default_registry
from .tls import ServerTls, load_server_tls
from .ui import ui_routes
from .vault.cipher import SecretCipher
from .vault.keys import load_key
from .webhooks.dispatcher import WebhookDispatcher

__all__ = ["DataflowServer", "start_server"]

log = logging.getLogger(__name__)

SERVICE_NAMES = (
    workflow_service_pb2.DESCRIPTOR.services_by_name["WorkflowService"].full_name,
    execution_service_pb2.DESCRIPTOR.services_by_name["ExecutionService"].full_name,
    file_service_pb2.DESCRIPTOR.services_by_name["FileService"].full_name,
    webhook_service_pb2.DESCRIPTOR.services_by_name["WebhookService"].full_name,
    secret_service_pb2.DESCRIPTOR.services_by_name["SecretService"].full_name,
)
# Responses stay within 4 MiB (domain/limits.py); this is the transport ceiling for
# operators who raise DATAFLOW_MAX_EXECUTION_BYTES and the clients that follow them.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


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
    # The REST/JSON API (None when DATAFLOW_HTTP_LISTEN is empty).
    http: HttpServer | None = None
    readiness: Readiness | None = None
    # API keys (None: DATAFLOW_AUTH is off).
    authenticator: Authenticator | None = None
    # What tasks share (the OpenAI clients among them); closed on stop.
    task_services: TaskServices = field(default_factory=TaskServices)
    # The use cases of executions (calls waiting for an outcome are released on stop).
    executions: Executions | None = None

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
        if self.readiness is not None:
            self.readiness.serving = serving

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
        # Calls waiting for an outcome answer now, with their executions as they stand.
        if self.executions is not None:
            self.executions.release_waiters()
        # Both edges stop together: in-flight calls get the same short grace.
        await asyncio.gather(
            self.grpc_server.stop(min(grace, 5.0)),
            *([self.http.stop(min(grace, 5.0))] if self.http is not None else []),
        )
        await self.hub.stop()
        if self.authenticator is not None:
            await self.authenticator.stop()  # writes the last uses it holds
        if self.http_client is not None:  # SSRF-guarded HTTP client
            await self.http_client.aclose()
        if self.task_services.openai is not None:
            await self.task_services.openai.aclose()
        await self.store.close()

    async def wait_for_termination(self) -> None:
        await self.grpc_server.wait_for_termination()


async def start_server(settings: Settings, registry: TaskRegistry | None = None) -> DataflowServer:
    tls = load_server_tls(settings)  # TlsError before anything is opened
    require_keys = auth_required(settings)  # ProtectedModeError before anything starts
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Before the database is opened: a bad key is one line, and nothing starts.
    cipher = SecretCipher(load_key(settings.secrets_key, settings.data_dir))
    url = settings.database_url or default_sqlite_url(settings.data_dir)
    store = await open_store(url, sqlite_driver=settings.sqlite_driver)
    authenticator = await _authenticator(settings, store) if require_keys else None
    registry = registry or default_registry()
    secret_store = SqlSecretStore(store, cipher)
    hub = EventHub()

    content = ContentStore(settings.data_dir / "files")
    dispatcher_ref: list[WebhookDispatcher] = []  # created below; wakes on new deliveries
    executions_ref: list[Executions] = []  # created below; caches ended executions
    writer = GroupCommitWriter(
        store,
        on_committed=hub.publish,
        on_outbox=lambda: dispatcher_ref[0].notify() if dispatcher_ref else None,
        followed=lambda execution_id: hub.watcher_count(execution_id) > 0,
        on_ended=lambda ended: executions_ref[0].offer_snapshots(ended) if executions_ref else None,
    )
    # SSRF-guarded HTTP client, shared by http.request (and the webhook dispatcher).
    http_client = GuardedHttpClient(
        AddressPolicy(allow_private=settings.allow_private_networks),
        max_response_bytes=settings.max_http_response_bytes,
    )
    task_services = TaskServices(
        http=http_client,
        secrets=secret_store,
        openai=OpenAIClients(
            OpenAIConfig(settings.openai_api_key, settings.openai_base_url),
            secrets=secret_store,
            guard=http_client,
        ),
    )
    executor = Executor(
        store,
        writer,
        registry,
        lambda tenant_id, execution_id: ExecutionFiles(
            store, content, tenant_id, execution_id, settings.max_file_bytes
        ),
        max_in_flight=settings.max_in_flight,
        lease_seconds=settings.lease_seconds,
        services=task_services,
        limits=ResourceLimits(
            {
                OPENAI_RESOURCE: ResourceLimit(
                    settings.openai_max_concurrent, settings.openai_requests_per_minute
                ),
                HTTP_RESOURCE: ResourceLimit(settings.http_max_concurrent),
            }
        ),
        data_limits=settings.data_limits,
    )
    control = ExecutionControl(store, writer, executor, hub)
    signing_secrets = WebhookSigningSecrets(
        store,
        timedelta(hours=settings.webhook_secret_rotation_hours),
        fixed_default_secret=settings.webhook_secret,
    )
    await signing_secrets.prepare()
    dispatcher = WebhookDispatcher(
        store,
        store,
        http_client,
        settings.webhook_retry_schedule,
        timeout=settings.webhook_timeout_seconds,
    )
    dispatcher_ref.append(dispatcher)

    def accepted(record: ExecutionRecord) -> None:
        hub.publish((accepted_event(record.execution_id, record.created_at),))
        if not executor.runs(record.execution_id):  # queued, not run here at once
            executor.notify()
        if record.webhook_url:
            dispatcher.notify()

    secrets = Secrets(secret_store)
    catalog = WorkflowCatalog(
        store,
        registry.specs(),
        settings.definition_limits,
        settings.data_limits,
        check_secrets=secrets.check_referenced,
    )
    executions = Executions(
        store,
        control,
        on_accepted=accepted,
        check_webhook=WebhookUrlCheck(http_client),
        hub=hub,
        reserve=executor.reserve,
        limits=settings.data_limits,
        check_secrets=secrets.check_referenced,
        guard_stream=None if authenticator is None else authenticator.guard_stream,
    )
    executions_ref.append(executions)
    webhook_deliveries = WebhookDeliveries(store, on_redeliver=dispatcher.notify)
    files = Files(store, content, settings.max_file_bytes)

    server = grpc.aio.server(
        interceptors=[ErrorMappingInterceptor(authenticator)],
        options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ("grpc.so_reuseport", 0),
        ],
    )
    workflow_servicer = WorkflowServicer(catalog)
    execution_servicer = ExecutionServicer(executions)
    file_servicer = FileServicer(files)
    webhook_servicer = WebhookServicer(webhook_deliveries, signing_secrets)
    secret_servicer = SecretServicer(secrets)
    workflow_service_pb2_grpc.add_WorkflowServiceServicer_to_server(workflow_servicer, server)
    execution_service_pb2_grpc.add_ExecutionServiceServicer_to_server(execution_servicer, server)
    file_service_pb2_grpc.add_FileServiceServicer_to_server(file_servicer, server)
    webhook_service_pb2_grpc.add_WebhookServiceServicer_to_server(webhook_servicer, server)
    secret_service_pb2_grpc.add_SecretServiceServicer_to_server(secret_servicer, server)
    # The HTTP edge calls the very same servicers (by service name).
    servicers = dict(
        zip(
            SERVICE_NAMES,
            (
                workflow_servicer,
                execution_servicer,
                file_servicer,
                webhook_servicer,
                secret_servicer,
            ),
            strict=True,
        )
    )
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (*SERVICE_NAMES, health.SERVICE_NAME, reflection.SERVICE_NAME), server
    )
    try:
        port = (
            server.add_secure_port(settings.listen, tls.grpc_credentials())
            if tls is not None
            else server.add_insecure_port(settings.listen)
        )
    except RuntimeError:  # taken since main's check_listen_address
        port = 0
    if port == 0:
        await store.close()
        await http_client.aclose()
        raise ListenError(f"cannot listen on {settings.listen} (set by DATAFLOW_LISTEN)")
    readiness = Readiness()
    try:
        http = await _start_http(settings, servicers, readiness, store, authenticator, tls)
    except BaseException:
        await store.close()
        await http_client.aclose()
        raise
    await server.start()
    if authenticator is not None:
        authenticator.start()
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
        http,
        readiness,
        authenticator,
        task_services,
        executions,
    )
    await running._set_serving(True)
    log.info(
        "dataflow server listening on %s (%s, database %s)",
        running.address,
        _transport(tls),
        _redact(url),
    )
    if http is not None:
        scheme = "https" if tls is not None else "http"
        log.info("HTTP API on %s://%s (OpenAPI at /openapi.json)", scheme, http.address)
    return running


async def _authenticator(settings: Settings, store: SqlStore) -> Authenticator:
    """DATAFLOW_AUTH=required: the API keys' check, shared by gRPC and HTTP."""
    keys = ApiKeyStore(store)
    if not await keys.count_usable(store.now()):
        log.warning(
            "authentication is required and there is no usable API key yet: create one with "
            "`dataflow-server keys create --tenant NAME` (no restart needed)"
        )
    else:
        log.info("authentication required: callers send `authorization: Bearer <API key>`")
    return Authenticator(
        keys,
        rate_limit=RateLimit(settings.key_rate_limit, settings.key_rate_burst),
        cache_seconds=settings.key_cache_seconds,
    )


async def _start_http(
    settings: Settings,
    servicers: dict[str, Any],
    readiness: Readiness,
    store: SqlStore,
    authenticator: Authenticator | None,
    tls: ServerTls | None,
) -> HttpServer | None:
    """The REST/JSON API over the gRPC servicers, in this event loop (api/http/).
    The web console (ui/) mounts beside it under /ui/."""
    if not settings.http_listen:
        return None
    api = HttpApi(
        servicers,
        readiness,
        max_body_bytes=MAX_MESSAGE_BYTES,
        keepalive_seconds=settings.sse_keepalive_seconds,
        authenticator=authenticator,
    )
    # The console's sign-in (api/http/ui_session.py), when keys are required.
    console = ConsoleAuth(
        sessions=None
        if authenticator is None
        else UiSessions(SqlUiSessions(store), authenticator, settings.ui_session_lifetime)
    )
    api.session_caller = console.session_caller
    return await start_http_server(
        api, settings.http_listen, extra_routes=[*console.routes(), *ui_routes()], tls=tls
    )


def _transport(tls: ServerTls | None) -> str:
    if tls is None:
        return "plaintext"
    return "TLS, client certificates required" if tls.mutual else "TLS"


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
