"""The office an owed message is about (issue 20)

* ``outgoing_messages.office_id``: the office whose transition or reply owed the message (its
  buttons are that office's, its card reads that office's rows); NULL: the deployment's own
  (storage alerts, a message owed before offices, which is office no. 1's).

A new nullable column: every earlier row keeps NULL, which the postman reads as office no. 1.

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("outgoing_messages")}
    if "office_id" in columns:
        return
    with op.batch_alter_table("outgoing_messages") as batch:
        batch.add_column(sa.Column("office_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outgoing_messages") as batch:
        batch.drop_column("office_id")
