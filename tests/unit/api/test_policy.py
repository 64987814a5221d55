"""Policy checks: the policy file is looked at once a second, not per
check, and an edit to it still takes effect."""

from unittest import mock

from oslo_config import cfg
from oslo_policy import opts as oslo_policy_opts
import pytest

import nova.conf
from nova.api import policies
from nova.api import policy
from nova import context as nova_context
from nova import exception

RULE = policies.servers.SHOW


@pytest.fixture
def policy_file(tmp_path):
    path = tmp_path / 'policy.yaml'
    path.write_text('{}\n')
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([], project='nova', default_config_files=[],
         default_config_dirs=[])
    policy.reset()
    # An override on this conf only: oslo_policy's set_defaults would
    # change the option's default in every later test's conf too.
    for group, options in oslo_policy_opts.list_opts():
        conf.register_opts(options, group=group)
    conf.set_override('policy_file', str(path), group='oslo_policy')
    enforcer = policy.get_enforcer(conf)
    yield path, enforcer
    policy.reset()


def _member():
    return nova_context.RequestContext(user_id='u1', project_id='p1',
                                       roles=['member', 'reader'])


def test_checks_between_rechecks_do_not_look_for_files(policy_file):
    _, enforcer = policy_file
    assert policy.authorize(_member(), RULE)
    with mock.patch.object(enforcer, '_get_policy_path') as looked:
        for _ in range(20):
            assert policy.authorize(_member(), RULE)
    looked.assert_not_called()


def test_an_edited_policy_file_takes_effect_at_the_next_recheck(
        policy_file, monkeypatch):
    path, _ = policy_file
    assert policy.authorize(_member(), RULE)
    path.write_text('"%s": "role:admin"\n' % RULE)
    monkeypatch.setattr(policy, '_next_check', 0.0)
    with pytest.raises(exception.PolicyNotAuthorized):
        policy.authorize(_member(), RULE)


# An operator's policy.yaml, written in upstream Nova's rule names.

TARGET = {'project_id': 'p1', 'user_id': 'u1'}


def _context(roles, project_id='p1', user_id='u1'):
    return nova_context.RequestContext(user_id=user_id,
                                       project_id=project_id, roles=roles)


def _override(policy_file, monkeypatch, text):
    path, _ = policy_file
    path.write_text(text)
    monkeypatch.setattr(policy, '_next_check', 0.0)


def _refused(context, rule):
    with pytest.raises(exception.PolicyNotAuthorized) as refusal:
        policy.authorize(context, rule, TARGET)
    assert refusal.value.code == 403
    assert refusal.value.format_message() == (
        "Policy doesn't allow %s to be performed." % rule)


def test_an_override_of_an_api_rule_takes_effect(policy_file, monkeypatch):
    stop = 'os_compute_api:servers:stop'
    member = _context(['member', 'reader'])
    assert policy.authorize(member, stop, TARGET)
    _override(policy_file, monkeypatch, '"%s": "role:admin"\n' % stop)
    _refused(member, stop)
    assert policy.authorize(_context(['admin'], project_id='admin'), stop,
                            TARGET)
    # The rules left alone keep their defaults.
    assert policy.authorize(member, 'os_compute_api:servers:start', TARGET)


def test_an_override_of_a_base_rule_changes_the_rules_written_in_it(
        policy_file, monkeypatch):
    member = _context(['member', 'reader'])
    reader = _context(['reader'])
    admin = _context(['admin'], project_id='admin')
    migrate = 'os_compute_api:os-migrate-server:migrate'
    _refused(member, migrate)
    # Members are those with the 'creator' role; managers are members.
    _override(policy_file, monkeypatch,
              '"project_member_api": "role:creator and '
              'project_id:%(project_id)s"\n'
              '"project_manager_api": "rule:project_member_api"\n')
    for rule in ('os_compute_api:servers:stop',
                 'os_compute_api:servers:create',
                 'os_compute_api:os-lock-server:lock', migrate):
        _refused(member, rule)
        assert policy.authorize(_context(['creator', 'reader']), rule,
                                TARGET)
        # ... of the target's project.
        _refused(_context(['creator', 'reader'], project_id='p2'), rule)
        assert policy.authorize(admin, rule, TARGET)
    # Readers and admin-only rules are as they were.
    assert policy.authorize(reader, 'os_compute_api:servers:show', TARGET)
    _refused(_context(['creator', 'reader']),
             'os_compute_api:os-shelve:shelve_offload')
