"""Running an RPC service until it is told to stop, in one process or in
several worker processes that consume the same topic."""

import gc
import logging as std_logging
import os
import signal
import sys
import threading
import time

from oslo_log import log as logging

from nova import config
from nova import rpc
from nova import service as nova_service

LOG = logging.getLogger(__name__)

# A worker that dies is started again, but not more often than this.
RESPAWN_INTERVAL = 1.0


def serve(binary, argv=None, before_start=None, workers=None):
    """Run binary's service until SIGTERM/SIGINT.

    before_start(conf) runs in the process that serves (each worker).
    workers(conf) -> how many worker processes; more than one forks them
    from this process, which then only watches them.
    """
    conf = config.parse_args(argv or sys.argv, init_rpc=False)
    count = workers(conf) if workers is not None else 1
    if count > 1:
        _supervise(binary, conf, before_start, count)
    else:
        _serve_one(binary, conf, before_start)


def _serve_one(binary, conf, before_start, parent=None):
    # The transport and the database engine are made here, after any fork:
    # sockets and pooled connections must not be shared between processes.
    rpc.init(conf)
    if before_start is not None:
        before_start(conf)
    service = nova_service.Service(conf, binary)
    stop_requested = wait_for_signal()
    if parent is not None:
        _stop_when_orphaned(parent)
    service.start()
    freeze_startup_heap()
    signum = stop_requested()
    LOG.info('Caught signal %s, stopping %s', signum, binary)
    service.stop()
    rpc.cleanup()


def _stop_when_orphaned(parent):
    """SIGTERM ourselves when the supervising process is gone (killed
    without passing the signal on): a worker never outlives it."""
    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)
    threading.Thread(target=watch, name='parent-watch', daemon=True).start()


def _supervise(binary, conf, before_start, count):
    """Fork count workers, start again one that dies, and pass SIGTERM or
    SIGINT on to them; returns once they are all gone."""
    LOG.info('Starting %d %s workers', count, binary)
    parent = os.getpid()
    stop = threading.Event()
    received = []

    def _handler(signum, _frame):
        received.append(signum)
        stop.set()

    signal.signal(signal.SIGTERM, _handler)
    signal.signal(signal.SIGINT, _handler)
    children = {}
    for index in range(count):
        children[_fork(binary, conf, before_start, parent, index)] = index
    while not stop.is_set():
        pid, status = _reap()
        if pid and pid in children:
            index = children.pop(pid)
            LOG.error('%s worker %d (pid %d) exited with status %s; '
                      'starting it again', binary, index, pid, status)
            time.sleep(RESPAWN_INTERVAL)
            if not stop.is_set():
                children[_fork(binary, conf, before_start, parent,
                               index)] = index
        elif not pid:
            stop.wait(0.5)
    LOG.info('Caught signal %s, stopping %d %s workers', received[0],
             len(children), binary)
    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for pid in children:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def _reap():
    try:
        return os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return 0, 0


def _fork(binary, conf, before_start, parent, index):
    pid = os.fork()
    if pid:
        LOG.info('Started %s worker %d (pid %d)', binary, index, pid)
        return pid
    # Until the worker installs its own handlers, a signal ends it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    code = 0
    try:
        _serve_one(binary, conf, before_start, parent=parent)
    except BaseException:
        LOG.exception('%s worker %d failed', binary, index)
        code = 1
    finally:
        std_logging.shutdown()
        os._exit(code)


def freeze_startup_heap():
    """Leave what start-up made (modules, configuration, the app) out of
    the garbage collector's full collections.

    A long list allocates enough objects to set off a full collection,
    which also walks every object made at start-up: 40-80 ms added to one
    request in ten.  Objects frozen here are still freed when no longer
    referenced; only reference cycles among them are never collected.
    """
    gc.collect()
    gc.freeze()


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
