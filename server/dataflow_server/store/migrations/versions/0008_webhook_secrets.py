"""Webhook signing secrets per tenant, with a rotation window.

The single secret the server generated at its first start (the `webhook_secret`
setting) becomes the default tenant's, so receivers keep verifying; it is then
removed from the settings.

Revision ID: 0008_webhook_secrets
Revises: 0007_ui_sessions
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from dataflow_server.store.models import UtcDateTime

revision: str = "0008_webhook_secrets"
down_revision: str | None = "0007_ui_sessions"
branch_labels: str | None = None
depends_on: str | None = None

_SETTING = "webhook_secret"  # webhooks.signing's former WEBHOOK_SECRET_SETTING
_SETTINGS = sa.table("settings", sa.column("key"), sa.column("tenant_id"), sa.column("value"))
_SECRETS = sa.table(
    "webhook_secrets",
    sa.column("tenant_id"),
    sa.column("current_secret"),
    sa.column("created_at", UtcDateTime()),
)


def upgrade() -> None:
    op.create_table(
        "webhook_secrets",
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("current_secret", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("previous_secret", sa.Text(), nullable=True),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("previous_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_webhook_secrets"),
    )
    bind = op.get_bind()
    old = bind.execute(
        sa.select(_SETTINGS.c.tenant_id, _SETTINGS.c.value).where(_SETTINGS.c.key == _SETTING)
    ).first()
    if old is not None:
        bind.execute(
            _SECRETS.insert().values(
                tenant_id=old.tenant_id, current_secret=old.value, created_at=datetime.now(UTC)
            )
        )
        bind.execute(_SETTINGS.delete().where(_SETTINGS.c.key == _SETTING))


def downgrade() -> None:
    bind = op.get_bind()
    current = bind.execute(
        sa.select(_SECRETS.c.tenant_id, _SECRETS.c.current_secret).where(
            _SECRETS.c.tenant_id == "default"
        )
    ).first()
    if current is not None:
        bind.execute(
            _SETTINGS.insert().values(
                key=_SETTING, tenant_id=current.tenant_id, value=current.current_secret
            )
        )
    op.drop_table("webhook_secrets")
