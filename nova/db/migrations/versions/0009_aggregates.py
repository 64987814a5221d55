"""Host aggregates: aggregates, aggregate_hosts, aggregate_metadata.

An aggregate's 'availability_zone' metadata makes its hosts a zone; the
scheduler's aggregate filters read the rest of the metadata.  Rows are
deleted for good, as in upstream's API database.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-14
"""

from alembic import op
import sqlalchemy as sa

revision = '0009'
# The aggregates branch starts from 0006; 0007 and 0008 are other
# branches' (re-chained when they are merged).
down_revision = '0008'
branch_labels = None
depends_on = None


def _timestamps():
    return [sa.Column('created_at', sa.DateTime),
            sa.Column('updated_at', sa.DateTime)]


def upgrade():
    op.create_table(
        'aggregates',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint('uuid', name='uniq_aggregates0uuid'),
        sa.UniqueConstraint('name', name='uniq_aggregates0name'),
    )
    op.create_table(
        'aggregate_hosts',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('host', sa.String(255), nullable=False),
        sa.Column('aggregate_id', sa.Integer,
                  sa.ForeignKey('aggregates.id'), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint('host', 'aggregate_id',
                            name='uniq_aggregate_hosts0host0aggregate_id'),
    )
    op.create_table(
        'aggregate_metadata',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('aggregate_id', sa.Integer,
                  sa.ForeignKey('aggregates.id'), nullable=False),
        sa.Column('key', sa.String(255), nullable=False),
        sa.Column('value', sa.String(255), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint('aggregate_id', 'key',
                            name='uniq_aggregate_metadata0aggregate_id0key'),
    )
    op.create_index('aggregate_metadata_key_idx', 'aggregate_metadata',
                    ['key'])
