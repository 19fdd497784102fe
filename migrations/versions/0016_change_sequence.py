"""Each account's change journal gets its own gapless sequence (``changes.seq``, ``accounts.last_change_seq``).

The live event stream (GET /api/v1/events) sends a change's number as its event id and resumes after the last one a
client saw. Numbers are taken under a lock of the account's row, so they commit in order; the journal's global ids
don't (two transactions may commit their ids out of order). Existing rows are numbered per account in id order.

Revision ID: 0016
Revises: 0015
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("last_change_seq", sa.Integer(), server_default="0", nullable=False))
    op.add_column("changes", sa.Column("seq", sa.Integer(), server_default="0", nullable=False))
    op.execute("UPDATE changes SET seq = (SELECT count(*) FROM changes AS earlier "
               "WHERE earlier.account_id = changes.account_id AND earlier.id <= changes.id)")
    op.execute("UPDATE accounts SET last_change_seq = (SELECT coalesce(max(seq), 0) FROM changes "
               "WHERE changes.account_id = accounts.id)")
    op.create_index("ix_changes_account_seq", "changes", ["account_id", "seq"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_changes_account_seq", table_name="changes")
    op.execute("ALTER TABLE changes DROP COLUMN seq")
    op.execute("ALTER TABLE accounts DROP COLUMN last_change_seq")
