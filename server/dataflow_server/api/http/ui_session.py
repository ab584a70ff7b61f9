"""The web console's session at the HTTP edge: the cookie, CSRF, and /ui/session.

- `POST /ui/session` `{"api_key": …}` checks the key with the shared
  authenticator and answers the session (tenant, scope, CSRF token) with a
  `Set-Cookie` for its token: HttpOnly (page scripts never see it), SameSite=Strict
  (no other site's page or link sends it), Path=/, Secure when served over TLS.
- `GET /ui/session` tells the page whether authentication is required and, with
  a live cookie, the session (so a reload gets its CSRF token back).
- `DELETE /ui/session` signs out: the row is deleted and the cookie cleared.

`session_caller` is the hook the HTTP authentication calls for a request without
an `Authorization` header. A state-changing request authenticated by the cookie
must come from this origin (Sec-Fetch-Site, else Origin) and carry the session's
CSRF token in `X-CSRF-Token`; requests with an Authorization header are not
subject to either, since a browser never adds that header on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ...app.ui_sessions import SignedIn, UiSessions
from ...domain.access import Caller
from ...domain.errors import FailedPrecondition, InvalidArgument, PermissionDenied, Unauthenticated
from ...domain.ui_sessions import csrf_token_matches
from .problems import problem_for
from .transcode import json_body

__all__ = ["COOKIE_NAME", "CSRF_HEADER", "ConsoleAuth", "check_state_change"]

COOKIE_NAME = "dataflow_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_SIGN_IN_BYTES = 4096
MAX_KEY_CHARS = 512


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', '')}"


def check_same_origin(request: Request) -> None:
    """PermissionDenied unless the browser says the request comes from this origin."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        if fetch_site != "same-origin":
            raise PermissionDenied(
                f"a cross-site request (Sec-Fetch-Site: {fetch_site[:32]}) cannot use the "
                "console's session; send an Authorization header instead"
            )
        return
    origin = request.headers.get("origin")
    if origin is None:
        raise PermissionDenied(
            "a request authenticated by the console's session must carry an Origin header"
        )
    if origin != _own_origin(request):
        raise PermissionDenied(
            "a cross-origin request cannot use the console's session; "
            "send an Authorization header instead"
        )


def check_state_change(request: Request, token: str) -> None:
    """A cookie-authenticated POST/PUT/PATCH/DELETE: same origin and the CSRF token."""
    check_same_origin(request)
    if not csrf_token_matches(token, request.headers.get(CSRF_HEADER, "")):
        raise PermissionDenied(
            "a request authenticated by the console's session needs the session's CSRF "
            f"token in the {CSRF_HEADER} header (missing or wrong)"
        )


@dataclass(frozen=True)
class ConsoleAuth:
    """The console's sign-in; `sessions` is None when authentication is off."""

    sessions: UiSessions | None

    async def session_caller(self, request: Request) -> Caller | None:
        """The caller of a request authenticated by the session cookie; None without one."""
        token = request.cookies.get(COOKIE_NAME)
        if token is None or self.sessions is None:
            return None
        if request.method not in SAFE_METHODS:
            check_state_change(request, token)
        return (await self.sessions.resume(token)).caller

    async def _show(self, request: Request) -> Response:
        if self.sessions is None:
            return JSONResponse({"auth": "off"})
        token = request.cookies.get(COOKIE_NAME)
        if token is None:
            return JSONResponse({"auth": "required", "signed_in": False})
        try:
            signed_in = await self.sessions.resume(token)
        except Unauthenticated as exc:
            response = JSONResponse({"auth": "required", "signed_in": False, "ended": exc.message})
            _clear_cookie(response, request)
            return response
        return JSONResponse(_session_body(signed_in))

    async def _sign_in(self, request: Request) -> Response:
        if self.sessions is None:
            raise FailedPrecondition("authentication is off on this server; no sign-in is needed")
        check_same_origin(request)  # no signing a victim's browser in to someone else's key
        body = await json_body(request, MAX_SIGN_IN_BYTES) or {}
        api_key = body.get("api_key")
        if not isinstance(api_key, str) or not api_key.strip():
            raise InvalidArgument.single("api_key", "is required")
        if len(api_key) > MAX_KEY_CHARS or any(c.isspace() for c in api_key.strip()):
            raise Unauthenticated("the API key is not valid")
        signed_in = await self.sessions.sign_in(api_key.strip())
        replaced = request.cookies.get(COOKIE_NAME)
        if replaced is not None:  # signing in again: the previous session ends
            await self.sessions.sign_out(replaced)
        response = JSONResponse(_session_body(signed_in), 201)
        response.set_cookie(
            COOKIE_NAME,
            signed_in.token,
            max_age=int(self.sessions.lifetime.absolute.total_seconds()),
            path="/",
            secure=request.url.scheme == "https",
            httponly=True,
            samesite="strict",
        )
        return response

    async def _sign_out(self, request: Request) -> Response:
        token = request.cookies.get(COOKIE_NAME)
        if token is not None and self.sessions is not None:
            check_state_change(request, token)
            await self.sessions.sign_out(token)
        response = Response(status_code=204)
        _clear_cookie(response, request)
        return response

    async def _session(self, request: Request) -> Response:
        response: Response
        try:
            if request.method == "POST":
                response = await self._sign_in(request)
            elif request.method == "DELETE":
                response = await self._sign_out(request)
            else:
                response = await self._show(request)
        except Exception as exc:
            response = problem_for(request, exc)
        response.headers["cache-control"] = "no-store"  # it carries the CSRF token
        return response

    def routes(self) -> list[BaseRoute]:
        """/ui/session, to mount before the console's catch-all /ui/{path}."""
        return [Route("/ui/session", self._session, methods=["GET", "POST", "DELETE"])]


def _session_body(signed_in: SignedIn) -> dict[str, Any]:
    return {
        "auth": "required",
        "signed_in": True,
        "tenant_id": signed_in.caller.tenant_id,
        "scope": signed_in.caller.scope.label,
        "csrf_token": signed_in.csrf_token,
        "expires_at": signed_in.expires_at.isoformat(),
    }


def _clear_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        COOKIE_NAME,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
