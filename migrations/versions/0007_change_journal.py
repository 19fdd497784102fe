"""One change journal for every kind of change (``changes``), replacing the tasks-only ``task_changes``

Existing rows move over with their ids, order and state: ``log``/``edit``/``delete`` become ``task.log``/
``task.edit``/``task.delete`` with the task as the subject.

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_changes_account_id_accounts"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    op.create_index("ix_changes_account_undone", "changes", ["account_id", "undone_at"], unique=False)
    op.execute(
        "INSERT INTO changes (id, account_id, kind, subject_id, group_id, \"before\", created_at, undone_at) "
        "SELECT id, account_id, 'task.' || kind, task_id, NULL, \"before\", created_at, undone_at FROM task_changes"
    )
    if op.get_bind().dialect.name == "postgresql":  # the copied ids must not be handed out again
        op.execute("SELECT setval(pg_get_serial_sequence('changes', 'id'), "
                   "COALESCE((SELECT max(id) FROM changes), 0) + 1, false)")
    op.drop_index("ix_task_changes_account_id", table_name="task_changes")
    op.drop_table("task_changes")


def downgrade() -> None:
    op.create_table(
        "task_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_task_changes_account_id_accounts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_task_changes_task_id_tasks"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_changes")),
    )
    op.create_index("ix_task_changes_account_id", "task_changes", ["account_id"], unique=False)
    op.execute(
        "INSERT INTO task_changes (id, account_id, task_id, kind, \"before\", created_at, undone_at) "
        "SELECT id, account_id, subject_id, substr(kind, 6), \"before\", created_at, undone_at FROM changes "
        "WHERE kind LIKE 'task.%'"
    )
    op.drop_index("ix_changes_account_undone", table_name="changes")
    op.drop_table("changes")
