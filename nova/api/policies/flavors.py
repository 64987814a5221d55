from oslo_policy import policy

from nova.api.policies import base

PREFIX = 'os_compute_api:os-flavor-manage:%s'
LIST = 'os_compute_api:flavors'
CREATE = PREFIX % 'create'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'

rules = [
    policy.DocumentedRuleDefault(
        LIST, base.ANY, 'List and show flavors',
        [{'method': 'GET', 'path': '/flavors'},
         {'method': 'GET', 'path': '/flavors/detail'},
         {'method': 'GET', 'path': '/flavors/{flavor_id}'}]),
    policy.DocumentedRuleDefault(
        CREATE, base.ADMIN, 'Create a flavor',
        [{'method': 'POST', 'path': '/flavors'}]),
    policy.DocumentedRuleDefault(
        UPDATE, base.ADMIN, "Update a flavor's description",
        [{'method': 'PUT', 'path': '/flavors/{flavor_id}'}]),
    policy.DocumentedRuleDefault(
        DELETE, base.ADMIN, 'Delete a flavor',
        [{'method': 'DELETE', 'path': '/flavors/{flavor_id}'}]),
]


def list_rules():
    return rules
