"""Expenses, their receipts and invoice discounts (SPEC §6 /expense, /invoice … discount).

An expense is a task of kind ``expense``: a fixed amount re-charged to the client, at its own tax rate where one
was given; its receipt (a photo or PDF) is kept in ``receipts``. Invoice lines say whether they bill work or an
expense (the PDF lists them in two sections); an invoice keeps the discount taken off its work.

Revision ID: 0012
Revises: 0011
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tasks", sa.Column("kind", sa.String(length=8), server_default="work", nullable=False))
    op.add_column("tasks", sa.Column("tax_rate", sa.String(length=40), nullable=True))
    op.add_column("invoice_lines", sa.Column("kind", sa.String(length=8), server_default="work", nullable=False))
    op.add_column("invoices", sa.Column("discount_minor", sa.BigInteger(), nullable=True))
    op.add_column("invoices", sa.Column("discount_percent", sa.String(length=40), nullable=True))
    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_receipts_account_id_accounts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_receipts_task_id_tasks"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipts")),
        sa.UniqueConstraint("task_id", name=op.f("uq_receipts_task_id")),
    )
    op.create_index(op.f("ix_receipts_account_id"), "receipts", ["account_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_receipts_account_id"), table_name="receipts")
    op.drop_table("receipts")
    with op.batch_alter_table("invoices") as batch:
        batch.drop_column("discount_percent")
        batch.drop_column("discount_minor")
    with op.batch_alter_table("invoice_lines") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("tax_rate")
        batch.drop_column("kind")
