"""Request schemas of /os-services."""

_host_binary = {
    'host': {'type': 'string', 'minLength': 1, 'maxLength': 255},
    'binary': {'type': 'string', 'minLength': 1, 'maxLength': 255},
}
_reason = {'type': 'string', 'minLength': 1, 'maxLength': 255}

# Before 2.53: PUT /os-services/{enable,disable,disable-log-reason,force-down}
service_action = {
    'type': 'object',
    'properties': dict(_host_binary),
    'required': ['host', 'binary'],
    'additionalProperties': False,
}

disable_log_reason = {
    'type': 'object',
    'properties': dict(_host_binary, disabled_reason=_reason),
    'required': ['host', 'binary'],
    'additionalProperties': False,
}

force_down = {
    'type': 'object',
    'properties': dict(_host_binary, forced_down={'type': 'boolean'}),
    'required': ['host', 'binary', 'forced_down'],
    'additionalProperties': False,
}

# 2.53: PUT /os-services/{uuid}
update_v2_53 = {
    'type': 'object',
    'properties': {
        'status': {'type': 'string', 'enum': ['enabled', 'disabled']},
        'disabled_reason': _reason,
        'forced_down': {'type': 'boolean'},
    },
    'additionalProperties': False,
}

list_query = {
    'type': 'object',
    'properties': {
        'host': {'type': 'array', 'items': {'type': 'string'}},
        'binary': {'type': 'array', 'items': {'type': 'string'}},
    },
}
