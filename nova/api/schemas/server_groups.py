"""Request schemas of /os-server-groups: upstream's, per microversion.

Before 2.64 a group has 'policies', a list of exactly one policy; from
2.64 one 'policy' and 'rules' (max_server_per_host, anti-affinity only).
2.15 adds the soft policies.
"""

from nova.api import validation

SOFT_POLICIES = (2, 15)
POLICY_AND_RULES = (2, 64)

_POLICIES = ['anti-affinity', 'affinity']
_SOFT = ['soft-anti-affinity', 'soft-affinity']


def create(version):
    if version >= POLICY_AND_RULES:
        group = {
            'type': 'object',
            'properties': {
                'name': validation.name,
                'policy': {'type': 'string', 'enum': _POLICIES + _SOFT},
                'rules': {
                    'type': 'object',
                    'properties': {
                        'max_server_per_host': {
                            'type': ['integer', 'string'],
                            'pattern': '^[0-9]+$', 'minimum': 1},
                    },
                    'additionalProperties': False,
                },
            },
            'required': ['name', 'policy'],
            'additionalProperties': False,
        }
    else:
        policies = _POLICIES + (_SOFT if version >= SOFT_POLICIES else [])
        group = {
            'type': 'object',
            'properties': {
                'name': validation.name,
                'policies': {
                    'type': 'array',
                    'items': {'type': 'string', 'enum': policies},
                    'uniqueItems': True, 'minItems': 1, 'maxItems': 1,
                },
            },
            'required': ['name', 'policies'],
            'additionalProperties': False,
        }
    return {
        'type': 'object',
        'properties': {'server_group': group},
        'required': ['server_group'],
        'additionalProperties': False,
    }
