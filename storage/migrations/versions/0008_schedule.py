"""Announcements that expire ("berlaku sampai")

* ``submissions.expires_at``: when a published pengumuman is withdrawn by
  itself (the SOP clock's sweep finds it by this indexed column, so a restart
  loses nothing).  Scheduled publishing needs no column: its jobs wait in
  ``publication_jobs.next_attempt_at``.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_submissions_expires_at', ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_expires_at')
        batch_op.drop_column('expires_at')
