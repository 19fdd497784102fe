"""What an invoice a European accountant accepts needs: countries, VAT ids, tax number, exemption sentence, buyer
reference, per-line VAT category and rate, and credit notes (their own series, each referring to one invoice).

The old single ``profiles.tax_id_enc`` stays for now: splitting it into ``vat_id_enc`` or ``tax_number_enc``
needs to decrypt it, and migrations have no keys. ``core.tax_ids.split_legacy_tax_ids`` does it where the keys
are (every start and ``invoicebot migrate``), idempotently; a later migration can drop the column.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('country', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('vat_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('reference', sa.String(length=200), nullable=True))

    with op.batch_alter_table('invoice_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_category', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('tax_rate', sa.String(length=40), nullable=True))

    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='invoice', nullable=False))
        batch_op.add_column(sa.Column('corrects_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_invoices_corrects_id'), ['corrects_id'])
        batch_op.create_foreign_key(batch_op.f('fk_invoices_corrects_id_invoices'), 'invoices', ['corrects_id'], ['id'])

    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('country', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('vat_id_enc', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('tax_number_enc', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('vat_exempt', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('credit_note_format', sa.String(length=64), server_default='CN-{year}-{seq:04}', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_column('credit_note_format')
        batch_op.drop_column('vat_exempt')
        batch_op.drop_column('tax_number_enc')
        batch_op.drop_column('vat_id_enc')
        batch_op.drop_column('country')

    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invoices_corrects_id_invoices'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_invoices_corrects_id'), type_='unique')
        batch_op.drop_column('corrects_id')
        batch_op.drop_column('kind')

    with op.batch_alter_table('invoice_lines', schema=None) as batch_op:
        batch_op.drop_column('tax_rate')
        batch_op.drop_column('tax_category')

    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('reference')
        batch_op.drop_column('vat_id')
        batch_op.drop_column('country')

