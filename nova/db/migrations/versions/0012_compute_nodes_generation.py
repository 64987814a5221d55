"""compute_nodes.generation: the resource provider generation.

The Placement-compatible read API (nova/api/placement) shows each compute
node as a resource provider; its generation goes up whenever the node's
inventory or the allocations held on it change, as Placement's does.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('compute_nodes') as batch:
        batch.add_column(sa.Column('generation', sa.Integer, nullable=False,
                                   server_default='0'))


def downgrade():
    with op.batch_alter_table('compute_nodes') as batch:
        batch.drop_column('generation')
