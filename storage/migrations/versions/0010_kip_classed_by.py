"""Who set a submission's public-information class, and when

* ``submissions.kip_set_by`` / ``kip_set_at``: the person who last chose the class (the
  writer in the preview, a reviewer on the card) and the moment.  The Daftar Informasi
  yang Dikecualikan (/dip's second sheet) names them for every excepted item.  NULL for
  classes chosen before this migration, and for a class that is only the kind's default.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
# After 0009 (the inbox keyed by bot and update id).
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Not batch mode: a foreign key makes it copy the table, and dropping the old one while
        # foreign keys are on (storage/db.py) would cascade into every table that refers to
        # submissions (audit events, attachments...).  SQLite adds a nullable column with its
        # REFERENCES in place.
        op.execute("ALTER TABLE submissions ADD COLUMN kip_set_by INTEGER "
                   "CONSTRAINT fk_submissions_kip_set_by_people REFERENCES people (id)")
        op.execute("ALTER TABLE submissions ADD COLUMN kip_set_at DATETIME")
        return
    op.add_column('submissions', sa.Column('kip_set_by', sa.Integer(), nullable=True))
    op.add_column('submissions', sa.Column('kip_set_at', sa.DateTime(timezone=True), nullable=True))
    op.create_foreign_key(op.f('fk_submissions_kip_set_by_people'), 'submissions', 'people', ['kip_set_by'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        if op.get_bind().dialect.name != "sqlite":  # SQLite's copy of the table leaves the constraint out with its column
            batch_op.drop_constraint(op.f('fk_submissions_kip_set_by_people'), type_='foreignkey')
        batch_op.drop_column('kip_set_at')
        batch_op.drop_column('kip_set_by')
