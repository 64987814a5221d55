"""Query strings of the Placement-compatible API, checked per version.

Placement's messages: a parameter the version does not know is "Invalid
query string parameters: Additional properties are not allowed ..."
(placement/util.py validate_query_params); member_of and resources are
parsed as upstream's util does.
"""

import re

from oslo_utils import uuidutils

from nova.api import validation
from nova import exception

# os-resource-classes' standard classes; a provider here holds the first
# three, the others are known (asking for them matches no provider).
STANDARD_CLASSES = (
    'VCPU', 'MEMORY_MB', 'DISK_GB', 'PCI_DEVICE', 'SRIOV_NET_VF',
    'NUMA_SOCKET', 'NUMA_CORE', 'NUMA_THREAD', 'NUMA_MEMORY_MB',
    'IPV4_ADDRESS', 'VGPU', 'VGPU_DISPLAY_HEAD',
    'NET_BW_EGR_KILOBIT_PER_SEC', 'NET_BW_IGR_KILOBIT_PER_SEC', 'PCPU',
    'MEM_ENCRYPTION_CONTEXT', 'FPGA', 'PGPU',
    'NET_PACKET_RATE_KILOPACKET_PER_SEC',
    'NET_PACKET_RATE_EGR_KILOPACKET_PER_SEC',
    'NET_PACKET_RATE_IGR_KILOPACKET_PER_SEC')
_RESOURCE = re.compile(r'^([A-Z0-9_]+):(\d+)$')

# {version added: parameters}, for GET /resource_providers
PROVIDER_PARAMS = {
    (1, 0): {'name': {'type': 'string', 'maxLength': 200},
             'uuid': {'type': 'string', 'format': 'uuid'}},
    (1, 3): {'member_of': {'type': 'string'}},
    (1, 4): {'resources': {'type': 'string'}},
    (1, 14): {'in_tree': {'type': 'string', 'format': 'uuid'}},
}
USAGES_SCHEMA = {
    'type': 'object',
    'properties': {
        'project_id': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'user_id': {'type': 'string', 'minLength': 1, 'maxLength': 255},
    },
    'required': ['project_id'],
    'additionalProperties': False,
}


class InvalidQuery(exception.Invalid):
    msg_fmt = 'Invalid query string parameters: %(reason)s'


class BadParameter(exception.Invalid):
    msg_fmt = '%(reason)s'


def _single_values(req, schema):
    """{name: value} of the query string, validated; a repeated name is
    refused (Placement reads one value of each here)."""
    params = {}
    for key, value in req.GET.items():
        if key in params:
            raise InvalidQuery(reason="the parameter '%s' is given more "
                                      "than once" % key)
        params[key] = value
    try:
        validation.validate(params, schema)
    except exception.ValidationError as exc:
        raise InvalidQuery(reason=exc.format_message())
    return params


def _member_of(value):
    """[[aggregate uuid, ...]]: 'in:' a list, or one uuid."""
    uuids = value[3:].split(',') if value.startswith('in:') else [value]
    if not all(uuidutils.is_uuid_like(u) for u in uuids):
        raise InvalidQuery(reason="Expected 'member_of' parameter to "
                                  "contain valid UUID(s). Got: %s" % value)
    return [uuids]


def _resources(value):
    resources = {}
    for item in value.split(','):
        match = _RESOURCE.match(item.strip())
        if match is None:
            raise BadParameter(
                reason='Badly formed resources parameter. Expected '
                       'resources query string parameter in form: '
                       '?resources=VCPU:2,MEMORY_MB:1024. Got: %s.' % value)
        rc, amount = match.group(1), int(match.group(2))
        if rc not in STANDARD_CLASSES:
            raise BadParameter(
                reason='Invalid resource class in resources parameter: '
                       'No such resource class %s.' % rc)
        resources[rc] = amount
    return resources


def provider_filters(req):
    properties = {}
    for since, params in PROVIDER_PARAMS.items():
        if req.is_version(since):
            properties.update(params)
    params = _single_values(req, {'type': 'object',
                                  'properties': properties,
                                  'additionalProperties': False})
    if 'member_of' in params:
        params['member_of'] = _member_of(params['member_of'])
    if 'resources' in params:
        params['resources'] = _resources(params['resources'])
    return params


def usages_params(req):
    return _single_values(req, USAGES_SCHEMA)
