"""Undo of anything: a credit note can be withdrawn (``invoices.withdrawn_at``) when its void is undone, and a
change of a secret profile field keeps the value it replaced encrypted (``changes.before_enc``).

One invoice has one credit note in force: the unique index on ``corrects_id`` now leaves withdrawn ones out, so an
invoice whose void was undone can be voided again.

Revision ID: 0014
Revises: 0013
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

IN_FORCE = sa.text("withdrawn_at IS NULL")


def upgrade() -> None:
    op.add_column("invoices", sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("changes", sa.Column("before_enc", sa.Text(), nullable=True))
    op.drop_index("ix_invoices_corrects_id", table_name="invoices")
    op.create_index("ix_invoices_corrects_id", "invoices", ["corrects_id"], unique=True,
                    sqlite_where=IN_FORCE, postgresql_where=IN_FORCE)


def downgrade() -> None:
    # A withdrawn credit note can't be told apart without its mark, and numbered documents are never deleted.
    if op.get_bind().scalar(sa.text("SELECT count(*) FROM invoices WHERE withdrawn_at IS NOT NULL")):
        raise RuntimeError("This database has withdrawn credit notes, which revision 0013 can't represent; "
                           "it stays at 0014.")
    op.drop_index("ix_invoices_corrects_id", table_name="invoices")
    op.create_index("ix_invoices_corrects_id", "invoices", ["corrects_id"], unique=True)
    op.execute("ALTER TABLE changes DROP COLUMN before_enc")
    op.execute("ALTER TABLE invoices DROP COLUMN withdrawn_at")
