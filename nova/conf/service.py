"""[DEFAULT] options shared by every service: identity, heartbeats, paths."""

import socket

from oslo_config import cfg

service_opts = [
    cfg.StrOpt('host',
               default=socket.gethostname(),
               sample_default='<current_hostname>',
               help="""
Name of this node, used as the RPC server name and in the services table.

Possible values: any string unique among the services of one binary; it must
be a valid AMQP routing key component.
"""),
    cfg.StrOpt('state_path',
               default='/var/lib/nova',
               help="Top-level directory for this node's state."),
    cfg.IntOpt('report_interval',
               default=10,
               min=1,
               help="""
Seconds between the heartbeats each service sends through the conductor.

Related options: service_down_time must be larger than this.
"""),
    cfg.IntOpt('service_down_time',
               default=60,
               min=1,
               help="""
Maximum seconds since the last heartbeat for a service to be considered up.
"""),
    cfg.StrOpt('osapi_compute_listen',
               default='0.0.0.0',
               help='IP address on which nova-api listens.'),
    cfg.PortOpt('osapi_compute_listen_port',
                default=8774,
                help='Port on which nova-api listens.'),
    cfg.IntOpt('osapi_compute_listen_backlog',
               default=4096,
               min=1,
               help='Connections nova-api lets wait to be accepted (the '
                    'listen backlog; the kernel caps it at '
                    'net.core.somaxconn).  Past it, clients are refused '
                    'or reset.'),
    cfg.IntOpt('osapi_compute_workers',
               default=16,
               min=1,
               help='Number of threads serving API requests in nova-api.'),
    cfg.IntOpt('long_rpc_timeout',
               default=1800,
               help="""
Timeout in seconds for RPC calls known to take long (scheduling).
rpc_response_timeout applies to all other calls.
"""),
    cfg.StrOpt('default_availability_zone',
               default='nova',
               help='Availability zone of compute services not in any zone.'),
    cfg.StrOpt('internal_service_availability_zone',
               default='internal',
               help='Availability zone shown for non-compute services.'),
]


def register_opts(conf):
    conf.register_opts(service_opts)


def list_opts():
    return {'DEFAULT': service_opts}
