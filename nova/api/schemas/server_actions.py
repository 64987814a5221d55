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
    'unrescue', 'unlock', 'forceDelete')}
