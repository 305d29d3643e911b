"""Decided cards keep their text, per-person command menus, things said once

* ``review_messages.text``: the HTML a card (or a review reminder) was sent
  with, so the decision's outcome can be appended to it in one edit;
  looked up by (chat_id, message_id) when the outcome is drawn.
* ``people.menu``: the signature of the command menu last set for the
  person's chat, so start-up re-sends only the menus that changed.
* ``said_once``: keys of hints that must reach someone once only (the admins'
  "SITE_BASE_URL is not set").

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('review_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text', sa.Text(), nullable=True))
        batch_op.create_index('ix_review_messages_message', ['chat_id', 'message_id'], unique=False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('menu', sa.String(length=400), nullable=True))
    op.create_table(
        'said_once',
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('said_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_said_once')),
    )


def downgrade() -> None:
    op.drop_table('said_once')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('menu')
    with op.batch_alter_table('review_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_review_messages_message')
        batch_op.drop_column('text')
