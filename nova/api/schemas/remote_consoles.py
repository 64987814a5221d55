"""Request schemas of POST /servers/{id}/remote-consoles (2.6) and the
os-getVNCConsole action (2.1-2.5): upstream's, which still list console
types no driver here has (refused lower down with a 400 that says so)."""

import copy

# POST /servers/{id}/remote-consoles exists from 2.6; os-getVNCConsole
# (and the other os-get*Console actions) only before it.
REMOTE_CONSOLES = (2, 6)
# 2.8: the mks protocol (VMware's webmks).
MKS = (2, 8)

get_vnc_console = {
    'type': 'object',
    'properties': {
        'type': {'type': 'string', 'enum': ['novnc', 'xvpvnc']},
    },
    'required': ['type'],
    'additionalProperties': False,
}

_create_v26 = {
    'type': 'object',
    'properties': {
        'remote_console': {
            'type': 'object',
            'properties': {
                'protocol': {'type': 'string',
                             'enum': ['vnc', 'spice', 'serial', 'rdp']},
                'type': {'type': 'string',
                         'enum': ['novnc', 'xvpvnc', 'spice-html5',
                                  'serial', 'rdp-html5']},
            },
            'required': ['protocol', 'type'],
            'additionalProperties': False,
        },
    },
    'required': ['remote_console'],
    'additionalProperties': False,
}

_create_v28 = copy.deepcopy(_create_v26)
_create_v28['properties']['remote_console']['properties']['protocol'][
    'enum'].append('mks')
_create_v28['properties']['remote_console']['properties']['type'][
    'enum'].append('webmks')


def create(version):
    return _create_v28 if version >= MKS else _create_v26
