from oslo_policy import policy

from nova.api.policies import base

PREFIX = 'os_compute_api:servers:%s'
INDEX = PREFIX % 'index'
DETAIL = PREFIX % 'detail'
INDEX_ALL_TENANTS = PREFIX % 'index:get_all_tenants'
ALLOW_ALL_FILTERS = PREFIX % 'allow_all_filters'
SHOW = PREFIX % 'show'
SHOW_HOST_STATUS = PREFIX % 'show:host_status'
CREATE = PREFIX % 'create'
CREATE_FORCED_HOST = PREFIX % 'create:forced_host'
CREATE_REQUESTED_DESTINATION = PREFIX % 'create:requested_destination'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'
FORCE_DELETE = 'os_compute_api:os-deferred-delete:force'
EXTENDED_ATTRIBUTES = 'os_compute_api:os-extended-server-attributes'

rules = [
    policy.DocumentedRuleDefault(
        INDEX, base.PROJECT_READER_OR_ADMIN, 'List servers',
        [{'method': 'GET', 'path': '/servers'}]),
    policy.DocumentedRuleDefault(
        DETAIL, base.PROJECT_READER_OR_ADMIN, 'List servers with details',
        [{'method': 'GET', 'path': '/servers/detail'}]),
    policy.DocumentedRuleDefault(
        INDEX_ALL_TENANTS, base.ADMIN, 'List servers of all projects',
        [{'method': 'GET', 'path': '/servers'},
         {'method': 'GET', 'path': '/servers/detail'}]),
    policy.DocumentedRuleDefault(
        ALLOW_ALL_FILTERS, base.ADMIN,
        'Filter server lists by any attribute (host, node, ...)',
        [{'method': 'GET', 'path': '/servers'},
         {'method': 'GET', 'path': '/servers/detail'}]),
    policy.DocumentedRuleDefault(
        SHOW, base.PROJECT_READER_OR_ADMIN, 'Show a server',
        [{'method': 'GET', 'path': '/servers/{server_id}'}]),
    policy.DocumentedRuleDefault(
        SHOW_HOST_STATUS, base.ADMIN, "Show the server's host_status",
        [{'method': 'GET', 'path': '/servers/{server_id}'}]),
    policy.DocumentedRuleDefault(
        CREATE, base.PROJECT_MEMBER_OR_ADMIN, 'Create a server',
        [{'method': 'POST', 'path': '/servers'}]),
    policy.DocumentedRuleDefault(
        CREATE_FORCED_HOST, base.ADMIN,
        'Create a server on a given host (availability_zone az:host)',
        [{'method': 'POST', 'path': '/servers'}]),
    policy.DocumentedRuleDefault(
        CREATE_REQUESTED_DESTINATION, base.ADMIN,
        'Create a server on a given host and/or node, through the '
        'scheduler\'s filters (host, hypervisor_hostname; 2.74)',
        [{'method': 'POST', 'path': '/servers'}]),
    policy.DocumentedRuleDefault(
        UPDATE, base.PROJECT_MEMBER_OR_ADMIN, 'Rename or describe a server',
        [{'method': 'PUT', 'path': '/servers/{server_id}'}]),
    policy.DocumentedRuleDefault(
        DELETE, base.PROJECT_MEMBER_OR_ADMIN, 'Delete a server',
        [{'method': 'DELETE', 'path': '/servers/{server_id}'}]),
    policy.DocumentedRuleDefault(
        FORCE_DELETE, base.PROJECT_MEMBER_OR_ADMIN, 'Force-delete a server',
        [{'method': 'POST', 'path': '/servers/{server_id}/action '
                                    '(forceDelete)'}]),
    policy.DocumentedRuleDefault(
        EXTENDED_ATTRIBUTES, base.ADMIN,
        'Show OS-EXT-SRV-ATTR fields (host, hypervisor, instance name)',
        [{'method': 'GET', 'path': '/servers/{server_id}'}]),
]


def list_rules():
    return rules
