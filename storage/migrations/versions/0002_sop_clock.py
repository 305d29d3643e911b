"""SOP clock: reminder log, acting officials (Plh/Plt), audit "as Plh of"

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reminder_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('anchor_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_reminder_log_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_log')),
    sa.UniqueConstraint('key', name=op.f('uq_reminder_log_key')),
    sa.UniqueConstraint('submission_id', 'round', 'kind', 'level', name='uq_reminder_log'),
    )
    with op.batch_alter_table('reminder_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_log_submission_id'), ['submission_id'], unique=False)

    op.create_table('acting_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('principal_id', sa.Integer(), nullable=False),
    sa.Column('acting_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['acting_id'], ['people.id'], name=op.f('fk_acting_assignments_acting_id_people')),
    sa.ForeignKeyConstraint(['created_by'], ['people.id'], name=op.f('fk_acting_assignments_created_by_people')),
    sa.ForeignKeyConstraint(['principal_id'], ['people.id'], name=op.f('fk_acting_assignments_principal_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acting_assignments')),
    )
    with op.batch_alter_table('acting_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acting_assignments_acting_id'), ['acting_id'], unique=False)

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acting_for_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_audit_events_acting_for_id_people'), 'people',
                                    ['acting_for_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_events_acting_for_id_people'), type_='foreignkey')
        batch_op.drop_column('acting_for_id')
    with op.batch_alter_table('acting_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acting_assignments_acting_id'))
    op.drop_table('acting_assignments')
    with op.batch_alter_table('reminder_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_log_submission_id'))
    op.drop_table('reminder_log')
