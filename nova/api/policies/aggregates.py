"""Host aggregates: upstream's nova/policies/aggregates.py.  Admin only."""

from nova.api.policies import base

PREFIX = 'os_compute_api:os-aggregates:%s'
INDEX = PREFIX % 'index'
CREATE = PREFIX % 'create'
SHOW = PREFIX % 'show'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'
ADD_HOST = PREFIX % 'add_host'
REMOVE_HOST = PREFIX % 'remove_host'
SET_METADATA = PREFIX % 'set_metadata'
# 2.81, under upstream's newer prefix.
IMAGES = 'compute:aggregates:images'

_ITEMS = '/os-aggregates'
_ITEM = '/os-aggregates/{aggregate_id}'
_ACTION = '/os-aggregates/{aggregate_id}/action (%s)'

rules = [
    base.rule(name, base.ADMIN, description, (method, path))
    for name, description, method, path in (
        (INDEX, 'List all aggregates', 'GET', _ITEMS),
        (CREATE, 'Create an aggregate', 'POST', _ITEMS),
        (SHOW, 'Show details for an aggregate', 'GET', _ITEM),
        (UPDATE, 'Update name and/or availability zone for an aggregate',
         'PUT', _ITEM),
        (DELETE, 'Delete an aggregate', 'DELETE', _ITEM),
        (ADD_HOST, 'Add a host to an aggregate', 'POST',
         _ACTION % 'add_host'),
        (REMOVE_HOST, 'Remove a host from an aggregate', 'POST',
         _ACTION % 'remove_host'),
        (SET_METADATA, 'Create or replace metadata for an aggregate',
         'POST', _ACTION % 'set_metadata'),
        (IMAGES, 'Request image caching for an aggregate (2.81)', 'POST',
         _ITEM + '/images'))
]


def list_rules():
    return rules
