"""Billing increments: the profile's rounding and a client's own (minutes; see core/rounding.py).

Revision ID: 0009
Revises: 0008
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("profiles", sa.Column("rounding", sa.Integer(), nullable=True))
    op.add_column("clients", sa.Column("rounding", sa.Integer(), nullable=True))


def downgrade() -> None:
    for table in ("clients", "profiles"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("rounding")
