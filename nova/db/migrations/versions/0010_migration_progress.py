"""Live migration progress on migrations: memory_* and disk_* (bytes).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

COLUMNS = ('memory_total', 'memory_processed', 'memory_remaining',
           'disk_total', 'disk_processed', 'disk_remaining')


def upgrade():
    with op.batch_alter_table('migrations') as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.BigInteger))


def downgrade():
    with op.batch_alter_table('migrations') as batch:
        for name in COLUMNS:
            batch.drop_column(name)
