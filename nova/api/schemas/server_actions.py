"""Request schemas of POST /servers/{id}/action, one per action."""

LOCKED_REASON = (2, 73)


def _null_action(name):
    return {'type': 'object',
            'properties': {name: {'type': 'null'}},
            'required': [name], 'additionalProperties': False}


def _action(name, body):
    return {'type': 'object', 'properties': {name: body},
            'required': [name], 'additionalProperties': False}


reboot = _action('reboot', {
    'type': 'object',
    'properties': {'type': {
        'type': 'string',
        'pattern': '^([Ss][Oo][Ff][Tt]|[Hh][Aa][Rr][Dd])$'}},
    'required': ['type'], 'additionalProperties': False})

rescue = _action('rescue', {
    'type': ['object', 'null'],
    'properties': {'adminPass': {'type': 'string'},
                   'rescue_image_ref': {'type': 'string',
                                        'format': 'uuid'}},
    'additionalProperties': False})

lock = _null_action('lock')
lock_v2_73 = _action('lock', {
    'type': ['object', 'null'],
    'properties': {'locked_reason': {'type': 'string', 'minLength': 1,
                                     'maxLength': 255}},
    'additionalProperties': False})

console_output = _action('os-getConsoleOutput', {
    'type': 'object',
    'properties': {'length': {'type': ['integer', 'string', 'null'],
                              'pattern': '^-?[0-9]+$', 'minimum': -1}},
    'additionalProperties': False})

NULL_ACTIONS = {name: _null_action(name) for name in (
    'os-stop', 'os-start', 'pause', 'unpause', 'suspend', 'resume',
    'unrescue', 'unlock', 'forceDelete', 'shelve', 'shelveOffload',
    'confirmResize', 'revertResize')}

UNSHELVE_ZONE = (2, 77)
unshelve = _null_action('unshelve')
unshelve_v2_77 = _action('unshelve', {
    'type': ['object', 'null'],
    'properties': {'availability_zone': {'type': 'string', 'minLength': 1,
                                         'maxLength': 255}},
    'additionalProperties': False})

SNAPSHOT_IMAGE_ID = (2, 45)

_metadata = {
    'type': 'object',
    'patternProperties': {
        '^[a-zA-Z0-9-_:. ]{1,255}$': {'type': 'string', 'maxLength': 255},
    },
    'additionalProperties': False,
}
_name = {'type': 'string', 'minLength': 1, 'maxLength': 255,
         'pattern': r'^(?!\s)(?!.*\s$)[\S ]+$'}

create_image = _action('createImage', {
    'type': 'object',
    'properties': {'name': _name, 'metadata': _metadata},
    'required': ['name'], 'additionalProperties': False})


def rebuild(version):
    properties = {
        'imageRef': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'name': _name,
        'adminPass': {'type': 'string'},
        'metadata': _metadata,
        'accessIPv4': {'type': 'string', 'format': 'ipv4'},
        'accessIPv6': {'type': 'string', 'format': 'ipv6'},
        'OS-DCF:diskConfig': {'type': 'string', 'enum': ['AUTO', 'MANUAL']},
        'preserve_ephemeral': {'type': 'boolean'},
    }
    if version >= (2, 19):
        properties['description'] = {
            'type': ['string', 'null'], 'maxLength': 65535}
    if version >= (2, 54):
        properties['key_name'] = {'type': ['string', 'null'],
                                  'minLength': 1, 'maxLength': 255}
    if version >= (2, 57):
        properties['user_data'] = {'type': ['string', 'null'],
                                   'format': 'base64', 'maxLength': 65535}
    if version >= (2, 63):
        properties['trusted_image_certificates'] = {
            'type': ['array', 'null'], 'items': {'type': 'string'}}
    if version >= (2, 90):
        properties['hostname'] = {'type': 'string', 'minLength': 1,
                                  'maxLength': 63}
    return _action('rebuild', {'type': 'object', 'properties': properties,
                               'required': ['imageRef'],
                               'additionalProperties': False})

MIGRATE_HOST = (2, 56)
migrate = _null_action('migrate')
migrate_v2_56 = _action('migrate', {
    'type': ['object', 'null'],
    'properties': {'host': {'type': ['string', 'null'], 'minLength': 1,
                            'maxLength': 255}},
    'additionalProperties': False})

resize = _action('resize', {
    'type': 'object',
    'properties': {'flavorRef': {'type': ['string', 'integer'],
                                 'minLength': 1},
                   'OS-DCF:diskConfig': {'type': 'string',
                                         'enum': ['AUTO', 'MANUAL']}},
    'required': ['flavorRef'], 'additionalProperties': False})
