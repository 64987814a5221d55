"""nova-placement-api: the Placement-compatible read API on a threaded
WSGI server (cheroot), as nova-api serves the Compute API."""

import sys
import threading

from cheroot import wsgi as cheroot_wsgi
from oslo_log import log as logging

from nova.api.placement import deploy
from nova.cmd import common
from nova import config
from nova import rpc

LOG = logging.getLogger(__name__)


def main(argv=None):
    conf = config.parse_args(argv or sys.argv)
    app = deploy.build_app(conf)
    options = conf.placement_api
    address = (options.listen, options.listen_port)
    server = cheroot_wsgi.Server(address, app, numthreads=options.workers,
                                 server_name='nova-placement-api')

    stop_requested = common.wait_for_signal()
    server.prepare()
    thread = threading.Thread(target=server.serve, name='wsgi-server',
                              daemon=True)
    thread.start()
    LOG.info('nova-placement-api listening on http://%s:%s with %d '
             'threads', address[0], address[1], options.workers)
    signum = stop_requested()
    LOG.info('Caught signal %s, stopping nova-placement-api', signum)
    server.stop()
    thread.join(timeout=10)
    rpc.cleanup()
