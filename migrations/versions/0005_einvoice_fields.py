"""What an invoice a European accountant accepts needs: countries, VAT ids, tax number, exemption sentence, buyer
reference, per-line VAT category and rate, and credit notes (their own series, each referring to one invoice).

The old single ``profiles.tax_id_enc`` stays for now: splitting it into ``vat_id_enc`` or ``tax_number_enc``
needs to decrypt it, and migrations have no keys. ``core.tax_ids.split_legacy_tax_ids`` does it where the keys
are (every start and ``invoicebot migrate``), idempotently; a later migration can drop the column.

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Columns are added in place: rebuilding a table on SQLite (batch mode) with foreign keys on would cascade
    # into the rows that refer to it (invoice_lines → invoices).
    op.add_column("clients", sa.Column("country", sa.String(length=2), nullable=True))
    op.add_column("clients", sa.Column("vat_id", sa.String(length=32), nullable=True))
    op.add_column("clients", sa.Column("reference", sa.String(length=200), nullable=True))
    op.add_column("invoice_lines", sa.Column("tax_category", sa.String(length=2), nullable=True))
    op.add_column("invoice_lines", sa.Column("tax_rate", sa.String(length=40), nullable=True))
    op.add_column("invoices", sa.Column("kind", sa.String(length=16), server_default="invoice", nullable=False))
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":  # SQLite adds no constraint to a table, but takes one inline
        if "corrects_id" not in {c["name"] for c in sa.inspect(bind).get_columns("invoices")}:  # see downgrade
            op.execute("ALTER TABLE invoices ADD COLUMN corrects_id INTEGER "
                       "CONSTRAINT fk_invoices_corrects_id_invoices REFERENCES invoices (id)")
    else:
        op.add_column("invoices", sa.Column("corrects_id", sa.Integer(),
                                            sa.ForeignKey("invoices.id", name="fk_invoices_corrects_id_invoices"),
                                            nullable=True))
    op.create_index("ix_invoices_corrects_id", "invoices", ["corrects_id"], unique=True)
    op.add_column("profiles", sa.Column("country", sa.String(length=2), nullable=True))
    op.add_column("profiles", sa.Column("vat_id_enc", sa.Text(), nullable=True))
    op.add_column("profiles", sa.Column("tax_number_enc", sa.Text(), nullable=True))
    op.add_column("profiles", sa.Column("vat_exempt", sa.Text(), nullable=True))
    op.add_column("profiles", sa.Column("credit_note_format", sa.String(length=64),
                                        server_default="CN-{year}-{seq:04}", nullable=False))


def downgrade() -> None:
    op.drop_index("ix_invoices_corrects_id", table_name="invoices")
    for column in ("credit_note_format", "vat_exempt", "tax_number_enc", "vat_id_enc", "country"):
        op.drop_column("profiles", column)
    if op.get_bind().dialect.name == "sqlite":
        # Rebuilding invoices would cascade into invoice_lines, and SQLite drops no column that has a foreign key
        # in place: corrects_id stays, unused, and a later upgrade finds it there.
        op.drop_column("invoices", "kind")
    else:
        op.drop_constraint("fk_invoices_corrects_id_invoices", "invoices", type_="foreignkey")
        op.drop_column("invoices", "corrects_id")
        op.drop_column("invoices", "kind")
    for table, column in (("invoice_lines", "tax_rate"), ("invoice_lines", "tax_category"), ("clients", "reference"),
                          ("clients", "vat_id"), ("clients", "country")):
        op.drop_column(table, column)  # in place, on SQLite too (3.35+): no index or key on these
