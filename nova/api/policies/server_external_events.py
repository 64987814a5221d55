"""External events: upstream's nova/policies/server_external_events.py.
Sent by other services (Neutron, Cinder) with an admin's or a service
user's token."""

from nova.api.policies import base

CREATE = 'os_compute_api:os-server-external-events:create'

rules = [
    base.rule(CREATE, base.SERVICE_OR_ADMIN,
              'Create one or more external events',
              ('POST', '/os-server-external-events')),
]


def list_rules():
    return rules
