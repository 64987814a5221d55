"""Flavors: upstream's nova/policies/flavor_manage.py.

Upstream lists and shows flavors without a policy check;
``os_compute_api:flavors`` (anyone) is this project's rule for them, an
operator's hook that upstream dropped.
"""

from nova.api.policies import base

PREFIX = 'os_compute_api:os-flavor-manage:%s'
LIST = 'os_compute_api:flavors'
CREATE = PREFIX % 'create'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'

rules = [
    # Upstream checks nothing to list flavors: any scope may.
    base.rule(LIST, base.ANY, 'List and show flavors',
          [{'method': 'GET', 'path': '/flavors'},
           {'method': 'GET', 'path': '/flavors/detail'},
           {'method': 'GET', 'path': '/flavors/{flavor_id}'}],
          scope_types=['system', 'domain', 'project']),
    base.rule(CREATE, base.ADMIN, 'Create a flavor',
          [{'method': 'POST', 'path': '/flavors'}]),
    base.rule(UPDATE, base.ADMIN, "Update a flavor's description (2.55)",
          [{'method': 'PUT', 'path': '/flavors/{flavor_id}'}]),
    base.rule(DELETE, base.ADMIN, 'Delete a flavor',
          [{'method': 'DELETE', 'path': '/flavors/{flavor_id}'}]),
]


def list_rules():
    return rules
