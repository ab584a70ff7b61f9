"""Read-only admin commands of `dataflow-server` (e.g. ``webhook-secret``).

They read the data of a server that already ran and never create anything:
no data dir, no database file, no schema, no setting. When there is nothing
to read they say where they looked and how to point them elsewhere, since a
command run from another folder would otherwise read the wrong data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from .config import Settings
from .domain.access import DEFAULT_TENANT
from .domain.webhook_secrets import WebhookSecrets
from .store.database import (
    create_engine,
    current_revision,
    open_store,
    sqlite_path,
    sqlite_url,
)
from .store.errors import StoreError, translate_db_errors
from .store.sql import SqlStore

__all__ = ["ServerData", "ServerDataError", "locate_server_data", "read_webhook_secret"]

_POINT_IT = "point to the server's data with DATAFLOW_DATA_DIR=DIR or --data-dir DIR"


class ServerDataError(Exception):
    """There is no server data where the command looked, or it cannot be read;
    the message says where and what to do."""


@dataclass(frozen=True)
class ServerData:
    """The database a read-only command reads, and how to name it to the user."""

    url: str
    where: str


def locate_server_data(settings: Settings) -> ServerData:
    """The server's existing database, or `ServerDataError` (nothing is created)."""
    if settings.database_url:
        return ServerData(settings.database_url, "the database of DATAFLOW_DATABASE_URL")
    path = sqlite_path(settings.data_dir)
    if not path.is_file():
        raise ServerDataError(
            f"no Dataflow database in the data dir {path.parent} (looked for {path.name}); "
            f"{_POINT_IT}"
        )
    return ServerData(sqlite_url(path), f"the data dir {path.parent}")


async def _open_existing(data: ServerData) -> SqlStore:
    """The store of an existing, migrated database, opened without migrating."""
    engine = create_engine(data.url)
    try:
        with translate_db_errors():
            revision = await current_revision(engine)
    except StoreError as exc:
        raise ServerDataError(f"cannot read {data.where}: {exc}") from exc
    finally:
        await engine.dispose()
    if revision is None:
        raise ServerDataError(f"{data.where} holds no Dataflow data; {_POINT_IT}")
    return await open_store(data.url, migrate=False)


async def read_webhook_secret(
    settings: Settings, tenant_id: str = DEFAULT_TENANT
) -> tuple[WebhookSecrets, str]:
    """A tenant's webhook signing secrets as they are now, and where they were read from."""
    if settings.webhook_secret and tenant_id == DEFAULT_TENANT:  # fixed: never rotated
        return WebhookSecrets(tenant_id, settings.webhook_secret, datetime.now(UTC)), (
            "DATAFLOW_WEBHOOK_SECRET"
        )
    data = locate_server_data(settings)
    store = await _open_existing(data)
    try:
        found = await store.find_webhook_secrets(tenant_id)
        now = store.now()
    finally:
        await store.close()
    if found is None:
        when = (
            "the server creates it at its first start"
            if tenant_id == DEFAULT_TENANT
            else "it is created at the tenant's first delivery or GetWebhookSecret"
        )
        raise ServerDataError(f"{data.where} has no webhook secret of tenant {tenant_id!r}: {when}")
    return found.as_of(now), data.where
