"""Server side of the compute RPC API: one per hypervisor host."""

import oslo_messaging as messaging
from oslo_log import log as logging

from nova.virt import driver as virt_driver

LOG = logging.getLogger(__name__)


class ComputeManager:

    target = messaging.Target(version='1.0')

    def __init__(self, conf, host, driver=None):
        self.conf = conf
        self.host = host
        self.driver = driver or virt_driver.load_driver(conf.compute_driver)

    def init_host(self):
        self.driver.init_host(self.host)
        LOG.info('Compute host %s uses virt driver %s', self.host,
                 type(self.driver).__name__)
