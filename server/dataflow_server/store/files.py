"""File metadata and settings queries (run inside a transaction opened by SqlStore)."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from ..domain.errors import NotFound
from ..domain.records import FileRecord
from .models import AnyRow, FileRow, SettingRow, table_of

__all__ = ["create_file", "file_record", "get_file", "get_or_create_setting", "get_setting"]

F = table_of(FileRow)
S = table_of(SettingRow)


def file_record(row: AnyRow) -> FileRecord:
    return FileRecord(
        file_id=row.id,
        name=row.name,
        content_type=row.content_type,
        size_bytes=row.size_bytes,
        sha256=row.sha256,
        created_at=row.created_at,
        tenant_id=row.tenant_id,
    )


async def create_file(
    conn: AsyncConnection, record: FileRecord, execution_id: str | None = None
) -> FileRecord:
    await conn.execute(
        insert(F).values(
            id=record.file_id,
            tenant_id=record.tenant_id,
            sha256=record.sha256,
            name=record.name,
            content_type=record.content_type,
            size_bytes=record.size_bytes,
            created_at=record.created_at,
            execution_id=execution_id,
        )
    )
    return record


async def get_file(conn: AsyncConnection, tenant_id: str, file_id: str) -> FileRecord:
    row = (
        await conn.execute(select(F).where(F.c.id == file_id, F.c.tenant_id == tenant_id))
    ).one_or_none()
    if row is None:
        raise NotFound(f"file {file_id} not found")
    return file_record(row)


async def get_or_create_setting(conn: AsyncConnection, tenant_id: str, key: str, value: str) -> str:
    """INSERT … ON CONFLICT DO NOTHING, then read: the first writer wins, on both backends."""
    values = {"key": key, "tenant_id": tenant_id, "value": value}
    if conn.dialect.name == "postgresql":
        await conn.execute(postgresql.insert(S).values(values).on_conflict_do_nothing())
    else:
        await conn.execute(sqlite.insert(S).values(values).on_conflict_do_nothing())
    stored: str = (
        await conn.execute(select(S.c.value).where(S.c.key == key, S.c.tenant_id == tenant_id))
    ).scalar_one()
    return stored


async def get_setting(conn: AsyncConnection, tenant_id: str, key: str) -> str | None:
    """The stored value of `key`, or None; never writes."""
    stored: str | None = (
        await conn.execute(select(S.c.value).where(S.c.key == key, S.c.tenant_id == tenant_id))
    ).scalar_one_or_none()
    return stored
