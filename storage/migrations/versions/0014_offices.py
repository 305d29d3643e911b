"""Offices: one deployment serves many government offices (issue 20)

* ``offices``: id, slug (unique: folders, URLs), name, created_at, active.  Office **1** (slug
  ``kantor``, name ``Kantor``) is the office the deployment served so far.
* ``office_id`` on every tenant table (not null, a foreign key to ``offices``, default 1): every
  existing row becomes office 1's, and code that names no office goes on writing office 1.
* What was unique in the deployment and is an office's own becomes unique per office: a section's
  name, a role grant, the reminder log's key (one monthly report per office), a kind's default
  public-information class (``kip_defaults``' key becomes (office_id, kind)).  Telegram's own
  identities (a chat's message, an invitation's code) stay unique in the deployment.
* Indexes for what is listed per office: submissions by (office_id, state), audit events by
  (office_id, at), acting assignments by office.
* ``people.current_office_id``: the office a person is working in now (null: not chosen).
* PostgreSQL only: row-level security on every tenant table, enabled and forced (the owner, which
  the bot connects as, is subject to it), with one policy for reads and writes:
  ``office_id = terbit_office() OR terbit_everywhere()`` -- the transaction's ``terbit.office``
  setting names an office, or is ``*`` (the deployment's sessions, and migrations); unset or
  anything else sees no row and writes none (storage/tenancy.py explains the design).

SQLite changes constraints by copying a table (batch mode), which is only safe with foreign keys
off (with them on, dropping the old table first deletes its rows, and ON DELETE CASCADE deletes the
rows referring to them): storage.db.upgrade turns them off for the migrations; this one refuses to
run where they are on and cannot be turned off (inside a transaction that already wrote).

Re-running it on a database that has the change already does nothing more.  Downgrading is refused
while a second office exists (its rows would become office 1's).

Revision ID: 0014
Revises: 0013
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

#: Every table whose rows belong to one office, as of this migration.
TENANT_TABLES = (
    'sections', 'role_grants', 'invitations', 'submissions', 'revisions', 'attachments', 'audit_events',
    'review_messages', 'publication_jobs', 'reminder_log', 'acting_assignments', 'kip_defaults',
    'kip_exemptions', 'comments', 'comment_events', 'item_messages', 'review_claims',
)

#: Unique keys that become per office: table -> (old columns, new name, new columns).
PER_OFFICE_UNIQUE = {
    'sections': (['name'], 'uq_sections_office_name', ['office_id', 'name']),
    'role_grants': (['person_id', 'role', 'section_id'], 'uq_role_grant', ['office_id', 'person_id', 'role',
                                                                          'section_id']),
    'reminder_log': (['key'], 'uq_reminder_log_office_key', ['office_id', 'key']),
}
#: The unique keys as they were before (downgrade).
OLD_UNIQUE_NAMES = {'sections': 'uq_sections_name', 'role_grants': 'uq_role_grant',
                    'reminder_log': 'uq_reminder_log_key'}

#: Indexes for what is listed per office: name -> (table, columns).
OFFICE_INDEXES = {
    'ix_submissions_office_state': ('submissions', ['office_id', 'state']),
    'ix_audit_events_office_at': ('audit_events', ['office_id', 'at']),
    'ix_acting_assignments_office_id': ('acting_assignments', ['office_id']),
}

#: The two functions the policies call (one statement each: asyncpg runs one per call).
OFFICE_FUNCTIONS = (
    """CREATE OR REPLACE FUNCTION terbit_office() RETURNS integer LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN current_setting('terbit.office', true) ~ '^[1-9][0-9]{0,8}$'
                    THEN current_setting('terbit.office', true)::integer END
    $$""",
    """COMMENT ON FUNCTION terbit_office() IS
        'The office this transaction is scoped to (terbit.office), or NULL: not an office''s number'""",
    """CREATE OR REPLACE FUNCTION terbit_everywhere() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT coalesce(current_setting('terbit.office', true) = '*', false)
    $$""",
    """COMMENT ON FUNCTION terbit_everywhere() IS
        'This transaction is the deployment''s (terbit.office = *): it sees every office'""",
)
POLICY = 'office_wall'
WALL = 'office_id = terbit_office() OR terbit_everywhere()'


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def _foreign_keys_off() -> None:
    """SQLite: batch mode's table copies need foreign keys off (see the docstring)."""
    bind = op.get_bind()
    if bind.exec_driver_sql('PRAGMA foreign_keys').scalar():
        bind.exec_driver_sql('PRAGMA foreign_keys=OFF')
        if bind.exec_driver_sql('PRAGMA foreign_keys').scalar():
            raise RuntimeError(
                "0014 copies tables, which deletes rows while SQLite's foreign keys are on, and they cannot be "
                "turned off inside this transaction: run the migrations with storage.db.upgrade (or the "
                "alembic command line), which run them with foreign keys off")


def _see_every_office() -> None:
    """PostgreSQL: this transaction sees and writes every office's rows (row-level security)."""
    if _postgresql():
        op.execute(sa.text("SELECT set_config('terbit.office', '*', true)"))


def _columns(table: str) -> set[str]:
    return {c['name'] for c in sa.inspect(op.get_bind()).get_columns(table)}


def _unique_name(table: str, columns: list[str]) -> str | None:
    for uq in sa.inspect(op.get_bind()).get_unique_constraints(table):
        if list(uq['column_names']) == columns:
            return uq['name']
    return None


def _batch(table: str):
    """SQLite: the table copied with the change; PostgreSQL: ALTER TABLE.  The tables the copied one
    refers to are not reflected with it (resolve_fks): they are not copied, and reflecting them
    made this migration four times slower."""
    return op.batch_alter_table(table, schema=None, recreate='always' if _sqlite() else 'auto',
                                reflect_kwargs={'resolve_fks': False})


def upgrade() -> None:
    bind = op.get_bind()
    if _sqlite():
        _foreign_keys_off()
    _see_every_office()
    if 'offices' not in sa.inspect(bind).get_table_names():
        op.create_table('offices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_offices')),
        sa.UniqueConstraint('slug', name=op.f('uq_offices_slug'))
        )
    if bind.execute(sa.text('SELECT count(*) FROM offices WHERE id = 1')).scalar() == 0:
        offices = sa.table('offices', sa.column('id', sa.Integer()), sa.column('slug', sa.String()),
                           sa.column('name', sa.String()), sa.column('created_at', sa.DateTime(timezone=True)),
                           sa.column('active', sa.Boolean()))
        op.bulk_insert(offices, [{'id': 1, 'slug': 'kantor', 'name': 'Kantor', 'created_at': datetime.now(UTC),
                                  'active': True}])
        if _postgresql():  # the next office created without an id is 2, not 1
            op.execute(sa.text("SELECT setval(pg_get_serial_sequence('offices', 'id'), "
                               "(SELECT max(id) FROM offices))"))

    if 'current_office_id' not in _columns('people'):
        with _batch('people') as batch_op:
            batch_op.add_column(sa.Column('current_office_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f('fk_people_current_office_id_offices'), 'offices',
                                        ['current_office_id'], ['id'])

    for table in TENANT_TABLES:
        if 'office_id' in _columns(table):
            continue
        old_unique = _unique_name(table, PER_OFFICE_UNIQUE[table][0]) if table in PER_OFFICE_UNIQUE else None
        with _batch(table) as batch_op:
            batch_op.add_column(sa.Column('office_id', sa.Integer(), server_default='1', nullable=False))
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_office_id_offices'), 'offices', ['office_id'], ['id'])
            if table in PER_OFFICE_UNIQUE:
                _, name, columns = PER_OFFICE_UNIQUE[table]
                if old_unique is not None:
                    batch_op.drop_constraint(old_unique, type_='unique')
                batch_op.create_unique_constraint(name, columns)
            if table == 'kip_defaults':
                batch_op.drop_constraint('pk_kip_defaults', type_='primary')
                batch_op.create_primary_key('pk_kip_defaults', ['office_id', 'kind'])
            for name, (on, columns) in OFFICE_INDEXES.items():
                if on == table:
                    batch_op.create_index(name, columns, unique=False)

    if _postgresql():
        for statement in OFFICE_FUNCTIONS:
            op.execute(sa.text(statement))
        for table in TENANT_TABLES:
            op.execute(sa.text(f'ALTER TABLE {table} ENABLE ROW LEVEL SECURITY'))
            op.execute(sa.text(f'ALTER TABLE {table} FORCE ROW LEVEL SECURITY'))
            op.execute(sa.text(f'DROP POLICY IF EXISTS {POLICY} ON {table}'))
            op.execute(sa.text(f'CREATE POLICY {POLICY} ON {table} USING ({WALL}) WITH CHECK ({WALL})'))


def downgrade() -> None:
    bind = op.get_bind()
    if _sqlite():
        _foreign_keys_off()
    _see_every_office()
    if bind.execute(sa.text('SELECT count(*) FROM offices WHERE id <> 1')).scalar():
        raise RuntimeError("0014 is not undone while a second office exists: its rows would become office 1's")
    if _postgresql():
        for table in TENANT_TABLES:
            op.execute(sa.text(f'DROP POLICY IF EXISTS {POLICY} ON {table}'))
            op.execute(sa.text(f'ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY'))
            op.execute(sa.text(f'ALTER TABLE {table} DISABLE ROW LEVEL SECURITY'))
        op.execute(sa.text('DROP FUNCTION IF EXISTS terbit_office()'))
        op.execute(sa.text('DROP FUNCTION IF EXISTS terbit_everywhere()'))
    for table in reversed(TENANT_TABLES):
        with _batch(table) as batch_op:
            for name, (on, _) in OFFICE_INDEXES.items():
                if on == table:
                    batch_op.drop_index(name)
            if table == 'kip_defaults':
                batch_op.drop_constraint('pk_kip_defaults', type_='primary')
                batch_op.create_primary_key('pk_kip_defaults', ['kind'])
            if table in PER_OFFICE_UNIQUE:
                old_columns, name, _ = PER_OFFICE_UNIQUE[table]
                batch_op.drop_constraint(name, type_='unique')
                batch_op.create_unique_constraint(OLD_UNIQUE_NAMES[table], old_columns)
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_office_id_offices'), type_='foreignkey')
            batch_op.drop_column('office_id')
    with _batch('people') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_people_current_office_id_offices'), type_='foreignkey')
        batch_op.drop_column('current_office_id')
    op.drop_table('offices')
