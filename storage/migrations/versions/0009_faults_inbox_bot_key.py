"""The inbox is keyed by (bot id, update id)

Telegram numbers updates per bot.  Keyed by ``update_id`` alone, a database
restored onto a new bot token (or ids Telegram reuses) made the new bot's
updates look handled already, and they were dropped silently.

* ``inbox_updates.bot_id``: the bot that received the update (its token's
  number).  Rows stored before this migration get ``0``, "a bot not
  recorded": they are never mistaken for the current bot's updates, and
  those not yet handled are still handled at the next start.
* The primary key becomes ``(update_id, bot_id)``.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _primary_key() -> list[str]:
    return list(sa.inspect(op.get_bind()).get_pk_constraint('inbox_updates')['constrained_columns'])


def upgrade() -> None:
    columns = {c['name'] for c in sa.inspect(op.get_bind()).get_columns('inbox_updates')}
    if 'bot_id' not in columns:
        with op.batch_alter_table('inbox_updates', schema=None) as batch_op:
            batch_op.add_column(sa.Column('bot_id', sa.BigInteger(), nullable=False, server_default='0'))
    if sorted(_primary_key()) != ['bot_id', 'update_id']:
        with op.batch_alter_table('inbox_updates', schema=None, recreate='always') as batch_op:
            batch_op.drop_constraint('pk_inbox_updates', type_='primary')
            batch_op.create_primary_key('pk_inbox_updates', ['update_id', 'bot_id'])


def downgrade() -> None:
    # Back to one row per update id: where bots share an id, the row of the highest bot id stays.
    op.get_bind().execute(sa.text(
        "DELETE FROM inbox_updates WHERE EXISTS (SELECT 1 FROM inbox_updates AS o "
        "WHERE o.update_id = inbox_updates.update_id AND o.bot_id > inbox_updates.bot_id)"))
    with op.batch_alter_table('inbox_updates', schema=None, recreate='always') as batch_op:
        batch_op.drop_constraint('pk_inbox_updates', type_='primary')
        batch_op.create_primary_key('pk_inbox_updates', ['update_id'])
        batch_op.drop_column('bot_id')
