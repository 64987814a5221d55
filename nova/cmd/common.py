"""Running an RPC service until it is told to stop."""

import signal
import sys

from oslo_log import log as logging

from nova import config
from nova import rpc
from nova import service as nova_service

LOG = logging.getLogger(__name__)


def serve(binary, argv=None, before_start=None):
    conf = config.parse_args(argv or sys.argv)
    if before_start is not None:
        before_start(conf)
    service = nova_service.Service(conf, binary)

    def _stop(signum, _frame):
        LOG.info('Caught signal %s, stopping %s', signum, binary)
        service.stop()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    service.start()
    service.wait()
    rpc.cleanup()
