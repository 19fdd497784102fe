"""Languages: the one the user chose (/language) and the one their chat app reports, a client's invoice language,
and the language each invoice was issued in.

Invoices issued before this revision were printed in English, so they keep English: re-sending one gives the same
PDF. The columns are added in place, as in 0003.

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column("accounts", sa.Column("platform_locale", sa.String(length=16), nullable=True))
    op.add_column("clients", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column("invoices", sa.Column("language", sa.String(length=8), server_default="en", nullable=False))
    if op.get_bind().dialect.name != "sqlite":  # SQLite can't drop a default in place; every insert sets it
        op.alter_column("invoices", "language", server_default=None)


def downgrade() -> None:
    for table, column in (("invoices", "language"), ("clients", "language"), ("accounts", "platform_locale"),
                          ("accounts", "language")):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
