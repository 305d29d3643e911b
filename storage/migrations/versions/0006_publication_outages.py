"""A target that keeps failing is an outage the admins hear of

* ``publication_jobs.failing_since``: when the job's current run of failed
  attempts began (cleared when it succeeds), so the outbox knows how long a
  target has been failing.
* ``publication_jobs.outage_told_at``: when the admins (and the writer) were
  told of that outage, so it is said once and its recovery is said too.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('publication_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failing_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('outage_told_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('publication_jobs', schema=None) as batch_op:
        batch_op.drop_column('outage_told_at')
        batch_op.drop_column('failing_since')
