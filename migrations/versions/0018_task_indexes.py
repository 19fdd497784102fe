"""Indexes for /tasks, /invoice and /report at any number of tasks: the unbilled index becomes partial (only the
unbilled, undeleted tasks, in date order per client) and tasks get an (account, date) index for reports.

Revision ID: 0018
Revises: 0017
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

UNBILLED = "invoice_id IS NULL AND deleted_at IS NULL"


def upgrade() -> None:
    op.drop_index("ix_tasks_unbilled", table_name="tasks")
    op.create_index("ix_tasks_unbilled", "tasks", ["account_id", "client_id", "work_date", "id"], unique=False,
                    postgresql_where=sa.text(UNBILLED), sqlite_where=sa.text(UNBILLED))
    op.create_index("ix_tasks_account_date", "tasks", ["account_id", "work_date"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_tasks_account_date", table_name="tasks")
    op.drop_index("ix_tasks_unbilled", table_name="tasks")
    op.create_index("ix_tasks_unbilled", "tasks", ["account_id", "client_id", "invoice_id", "deleted_at"],
                    unique=False)
