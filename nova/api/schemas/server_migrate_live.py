"""Request schemas of the os-migrateLive server action, per microversion.

2.1: block_migration and disk_over_commit (booleans) and host, all
required.  2.25: block_migration may be 'auto', disk_over_commit is gone.
2.30: force (boolean).  2.68: force gone again.
"""

import copy

from nova.api import validation

BLOCK_MIGRATION_AUTO = (2, 25)
ASYNC_PRE_CHECKS = (2, 34)
FORCE = (2, 30)
NO_FORCE = (2, 68)

_host = {'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255,
         'pattern': '^[a-zA-Z0-9-._]*$'}


def _action(body):
    return {'type': 'object', 'properties': {'os-migrateLive': body},
            'required': ['os-migrateLive'], 'additionalProperties': False}


_v2_1 = _action({
    'type': 'object',
    'properties': {'block_migration': validation.boolean,
                   'disk_over_commit': validation.boolean,
                   'host': _host},
    'required': ['block_migration', 'disk_over_commit', 'host'],
    'additionalProperties': False})

_auto = copy.deepcopy(validation.boolean)
_auto['enum'].append('auto')
_v2_25 = _action({
    'type': 'object',
    'properties': {'block_migration': _auto, 'host': _host},
    'required': ['block_migration', 'host'],
    'additionalProperties': False})

_v2_30 = copy.deepcopy(_v2_25)
_v2_30['properties']['os-migrateLive']['properties']['force'] = \
    validation.boolean


def migrate_live(version):
    if version < BLOCK_MIGRATION_AUTO:
        return _v2_1
    if FORCE <= version < NO_FORCE:
        return _v2_30
    return _v2_25
