"""Opaque page cursors for newest-first keyset pagination.

A cursor is the urlsafe base64 (unpadded) of the JSON `[created_at, id]` of
the last item of a page; the next page holds the rows strictly after it in
`(created_at DESC, id DESC)` order. Anything that does not decode to exactly
that is refused as InvalidArgument on `page_token`.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from ..domain.errors import InvalidArgument

__all__ = ["PAGE_TOKEN_FIELD", "Cursor", "after_cursor", "decode_cursor", "encode_cursor"]

PAGE_TOKEN_FIELD = "page_token"
_MAX_TOKEN_LENGTH = 512


@dataclass(frozen=True, slots=True)
class Cursor:
    created_at: datetime
    id: str


def encode_cursor(created_at: datetime, id_: str) -> str:
    raw = json.dumps([created_at.astimezone(UTC).isoformat(), id_], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _invalid(why: str) -> InvalidArgument:
    return InvalidArgument.single(
        PAGE_TOKEN_FIELD, f"invalid page token ({why}): pass the next_page_token of a previous page"
    )


def decode_cursor(token: str | None) -> Cursor | None:
    """None for an empty/absent token; InvalidArgument when malformed."""
    if not token:
        return None
    if len(token) > _MAX_TOKEN_LENGTH:
        raise _invalid("too long")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        value: Any = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _invalid("not a token") from None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], str)
        or not isinstance(value[1], str)
        or not value[1]
    ):
        raise _invalid("unexpected content")
    try:
        created_at = datetime.fromisoformat(value[0])
    except ValueError:
        raise _invalid("bad timestamp") from None
    if created_at.tzinfo is None:
        raise _invalid("bad timestamp")
    return Cursor(created_at.astimezone(UTC), value[1])


def after_cursor(
    created_at: ColumnElement[datetime], id_: ColumnElement[str], cursor: Cursor
) -> ColumnElement[bool]:
    """Rows after `cursor` in (created_at DESC, id DESC) order."""
    return or_(
        created_at < cursor.created_at,
        and_(created_at == cursor.created_at, id_ < cursor.id),
    )
