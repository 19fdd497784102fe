"""The inbox's request bodies encrypted like the answers kept with them: ``inbox.payload_enc``, and the kept answer
renamed ``processed_messages.reply_enc`` so the start-up key check and `invoicebot rotate-key` cover both.

Rows stored before this keep their body in ``inbox.payload`` (now nullable) until they are handled and pruned, a
few minutes after; nothing acknowledged is dropped. The kept answers were encrypted already: only the name moves.

Revision ID: 0025
Revises: 0024
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.add_column(sa.Column("payload_enc", sa.Text(), nullable=True))
        batch.alter_column("payload", existing_type=sa.LargeBinary(), nullable=True)
    with op.batch_alter_table("processed_messages") as batch:
        batch.alter_column("reply", new_column_name="reply_enc", existing_type=sa.Text())


def downgrade() -> None:
    with op.batch_alter_table("processed_messages") as batch:
        batch.alter_column("reply_enc", new_column_name="reply", existing_type=sa.Text())
    op.execute("DELETE FROM inbox WHERE payload IS NULL")  # encrypted bodies: the older code can't read them
    with op.batch_alter_table("inbox") as batch:
        batch.alter_column("payload", existing_type=sa.LargeBinary(), nullable=False)
        batch.drop_column("payload_enc")
