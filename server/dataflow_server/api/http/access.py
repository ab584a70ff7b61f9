"""Admitting HTTP requests: the same check as gRPC (app/access.py), per route.

Each API route is wrapped by `AdmittedRoute` when authentication is on: the
`Authorization` header is authenticated, the route's RPC scope and the key's
rate limit are checked, and the whole ASGI call (streamed bodies and SSE
included) runs with the `Caller` bound (api/caller.py). A refusal is a
problem-details answer (401 with WWW-Authenticate, 403, 429 with Retry-After).

`SessionCaller` is the hook of the web console's sign-in (helper "ui-auth"):
set `HttpApi.session_caller` to a function that returns the caller of a
request's session cookie (or None). It is consulted only for requests without
an `Authorization` header; the route's scope and the key's rate limit are
checked all the same (the session's key shares its bucket with its header use).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Send
from starlette.types import Scope as AsgiScope

from ...app.access import Authenticator
from ...domain.access import Caller, Scope
from ...domain.errors import DomainError
from ..caller import bound_caller
from .problems import problem_for

__all__ = ["AdmittedRoute", "SessionCaller", "admit_request"]

SessionCaller = Callable[[Request], Awaitable[Caller | None]]


async def admit_request(
    authenticator: Authenticator,
    session_caller: SessionCaller | None,
    request: Request,
    needed: Scope | None,
) -> Caller:
    """The caller of `request` if it may call a route that needs `needed`, else a
    DomainError (Unauthenticated, PermissionDenied, ResourceExhausted)."""
    authorization = request.headers.get("authorization")
    if authorization is None and session_caller is not None:
        caller = await session_caller(request)
        if caller is not None:
            return await authenticator.admit_session(caller, needed)
    return await authenticator.admit(authorization, needed)


class AdmittedRoute:
    """An ASGI app: `app` for admitted requests, a problem answer for the others."""

    def __init__(
        self,
        app: ASGIApp,
        needed: Scope | None,
        authenticator: Authenticator,
        session_caller: Callable[[], SessionCaller | None],
    ) -> None:
        self._app = app
        self._needed = needed
        self._authenticator = authenticator
        # Read at each request: the UI may install its hook after the routes are built.
        self._session_caller = session_caller

    async def __call__(self, scope: AsgiScope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            caller = await admit_request(
                self._authenticator, self._session_caller(), request, self._needed
            )
        except DomainError as exc:
            await problem_for(request, exc)(scope, receive, send)
            return
        with bound_caller(caller):
            await self._app(scope, receive, send)
