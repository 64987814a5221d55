"""Request schemas of /servers, built per microversion."""

import functools

from nova.api import validation

# Feature versions of the create and update bodies.
DESCRIPTION = (2, 19)
NETWORKS_REQUIRED = (2, 37)
TAGS = (2, 52)
NO_PERSONALITY = (2, 57)
TRUSTED_CERTS = (2, 63)
HOST_AND_NODE = (2, 74)
HOSTNAME = (2, 90)

_metadata = {
    'type': 'object',
    'patternProperties': {
        '^[a-zA-Z0-9-_:. ]{1,255}$': {'type': 'string', 'maxLength': 255},
    },
    'additionalProperties': False,
}

_uuid_or_id = {'type': ['string', 'integer'], 'minLength': 1,
               'maxLength': 255}

_network_item = {
    'type': 'object',
    'properties': {
        'uuid': {'type': 'string'},
        'port': {'type': ['string', 'null']},
        'fixed_ip': {'type': 'string', 'format': 'ip-address'},
        'tag': {'type': 'string', 'maxLength': 60},
    },
    'additionalProperties': False,
}

_bdm_v2_item = {
    'type': 'object',
    'properties': {
        'source_type': {'type': 'string',
                        'enum': ['volume', 'image', 'snapshot', 'blank']},
        'destination_type': {'type': 'string',
                             'enum': ['local', 'volume']},
        'uuid': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'boot_index': {'type': ['integer', 'string', 'null'],
                       'pattern': '^-?[0-9]+$'},
        'volume_size': validation.non_negative_integer,
        'delete_on_termination': validation.boolean,
        'device_name': {'type': 'string', 'maxLength': 255},
        'device_type': {'type': 'string', 'maxLength': 255},
        'disk_bus': {'type': 'string', 'maxLength': 255},
        'guest_format': {'type': 'string', 'maxLength': 255},
        'no_device': {},
        'tag': {'type': 'string', 'maxLength': 60},
        'volume_type': {'type': ['string', 'null'], 'maxLength': 255},
    },
    'additionalProperties': False,
}

_hostname = {'type': 'string', 'minLength': 1, 'maxLength': 63,
             'pattern': r'^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$'}

_hints = {
    'type': 'object',
    'properties': {
        'same_host': {'type': ['string', 'array'],
                      'items': {'type': 'string', 'format': 'uuid'}},
        'different_host': {'type': ['string', 'array'],
                           'items': {'type': 'string', 'format': 'uuid'}},
        'group': {'type': 'string', 'format': 'uuid'},
    },
    'additionalProperties': True,
}


@functools.lru_cache(maxsize=None)
def create(version):
    server = {
        'name': validation.name,
        'imageRef': {'type': 'string', 'maxLength': 255},
        'flavorRef': _uuid_or_id,
        'adminPass': {'type': 'string'},
        'metadata': _metadata,
        'networks': {'type': 'array', 'items': _network_item},
        'OS-DCF:diskConfig': {'type': 'string',
                              'enum': ['AUTO', 'MANUAL']},
        'accessIPv4': {'type': 'string', 'format': 'ipv4'},
        'accessIPv6': {'type': 'string', 'format': 'ipv6'},
        'key_name': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'user_data': {'type': 'string', 'format': 'base64',
                      'maxLength': 65535},
        'availability_zone': {'type': 'string', 'minLength': 1,
                              'maxLength': 255},
        'min_count': validation.positive_integer,
        'max_count': validation.positive_integer,
        'return_reservation_id': validation.boolean,
        'block_device_mapping_v2': {'type': 'array',
                                    'items': _bdm_v2_item},
        'config_drive': validation.boolean,
        'security_groups': {
            'type': 'array',
            'items': {'type': 'object',
                      'properties': {'name': {'type': 'string'}},
                      'additionalProperties': False}},
    }
    required = ['name', 'flavorRef']
    if version < NO_PERSONALITY:
        server['personality'] = {'type': 'array', 'items': {
            'type': 'object',
            'properties': {'path': {'type': 'string'},
                           'contents': {'type': 'string',
                                        'format': 'base64'}},
            'additionalProperties': False}}
    if version >= DESCRIPTION:
        server['description'] = validation.description
    if version >= NETWORKS_REQUIRED:
        server['networks'] = {'oneOf': [
            {'type': 'array', 'items': _network_item},
            {'type': 'string', 'enum': ['none', 'auto']}]}
        required.append('networks')
    if version >= TAGS:
        server['tags'] = {'type': 'array', 'maxItems': 50, 'items': {
            'type': 'string', 'minLength': 1, 'maxLength': 60,
            'pattern': '^[^,/]*$'}}
    if version >= TRUSTED_CERTS:
        server['trusted_image_certificates'] = {
            'type': ['array', 'null'], 'items': {'type': 'string'}}
    if version >= HOST_AND_NODE:
        server['host'] = {'type': 'string', 'minLength': 1,
                          'maxLength': 255}
        server['hypervisor_hostname'] = {'type': 'string', 'minLength': 1,
                                         'maxLength': 255}
    if version >= HOSTNAME:
        server['hostname'] = _hostname
    return {
        'type': 'object',
        'properties': {
            'server': {'type': 'object', 'properties': server,
                       'required': required,
                       'additionalProperties': False},
            'os:scheduler_hints': _hints,
            'OS-SCH-HNT:scheduler_hints': _hints,
        },
        'required': ['server'],
        'additionalProperties': False,
    }


@functools.lru_cache(maxsize=None)
def update(version):
    server = {
        'name': validation.name,
        'accessIPv4': {'type': 'string', 'format': 'ipv4'},
        'accessIPv6': {'type': 'string', 'format': 'ipv6'},
        'OS-DCF:diskConfig': {'type': 'string',
                              'enum': ['AUTO', 'MANUAL']},
    }
    if version >= DESCRIPTION:
        server['description'] = validation.description
    if version >= HOSTNAME:
        server['hostname'] = _hostname
    return {
        'type': 'object',
        'properties': {'server': {'type': 'object', 'properties': server,
                                  'additionalProperties': False}},
        'required': ['server'],
        'additionalProperties': False,
    }


force_delete = {
    'type': 'object',
    'properties': {'forceDelete': {'type': 'null'}},
    'required': ['forceDelete'],
    'additionalProperties': False,
}
