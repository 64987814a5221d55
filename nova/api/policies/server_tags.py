"""Server tags (2.26): upstream's nova/policies/server_tags.py.  A
project's reader reads its servers' tags, its member changes them."""

from nova.api.policies import base

PREFIX = 'os_compute_api:os-server-tags:%s'
INDEX = PREFIX % 'index'
SHOW = PREFIX % 'show'
UPDATE_ALL = PREFIX % 'update_all'
DELETE_ALL = PREFIX % 'delete_all'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'

_TAGS = '/servers/{server_id}/tags'
_TAG = '/servers/{server_id}/tags/{tag}'

rules = [
    base.rule(name, check_str, description, (method, path))
    for name, check_str, description, method, path in (
        (INDEX, base.PROJECT_READER_OR_ADMIN,
         'List the tags of a server', 'GET', _TAGS),
        (SHOW, base.PROJECT_READER_OR_ADMIN,
         'Check whether a server has a tag', 'GET', _TAG),
        (UPDATE_ALL, base.PROJECT_MEMBER_OR_ADMIN,
         'Replace all the tags of a server', 'PUT', _TAGS),
        (DELETE_ALL, base.PROJECT_MEMBER_OR_ADMIN,
         'Delete all the tags of a server', 'DELETE', _TAGS),
        (UPDATE, base.PROJECT_MEMBER_OR_ADMIN,
         'Add a tag to a server', 'PUT', _TAG),
        (DELETE, base.PROJECT_MEMBER_OR_ADMIN,
         'Delete a tag of a server', 'DELETE', _TAG))
]


def list_rules():
    return rules
