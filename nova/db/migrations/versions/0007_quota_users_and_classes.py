"""Per-user limits and quota classes (os-quota-sets, os-quota-class-sets).

quotas gains user_id: '' for the project's own limits (every existing row),
a user's id for that user's, so one unique constraint covers both.
quota_classes holds the limits of quota classes; the class 'default' is
what every project gets where the [quota] options would give it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-12
"""

from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quotas') as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.String(length=255),
                                      nullable=False, server_default=''))
        batch_op.drop_constraint('uniq_quotas0project_id0resource',
                                 type_='unique')
        batch_op.create_unique_constraint(
            'uniq_quotas0project_id0user_id0resource',
            ['project_id', 'user_id', 'resource'])
    op.create_table(
        'quota_classes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('class_name', sa.String(length=255), nullable=False),
        sa.Column('resource', sa.String(length=255), nullable=False),
        sa.Column('hard_limit', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('class_name', 'resource',
                            name='uniq_quota_classes0class_name0resource'),
    )
