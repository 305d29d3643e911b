"""Public-information class (UU 14/2008) per submission, and per-kind defaults

* ``submissions.kip_class``: berkala | serta_merta | setiap_saat |
  dikecualikan; NULL means the kind's default.
* ``kip_defaults``: the admin's default class for each kind.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kip_class', sa.String(length=20), nullable=True))
    op.create_table(
        'kip_defaults',
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('kip_class', sa.String(length=20), nullable=False),
        sa.Column('set_by', sa.Integer(), nullable=True),
        sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['set_by'], ['people.id'], name=op.f('fk_kip_defaults_set_by_people')),
        sa.PrimaryKeyConstraint('kind', name=op.f('pk_kip_defaults')),
    )


def downgrade() -> None:
    op.drop_table('kip_defaults')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('kip_class')
