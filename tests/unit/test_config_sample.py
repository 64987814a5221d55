"""etc/nova/nova.conf.sample (``tox -e genconfig``) lists every option of
nova.conf, in its group, with its current default.  (Only nova's own
namespace is compared: the oslo libraries' options follow their
versions.)"""

import os

from oslo_config import generator

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _option_lines(path):
    """{(group, '#option = default')} of a sample file."""
    lines, group = set(), None
    with open(path) as f:
        for line in f:
            line = line.rstrip()
            if line.startswith('[') and line.endswith(']'):
                group = line[1:-1]
            elif group and line.startswith('#') and ' = ' in line and \
                    not line.startswith('# '):
                lines.add((group, line))
    return lines


def test_the_config_sample_is_up_to_date(tmp_path):
    fresh = tmp_path / 'nova.conf.sample'
    conf = generator.cfg.ConfigOpts()
    generator.register_cli_opts(conf)
    conf(['--namespace', 'nova.conf', '--output-file', str(fresh)])
    generator.generate(conf)
    expected = _option_lines(str(fresh))
    assert expected
    missing = expected - _option_lines(
        os.path.join(TOP, 'etc', 'nova', 'nova.conf.sample'))
    assert not missing, ('etc/nova/nova.conf.sample is stale (run tox -e '
                         'genconfig): %s' % sorted(missing))


def test_the_policy_sample_has_every_rule_with_its_default():
    """etc/nova/policy.yaml.sample (``tox -e genpolicy``)."""
    from nova.api import policies
    with open(os.path.join(TOP, 'etc', 'nova', 'policy.yaml.sample')) as f:
        sample = f.read()
    stale = ['%s: %s' % (rule.name, rule.check_str)
             for rule in policies.list_rules()
             if '#"%s": "%s"' % (rule.name, rule.check_str) not in sample]
    assert not stale, ('etc/nova/policy.yaml.sample is stale (run tox -e '
                       'genpolicy): %s' % stale)
