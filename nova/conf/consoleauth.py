"""[consoleauth] options: the console tokens the conductor keeps."""

from oslo_config import cfg

from nova.conf import groups

consoleauth_group = cfg.OptGroup('consoleauth',
                                 title='Console authorization options')

consoleauth_opts = [
    cfg.IntOpt('token_ttl',
               default=600,
               min=0,
               help="""
Seconds a console token stays valid after it is given out.

A browser must open the console within this time; an open console is not
cut when its token expires.  Expired tokens are deleted by the conductor's
periodic clean-up.
"""),
]


def register_opts(conf):
    groups.register(conf, consoleauth_group, consoleauth_opts)


def list_opts():
    return {consoleauth_group.name: consoleauth_opts}
