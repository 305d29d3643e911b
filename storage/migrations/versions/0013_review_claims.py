"""Who is on it: a claim on a review ("🙋 Saya periksa", issue 21)

* ``review_claims``: one holder of the role an item waits for took it on, for one revision at one
  step, until released or timed out (kept, for /riwayat).

A new table only: every earlier database gets it as it is; a database that has it already (a
re-run) is left alone.

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "review_claims" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table('review_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_review_claims_person_id_people')),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_review_claims_revision_id_revisions')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_review_claims_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_claims'))
    )
    with op.batch_alter_table('review_claims', schema=None) as batch_op:
        batch_op.create_index('ix_review_claims_open', ['submission_id', 'ended_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('review_claims', schema=None) as batch_op:
        batch_op.drop_index('ix_review_claims_open')
    op.drop_table('review_claims')
