"""Content-addressed file storage under the data directory.

A blob lives at `files/ab/abcdef…` named by its SHA-256, under its tenant's
directory: the default tenant's is `files/` itself (the layout of before
tenants), another tenant's is `files/tenants/<hash of the tenant id>/`. So
content is never shared between tenants, even when identical: no tenant can
learn whether another stored some content, and a blob is reached only through
its tenant's file record. Writes stream to a temporary file while hashing,
then rename into place, so a crash never leaves a partial blob under a
content name. Blocking file I/O runs in a thread.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..domain.access import DEFAULT_TENANT

__all__ = ["CHUNK_SIZE", "ContentStore", "StoredBlob", "TooLarge"]

CHUNK_SIZE = 1024 * 1024


class TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"larger than the limit of {limit} bytes")
        self.limit = limit


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str
    size_bytes: int


class ContentStore:
    def __init__(self, root: Path) -> None:
        self._root = root
        self._tmp = root / "tmp"

    def _tenant_root(self, tenant_id: str) -> Path:
        if tenant_id == DEFAULT_TENANT:
            return self._root
        # Hashed: no tenant name can shape a path.
        return self._root / "tenants" / hashlib.sha256(tenant_id.encode()).hexdigest()[:32]

    def path_of(self, tenant_id: str, sha256: str) -> Path:
        return self._tenant_root(tenant_id) / sha256[:2] / sha256

    async def write(
        self, tenant_id: str, chunks: AsyncIterator[bytes], max_bytes: int
    ) -> StoredBlob:
        await asyncio.to_thread(self._tmp.mkdir, parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp)
        out: BinaryIO = os.fdopen(fd, "wb")
        digest = hashlib.sha256()
        size = 0
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(max_bytes)
                digest.update(chunk)
                await asyncio.to_thread(out.write, chunk)
            await asyncio.to_thread(_flush_and_close, out)
            sha = digest.hexdigest()
            await asyncio.to_thread(self._move_into_place, Path(tmp_name), tenant_id, sha)
            return StoredBlob(sha, size)
        except BaseException:
            out.close()
            await asyncio.to_thread(Path(tmp_name).unlink, missing_ok=True)
            raise

    async def write_bytes(self, tenant_id: str, data: bytes, max_bytes: int) -> StoredBlob:
        async def one() -> AsyncIterator[bytes]:
            yield data

        return await self.write(tenant_id, one(), max_bytes)

    def _move_into_place(self, tmp: Path, tenant_id: str, sha256: str) -> None:
        target = self.path_of(tenant_id, sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            tmp.unlink()  # same content already stored
        else:
            os.replace(tmp, target)

    async def read(
        self, tenant_id: str, sha256: str, chunk_size: int = CHUNK_SIZE
    ) -> AsyncIterator[bytes]:
        handle = await asyncio.to_thread(open, self.path_of(tenant_id, sha256), "rb")
        try:
            while True:
                chunk = await asyncio.to_thread(handle.read, chunk_size)
                if not chunk:
                    return
                yield chunk
        finally:
            handle.close()


def _flush_and_close(out: BinaryIO) -> None:
    out.flush()
    os.fsync(out.fileno())
    out.close()
