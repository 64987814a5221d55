"""Remote consoles: upstream's nova/policies/remote_consoles.py."""

from nova.api.policies import base

CREATE = 'os_compute_api:os-remote-consoles'

rules = [
    base.rule(CREATE, base.PROJECT_MEMBER_OR_ADMIN,
              "Generate a URL to a server's remote console (and the "
              "os-getVNCConsole action of microversions 2.1-2.5)",
              [{'method': 'POST', 'path': '/servers/{server_id}/action '
                                          '(os-getVNCConsole)'},
               {'method': 'POST',
                'path': '/servers/{server_id}/remote-consoles'}]),
]


def list_rules():
    return rules
