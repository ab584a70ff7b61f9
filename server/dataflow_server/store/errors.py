"""Driver errors become domain (or store) errors here, and only here.

`translate_db_errors` wraps every transaction of `SqlStore`:
- a unique/primary-key violation → `ConflictError` (an AlreadyExists);
- a foreign-key violation → `NotFound` (something referenced does not exist);
- lost connections, lock timeouts, a busy database, pool exhaustion →
  `StoreUnavailable` (retryable: the api maps it to UNAVAILABLE);
- any other database error → `StoreError` (a bug or corruption: INTERNAL).
Domain errors raised by the store's own logic pass through unchanged.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg
from sqlalchemy import exc as sa_exc

from ..domain.errors import AlreadyExists, DomainError, NotFound, Unavailable

__all__ = [
    "ConflictError",
    "StoreError",
    "StoreUnavailable",
    "translate_db_errors",
    "translate_driver_errors",
]


class StoreError(Exception):
    """An unexpected database failure (maps to INTERNAL); the message is safe to log."""


class StoreUnavailable(StoreError, Unavailable):
    """The database cannot be reached or stayed busy: retry later (maps to UNAVAILABLE)."""


class ConflictError(AlreadyExists):
    """A uniqueness constraint refused the write; `constraint` names it when known."""

    def __init__(self, message: str, constraint: str = "") -> None:
        super().__init__(message)
        self.constraint = constraint


_PG_UNIQUE = "23505"
_PG_FOREIGN_KEY = "23503"
# SQLSTATE classes: 08 connection exception, 40 transaction rollback
# (serialization failure, deadlock), 53 insufficient resources, 57 operator
# intervention (admin shutdown, cannot connect now), 55P03 lock not available.
_PG_UNAVAILABLE_CLASSES = ("08", "40", "53", "57")
_PG_UNAVAILABLE_CODES = ("55P03",)
_SQLITE_UNAVAILABLE = re.compile(
    r"database is locked|database table is locked|disk I/O error|unable to open"
)


def _sqlstate(err: BaseException | None) -> str:
    """The PostgreSQL SQLSTATE of a wrapped asyncpg error ('' if none)."""
    for candidate in (err, getattr(err, "__cause__", None)):
        code = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if isinstance(code, str):
            return code
    return ""


def _constraint_name(err: BaseException | None) -> str:
    for candidate in (err, getattr(err, "__cause__", None)):
        name = getattr(candidate, "constraint_name", None)
        if isinstance(name, str) and name:
            return name
    text = str(err or "")
    m = re.search(r"constraint failed: (.+)$", text, re.MULTILINE)
    return m.group(1).strip() if m else ""


def _classify_integrity(orig: BaseException | None) -> DomainError | StoreError:
    code = _sqlstate(orig)
    sqlite_name = str(getattr(orig, "sqlite_errorname", ""))
    text = str(orig)
    constraint = _constraint_name(orig)
    if (
        code == _PG_UNIQUE
        or sqlite_name in ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY")
        or "UNIQUE constraint failed" in text
    ):
        return ConflictError(f"already exists ({constraint or 'unique constraint'})", constraint)
    if (
        code == _PG_FOREIGN_KEY
        or sqlite_name == "SQLITE_CONSTRAINT_FOREIGNKEY"
        or "FOREIGN KEY constraint failed" in text
    ):
        return NotFound(f"a referenced resource does not exist ({constraint or 'foreign key'})")
    return StoreError(f"constraint violated: {text}")


def classify(e: sa_exc.SQLAlchemyError) -> DomainError | StoreError:
    """The error a caller sees for a SQLAlchemy/driver error."""
    if isinstance(e, sa_exc.IntegrityError):
        return _classify_integrity(e.orig)
    if isinstance(e, sa_exc.TimeoutError):  # connection pool exhausted
        return StoreUnavailable(f"database connection pool exhausted: {e}")
    if isinstance(e, sa_exc.DBAPIError):
        if e.connection_invalidated or isinstance(
            e, sa_exc.InterfaceError | sa_exc.DisconnectionError
        ):
            return StoreUnavailable(f"database connection lost: {e.orig}")
        code = _sqlstate(e.orig)
        if code[:2] in _PG_UNAVAILABLE_CLASSES or code in _PG_UNAVAILABLE_CODES:
            return StoreUnavailable(f"database unavailable ({code}): {e.orig}")
        if isinstance(e, sa_exc.OperationalError) and (
            not code or _SQLITE_UNAVAILABLE.search(str(e.orig))
        ):
            return StoreUnavailable(f"database unavailable: {e.orig}")
        return StoreError(f"database error: {e.orig}")
    return StoreError(f"database error: {e}")


@contextmanager
def translate_db_errors() -> Iterator[None]:
    """Re-raise SQLAlchemy/driver errors as domain or store errors (the cause kept)."""
    try:
        yield
    except sa_exc.SQLAlchemyError as e:
        raise classify(e) from e
    except (ConnectionError, OSError) as e:  # e.g. refused/reset before SQLAlchemy wraps it
        raise StoreUnavailable(f"database unreachable: {e}") from e


def _classify_driver(e: Exception) -> DomainError | StoreError:
    """The error a caller sees for a raw sqlite3 or asyncpg error (the hot path)."""
    if isinstance(e, sqlite3.IntegrityError | asyncpg.IntegrityConstraintViolationError):
        return _classify_integrity(e)
    if isinstance(e, sqlite3.OperationalError) and _SQLITE_UNAVAILABLE.search(str(e)):
        return StoreUnavailable(f"database unavailable: {e}")
    if isinstance(e, asyncpg.PostgresError):
        code = _sqlstate(e)
        if code[:2] in _PG_UNAVAILABLE_CLASSES or code in _PG_UNAVAILABLE_CODES:
            return StoreUnavailable(f"database unavailable ({code}): {e}")
    if isinstance(e, asyncpg.InterfaceError | ConnectionError | OSError):
        return StoreUnavailable(f"database connection lost: {e}")
    return StoreError(f"database error: {e}")


@contextmanager
def translate_driver_errors() -> Iterator[None]:
    """`translate_db_errors` for the drivers used directly (sqlite3, asyncpg)."""
    try:
        yield
    except (sqlite3.Error, asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as e:
        raise _classify_driver(e) from e
