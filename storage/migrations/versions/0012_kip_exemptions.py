"""The exemption record of an item classed dikecualikan (PerKI 1/2017)

* ``kip_exemptions``: the UU 14/2008 Pasal 17 ground (its letter a-j), the consequence test's
  reason, how long the information is excepted (years, or until a date), who decided and when;
  ``lifted_by`` / ``lifted_at`` when another class was chosen later (the record is kept).

A new table only: every earlier database gets it as it is; a database that has it already
(a re-run) is left alone.

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
# After 0011 (comments on the draft).
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "kip_exemptions" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table('kip_exemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=True),
    sa.Column('ground', sa.String(length=1), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('years', sa.Integer(), nullable=True),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lifted_by', sa.Integer(), nullable=True),
    sa.Column('lifted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['people.id'], name=op.f('fk_kip_exemptions_decided_by_people')),
    sa.ForeignKeyConstraint(['lifted_by'], ['people.id'], name=op.f('fk_kip_exemptions_lifted_by_people')),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_kip_exemptions_revision_id_revisions')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_kip_exemptions_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kip_exemptions'))
    )
    with op.batch_alter_table('kip_exemptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kip_exemptions_submission_id'), ['submission_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('kip_exemptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kip_exemptions_submission_id'))
    op.drop_table('kip_exemptions')
