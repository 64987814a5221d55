"""Running an RPC service until it is told to stop."""

import signal
import sys
import threading

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
    stop_requested = wait_for_signal()
    service.start()
    signum = stop_requested()
    LOG.info('Caught signal %s, stopping %s', signum, binary)
    service.stop()
    rpc.cleanup()


def wait_for_signal():
    """Install SIGTERM/SIGINT handlers; returns a function that blocks
    until one arrives and returns its number.

    The handler only records the signal: stopping happens in the main
    thread, outside the handler, where it may block and join threads.
    """
    received = []
    event = threading.Event()

    def _handler(signum, _frame):
        received.append(signum)
        event.set()

    signal.signal(signal.SIGTERM, _handler)
    signal.signal(signal.SIGINT, _handler)

    def wait():
        event.wait()
        return received[0]
    return wait
