"""UploadFile and DownloadFile over HTTP: the file's bytes are the body.

Upload: `POST /files?name=speech.mp3` with the raw content as the body (its
Content-Type, unless a form default, is the file's; `size_bytes` and `sha256`
may be given to be checked). The body is streamed to the servicer in 1 MiB
messages, as a gRPC client would send it. Download: `GET
/files/{file_id}/content` streams the content with its type and length.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from dataflow.v1 import file_service_pb2

from .routes import HttpRoute
from .transcode import fill_query, request_message, response_json

__all__ = ["download_endpoint", "upload_endpoint"]

CHUNK_BYTES = 1024 * 1024
# What curl and HTML forms send when nobody chose a type: not the file's type.
_NOT_A_FILE_TYPE = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})

Call = Callable[[Any, Any], Any]


def upload_endpoint(route: HttpRoute, upload: Call) -> Callable[[Request], Awaitable[Response]]:
    metadata_fields = {f.name: f for f in file_service_pb2.UploadFileMetadata.DESCRIPTOR.fields}

    async def endpoint(request: Request) -> Response:
        metadata = file_service_pb2.UploadFileMetadata()
        fill_query(request, metadata_fields, metadata)
        media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if not metadata.content_type and media_type and media_type not in _NOT_A_FILE_TYPE:
            metadata.content_type = media_type

        async def messages() -> AsyncIterator[file_service_pb2.UploadFileRequest]:
            yield file_service_pb2.UploadFileRequest(metadata=metadata)
            async for chunk in request.stream():
                for start in range(0, len(chunk), CHUNK_BYTES):
                    yield file_service_pb2.UploadFileRequest(
                        data=chunk[start : start + CHUNK_BYTES]
                    )

        body = response_json(route, await upload(messages(), None))
        assert route.location is not None
        return JSONResponse(body, route.status, headers={"Location": route.location.format(**body)})

    return endpoint


def _disposition(name: str) -> str:
    # RFC 6266 with the RFC 8187 form, so any file name survives.
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def download_endpoint(
    route: HttpRoute, download: Call, body_limit: int
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        message = await request_message(route, request, body_limit)
        stream = download(message, None).__aiter__()
        first = await stream.__anext__()  # NOT_FOUND is answered before the headers
        file = first.file

        async def content() -> AsyncIterator[bytes]:
            try:
                if first.data:
                    yield first.data
                async for part in stream:
                    yield part.data
            finally:
                await stream.aclose()

        return StreamingResponse(
            content(),
            media_type=file.content_type or "application/octet-stream",
            headers={
                "Content-Length": str(file.size_bytes),
                "Content-Disposition": _disposition(file.name),
                "ETag": f'"{file.sha256}"',
            },
        )

    return endpoint
