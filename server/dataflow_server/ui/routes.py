"""Routes of the web console: /ui/static/… are files; any other /ui/… path is the
single-page app's index.html, whose script picks the view from the URL, so every
view has a URL that can be linked, bookmarked and reloaded.

Every /ui response carries a Content-Security-Policy that allows scripts, styles,
images, media and requests from this origin only: no inline script, no CDN, no
frames. With every value rendered as text by the app, a title or an output that
contains markup cannot run as code.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CONTENT_SECURITY_POLICY", "STATIC_DIR", "ui_routes"]

STATIC_DIR = Path(__file__).resolve().parent / "static"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    # Revalidate (ETag / Last-Modified) so that an upgraded server's files are used at once.
    "cache-control": "no-cache",
}


class _SecurityHeaders:
    """Adds the console's headers to every response of the wrapped app."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.decode() not in _HEADERS
                ]
                headers += [(k.encode(), v.encode()) for k, v in _HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self._app(scope, receive, send_with_headers)


async def _index(request: Request) -> Response:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")


async def _to_index(request: Request) -> Response:
    return RedirectResponse("/ui/", status_code=308)


def ui_routes() -> list[BaseRoute]:
    """The routes to add to the HTTP app: files, the index for /ui/…, /ui → /ui/."""
    return [
        Route("/ui", _to_index, methods=["GET", "HEAD"]),
        Mount("/ui/static", app=_SecurityHeaders(StaticFiles(directory=STATIC_DIR))),
        Mount(
            "/ui",
            app=_SecurityHeaders(Router([Route("/{path:path}", _index, methods=["GET", "HEAD"])])),
        ),
    ]
