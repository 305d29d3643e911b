"""Publication jobs: one per (revision, target, operation) on every database

The first release's 0001 keyed publication_jobs on (revision_id, target) only;
0001 was edited afterwards to add ``operation``, so databases created by the
first commits still refuse a withdrawal of a published revision ("UNIQUE
constraint failed: publication_jobs.revision_id, publication_jobs.target").
This brings every earlier schema to today's key and changes nothing where the
key is already right.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

TABLE = 'publication_jobs'
NAME = 'uq_publication_job'
KEY = ('revision_id', 'target', 'operation')


def _unique_keys() -> dict[str | None, tuple[str, ...]]:
    """Unique constraints on the table as they are in this database: name -> columns."""
    found = sa.inspect(op.get_bind()).get_unique_constraints(TABLE)
    return {uc['name']: tuple(uc['column_names']) for uc in found}


def upgrade() -> None:
    keys = _unique_keys()
    if keys.get(NAME) == KEY:
        return  # created by today's 0001: nothing to do
    stale = [name for name, cols in keys.items() if name == NAME or set(cols) == {'revision_id', 'target'}]
    # SQLite cannot drop a constraint in place: batch mode copies the table (render_as_batch in env.py).
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for name in stale:
            if name is not None:
                batch_op.drop_constraint(name, type_='unique')
        batch_op.create_unique_constraint(NAME, list(KEY))


def downgrade() -> None:
    # Today's key is what 0001 creates now: going back to 0003 keeps it.
    pass
