"""dataflow.v1.FileService: streamed uploads and downloads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from dataflow.v1 import file_service_pb2 as pb
from dataflow.v1 import file_service_pb2_grpc as pb_grpc

from ..app.files import Files, FileUpload
from ..domain.errors import InvalidArgument
from .caller import current_caller
from .convert import file_to_proto

__all__ = ["FileServicer"]

Context = Any  # grpc.aio.ServicerContext


class FileServicer(pb_grpc.FileServiceServicer):
    def __init__(self, files: Files) -> None:
        self._files = files

    async def UploadFile(
        self, request_iterator: AsyncIterator[pb.UploadFileRequest], context: Context
    ) -> pb.UploadFileResponse:
        iterator = request_iterator.__aiter__()
        try:
            first = await iterator.__anext__()
        except StopAsyncIteration:
            raise InvalidArgument.single(
                "metadata", "the first message must carry metadata"
            ) from None
        if first.WhichOneof("part") != "metadata":
            raise InvalidArgument.single("metadata", "the first message must carry metadata")
        m = first.metadata
        upload = FileUpload(
            name=m.name, content_type=m.content_type, size_bytes=m.size_bytes, sha256=m.sha256
        )

        async def chunks() -> AsyncIterator[bytes]:
            async for message in iterator:
                if message.WhichOneof("part") != "data":
                    raise InvalidArgument.single("metadata", "metadata may only be sent first")
                yield message.data

        record = await self._files.upload(current_caller(), upload, chunks())
        return pb.UploadFileResponse(file=file_to_proto(record))

    async def GetFile(self, request: pb.GetFileRequest, context: Context) -> pb.GetFileResponse:
        record = await self._files.get(current_caller(), request.file_id)
        return pb.GetFileResponse(file=file_to_proto(record))

    async def DownloadFile(
        self, request: pb.DownloadFileRequest, context: Context
    ) -> AsyncIterator[pb.DownloadFileResponse]:
        record = await self._files.get(current_caller(), request.file_id)
        first = True
        async for chunk in self._files.content(record):
            if first:
                yield pb.DownloadFileResponse(file=file_to_proto(record), data=chunk)
                first = False
            else:
                yield pb.DownloadFileResponse(data=chunk)
        if first:  # empty file: still send the metadata
            yield pb.DownloadFileResponse(file=file_to_proto(record))
