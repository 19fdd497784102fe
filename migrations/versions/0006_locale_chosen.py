"""Whether the user chose their locale (/profile set locale): only a chosen locale orders numeric dates and picks
the language a phrase is read in first (SPEC §5); a default the user never chose decides nothing, the timezone's
country does.

Every profile so far got en_GB (or the chat app's locale) without being asked, and none can be told apart from a
choice: all start as not chosen. The column is added in place.

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("profiles", sa.Column("locale_chosen", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("locale_chosen")
