"""Chunked reading of upload sources and verified writing of downloads.

Nothing here reads a whole file into memory: sources are read, and downloads
written, one chunk at a time.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import secrets
import stat
from dataclasses import dataclass, field
from typing import IO, Any, BinaryIO, TypeAlias

import grpc

from dataflow.v1 import file_pb2

from ._config import CHUNK_SIZE
from ._convert import UploadSource
from ._errors import DataflowError

__all__ = ["Download", "DownloadTarget", "Upload"]

#: Where ``download_file`` writes: a path, or a writable binary stream.
DownloadTarget: TypeAlias = str | os.PathLike[str] | BinaryIO


def _data_loss(message: str) -> DataflowError:
    return DataflowError(grpc.StatusCode.DATA_LOSS, message)


@dataclass
class Upload:
    """One upload source, read in chunks while its size and SHA-256 are tallied."""

    name: str
    size: int | None
    sha256: str | None
    _stream: IO[bytes] | None = None
    _data: memoryview | None = None
    _owned: bool = False
    _offset: int = 0
    _hash: Any = field(default_factory=hashlib.sha256)
    sent: int = 0

    @classmethod
    def open(cls, source: UploadSource, name: str | None) -> Upload:
        """Open a source: a path is opened here, so a missing file fails early."""
        if isinstance(source, bytes | bytearray | memoryview):
            data = memoryview(source).cast("B")
            return cls(
                name=name or "upload.bin",
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                _data=data,
            )
        if isinstance(source, str | os.PathLike):
            path = os.fspath(source)
            stream = open(path, "rb")  # noqa: SIM115 - closed by close()
            try:
                size = os.fstat(stream.fileno()).st_size
            except OSError:
                size = None
            return cls(
                name=name or os.path.basename(path),
                size=size,
                sha256=None,
                _stream=stream,
                _owned=True,
            )
        stream_name = getattr(source, "name", None)
        default = os.path.basename(stream_name) if isinstance(stream_name, str) else ""
        return cls(name=name or default or "upload.bin", size=None, sha256=None, _stream=source)

    def read_chunk(self) -> bytes:
        """The next chunk (at most 1 MiB); empty at the end."""
        if self._data is not None:
            chunk = bytes(self._data[self._offset : self._offset + CHUNK_SIZE])
            self._offset += len(chunk)
        else:
            assert self._stream is not None
            chunk = self._stream.read(CHUNK_SIZE)
            if not isinstance(chunk, bytes):
                raise TypeError("upload_file needs a binary stream (opened with 'rb')")
        self._hash.update(chunk)
        self.sent += len(chunk)
        return chunk

    def close(self) -> None:
        if self._owned and self._stream is not None:
            self._stream.close()

    def verify(self, stored: file_pb2.File) -> file_pb2.File:
        """Check the server stored what was sent."""
        digest = self._hash.hexdigest()
        if stored.size_bytes != self.sent or (stored.sha256 and stored.sha256 != digest):
            raise _data_loss(
                f"upload of {self.name!r} corrupted: sent {self.sent} bytes (sha256 {digest}), "
                f"server stored {stored.size_bytes} bytes (sha256 {stored.sha256})"
            )
        return stored


def _is_special_file(path: str) -> bool:
    """An existing path that is not a regular file or directory (a device, a FIFO)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


class Download:
    """A download destination: chunks are written as they come, then checked
    against the file's size and SHA-256. A path is written through a temporary
    file in the same directory and only renamed into place once verified."""

    def __init__(self, target: DownloadTarget) -> None:
        self._path: str | None = None
        self._tmp: str | None = None
        self.stream: IO[bytes]
        self._owned: IO[bytes] | None = None  # a special file we opened (and close)
        if isinstance(target, str | os.PathLike) and _is_special_file(os.fspath(target)):
            # /dev/null, a FIFO, a terminal: written in place. A rename would replace
            # the device itself with a regular file (and as root it succeeds).
            self._owned = self.stream = open(os.fspath(target), "wb")  # noqa: SIM115
        elif isinstance(target, str | os.PathLike):
            self._path = os.path.abspath(os.fspath(target))
            directory, base = os.path.split(self._path)
            self._tmp = os.path.join(directory, f".{base}.{secrets.token_hex(4)}.part")
            # O_EXCL and the usual 0o666 & ~umask mode, unlike mkstemp's 0o600.
            fd = os.open(self._tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            self.stream = io.FileIO(fd, "wb")
        else:
            self.stream = target
        self.file: file_pb2.File | None = None
        self._hash = hashlib.sha256()
        self.received = 0

    def write(self, chunk: bytes) -> None:
        self._hash.update(chunk)
        self.received += len(chunk)
        self.stream.write(chunk)

    def finish(self) -> file_pb2.File:
        """Verify and, for a path, move the file into place."""
        if self.file is None:
            raise _data_loss("the download stream carried no file metadata")
        digest = self._hash.hexdigest()
        if self.received != self.file.size_bytes or (
            self.file.sha256 and self.file.sha256 != digest
        ):
            raise _data_loss(
                f"download of {self.file.file_id} corrupted: received {self.received} bytes "
                f"(sha256 {digest}), expected {self.file.size_bytes} (sha256 {self.file.sha256})"
            )
        if self._tmp is not None and self._path is not None:
            self.stream.close()
            os.replace(self._tmp, self._path)
            self._tmp = None
        elif self._owned is not None:
            self._owned.close()
        else:
            self.stream.flush()
        return self.file

    def abort(self) -> None:
        """Drop a partial download (a path target is left untouched)."""
        if self._owned is not None:
            self._owned.close()
        if self._tmp is not None:
            self.stream.close()
            with contextlib.suppress(OSError):
                os.unlink(self._tmp)
            self._tmp = None
