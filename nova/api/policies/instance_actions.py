from oslo_policy import policy

from nova.api.policies import base

PREFIX = 'os_compute_api:os-instance-actions:%s'
LIST = PREFIX % 'list'
SHOW = PREFIX % 'show'
EVENTS = PREFIX % 'events'
EVENTS_DETAILS = PREFIX % 'events:details'

rules = [
    policy.DocumentedRuleDefault(
        LIST, base.PROJECT_READER_OR_ADMIN, "List a server's actions",
        [{'method': 'GET', 'path': '/servers/{server_id}/os-instance-actions'}]),
    policy.DocumentedRuleDefault(
        SHOW, base.PROJECT_READER_OR_ADMIN, 'Show an action and its events',
        [{'method': 'GET', 'path':
          '/servers/{server_id}/os-instance-actions/{request_id}'}]),
    policy.DocumentedRuleDefault(
        EVENTS, base.ADMIN,
        'See event tracebacks and hosts (events themselves are visible to '
        'owners from 2.51)',
        [{'method': 'GET', 'path':
          '/servers/{server_id}/os-instance-actions/{request_id}'}]),
    policy.DocumentedRuleDefault(
        EVENTS_DETAILS, base.ADMIN, 'See event details (2.84)',
        [{'method': 'GET', 'path':
          '/servers/{server_id}/os-instance-actions/{request_id}'}]),
]


def list_rules():
    return rules
