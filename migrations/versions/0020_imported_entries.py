"""/import: the keys of the Toggl Track and Clockify entries an account imported, so none imports twice.

Revision ID: 0020
Revises: 0019
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imported_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_imported_entries_account_id_accounts"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_entries")),
        sa.UniqueConstraint("account_id", "key", name=op.f("uq_imported_entries_account_id_key")),
    )
    op.create_index(op.f("ix_imported_entries_change_id"), "imported_entries", ["change_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_imported_entries_change_id"), table_name="imported_entries")
    op.drop_table("imported_entries")
