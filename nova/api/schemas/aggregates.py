"""Request schemas of /os-aggregates (upstream's
nova/api/openstack/compute/schemas/aggregates.py and aggregate_images.py).
"""

from nova.api import validation

# Printable, no ':' (the 'zone:host' form of a server's zone), no leading
# or trailing whitespace: upstream's az_name.
_zone = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': r'^(?!\s)(?!.*\s$)[^:\x00-\x1f\x7f]+$',
}
_zone_or_null = {'oneOf': [_zone, {'type': 'null'}]}
# An update's name may have leading or trailing whitespace (stripped):
# upstream's name_with_leading_trailing_spaces.
_name_with_spaces = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': r'^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$',
}
# A compute service's host name (upstream's fqdn).
_host = {'type': 'string', 'minLength': 1, 'maxLength': 255,
         'pattern': '^[a-zA-Z0-9-._]*$'}
# Server metadata's keys and values; null deletes a key.
_metadata_with_null = {
    'type': 'object',
    'patternProperties': {
        '^[a-zA-Z0-9-_:. ]{1,255}$': {'type': ['string', 'null'],
                                      'maxLength': 255},
    },
    'additionalProperties': False,
}


def _object(name, properties, required=None, **extra):
    inner = {'type': 'object', 'properties': properties,
             'additionalProperties': False}
    if required:
        inner['required'] = required
    inner.update(extra)
    return {'type': 'object', 'properties': {name: inner},
            'required': [name], 'additionalProperties': False}


create = _object('aggregate', {'name': validation.name,
                               'availability_zone': _zone_or_null},
                 required=['name'])

update = _object('aggregate', {'name': _name_with_spaces,
                               'availability_zone': _zone_or_null},
                 anyOf=[{'required': ['name']},
                        {'required': ['availability_zone']}])

add_host = _object('add_host', {'host': _host}, required=['host'])
remove_host = _object('remove_host', {'host': _host}, required=['host'])
set_metadata = _object('set_metadata', {'metadata': _metadata_with_null},
                       required=['metadata'])

# POST /os-aggregates/{id}/images (2.81)
images = {
    'type': 'object',
    'properties': {
        'cache': {
            'type': 'array', 'minItems': 1,
            'items': {
                'type': 'object',
                'properties': {'id': {'type': 'string', 'format': 'uuid'}},
                'required': ['id'],
                'additionalProperties': False,
            },
        },
    },
    'required': ['cache'],
    'additionalProperties': False,
}

ACTIONS = {'add_host': add_host, 'remove_host': remove_host,
           'set_metadata': set_metadata}
