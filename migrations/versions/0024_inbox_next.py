"""An index of the inbox's undone rows in arrival order, for the claim: without it, each claim walked every row
answered in the last ten minutes (kept for re-deliveries) before reaching the first waiting one.

Revision ID: 0024
Revises: 0023
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_inbox_next", "inbox", ["platform", "id"], unique=False,
                    postgresql_where=sa.text("done_at IS NULL"), sqlite_where=sa.text("done_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_inbox_next", table_name="inbox")
