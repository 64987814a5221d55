"""Hosts (deprecated, before 2.43): upstream's nova/policies/hosts.py."""

from nova.api.policies import base

PREFIX = 'os_compute_api:os-hosts:%s'
LIST = PREFIX % 'list'
SHOW = PREFIX % 'show'
UPDATE = PREFIX % 'update'
REBOOT = PREFIX % 'reboot'
SHUTDOWN = PREFIX % 'shutdown'
START = PREFIX % 'start'

rules = [
    base.rule(name, base.ADMIN, description, operation)
    for name, description, operation in (
        (LIST, 'List the hosts (before 2.43)', ('GET', '/os-hosts')),
        (SHOW, "Show a host's resources (before 2.43)",
         ('GET', '/os-hosts/{host_name}')),
        (UPDATE, 'Enable or disable a host, or put it in maintenance mode '
         '(before 2.43)', ('PUT', '/os-hosts/{host_name}')),
        (REBOOT, 'Reboot a host (before 2.43)',
         ('GET', '/os-hosts/{host_name}/reboot')),
        (SHUTDOWN, 'Shut down a host (before 2.43)',
         ('GET', '/os-hosts/{host_name}/shutdown')),
        (START, 'Start a host (before 2.43)',
         ('GET', '/os-hosts/{host_name}/startup')))
]


def list_rules():
    return rules
