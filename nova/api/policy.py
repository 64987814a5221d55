"""Policy enforcement with oslo.policy; defaults live in api/policies/."""

import threading
import time

from oslo_policy import policy as oslo_policy

from nova.api import policies
from nova import exception

_ENFORCER = None
_LOCK = threading.Lock()
# oslo.policy looks for the policy file and policy.d directories and walks
# every registered default on each check (13% of nova-api's CPU for a GET
# of one server); that is done at most this often instead, so an edited
# policy file still takes effect within a second.
RECHECK_SECONDS = 1.0
_next_check = 0.0


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
    global _ENFORCER, _next_check
    with _LOCK:
        _ENFORCER = None
        _next_check = 0.0


def _checked_enforcer():
    """The enforcer, its rules reloaded if the policy files changed and the
    last look is RECHECK_SECONDS old; checks in between use the rules as
    loaded (use_conf off)."""
    global _next_check
    enforcer = get_enforcer()
    now = time.monotonic()
    if now >= _next_check:
        with _LOCK:
            if now >= _next_check:
                enforcer.use_conf = True
                enforcer.load_rules()
                enforcer.use_conf = False
                _next_check = now + RECHECK_SECONDS
    return enforcer


def authorize(context, rule, target=None, fatal=True):
    """Check rule for context; raise PolicyNotAuthorized when fatal."""
    if target is None:
        target = {'project_id': context.project_id,
                  'user_id': context.user_id}
    credentials = context.to_policy_values()
    try:
        return _checked_enforcer().authorize(
            rule, target, credentials, do_raise=fatal,
            exc=exception.PolicyNotAuthorized, action=rule)
    except oslo_policy.InvalidScope:
        if fatal:
            raise exception.PolicyNotAuthorized(action=rule)
        return False


def check_is_admin(context):
    """Whether context passes context_is_admin (what is_admin means)."""
    credentials = context.to_policy_values()
    return _checked_enforcer().authorize(
        'context_is_admin', {}, credentials, do_raise=False)
