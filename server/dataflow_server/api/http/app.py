"""The REST/JSON API: a Starlette app over the same servicers as gRPC.

Each route comes from the protos' `google.api.http` annotations (routes.py).
A handler turns the HTTP request into the RPC's request message, calls the
servicer method gRPC calls (so conversion, validation and use cases are the
same code), and answers the response message's proto3 JSON. Errors become
problem details in problems.py. `extra_routes` lets other edges (the web UI)
mount beside the API.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from google.rpc import code_pb2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, request_response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...app.access import Authenticator
from ..scopes import required_scope
from .access import AdmittedRoute, SessionCaller
from .files import download_endpoint, upload_endpoint
from .problems import problem_for, problem_response
from .routes import HttpRoute, http_routes
from .sse import watch_endpoint
from .transcode import request_message, response_json

__all__ = ["HttpApi", "Readiness", "build_http_app", "openapi_document"]

Endpoint = Callable[[Request], Awaitable[Response]]

WATCH = "dataflow.v1.ExecutionService.WatchExecution"
GET_EXECUTION = "GetExecution"
UPLOAD = "dataflow.v1.FileService.UploadFile"
DOWNLOAD = "dataflow.v1.FileService.DownloadFile"

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


@dataclass
class Readiness:
    """Whether this server takes work: false while starting and draining."""

    serving: bool = False


@dataclass
class HttpApi:
    """What the HTTP app serves: the servicers by service name, and its limits."""

    servicers: Mapping[str, Any]
    readiness: Readiness
    max_body_bytes: int
    keepalive_seconds: float = 15.0
    # Set on shutdown: open event streams end so the server can stop.
    closing: asyncio.Event = field(default_factory=asyncio.Event)
    # DATAFLOW_AUTH=required: every API route admits its requests (access.py);
    # None: authentication is off and routes run as before, at no cost.
    authenticator: Authenticator | None = None
    # The web console's sign-in hook (helper "ui-auth"): the caller of a request's
    # session cookie, for requests without an Authorization header (access.py).
    session_caller: SessionCaller | None = None

    def call(self, route: HttpRoute) -> Callable[[Any, Any], Any]:
        servicer = self.servicers[route.method.containing_service.full_name]
        return getattr(servicer, route.method.name)  # type: ignore[no-any-return]


def openapi_document() -> dict[str, Any]:
    """The committed OpenAPI document (generated from the protos by `make gen`)."""
    text = resources.files(__package__).joinpath("openapi.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def _answering_problems(endpoint: Endpoint) -> Endpoint:
    async def answer(request: Request) -> Response:
        try:
            return await endpoint(request)
        except Exception as exc:
            return problem_for(request, exc)

    return answer


def _unary_endpoint(api: HttpApi, route: HttpRoute) -> Endpoint:
    call = api.call(route)

    async def endpoint(request: Request) -> Response:
        message = await request_message(route, request, api.max_body_bytes)
        body = response_json(route, await call(message, None))
        headers = None
        if route.location is not None:
            headers = {"Location": route.location.format(**body)}
        return JSONResponse(body, route.status, headers=headers)

    return endpoint


def _endpoint(api: HttpApi, route: HttpRoute) -> Endpoint:
    if route.full_name == WATCH:
        servicer = api.servicers[route.method.containing_service.full_name]
        get_execution = getattr(servicer, GET_EXECUTION)
        return watch_endpoint(
            route,
            api.call(route),
            get_execution,
            api.max_body_bytes,
            api.keepalive_seconds,
            api.closing,
        )
    if route.full_name == UPLOAD:
        return upload_endpoint(route, api.call(route))
    if route.full_name == DOWNLOAD:
        return download_endpoint(route, api.call(route), api.max_body_bytes)
    if route.streams_request or route.streams_response:
        raise ValueError(f"{route.full_name}: a streaming RPC needs its own HTTP handler")
    return _unary_endpoint(api, route)


def _admitted(api: HttpApi, route: HttpRoute, endpoint: Endpoint) -> Endpoint | AdmittedRoute:
    """`endpoint`, behind the authenticator when authentication is on."""
    if api.authenticator is None:
        return endpoint
    return AdmittedRoute(
        request_response(endpoint),
        required_scope(route.method),
        api.authenticator,
        lambda: api.session_caller,
    )


def _service_routes(api: HttpApi) -> list[BaseRoute]:
    return [
        Route(
            route.path,
            _admitted(api, route, _answering_problems(_endpoint(api, route))),
            methods=[route.verb],
            name=route.method.name,
        )
        for route in http_routes()
    ]


def _operational_routes(api: HttpApi) -> list[BaseRoute]:
    document = openapi_document()

    async def liveness(request: Request) -> Response:
        return JSONResponse({"status": "SERVING"})

    async def readiness(request: Request) -> Response:
        if api.readiness.serving:
            return JSONResponse({"status": "SERVING"})
        return problem_response(
            request, 503, code_pb2.UNAVAILABLE, "the server is starting or draining"
        )

    async def openapi(request: Request) -> Response:
        return JSONResponse(document)

    return [
        Route("/healthz", liveness, methods=["GET"]),
        Route("/readyz", readiness, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
    ]


class RequestIdMiddleware:
    """Gives every request an id (the caller's `X-Request-Id` when sane), echoed
    in the `X-Request-Id` response header and in problem details."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", ()),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        await self.app(scope, receive, send_with_id)


async def _http_exception(request: Request, exc: Exception) -> Response:
    return problem_for(request, exc)


def build_http_app(api: HttpApi, extra_routes: Sequence[BaseRoute] = ()) -> Starlette:
    """The API's routes, health, /openapi.json, then `extra_routes` (e.g. a /ui mount)."""
    app = Starlette(
        routes=[*_service_routes(api), *_operational_routes(api), *extra_routes],
        exception_handlers={HTTPException: _http_exception},
    )
    app.add_middleware(RequestIdMiddleware)
    return app
