"""Interfaces (os-interface): upstream's nova/policies/attach_interfaces.py."""

from nova.api.policies import base

PREFIX = 'os_compute_api:os-attach-interfaces:%s'
LIST = PREFIX % 'list'
SHOW = PREFIX % 'show'
CREATE = PREFIX % 'create'
DELETE = PREFIX % 'delete'

PATH = '/servers/{server_id}/os-interface'

rules = [
    base.rule(LIST, base.PROJECT_READER_OR_ADMIN,
              "List port interfaces attached to a server", ('GET', PATH)),
    base.rule(SHOW, base.PROJECT_READER_OR_ADMIN,
              'Show details of a port interface attached to a server',
              ('GET', PATH + '/{port_id}')),
    base.rule(CREATE, base.PROJECT_MEMBER_OR_ADMIN,
              'Attach an interface to a server', ('POST', PATH)),
    base.rule(DELETE, base.PROJECT_MEMBER_OR_ADMIN,
              'Detach an interface from a server',
              ('DELETE', PATH + '/{port_id}')),
]


def list_rules():
    return rules
