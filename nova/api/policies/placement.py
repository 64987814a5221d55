"""The Placement-compatible read API: upstream Placement's rule names
(placement/policies/*.py) and defaults, for the routes served here.

Upstream's admin_or_service_api is service_or_admin here, its
admin_or_project_reader_or_service_api the reader rule below.
"""

from nova.api.policies import base

RP_LIST = 'placement:resource_providers:list'
RP_SHOW = 'placement:resource_providers:show'
INVENTORY_LIST = 'placement:resource_providers:inventories:list'
INVENTORY_SHOW = 'placement:resource_providers:inventories:show'
PROVIDER_USAGES = 'placement:resource_providers:usages'
AGGREGATE_LIST = 'placement:resource_providers:aggregates:list'
RP_TRAIT_LIST = 'placement:resource_providers:traits:list'
RP_ALLOC_LIST = 'placement:resource_providers:allocations:list'
ALLOC_LIST = 'placement:allocations:list'
TOTAL_USAGES = 'placement:usages'

ADMIN_OR_PROJECT_READER_OR_SERVICE = (
    base.PROJECT_READER_OR_ADMIN + ' or ' + base.SERVICE)

RP = '/resource_providers/{uuid}'

rules = [
    base.rule(RP_LIST, base.SERVICE_OR_ADMIN, 'List resource providers.',
              ('GET', '/resource_providers')),
    base.rule(RP_SHOW, base.SERVICE_OR_ADMIN, 'Show resource provider.',
              ('GET', RP)),
    base.rule(INVENTORY_LIST, base.SERVICE_OR_ADMIN,
              'List resource provider inventories.',
              ('GET', RP + '/inventories')),
    base.rule(INVENTORY_SHOW, base.SERVICE_OR_ADMIN,
              'Show resource provider inventory.',
              ('GET', RP + '/inventories/{resource_class}')),
    base.rule(PROVIDER_USAGES, base.SERVICE_OR_ADMIN,
              'List resource provider usages.', ('GET', RP + '/usages')),
    base.rule(AGGREGATE_LIST, base.SERVICE_OR_ADMIN,
              'List resource provider aggregates.',
              ('GET', RP + '/aggregates')),
    base.rule(RP_TRAIT_LIST, base.SERVICE_OR_ADMIN,
              'List resource provider traits.', ('GET', RP + '/traits')),
    base.rule(RP_ALLOC_LIST, base.SERVICE_OR_ADMIN,
              'List resource provider allocations.',
              ('GET', RP + '/allocations')),
    base.rule(ALLOC_LIST, base.SERVICE_OR_ADMIN,
              'List allocations.', ('GET', '/allocations/{consumer_uuid}')),
    base.rule(TOTAL_USAGES, ADMIN_OR_PROJECT_READER_OR_SERVICE,
              "List total resource usages for a given project (a "
              "project's own readers may).", ('GET', '/usages')),
]


def list_rules():
    return rules
