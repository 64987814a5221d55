"""External events another service sent about an instance of this host
(POST /os-server-external-events, relayed by nova-api), and what waits for
them.

A spawn whose VIFs are not active yet (Neutron's ports start DOWN) waits
for Neutron's ``network-vif-plugged`` event of each, tagged with the port
id: it registers its waiters in the manager's ``InstanceEvents`` before the
VIFs are plugged, so an event that comes quickly is not missed, and waits
once they are, before the guest starts (``vif_plug_waiter``).  An event
nothing waits for is logged and dropped (one for a port the instance does
not have, or that came after its waiter gave up).  A network-changed makes
the compute read the instance's network_info again from the network API
(Neutron: a port's addresses or status changed).  A power-update compares
the instance with the hypervisor as a lifecycle event does.  The flat
network's VIFs are active: nothing waits for them.
"""

import threading
import time

from oslo_log import log as logging

from nova.compute import recovery
from nova import exception

LOG = logging.getLogger(__name__)

VIF_PLUGGED = 'network-vif-plugged'
# What a waiter is told when its instance goes (a delete meanwhile).
ABORTED = 'aborted'
# The statuses that end a wait; 'in-progress' is news, not the end.
FINAL = ('completed', 'failed', ABORTED)


class EventTimeout(Exception):
    def __init__(self, missing):
        super().__init__('no %s' % ', '.join('%s:%s' % key[1:]
                                             for key in missing))
        self.missing = missing


class _Waiter:
    __slots__ = ('event', 'status')

    def __init__(self):
        self.event = threading.Event()
        self.status = None


class Batch:
    """The waiters of one spawn: registered at once, waited for at once."""

    def __init__(self, registry, keys):
        self._registry = registry
        self.keys = keys
        self._waiters = {}

    def wait(self, timeout):
        """{(instance uuid, name, tag): status} once every event came;
        EventTimeout (with what is missing) after timeout seconds.  The
        waiters are gone after it, whatever happened."""
        deadline = time.monotonic() + timeout
        try:
            for key in self.keys:
                waiter = self._waiters[key]
                if not waiter.event.wait(max(0, deadline -
                                             time.monotonic())):
                    raise EventTimeout([k for k in self.keys
                                        if self._waiters[k].status is None])
                if waiter.status == ABORTED:
                    break
            return {key: self._waiters[key].status for key in self.keys}
        finally:
            self.cancel()

    def cancel(self):
        self._registry.discard(self)


class InstanceEvents:
    """The events this host's spawns wait for, by (instance uuid, event
    name, tag).  Thread-safe: RPC threads deliver, build threads wait."""

    def __init__(self):
        self._lock = threading.Lock()
        self._waiters = {}

    def prepare(self, instance_uuid, events):
        """A Batch waiting for events ([(name, tag)]) of the instance."""
        keys = [(instance_uuid, name, tag) for name, tag in events]
        batch = Batch(self, keys)
        with self._lock:
            for key in keys:
                waiter = _Waiter()
                batch._waiters[key] = waiter
                self._waiters[key] = waiter
        return batch

    def discard(self, batch):
        with self._lock:
            for key, waiter in batch._waiters.items():
                if self._waiters.get(key) is waiter:
                    del self._waiters[key]

    def deliver(self, instance_uuid, name, tag, status):
        """Hand the event to its waiter: False when none waits for it."""
        if status not in FINAL:
            return False
        with self._lock:
            waiter = self._waiters.pop((instance_uuid, name, tag), None)
        if waiter is None:
            return False
        waiter.status = status
        waiter.event.set()
        return True

    def abort_instance(self, instance_uuid):
        """Wake whatever waits for the instance (it is being deleted)."""
        with self._lock:
            keys = [k for k in self._waiters if k[0] == instance_uuid]
            waiters = [self._waiters.pop(k) for k in keys]
        for waiter in waiters:
            waiter.status = ABORTED
            waiter.event.set()
        return len(waiters)


def handle(manager, context, instance_uuid, events):
    for event in events:
        name, tag, status = event['name'], event.get('tag'), \
            event.get('status', 'completed')
        if name == 'power-update':
            recovery.handle_lifecycle_event(
                manager, instance_uuid, 'power-update %s' % tag)
        elif name == 'network-changed' and \
                not manager.instance_events.deliver(instance_uuid, name,
                                                    tag, status):
            refresh_network_info(manager, context, instance_uuid)
        elif manager.instance_events.deliver(instance_uuid, name, tag,
                                             status):
            LOG.info('Received event %s:%s (%s)', name, tag, status,
                     instance_uuid=instance_uuid)
        else:
            LOG.info('Received event %s:%s (%s); nothing waits for it on '
                     'this host', name, tag, status,
                     instance_uuid=instance_uuid)


def refresh_network_info(manager, context, instance_uuid):
    """network-changed: the instance's network_info (what the API shows as
    its addresses) read again from the network API."""
    try:
        instance = manager.conductor.instance_get(context, instance_uuid)
        network_info = manager.network_api.get_instance_nw_info(context,
                                                                instance)
        if network_info != (instance.get('network_info') or []):
            manager.conductor.instance_update(
                context, instance_uuid, {'network_info': network_info})
            LOG.info('network_info refreshed (network-changed)',
                     instance_uuid=instance_uuid)
    except exception.InstanceNotFound:
        pass
    except Exception:
        LOG.exception('Refreshing network_info failed',
                      instance_uuid=instance_uuid)


def vif_plug_waiter(manager, instance_uuid, network_info):
    """A callable that waits for the network-vif-plugged event of each VIF
    of network_info that is not active, registered now (before the VIFs
    are plugged); None when there is nothing to wait for ([DEFAULT]
    vif_plugging_timeout 0, or every VIF active).

    The callable raises VirtualInterfaceCreateException when an event says
    'failed' or does not come in time, if [DEFAULT] vif_plugging_is_fatal;
    else it logs and returns.  Call ``cancel`` on it if it will not be
    called.
    """
    timeout = manager.conf.vif_plugging_timeout
    events = [(VIF_PLUGGED, vif['id']) for vif in network_info or ()
              if vif.get('active', True) is False]
    if not events or timeout <= 0:
        return None
    batch = manager.instance_events.prepare(instance_uuid, events)
    fatal = manager.conf.vif_plugging_is_fatal

    def wait():
        start = time.monotonic()
        try:
            statuses = batch.wait(timeout)
        except EventTimeout as e:
            if fatal:
                LOG.error('Timeout waiting for %s after %d seconds',
                          e, timeout, instance_uuid=instance_uuid)
                raise exception.VirtualInterfaceCreateException(
                    'no network-vif-plugged event for port(s) %s within '
                    '%s s' % (', '.join(key[2] for key in e.missing),
                              timeout))
            LOG.warning('Timeout waiting for %s after %d seconds; going '
                        'on ([DEFAULT] vif_plugging_is_fatal is False)',
                        e, timeout, instance_uuid=instance_uuid)
            return
        failed = [key[2] for key, status in statuses.items()
                  if status == 'failed']
        if failed:
            if fatal:
                LOG.error('Neutron reported that plugging port(s) %s '
                          'failed', ', '.join(failed),
                          instance_uuid=instance_uuid)
                raise exception.VirtualInterfaceCreateException(
                    'the Networking service reported that plugging '
                    'port(s) %s failed' % ', '.join(failed))
            LOG.warning('Neutron reported that plugging port(s) %s failed; '
                        'going on ([DEFAULT] vif_plugging_is_fatal is '
                        'False)', ', '.join(failed),
                        instance_uuid=instance_uuid)
            return
        if ABORTED not in statuses.values():
            LOG.info('Port(s) %s up after %.2f seconds',
                     ', '.join(tag for _n, tag in events),
                     time.monotonic() - start, instance_uuid=instance_uuid)

    wait.cancel = batch.cancel
    return wait
