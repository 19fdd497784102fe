"""Payments: an invoice is paid by one or more payments (``payments``) instead of one ``paid_on`` date.

Every invoice recorded as paid becomes one payment of its whole total on its ``paid_on`` day (the issue date where
none was kept), so the books read the same; then ``invoices.paid_on`` goes.

Revision ID: 0011
Revises: 0010
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_payments_account_id_accounts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], name=op.f("fk_payments_invoice_id_invoices"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    op.create_index(op.f("ix_payments_account_id"), "payments", ["account_id"], unique=False)
    op.create_index(op.f("ix_payments_invoice_id"), "payments", ["invoice_id"], unique=False)
    op.execute(
        "INSERT INTO payments (account_id, invoice_id, amount_minor, paid_on, created_at) "
        "SELECT account_id, id, total_minor, COALESCE(paid_on, issue_date), created_at FROM invoices "
        "WHERE status = 'paid' ORDER BY id"
    )
    # SQLite drops the column in place (3.35+): batch mode would copy and drop ``invoices``, which its lines and
    # tasks refer to, with foreign keys enforced.
    op.execute("ALTER TABLE invoices DROP COLUMN paid_on")


def downgrade() -> None:
    op.add_column("invoices", sa.Column("paid_on", sa.Date(), nullable=True))
    op.execute(
        "UPDATE invoices SET paid_on = (SELECT max(p.paid_on) FROM payments p WHERE p.invoice_id = invoices.id "
        "AND p.removed_at IS NULL) WHERE status = 'paid'"
    )
    op.drop_index(op.f("ix_payments_invoice_id"), table_name="payments")
    op.drop_index(op.f("ix_payments_account_id"), table_name="payments")
    op.drop_table("payments")
