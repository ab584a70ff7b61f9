"""File access for tasks: outputs go to the content store, recorded as produced by the execution."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from ..domain import ids
from ..domain.records import FileRecord
from ..domain.values import JsonObject, JsonValue
from ..files.content_store import ContentStore
from .ports import FileCatalog

__all__ = ["ExecutionFiles", "file_value"]


def file_value(record: FileRecord) -> JsonObject:
    """The JSON value of a file-typed input or output."""
    return {
        "file_id": record.file_id,
        "name": record.name,
        "content_type": record.content_type,
        "size_bytes": record.size_bytes,
        "sha256": record.sha256,
    }


class ExecutionFiles:
    """The files of one execution's tasks: in its tenant only (file inputs of
    another tenant are not found, outputs belong to the execution's tenant)."""

    def __init__(
        self,
        store: FileCatalog,
        content: ContentStore,
        tenant_id: str,
        execution_id: str,
        max_bytes: int,
    ) -> None:
        self._store = store
        self._content = content
        self._tenant_id = tenant_id
        self._execution_id = execution_id
        self._max_bytes = max_bytes

    async def save(self, data: bytes, name: str, content_type: str) -> JsonObject:
        blob = await self._content.write_bytes(self._tenant_id, data, self._max_bytes)
        record = await self._store.create_file(
            FileRecord(
                file_id=ids.new_id(ids.FILE),
                name=name,
                content_type=content_type,
                size_bytes=blob.size_bytes,
                sha256=blob.sha256,
                created_at=datetime.now(UTC),
                tenant_id=self._tenant_id,
            )
        )
        return file_value(record)

    async def read(self, value: Mapping[str, JsonValue]) -> bytes:
        record = await self._store.get_file(self._tenant_id, str(value["file_id"]))
        chunks = [chunk async for chunk in self._content.read(self._tenant_id, record.sha256)]
        return b"".join(chunks)
