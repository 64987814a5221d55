"""instances.addresses: what the server views show of network_info.

network_info (upstream's VIF shape, nova.network.model) is several times
larger than the addresses a server view shows of it, and a long
GET /servers/detail would carry all of it from the database through the
conductor to nova-api.  addresses holds just that: one
{'network', 'address', 'version', 'type', 'mac_address'} per address,
written with network_info by nova.db.instances.  Existing rows get it
from their network_info here.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import json

from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

BATCH = 500


def _addresses(network_info):
    # As nova.network.model.addresses, frozen here: a migration must not
    # change when the code does.
    found = []
    for vif in network_info or ():
        network = vif.get('network') or {}
        for subnet in network.get('subnets') or ():
            for ip in subnet.get('ips') or ():
                found.append({'network': network.get('label'),
                              'address': ip.get('address'),
                              'version': ip.get('version'),
                              'type': ip.get('type') or 'fixed',
                              'mac_address': vif.get('address')})
    return found


def upgrade():
    with op.batch_alter_table('instances') as batch_op:
        batch_op.add_column(sa.Column('addresses', sa.JSON(), nullable=True))
    conn = op.get_bind()
    instances = sa.table('instances', sa.column('id', sa.Integer),
                         sa.column('network_info', sa.Text),
                         sa.column('addresses', sa.Text))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(instances.c.id, instances.c.network_info)
            .where(instances.c.id > last)
            .where(instances.c.network_info.is_not(None))
            .order_by(instances.c.id).limit(BATCH)).fetchall()
        if not rows:
            return
        for row_id, raw in rows:
            last = row_id
            value = json.loads(raw) if isinstance(raw, str) else raw
            conn.execute(instances.update()
                         .where(instances.c.id == row_id)
                         .values(addresses=json.dumps(_addresses(value))))
