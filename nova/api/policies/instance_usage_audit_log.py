"""Instance usage audit log: upstream's
nova/policies/instance_usage_audit_log.py."""

from nova.api.policies import base

PREFIX = 'os_compute_api:os-instance-usage-audit-log:%s'
LIST = PREFIX % 'list'
SHOW = PREFIX % 'show'

rules = [
    base.rule(LIST, base.ADMIN, 'List the usage audits of every compute '
              'host (the last completed audit period)',
              ('GET', '/os-instance_usage_audit_log')),
    base.rule(SHOW, base.ADMIN, 'The usage audits of the audit period '
              'completed before a time',
              ('GET', '/os-instance_usage_audit_log/{before_timestamp}')),
]


def list_rules():
    return rules
