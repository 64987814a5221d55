"""Networks (a deprecated proxy, before 2.36): upstream's
nova/policies/networks.py."""

from nova.api.policies import base

PREFIX = 'os_compute_api:os-networks:%s'
LIST = PREFIX % 'list'
VIEW = PREFIX % 'view'

rules = [
    base.rule(LIST, base.PROJECT_READER_OR_ADMIN, 'List networks (a '
              'deprecated proxy to the network API)',
              ('GET', '/os-networks')),
    base.rule(VIEW, base.PROJECT_READER_OR_ADMIN, 'Show a network (a '
              'deprecated proxy to the network API)',
              ('GET', '/os-networks/{network_id}')),
]


def list_rules():
    return rules
