"""Servers: upstream's nova/policies/servers.py, deferred_delete.py and
extended_server_attributes.py (the rules of the APIs this project has)."""

from nova.api.policies import base

PREFIX = 'os_compute_api:servers:%s'
INDEX = PREFIX % 'index'
DETAIL = PREFIX % 'detail'
INDEX_ALL_TENANTS = PREFIX % 'index:get_all_tenants'
DETAIL_ALL_TENANTS = PREFIX % 'detail:get_all_tenants'
ALLOW_ALL_FILTERS = PREFIX % 'allow_all_filters'
SHOW = PREFIX % 'show'
SHOW_HOST_STATUS = PREFIX % 'show:host_status'
SHOW_FLAVOR_EXTRA_SPECS = PREFIX % 'show:flavor-extra-specs'
CREATE = PREFIX % 'create'
CREATE_FORCED_HOST = PREFIX % 'create:forced_host'
# Upstream's name has no os_compute_api: prefix.
CREATE_REQUESTED_DESTINATION = 'compute:servers:create:requested_destination'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'
FORCE_DELETE = 'os_compute_api:os-deferred-delete:force'
EXTENDED_ATTRIBUTES = 'os_compute_api:os-extended-server-attributes'

_LISTS = [{'method': 'GET', 'path': '/servers'},
          {'method': 'GET', 'path': '/servers/detail'}]
# What shows a server: its GET, the detailed list, and the responses of
# update and rebuild (2.75).
_SERVER_VIEWS = [{'method': 'GET', 'path': '/servers/{server_id}'},
                 {'method': 'GET', 'path': '/servers/detail'},
                 {'method': 'PUT', 'path': '/servers/{server_id}'},
                 {'method': 'POST',
                  'path': '/servers/{server_id}/action (rebuild)'}]



rules = [
    base.rule(INDEX, base.PROJECT_READER_OR_ADMIN, 'List servers',
          [{'method': 'GET', 'path': '/servers'}]),
    base.rule(DETAIL, base.PROJECT_READER_OR_ADMIN, 'List servers with details',
          [{'method': 'GET', 'path': '/servers/detail'}]),
    base.rule(INDEX_ALL_TENANTS, base.ADMIN,
          'List the servers of all projects (all_tenants)',
          [{'method': 'GET', 'path': '/servers'}]),
    base.rule(DETAIL_ALL_TENANTS, base.ADMIN,
          'List the servers of all projects with details (all_tenants)',
          [{'method': 'GET', 'path': '/servers/detail'}]),
    base.rule(ALLOW_ALL_FILTERS, base.ADMIN,
          'Filter and sort server lists by any attribute (host, node, '
          'project_id, ...)', _LISTS),
    base.rule(SHOW, base.PROJECT_READER_OR_ADMIN, 'Show a server',
          [{'method': 'GET', 'path': '/servers/{server_id}'}]),
    base.rule(SHOW_FLAVOR_EXTRA_SPECS, base.PROJECT_READER_OR_ADMIN,
          "Show the extra_specs of the server's flavor (2.47+)",
          _SERVER_VIEWS),
    base.rule(SHOW_HOST_STATUS, base.ADMIN,
          "Show the server's host_status (2.16), whatever its value",
          _SERVER_VIEWS),
    base.rule(CREATE, base.PROJECT_MEMBER_OR_ADMIN, 'Create a server',
          [{'method': 'POST', 'path': '/servers'}]),
    base.rule(CREATE_FORCED_HOST, base.ADMIN,
          'Create a server on a given host and/or node, bypassing the '
          "scheduler's filters (availability_zone zone:host:node)",
          [{'method': 'POST', 'path': '/servers'}]),
    base.rule(CREATE_REQUESTED_DESTINATION, base.ADMIN,
          'Create a server on a given host and/or node, through the '
          "scheduler's filters (host, hypervisor_hostname; 2.74)",
          [{'method': 'POST', 'path': '/servers'}]),
    base.rule(UPDATE, base.PROJECT_MEMBER_OR_ADMIN, 'Update a server',
          [{'method': 'PUT', 'path': '/servers/{server_id}'}]),
    base.rule(DELETE, base.PROJECT_MEMBER_OR_ADMIN, 'Delete a server',
          [{'method': 'DELETE', 'path': '/servers/{server_id}'}]),
    base.rule(FORCE_DELETE, base.PROJECT_MEMBER_OR_ADMIN,
          'Force delete a server before deferred cleanup',
          [{'method': 'POST',
            'path': '/servers/{server_id}/action (forceDelete)'}]),
    base.rule(EXTENDED_ATTRIBUTES, base.ADMIN,
          'Show the OS-EXT-SRV-ATTR attributes (host, hypervisor, instance '
          'name, and from 2.3 reservation id, launch index, hostname, '
          'kernel, ramdisk, root device, user data)', _SERVER_VIEWS),
]


def list_rules():
    return rules
