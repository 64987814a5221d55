"""Request schemas of POST /servers/{id}/action, one per action.

Most actions take no arguments. Upstream Nova validates only the action's
key for them, so its value may be any JSON value: ``null`` (the documented
form), ``{}`` (what Tempest sends), a string, a list... (upstream's
schemas ``{'<action>': {}}``, or no schema at all, e.g. migrate before
2.56). Those actions are in ``BODYLESS_ACTIONS``; the others validate their
value, some only from the microversion that gave them arguments (lock 2.73,
migrate 2.56, unshelve 2.77).
"""

from nova.api import validation

LOCKED_REASON = (2, 73)


def _any_value_action(name):
    return {'type': 'object',
            'properties': {name: {}},
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

_lock = _any_value_action('lock')
_lock_v2_73 = _action('lock', {
    'type': ['object', 'null'],
    'properties': {'locked_reason': {'type': 'string', 'minLength': 1,
                                     'maxLength': 255}},
    'additionalProperties': False})


def lock(version):
    """Any value before 2.73; then null or {"locked_reason": ...}."""
    return _lock_v2_73 if version >= LOCKED_REASON else _lock


console_output = _action('os-getConsoleOutput', {
    'type': 'object',
    'properties': {'length': {'type': ['integer', 'string', 'null'],
                              'pattern': '^-?[0-9]+$', 'minimum': -1}},
    'additionalProperties': False})

# Validated by the dispatcher; any value is accepted at every microversion
# (unlock too from 2.73, where upstream has no schema for it).
BODYLESS_ACTIONS = {name: _any_value_action(name) for name in (
    'os-stop', 'os-start', 'pause', 'unpause', 'suspend', 'resume',
    'unrescue', 'unlock', 'forceDelete', 'shelve', 'shelveOffload',
    'confirmResize', 'revertResize', 'restore', 'injectNetworkInfo')}

UNSHELVE_ZONE = (2, 77)
UNSHELVE_HOST = (2, 91)
_unshelve = _any_value_action('unshelve')
# A name: no leading or trailing whitespace (upstream's parameter_types.name)
_zone = {'type': 'string', 'minLength': 1, 'maxLength': 255,
         'pattern': r'^(?!\s)(?!.*\s$)[\S ]+$'}
# 2.77-2.90: null or an object that names the zone ({} is refused).
_unshelve_v2_77 = _action('unshelve', {
    'type': ['object', 'null'],
    'properties': {'availability_zone': _zone},
    'required': ['availability_zone'],
    'additionalProperties': False})
# From 2.91: a host (admin), and a null zone unpins the instance.
_unshelve_v2_91 = _action('unshelve', {
    'type': ['object', 'null'],
    'properties': {'availability_zone': {'oneOf': [_zone, {'type': 'null'}]},
                   'host': _zone},
    'additionalProperties': False})


def unshelve(version):
    if version >= UNSHELVE_HOST:
        return _unshelve_v2_91
    if version >= UNSHELVE_ZONE:
        return _unshelve_v2_77
    return _unshelve


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

# rotation: upstream's non_negative_integer (a number or a string of one).
create_backup = _action('createBackup', {
    'type': 'object',
    'properties': {
        'name': _name,
        'backup_type': {'type': 'string'},
        'rotation': {'type': ['integer', 'string'], 'pattern': '^[0-9]*$',
                     'minimum': 0, 'minLength': 1},
        'metadata': _metadata},
    'required': ['name', 'backup_type', 'rotation'],
    'additionalProperties': False})

reset_state = _action('os-resetState', {
    'type': 'object',
    'properties': {'state': {'type': 'string',
                             'enum': ['active', 'error']}},
    'required': ['state'], 'additionalProperties': False})

# From 2.17; its value must be null.
TRIGGER_CRASH_DUMP = (2, 17)
trigger_crash_dump = _action('trigger_crash_dump', {'type': 'null'})


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
_migrate = _any_value_action('migrate')
_migrate_v2_56 = _action('migrate', {
    'type': ['object', 'null'],
    'properties': {'host': {'type': ['string', 'null'], 'minLength': 1,
                            'maxLength': 255,
                            'pattern': '^[a-zA-Z0-9-._]*$'}},
    'additionalProperties': False})


def migrate(version):
    """Any value before 2.56; then null or {"host": <host name>|null}."""
    return _migrate_v2_56 if version >= MIGRATE_HOST else _migrate


# evacuate: onSharedStorage required before 2.14 (then gone), force
# 2.29-2.67.
EVACUATE_NO_SHARED_STORAGE = (2, 14)
EVACUATE_FORCE = (2, 29)
EVACUATE_NO_FORCE = (2, 68)


def evacuate(version):
    properties = {'host': {'type': 'string', 'minLength': 1,
                           'maxLength': 255,
                           'pattern': '^[a-zA-Z0-9-._]*$'},
                  'adminPass': {'type': 'string'}}
    body = {'type': 'object', 'properties': properties,
            'additionalProperties': False}
    if version < EVACUATE_NO_SHARED_STORAGE:
        properties['onSharedStorage'] = validation.boolean
        body['required'] = ['onSharedStorage']
    elif EVACUATE_FORCE <= version < EVACUATE_NO_FORCE:
        properties['force'] = validation.boolean
    return _action('evacuate', body)


resize = _action('resize', {
    'type': 'object',
    'properties': {'flavorRef': {'type': ['string', 'integer'],
                                 'minLength': 1},
                   'OS-DCF:diskConfig': {'type': 'string',
                                         'enum': ['AUTO', 'MANUAL']}},
    'required': ['flavorRef'], 'additionalProperties': False})
