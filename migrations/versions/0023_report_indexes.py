"""Indexes for /report at any size of history: invoices by (account, issue day) and payments by (account, day
received), so a period's invoices and payments are a range read rather than a scan of every invoice and payment
the account ever had; and the index of tasks by invoice holds only billed tasks, so SQLite no longer reads the
unbilled ones through it (its statistics, a few dozen tasks per invoice, made a third of all tasks look cheap).

Revision ID: 0023
Revises: 0022
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


BILLED = "invoice_id IS NOT NULL"


def upgrade() -> None:
    op.create_index("ix_invoices_account_issue_date", "invoices", ["account_id", "issue_date"], unique=False)
    op.create_index("ix_payments_account_paid_on", "payments", ["account_id", "paid_on"], unique=False)
    op.drop_index("ix_tasks_invoice_id", table_name="tasks")
    op.create_index("ix_tasks_invoice_id", "tasks", ["invoice_id"], unique=False,
                    postgresql_where=sa.text(BILLED), sqlite_where=sa.text(BILLED))


def downgrade() -> None:
    op.drop_index("ix_tasks_invoice_id", table_name="tasks")
    op.create_index("ix_tasks_invoice_id", "tasks", ["invoice_id"], unique=False)
    op.drop_index("ix_payments_account_paid_on", table_name="payments")
    op.drop_index("ix_invoices_account_issue_date", table_name="invoices")
