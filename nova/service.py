"""A running RPC service: its manager, RPC server and heartbeats.

Every service registers its row in ``services`` through the conductor, then
reports every report_interval seconds; the API derives up/down from the last
report.  nova-conductor does the same against its own manager, in-process.
"""

import importlib
import threading

import oslo_messaging as messaging
from oslo_log import log as logging

from nova.conductor import rpcapi as conductor_rpcapi
from nova import context as nova_context
from nova import exception
from nova import rpc
from nova import version

LOG = logging.getLogger(__name__)

CONDUCTOR_PING_TIMEOUT = 5

# binary -> (topic, manager class)
SERVICE_MANAGERS = {
    'nova-conductor': ('conductor', 'nova.conductor.manager.ConductorManager'),
    'nova-scheduler': ('scheduler', 'nova.scheduler.manager.SchedulerManager'),
    'nova-compute': ('compute', 'nova.compute.manager.ComputeManager'),
}


def _import_class(path):
    module_name, _, class_name = path.rpartition('.')
    return getattr(importlib.import_module(module_name), class_name)


class Service:

    def __init__(self, conf, binary, host=None, manager=None,
                 conductor=None):
        self.conf = conf
        self.binary = binary
        self.host = host or conf.host
        self.topic, manager_path = SERVICE_MANAGERS[binary]
        self.manager = manager or _import_class(manager_path)(conf,
                                                              self.host)
        if conductor is None:
            if binary == 'nova-conductor':
                # The conductor is its own database proxy.
                conductor = self.manager
            else:
                conductor = conductor_rpcapi.ConductorAPI()
        self.conductor = conductor
        self.service_ref = None
        self.rpc_server = None
        self._stop = threading.Event()
        self._heartbeat_thread = None

    def start(self):
        LOG.info('Starting %s on host %s (version %s)', self.binary,
                 self.host, version.RELEASE)
        self.manager.init_host()
        self.rpc_server = rpc.get_server(self.topic, self.host,
                                         self.manager.target.version,
                                         [self.manager])
        after_start = getattr(self.manager, 'after_start', None)
        if after_start is None:
            self.rpc_server.start()
        self.service_ref = self._register()
        self._heartbeat_thread = threading.Thread(
            target=self._heartbeat_loop, name='heartbeat', daemon=True)
        self._heartbeat_thread.start()
        if after_start is not None:
            # Its startup recovery first (nova-compute's): a message taken
            # meanwhile would be judged by it, e.g. a build it has just
            # finished marked ERROR as one its restart interrupted.  What
            # arrives meanwhile waits in the queue, as upstream's
            # init_host-before-RPC order has it.
            after_start()
            self.rpc_server.start()
        LOG.info('%s started: topic %s, server %s, service id %s',
                 self.binary, self.topic, self.host, self.service_ref['id'])

    def _wait_for_conductor(self, ctxt):
        while not self._stop.is_set():
            try:
                self.conductor.ping(ctxt, timeout=CONDUCTOR_PING_TIMEOUT)
                return
            except messaging.MessagingTimeout:
                LOG.warning('Waiting for nova-conductor to answer before '
                            'registering %s on %s', self.binary, self.host)
            except messaging.MessageUndeliverable:
                # No conductor has declared its queue yet (a fresh broker).
                LOG.warning('Waiting for nova-conductor to start before '
                            'registering %s on %s', self.binary, self.host)
                self._stop.wait(1)

    def _register(self):
        """Create or find our services row."""
        ctxt = nova_context.get_admin_context()
        self._wait_for_conductor(ctxt)
        service, created = self.conductor.service_get_or_create(
            ctxt, host=self.host, binary=self.binary, topic=self.topic,
            version=version.SERVICE_VERSION)
        LOG.info('%s service record for %s on %s (id %s)',
                 'Created' if created else 'Found', self.binary, self.host,
                 service['id'])
        self.conductor.service_heartbeat(ctxt, service_id=service['id'])
        return service

    def _heartbeat_loop(self):
        interval = self.conf.report_interval
        failing = False
        while not self._stop.wait(interval):
            ctxt = nova_context.get_admin_context()
            try:
                self.conductor.service_heartbeat(
                    ctxt, service_id=self.service_ref['id'])
            except exception.ServiceNotFound:
                # An operator deleted our row; come back as a new service.
                LOG.warning('Service record of %s on %s was deleted; '
                            'registering again', self.binary, self.host)
                self.service_ref = self._register()
                continue
            except Exception:
                if not failing:
                    LOG.exception('Heartbeat of %s on %s failed; retrying '
                                  'every %ss', self.binary, self.host,
                                  interval)
                failing = True
                continue
            if failing:
                LOG.info('Heartbeat of %s on %s recovered', self.binary,
                         self.host)
                failing = False

    def stop(self):
        self._stop.set()
        cleanup_host = getattr(self.manager, 'cleanup_host', None)
        if cleanup_host is not None:
            cleanup_host()
        if self.rpc_server is not None:
            try:
                self.rpc_server.stop()
                self.rpc_server.wait()
            except Exception:
                LOG.exception('Error stopping the RPC server')
        if self._heartbeat_thread is not None:
            self._heartbeat_thread.join(timeout=5)
        LOG.info('Stopped %s on %s', self.binary, self.host)

    def wait(self):
        self._stop.wait()
