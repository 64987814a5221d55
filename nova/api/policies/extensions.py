"""Extensions: upstream's nova/policies/extensions.py."""

from nova.api.policies import base

EXTENSIONS = 'os_compute_api:extensions'

rules = [
    base.rule(EXTENSIONS, base.ANY, 'List the (legacy) API extensions, or '
              'show one', [{'method': 'GET', 'path': '/extensions'},
                           {'method': 'GET', 'path': '/extensions/{alias}'}]),
]


def list_rules():
    return rules
