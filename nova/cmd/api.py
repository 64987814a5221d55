"""nova-api: the Compute API on a threaded WSGI server (cheroot)."""

import sys
import threading

from cheroot import wsgi as cheroot_wsgi
from oslo_log import log as logging

from nova.api import deploy
from nova.cmd import common
from nova import config
from nova import rpc

LOG = logging.getLogger(__name__)


def main(argv=None):
    conf = config.parse_args(argv or sys.argv)
    app = deploy.build_app(conf)
    address = (conf.osapi_compute_listen, conf.osapi_compute_listen_port)
    server = cheroot_wsgi.Server(address, app,
                                 numthreads=conf.osapi_compute_workers,
                                 request_queue_size=(
                                     conf.osapi_compute_listen_backlog),
                                 server_name='nova-api')

    stop_requested = common.wait_for_signal()
    server.prepare()
    common.freeze_startup_heap()
    thread = threading.Thread(target=server.serve, name='wsgi-server',
                              daemon=True)
    thread.start()
    LOG.info('nova-api listening on http://%s:%s with %d threads',
             address[0], address[1], conf.osapi_compute_workers)
    signum = stop_requested()
    LOG.info('Caught signal %s, stopping nova-api', signum)
    server.stop()
    thread.join(timeout=10)
    rpc.cleanup()
