"""Server IPs: upstream's nova/policies/ips.py.  A project's reader reads
its servers' addresses."""

from nova.api.policies import base

PREFIX = 'os_compute_api:ips:%s'
INDEX = PREFIX % 'index'
SHOW = PREFIX % 'show'

rules = [
    base.rule(SHOW, base.PROJECT_READER_OR_ADMIN,
              'Show IP addresses details for a network label of a server',
              ('GET', '/servers/{server_id}/ips/{network_label}')),
    base.rule(INDEX, base.PROJECT_READER_OR_ADMIN,
              'List IP addresses that are assigned to a server',
              ('GET', '/servers/{server_id}/ips')),
]


def list_rules():
    return rules
