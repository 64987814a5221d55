"""[console] options: what console proxies accept."""

from oslo_config import cfg

from nova.conf import groups

console_group = cfg.OptGroup('console', title='Console proxy options')

console_opts = [
    cfg.ListOpt('allowed_origins',
                default=[],
                help="""
Host names a browser's Origin header may name besides the proxy's own
(the Host it was reached at), for pages served elsewhere (a dashboard
behind another name).  A websocket whose Origin names another host is
refused.
"""),
]


def register_opts(conf):
    groups.register(conf, console_group, console_opts)


def list_opts():
    return {console_group.name: console_opts}
