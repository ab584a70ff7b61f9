"""File use cases: streamed, size-limited uploads into the content store."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

from ..domain import ids
from ..domain.access import Caller
from ..domain.errors import FieldViolation, InvalidArgument
from ..domain.records import FileRecord
from ..domain.values import has_control_characters
from ..files.content_store import ContentStore, TooLarge
from ..store.interface import Store

__all__ = ["FileUpload", "Files", "checked_file_id"]

MAX_NAME_LENGTH = 255
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# A media type as RFC 9110 spells it (type/subtype; parameters), since it is served
# back as the download's Content-Type.
_TOKEN = r"[A-Za-z0-9!#$%&'*+.^_`|~-]+"
_MEDIA_TYPE = re.compile(
    rf'{_TOKEN}/{_TOKEN}(?:[ \t]*;[ \t]*{_TOKEN}=(?:{_TOKEN}|"[^"\\\x00-\x1f]*"))*'
)
MAX_CONTENT_TYPE_LENGTH = 255


def checked_file_id(file_id: str) -> str:
    """INVALID_ARGUMENT for a blank or malformed id (see `checked_workflow_id`)."""
    return ids.checked_id(file_id, ids.FILE, "file_id")


@dataclass(frozen=True, slots=True)
class FileUpload:
    name: str
    content_type: str = ""
    size_bytes: int = 0  # 0: not announced
    sha256: str = ""  # "": not announced


class Files:
    def __init__(self, store: Store, content: ContentStore, max_bytes: int) -> None:
        self._store = store
        self._content = content
        self._max_bytes = max_bytes

    def _check(self, upload: FileUpload) -> None:
        violations = []
        if not upload.name:
            violations.append(FieldViolation("metadata.name", "is required"))
        elif (
            len(upload.name) > MAX_NAME_LENGTH
            or "/" in upload.name
            or has_control_characters(upload.name)
        ):
            violations.append(
                FieldViolation(
                    "metadata.name",
                    f"must be a plain file name of at most {MAX_NAME_LENGTH} characters",
                )
            )
        if len(upload.content_type) > MAX_NAME_LENGTH or has_control_characters(
            upload.content_type
        ):
            violations.append(
                FieldViolation(
                    "metadata.content_type",
                    f"must be a media type such as text/plain (at most {MAX_NAME_LENGTH} "
                    "characters, no control characters)",
                )
            )
        if upload.size_bytes < 0:
            violations.append(FieldViolation("metadata.size_bytes", "must not be negative"))
        elif upload.size_bytes > self._max_bytes:
            violations.append(
                FieldViolation(
                    "metadata.size_bytes", f"exceeds the limit of {self._max_bytes} bytes"
                )
            )
        if upload.content_type and (
            len(upload.content_type) > MAX_CONTENT_TYPE_LENGTH
            or not _MEDIA_TYPE.fullmatch(upload.content_type)
        ):
            violations.append(
                FieldViolation(
                    "metadata.content_type",
                    "must be a media type such as audio/mpeg (type/subtype; parameters), "
                    f"at most {MAX_CONTENT_TYPE_LENGTH} characters",
                )
            )
        if upload.sha256 and not _SHA256.match(upload.sha256):
            violations.append(FieldViolation("metadata.sha256", "must be 64 lowercase hex digits"))
        if violations:
            raise InvalidArgument(violations)

    async def upload(
        self, caller: Caller, upload: FileUpload, chunks: AsyncIterator[bytes]
    ) -> FileRecord:
        self._check(upload)
        try:
            blob = await self._content.write(caller.tenant_id, chunks, self._max_bytes)
        except TooLarge as exc:
            raise InvalidArgument.single("data", str(exc)) from None
        if upload.size_bytes and blob.size_bytes != upload.size_bytes:
            raise InvalidArgument.single(
                "metadata.size_bytes",
                f"announced {upload.size_bytes} bytes but received {blob.size_bytes}",
            )
        if upload.sha256 and blob.sha256 != upload.sha256:
            raise InvalidArgument.single(
                "metadata.sha256",
                f"announced {upload.sha256} but the content hashes to {blob.sha256}",
            )
        content_type = (
            upload.content_type
            or mimetypes.guess_type(upload.name)[0]
            or "application/octet-stream"
        )
        return await self._store.create_file(
            FileRecord(
                file_id=ids.new_id(ids.FILE),
                name=upload.name,
                content_type=content_type,
                size_bytes=blob.size_bytes,
                sha256=blob.sha256,
                created_at=datetime.now(UTC),
                tenant_id=caller.tenant_id,
            )
        )

    async def get(self, caller: Caller, file_id: str) -> FileRecord:
        return await self._store.get_file(caller.tenant_id, checked_file_id(file_id))

    def content(self, record: FileRecord) -> AsyncIterator[bytes]:
        """The content of a record read by `get` (so of the caller's tenant)."""
        return self._content.read(record.tenant_id, record.sha256)
