"""Request schemas of /os-hosts."""

_switch = {'type': 'string',
           'enum': ['enable', 'disable', 'Enable', 'Disable', 'ENABLE',
                    'DISABLE']}

update = {
    'type': 'object',
    'properties': {'status': _switch, 'maintenance_mode': _switch},
    'anyOf': [{'required': ['status']}, {'required': ['maintenance_mode']}],
    'additionalProperties': False,
}

list_query = {
    'type': 'object',
    'properties': {'zone': {'type': 'array', 'items': {'type': 'string'}}},
    # Upstream ignores other query parameters here.
    'additionalProperties': True,
}
