"""[vnc] options: guests' VNC consoles and the nova-novncproxy service
(upstream's names and defaults)."""

from oslo_config import cfg

from nova.conf import groups

vnc_group = cfg.OptGroup('vnc', title='VNC options', help="""
Guests' graphical consoles through VNC, reached by browsers through
nova-novncproxy (noVNC over a websocket).
""")

vnc_opts = [
    cfg.BoolOpt('enabled',
                default=True,
                help="""
Give guests a VNC graphics device and allow remote consoles to them.

Read by nova-compute (the guest's domain XML) and nova-api (a console of a
server whose host has VNC off is refused).
"""),
    cfg.HostAddressOpt('server_listen',
                       default='127.0.0.1',
                       help="""
The address the guests' VNC servers listen on, on the compute host.

Set it to an address nova-novncproxy reaches when the proxy runs on
another machine (0.0.0.0 listens everywhere).
"""),
    cfg.HostAddressOpt('server_proxyclient_address',
                       default='127.0.0.1',
                       help="""
The address of this compute host that nova-novncproxy connects to for its
guests' VNC consoles (one of the addresses server_listen covers).
"""),
    cfg.URIOpt('novncproxy_base_url',
               default='http://127.0.0.1:6080/vnc_auto.html',
               help="""
The public URL of nova-novncproxy's noVNC page, as browsers reach it; a
console's URL is this with the console token in its query.
"""),
    cfg.StrOpt('novncproxy_host',
               default='0.0.0.0',
               help='The address nova-novncproxy listens on.'),
    cfg.PortOpt('novncproxy_port',
                default=6080,
                help='The port nova-novncproxy listens on.'),
    cfg.StrOpt('web',
               default='/usr/share/novnc',
               help="""
The directory of the noVNC files nova-novncproxy serves (the distribution's
novnc package installs them in /usr/share/novnc).
"""),
]


def register_opts(conf):
    groups.register(conf, vnc_group, vnc_opts)


def list_opts():
    return {vnc_group.name: vnc_opts}
