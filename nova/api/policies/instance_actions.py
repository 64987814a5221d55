"""Instance actions: upstream's nova/policies/instance_actions.py."""

from oslo_policy import policy

from nova.api.policies import base

PREFIX = 'os_compute_api:os-instance-actions:%s'
LIST = PREFIX % 'list'
SHOW = PREFIX % 'show'
EVENTS = PREFIX % 'events'
EVENTS_DETAILS = PREFIX % 'events:details'

_SHOW_PATH = '/servers/{server_id}/os-instance-actions/{request_id}'

rules = [
    policy.DocumentedRuleDefault(
        LIST, base.PROJECT_READER_OR_ADMIN, "List a server's actions",
        [{'method': 'GET',
          'path': '/servers/{server_id}/os-instance-actions'}],
        scope_types=base.SCOPE_TYPES),
    policy.DocumentedRuleDefault(
        SHOW, base.PROJECT_READER_OR_ADMIN, "Show a server's action",
        [{'method': 'GET', 'path': _SHOW_PATH}],
        scope_types=base.SCOPE_TYPES),
    policy.DocumentedRuleDefault(
        EVENTS, base.ADMIN,
        "Show the action's events with their tracebacks, and from 2.62 "
        'their hosts (events without those are shown to all from 2.51; '
        'checked after ' + SHOW + ' passes)',
        [{'method': 'GET', 'path': _SHOW_PATH}],
        scope_types=base.SCOPE_TYPES),
    policy.DocumentedRuleDefault(
        EVENTS_DETAILS, base.ADMIN,
        "Show the events' details field (2.84; checked after " + SHOW
        + ' passes)',
        [{'method': 'GET', 'path': _SHOW_PATH}],
        scope_types=base.SCOPE_TYPES),
]


def list_rules():
    return rules
