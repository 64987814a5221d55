"""nova-novncproxy: browsers' noVNC consoles to guests' VNC servers
(nova.console.websocketproxy), listening on [vnc] novncproxy_host and
novncproxy_port."""

import os
import sys
import threading

from oslo_log import log as logging

from nova.cmd import common
from nova.compute import rpcapi as compute_rpcapi
from nova.conductor import rpcapi as conductor_rpcapi
from nova import config
from nova.console import websocketproxy
from nova import rpc

LOG = logging.getLogger(__name__)


def main(argv=None):
    conf = config.parse_args(argv or sys.argv)
    if conf.vnc.web and not os.path.isdir(conf.vnc.web):
        # A page nobody can load is worse than a clear stop: install the
        # distribution's novnc package or set [vnc] web.
        sys.exit('nova-novncproxy: no noVNC files in %s ([vnc] web)'
                 % conf.vnc.web)
    proxy = websocketproxy.NovaWebSocketProxy(
        conf, conductor_rpcapi.ConductorAPI(conf=conf),
        compute_rpcapi.ComputeAPI())
    stop_requested = common.wait_for_signal()
    proxy.listen()
    thread = threading.Thread(target=proxy.serve, name='novncproxy',
                              daemon=True)
    thread.start()
    signum = stop_requested()
    LOG.info('Caught signal %s, stopping nova-novncproxy', signum)
    proxy.stop()
    thread.join(timeout=10)
    rpc.cleanup()


if __name__ == '__main__':
    # devstack runs it so from a virtualenv whose nova predates the
    # console script.
    main()
