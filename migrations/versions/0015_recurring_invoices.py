"""Retainers: fixed-price invoices issued on a schedule (``recurring_invoices``, SPEC §6 /recurring).

Revision ID: 0015
Revises: 0014
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recurring_invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("send", sa.Boolean(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("chat_id", sa.String(length=128), nullable=False),
        sa.Column("next_on", sa.Date(), nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_invoice_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_recurring_invoices_account_id_accounts"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f("fk_recurring_invoices_client_id_clients")),
        sa.ForeignKeyConstraint(["last_invoice_id"], ["invoices.id"],
                                name=op.f("fk_recurring_invoices_last_invoice_id_invoices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurring_invoices")),
        sa.UniqueConstraint("account_id", "number", name=op.f("uq_recurring_invoices_account_id_number")),
    )
    op.create_index(op.f("ix_recurring_invoices_client_id"), "recurring_invoices", ["client_id"], unique=False)
    op.create_index("ix_recurring_invoices_due", "recurring_invoices", ["next_due_at"], unique=False,
                    postgresql_where=sa.text("active = true"), sqlite_where=sa.text("active = 1"))


def downgrade() -> None:
    op.drop_index("ix_recurring_invoices_due", table_name="recurring_invoices")
    op.drop_index(op.f("ix_recurring_invoices_client_id"), table_name="recurring_invoices")
    op.drop_table("recurring_invoices")
