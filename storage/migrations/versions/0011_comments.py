"""Comments on the draft, anchored to the words, and the messages a reply comments through

* ``comments``: a remark by the writer or a reviewer on an item's revision, anchored to the words
  they selected (part, quote, paragraph and offset, or an attachment), or a reply in a thread
  (``thread_id``); resolved threads are kept, a deleted comment keeps its row.  Unique by the
  Telegram message it came as, so a replayed update records nothing twice.
* ``comment_events``: who added, edited, deleted or resolved a comment, when (the audit of comments).
* ``item_messages``: the messages the bot sent about an item (a card's parts and photos, a
  comment's notice), so a reply to one of them comments on that item (or joins that thread).

New tables only: every earlier database gets them as they are; a database that has them
already (a re-run) is left alone.

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
# After 0010 (who set an item's public-information class).
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "comments" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('part', sa.String(length=16), nullable=False),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('paragraph', sa.Integer(), nullable=True),
    sa.Column('offset', sa.Integer(), nullable=True),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('source_chat_id', sa.BigInteger(), nullable=False),
    sa.Column('source_message_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_comments_attachment_id_attachments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_comments_author_id_people')),
    sa.ForeignKeyConstraint(['resolved_by'], ['people.id'], name=op.f('fk_comments_resolved_by_people')),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_comments_revision_id_revisions')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_comments_submission_id_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['comments.id'], name=op.f('fk_comments_thread_id_comments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments')),
    sa.UniqueConstraint('source_chat_id', 'source_message_id', name='uq_comment_source')
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_submission', ['submission_id', 'thread_id'], unique=False)

    op.create_table('comment_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['people.id'], name=op.f('fk_comment_events_actor_id_people')),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_events_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_comment_events_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_events'))
    )
    with op.batch_alter_table('comment_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_events_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_events_submission_id'), ['submission_id'], unique=False)

    op.create_table('item_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('message_id', sa.BigInteger(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_item_messages_attachment_id_attachments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_item_messages_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_item_messages_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_messages')),
    sa.UniqueConstraint('chat_id', 'message_id', name='uq_item_message')
    )
    with op.batch_alter_table('item_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_messages_submission_id'), ['submission_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('item_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_messages_submission_id'))

    op.drop_table('item_messages')
    with op.batch_alter_table('comment_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_events_submission_id'))
        batch_op.drop_index(batch_op.f('ix_comment_events_comment_id'))

    op.drop_table('comment_events')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_submission')

    op.drop_table('comments')
