"""Alembic environment of the Dataflow schema.

Two ways in:
- `dataflow_server.store.database.run_migrations(engine)` (what the server
  does at start) passes an open connection, inside a transaction that already
  holds the migration lock, in `config.attributes["connection"]`.
- The `alembic` command API with `database.alembic_config(url)` (no ini
  file): this env opens its own engine from `sqlalchemy.url`, takes the same
  lock, and migrates.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection, text

from dataflow_server.store.database import MIGRATION_LOCK_KEY, create_engine
from dataflow_server.store.models import metadata

config = context.config


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        # SQLite cannot ALTER most things: later migrations use batch mode there.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    """`--sql` mode: print the DDL instead of running it."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def _locked_run(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
    _configure_and_run(connection)


async def _run_with_own_engine(url: str) -> None:
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_locked_run)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection and no sqlalchemy.url: use database.alembic_config(url)")
    asyncio.run(_run_with_own_engine(url))


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
