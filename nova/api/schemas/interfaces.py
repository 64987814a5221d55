"""Request schema of POST /servers/{server_id}/os-interface: upstream's
(nova/api/openstack/compute/schemas/attach_interfaces.py)."""

import copy

from nova.api.schemas import server_tags
from nova.api import validation

_uuid = {'type': 'string', 'format': 'uuid'}

create = {
    'type': 'object',
    'properties': {
        'interfaceAttachment': {
            'type': 'object',
            'properties': {
                'net_id': _uuid,
                'port_id': _uuid,
                'fixed_ips': {
                    'type': 'array', 'minItems': 1, 'maxItems': 1,
                    'items': {
                        'type': 'object',
                        'properties': {
                            'ip_address': validation.ip_address,
                        },
                        'required': ['ip_address'],
                        'additionalProperties': False,
                    },
                },
            },
            'additionalProperties': False,
        },
    },
    'additionalProperties': False,
}

create_v2_49 = copy.deepcopy(create)
create_v2_49['properties']['interfaceAttachment']['properties']['tag'] = \
    server_tags.tag
