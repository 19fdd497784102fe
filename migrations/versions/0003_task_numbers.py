"""Task numbers per account: each account's tasks are numbered 1, 2, 3 … in the order they were logged

Existing tasks are numbered per account in id order; ``accounts.last_task_number`` holds where each account's
sequence stands. The columns are added in place (no table rebuild on SQLite, where rebuilding ``tasks`` with
foreign keys on would cascade into the rows that refer to it).

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("last_task_number", sa.Integer(), server_default="0", nullable=False))
    op.add_column("tasks", sa.Column("number", sa.Integer(), server_default="0", nullable=False))
    op.execute(
        "UPDATE tasks SET number = numbered.n FROM "
        "(SELECT id, row_number() OVER (PARTITION BY account_id ORDER BY id) AS n FROM tasks) AS numbered "
        "WHERE tasks.id = numbered.id"
    )
    op.execute(
        "UPDATE accounts SET last_task_number = "
        "COALESCE((SELECT max(tasks.number) FROM tasks WHERE tasks.account_id = accounts.id), 0)"
    )
    op.create_index("ix_tasks_account_number", "tasks", ["account_id", "number"], unique=True)
    if op.get_bind().dialect.name != "sqlite":  # SQLite can't drop a default in place; it is never relied on
        op.alter_column("tasks", "number", server_default=None)


def downgrade() -> None:
    op.drop_index("ix_tasks_account_number", table_name="tasks")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("number")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("last_task_number")
