"""Server metadata: upstream's nova/policies/server_metadata.py.  A
project's reader reads its servers' metadata, its member changes it."""

from nova.api.policies import base

PREFIX = 'os_compute_api:server-metadata:%s'
INDEX = PREFIX % 'index'
SHOW = PREFIX % 'show'
CREATE = PREFIX % 'create'
UPDATE_ALL = PREFIX % 'update_all'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'

_ITEMS = '/servers/{server_id}/metadata'
_ITEM = '/servers/{server_id}/metadata/{key}'

rules = [
    base.rule(name, check_str, description, (method, path))
    for name, check_str, description, method, path in (
        (INDEX, base.PROJECT_READER_OR_ADMIN,
         'List all metadata of a server', 'GET', _ITEMS),
        (SHOW, base.PROJECT_READER_OR_ADMIN,
         'Show a metadata item of a server', 'GET', _ITEM),
        (CREATE, base.PROJECT_MEMBER_OR_ADMIN,
         'Create or update metadata items of a server', 'POST', _ITEMS),
        (UPDATE_ALL, base.PROJECT_MEMBER_OR_ADMIN,
         'Replace all metadata of a server', 'PUT', _ITEMS),
        (UPDATE, base.PROJECT_MEMBER_OR_ADMIN,
         'Create or update a metadata item of a server', 'PUT', _ITEM),
        (DELETE, base.PROJECT_MEMBER_OR_ADMIN,
         'Delete a metadata item of a server', 'DELETE', _ITEM))
]


def list_rules():
    return rules
