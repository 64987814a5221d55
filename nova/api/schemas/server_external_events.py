"""Request schema of POST /os-server-external-events: the event names each
microversion knows (upstream's), a status, an optional tag."""

NAMES_V2_1 = ('network-changed', 'network-vif-plugged',
              'network-vif-unplugged', 'network-vif-deleted')
# (microversion, names it adds)
LATER_NAMES = (((2, 51), ('volume-extended',)),
               ((2, 76), ('power-update',)),
               ((2, 82), ('accelerator-request-bound',)),
               ((2, 93), ('volume-reimaged',)))
STATUSES = ('failed', 'completed', 'in-progress')
POWER_TAGS = ('POWER_ON', 'POWER_OFF')


def names(version):
    found = list(NAMES_V2_1)
    for since, added in LATER_NAMES:
        if version >= since:
            found.extend(added)
    return found


def create(version):
    return {
        'type': 'object',
        'properties': {
            'events': {
                'type': 'array', 'minItems': 1,
                'items': {
                    'type': 'object',
                    'properties': {
                        'server_uuid': {'type': 'string', 'format': 'uuid'},
                        'name': {'type': 'string', 'enum': names(version)},
                        'status': {'type': 'string', 'enum': list(STATUSES)},
                        'tag': {'type': 'string', 'maxLength': 255},
                    },
                    'required': ['server_uuid', 'name'],
                    'additionalProperties': False,
                },
            },
        },
        'required': ['events'],
        'additionalProperties': False,
    }
