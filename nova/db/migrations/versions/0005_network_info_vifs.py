"""network_info in upstream's shape: a list of VIFs (nova.network.model).

Rows written before stored one flat entry per address, {'network',
'address', 'version', 'mac_address', 'type'}; each becomes a VIF of that
network label with the address in one subnet.  What the old entries did
not record (the network's id, CIDR, bridge and gateway) stays None: the
address, the MAC and the network's name are what was shown of them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

import ipaddress
import json
import uuid

from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

BATCH = 500


def _vif(entry):
    address = entry.get('address')
    mac = entry.get('mac_address')
    version = entry.get('version') or (
        ipaddress.ip_address(address).version if address else 4)
    ips = [{'address': address, 'type': entry.get('type') or 'fixed',
            'version': version}] if address else []
    vif_id = str(uuid.uuid5(uuid.NAMESPACE_URL, 'nova-flat:%s:%s' % (
        None, mac)))
    return {'id': vif_id, 'address': mac, 'type': 'bridge',
            'devname': ('tap' + vif_id)[:14], 'active': True,
            'vnic_type': 'normal', 'details': {},
            'network': {'id': None, 'label': entry.get('network'),
                        'bridge': None,
                        'subnets': [{'cidr': None, 'version': version,
                                     'gateway': None, 'dns': [],
                                     'ips': ips}]}}


def _is_legacy(network_info):
    # A VIF's 'network' is a dict; an old entry's was the network's name.
    return bool(network_info) and all(
        isinstance(entry, dict) and not isinstance(entry.get('network'), dict)
        for entry in network_info)


def upgrade():
    conn = op.get_bind()
    instances = sa.table('instances', sa.column('id', sa.Integer),
                         sa.column('network_info', sa.Text))
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
            if not _is_legacy(value):
                continue
            conn.execute(instances.update()
                         .where(instances.c.id == row_id)
                         .values(network_info=json.dumps(
                             [_vif(entry) for entry in value])))
