"""A project's servers in list order: (project_id, deleted, created_at, id)
instead of (project_id, deleted), so that a project's list, newest first,
is read in index order instead of sorted.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('instances') as batch_op:
        batch_op.create_index('instances_project_id_deleted_created_at_idx',
                              ['project_id', 'deleted', 'created_at', 'id'])
        batch_op.drop_index('instances_project_id_deleted_idx')
