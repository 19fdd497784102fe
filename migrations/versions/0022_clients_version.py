"""Each account counts the changes of its clients (``accounts.clients_version``), bumped by the database itself.

A worker keeps an account's client list in memory between messages and checks this number, read with the account's
row, before trusting it: triggers on ``clients`` raise it in the same transaction as any insert, update or delete of
one of the account's clients, whichever code (or process) makes it, so no change can be missed. A later migration
that rebuilds ``clients`` on SQLite (batch mode copies the table) must create these triggers again:
tests/test_client_cache.py fails without them.

Revision ID: 0022
Revises: 0021
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

BUMP = "UPDATE accounts SET clients_version = clients_version + 1 WHERE id IN ({rows})"
ROWS = {"INSERT": "NEW.account_id", "UPDATE": "NEW.account_id, OLD.account_id", "DELETE": "OLD.account_id"}
"""The accounts each kind of change touches: an update that moves a client to other books (linking two accounts)
changes both lists."""


def upgrade() -> None:
    op.add_column("accounts", sa.Column("clients_version", sa.Integer(), server_default="0", nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION bump_clients_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN {BUMP.format(rows=ROWS["INSERT"])};
                ELSIF TG_OP = 'UPDATE' THEN {BUMP.format(rows=ROWS["UPDATE"])};
                ELSE {BUMP.format(rows=ROWS["DELETE"])};
                END IF;
                RETURN NULL;
            END $$""")
        op.execute("CREATE TRIGGER clients_version AFTER INSERT OR UPDATE OR DELETE ON clients "
                   "FOR EACH ROW EXECUTE FUNCTION bump_clients_version()")
        return
    for event, rows in ROWS.items():
        op.execute(f"CREATE TRIGGER clients_version_{event.lower()} AFTER {event} ON clients "
                   f"BEGIN {BUMP.format(rows=rows)}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER clients_version ON clients")
        op.execute("DROP FUNCTION bump_clients_version()")
    else:
        for event in ROWS:
            op.execute(f"DROP TRIGGER clients_version_{event.lower()}")
    op.execute("ALTER TABLE accounts DROP COLUMN clients_version")
