"""Flavor extra specs: upstream's nova/policies/flavor_extra_specs.py.
A project's reader reads them, in their own API and (2.61+) in flavor
views; only an admin changes them."""

from nova.api.policies import base

PREFIX = 'os_compute_api:os-flavor-extra-specs:%s'
INDEX = PREFIX % 'index'
SHOW = PREFIX % 'show'
CREATE = PREFIX % 'create'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'

_ITEMS = '/flavors/{flavor_id}/os-extra_specs'
_ITEM = '/flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}'

rules = [
    base.rule(INDEX, base.PROJECT_READER_OR_ADMIN,
              'List extra specs for a flavor. Starting with microversion '
              '2.61, extra specs may be returned in responses for the '
              'flavor resource.',
              [{'method': 'GET', 'path': _ITEMS},
               # 2.61: the flavor views
               {'method': 'POST', 'path': '/flavors'},
               {'method': 'GET', 'path': '/flavors/detail'},
               {'method': 'GET', 'path': '/flavors/{flavor_id}'},
               {'method': 'PUT', 'path': '/flavors/{flavor_id}'}]),
] + [
    base.rule(name, check_str, description, (method, path))
    for name, check_str, description, method, path in (
        (SHOW, base.PROJECT_READER_OR_ADMIN,
         'Show an extra spec for a flavor', 'GET', _ITEM),
        (CREATE, base.ADMIN,
         'Create extra specs for a flavor', 'POST', _ITEMS),
        (UPDATE, base.ADMIN,
         'Update an extra spec for a flavor', 'PUT', _ITEM),
        (DELETE, base.ADMIN,
         'Delete an extra spec for a flavor', 'DELETE', _ITEM))
]


def list_rules():
    return rules
