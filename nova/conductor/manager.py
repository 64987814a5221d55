"""Server side of the conductor RPC API: the database proxy.

Each endpoint method hands off to a data function in nova.db; the conductor
adds no policy of its own (the API decided who may ask).
"""

import functools
import time

import oslo_messaging as messaging
from oslo_log import log as logging

from nova.db import flavors as db_flavors
from nova.db import keypairs as db_keypairs
from nova.db import services as db_services

LOG = logging.getLogger(__name__)


def _proxy(func):
    """An endpoint method that runs func(**kwargs) and logs how long."""
    @functools.wraps(func)
    def endpoint(self, context, **kwargs):
        start = time.monotonic()
        try:
            return func(**kwargs)
        finally:
            LOG.debug('%s took %.3fs', func.__name__,
                      time.monotonic() - start)
    return endpoint


class ConductorManager:

    target = messaging.Target(version='1.0')

    def __init__(self, conf, host):
        self.conf = conf
        self.host = host

    def init_host(self):
        pass

    def ping(self, context, timeout=None):
        return 'pong'

    service_get_or_create = _proxy(db_services.service_get_or_create)
    service_heartbeat = _proxy(db_services.service_heartbeat)
    service_get = _proxy(db_services.service_get)
    service_get_by_host_and_binary = _proxy(
        db_services.service_get_by_host_and_binary)
    service_get_all = _proxy(db_services.service_get_all)
    service_update = _proxy(db_services.service_update)
    service_destroy = _proxy(db_services.service_destroy)

    flavor_get = _proxy(db_flavors.flavor_get)
    flavor_get_all = _proxy(db_flavors.flavor_get_all)
    flavor_create = _proxy(db_flavors.flavor_create)
    flavor_update = _proxy(db_flavors.flavor_update)
    flavor_destroy = _proxy(db_flavors.flavor_destroy)

    keypair_create = _proxy(db_keypairs.keypair_create)
    keypair_get = _proxy(db_keypairs.keypair_get)
    keypair_get_all = _proxy(db_keypairs.keypair_get_all)
    keypair_count = _proxy(db_keypairs.keypair_count)
    keypair_destroy = _proxy(db_keypairs.keypair_destroy)
