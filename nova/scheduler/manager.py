"""Server side of the scheduler RPC API."""

import oslo_messaging as messaging
from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class SchedulerManager:

    target = messaging.Target(version='1.0')

    def __init__(self, conf, host):
        self.conf = conf
        self.host = host

    def init_host(self):
        pass
