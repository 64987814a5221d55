"""Policy enforcement with oslo.policy; defaults live in api/policies/."""

import threading

from oslo_policy import policy as oslo_policy

from nova.api import policies
from nova import exception

_ENFORCER = None
_LOCK = threading.Lock()


def get_enforcer(conf=None):
    """The process's enforcer (also the oslo.policy.enforcer entry point)."""
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is None:
            if conf is None:
                from nova import conf as nova_conf
                conf = nova_conf.CONF
            enforcer = oslo_policy.Enforcer(conf)
            enforcer.register_defaults(policies.list_rules())
            _ENFORCER = enforcer
    return _ENFORCER


def reset():
    global _ENFORCER
    with _LOCK:
        _ENFORCER = None


def authorize(context, rule, target=None, fatal=True):
    """Check rule for context; raise PolicyNotAuthorized when fatal."""
    if target is None:
        target = {'project_id': context.project_id,
                  'user_id': context.user_id}
    credentials = context.to_policy_values()
    try:
        return get_enforcer().authorize(
            rule, target, credentials, do_raise=fatal,
            exc=exception.PolicyNotAuthorized, action=rule)
    except oslo_policy.InvalidScope:
        if fatal:
            raise exception.PolicyNotAuthorized(action=rule)
        return False
