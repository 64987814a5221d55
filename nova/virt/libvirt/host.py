"""The libvirt connection of one compute host: open, reconnect, events.

libvirt-python is imported here and in the driver only, so the rest of
nova runs (and its tests pass) on machines without it.

Lifecycle events come from libvirt's default event loop, run in a daemon
thread.  Callbacks must not call back into libvirt or block that loop, so
they only queue (uuid, event); a second thread hands each to the listener
(the compute manager), which reads the domain's current state itself.
"""

import queue
import threading
import time

import libvirt
from oslo_log import log as logging

from nova.compute import states
from nova import exception

LOG = logging.getLogger(__name__)

_p = states.power

# libvirt domain state -> nova power state.
POWER_STATES = {
    libvirt.VIR_DOMAIN_NOSTATE: _p.NOSTATE,
    libvirt.VIR_DOMAIN_RUNNING: _p.RUNNING,
    libvirt.VIR_DOMAIN_BLOCKED: _p.RUNNING,
    libvirt.VIR_DOMAIN_PAUSED: _p.PAUSED,
    libvirt.VIR_DOMAIN_SHUTDOWN: _p.SHUTDOWN,
    libvirt.VIR_DOMAIN_SHUTOFF: _p.SHUTDOWN,
    libvirt.VIR_DOMAIN_CRASHED: _p.CRASHED,
    libvirt.VIR_DOMAIN_PMSUSPENDED: _p.SUSPENDED,
}

# Lifecycle events worth a power-state check, with a name for the log.
EVENT_NAMES = {
    libvirt.VIR_DOMAIN_EVENT_STARTED: 'Started',
    libvirt.VIR_DOMAIN_EVENT_SUSPENDED: 'Paused',
    libvirt.VIR_DOMAIN_EVENT_RESUMED: 'Resumed',
    libvirt.VIR_DOMAIN_EVENT_STOPPED: 'Stopped',
    libvirt.VIR_DOMAIN_EVENT_CRASHED: 'Crashed',
}


class HypervisorUnavailable(exception.NovaException):
    msg_fmt = 'Connection to the hypervisor is broken on host %(host)s'
    code = 503


_event_loop_lock = threading.Lock()
_event_loop_started = False


def _start_event_loop():
    """libvirt's default event loop, once per process (a thread)."""
    global _event_loop_started
    with _event_loop_lock:
        if _event_loop_started:
            return
        libvirt.virEventRegisterDefaultImpl()

        def run():
            while True:
                libvirt.virEventRunDefaultImpl()

        threading.Thread(target=run, daemon=True,
                         name='libvirt-event-loop').start()
        _event_loop_started = True


def _ignore_libvirt_errors(_ctx, _err):
    # libvirt prints every error on stderr by default; we log what matters.
    pass


class Host:

    def __init__(self, uri, retry_interval=2, host_name=None):
        self.uri = uri
        self.retry_interval = retry_interval
        self.host_name = host_name
        self._conn = None
        self._lock = threading.Lock()
        self._failed_at = 0.0
        self._listener = None
        self._events = queue.Queue()
        self._dispatcher = None
        self.was_lost = False
        libvirt.registerErrorHandler(_ignore_libvirt_errors, None)

    # -- connection ---------------------------------------------------

    def get_connection(self):
        """The open connection, reopened when it was lost; raises
        HypervisorUnavailable while libvirt cannot be reached (one new
        attempt per retry interval, so callers do not hammer it)."""
        conn = self._conn
        if conn is not None:
            return conn
        with self._lock:
            if self._conn is not None:
                return self._conn
            now = time.monotonic()
            if self._failed_at and \
                    now - self._failed_at < self.retry_interval:
                raise HypervisorUnavailable(host=self.host_name)
            try:
                self._conn = self._open()
            except libvirt.libvirtError as e:
                self._failed_at = now
                LOG.error('Cannot connect to libvirt at %s: %s', self.uri,
                          e.get_error_message())
                raise HypervisorUnavailable(host=self.host_name)
            self._failed_at = 0.0
            if self.was_lost:
                LOG.info('Reconnected to libvirt at %s', self.uri)
            return self._conn

    def _open(self):
        if self._listener is not None:
            _start_event_loop()
        conn = libvirt.open(self.uri)
        conn.registerCloseCallback(self._closed, None)
        if self._listener is not None:
            conn.domainEventRegisterAny(
                None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                self._lifecycle_event, None)
        return conn

    def _closed(self, conn, reason, _opaque):
        LOG.warning('Connection to libvirt at %s lost (reason %s); will '
                    'reconnect', self.uri, reason)
        self.was_lost = True
        self._conn = None

    def connection_broken(self, error):
        """Forget the connection after an error that says it is gone."""
        if error.get_error_code() in (libvirt.VIR_ERR_SYSTEM_ERROR,
                                      libvirt.VIR_ERR_INTERNAL_ERROR,
                                      libvirt.VIR_ERR_NO_CONNECT,
                                      libvirt.VIR_ERR_INVALID_CONN,
                                      libvirt.VIR_ERR_RPC):
            if self._conn is not None:
                try:
                    if self._conn.isAlive():
                        return False
                except libvirt.libvirtError:
                    pass
                self.was_lost = True
                self._conn = None
            return True
        return False

    def close(self):
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except libvirt.libvirtError:
                pass

    # -- events -------------------------------------------------------

    def set_event_listener(self, listener):
        """listener(uuid, event_name) is called for each lifecycle event,
        in a thread of its own."""
        self._listener = listener
        if self._dispatcher is None:
            self._dispatcher = threading.Thread(
                target=self._dispatch, daemon=True,
                name='libvirt-event-dispatch')
            self._dispatcher.start()
        if self._conn is not None:
            # Already open without events: reopen with them.
            self.close()

    def _lifecycle_event(self, conn, dom, event, detail, _opaque):
        name = EVENT_NAMES.get(event)
        if name is not None:
            self._events.put((dom.UUIDString(), name))

    def _dispatch(self):
        while True:
            uuid, name = self._events.get()
            try:
                self._listener(uuid, name)
            except Exception:
                LOG.exception('Handling the lifecycle event %s of %s '
                              'failed', name, uuid)

    # -- lookups ------------------------------------------------------

    def find_domain(self, uuid):
        """The domain of instance uuid, or None."""
        try:
            return self.get_connection().lookupByUUIDString(uuid)
        except libvirt.libvirtError as e:
            if e.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                return None
            self.connection_broken(e)
            raise

    def power_state(self, domain):
        state, _reason = domain.state()
        if state == libvirt.VIR_DOMAIN_SHUTOFF and \
                domain.hasManagedSaveImage(0):
            return _p.SUSPENDED
        return POWER_STATES.get(state, _p.NOSTATE)
