"""Request schemas of /os-keypairs."""

import copy

_name_v2_1 = {'type': 'string', 'minLength': 1, 'maxLength': 255,
              'pattern': r'^[a-zA-Z0-9 _-]+$'}
# 2.92 allows '@' and '.' (e.g. user@host names).
_name_v2_92 = {'type': 'string', 'minLength': 1, 'maxLength': 255,
               'pattern': r'^[a-zA-Z0-9 _@.-]+$'}

create = {
    'type': 'object',
    'properties': {
        'keypair': {
            'type': 'object',
            'properties': {
                'name': _name_v2_1,
                'public_key': {'type': 'string'},
            },
            'required': ['name'],
            'additionalProperties': False,
        },
    },
    'required': ['keypair'],
    'additionalProperties': False,
}

create_v2_2 = copy.deepcopy(create)
create_v2_2['properties']['keypair']['properties']['type'] = {
    'type': 'string', 'enum': ['ssh', 'x509']}

create_v2_10 = copy.deepcopy(create_v2_2)
create_v2_10['properties']['keypair']['properties']['user_id'] = {
    'type': 'string'}

create_v2_92 = copy.deepcopy(create_v2_10)
create_v2_92['properties']['keypair']['properties']['name'] = _name_v2_92
create_v2_92['properties']['keypair']['required'] = ['name', 'public_key']
