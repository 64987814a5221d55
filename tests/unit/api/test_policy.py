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
