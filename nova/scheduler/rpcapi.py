"""Client side of the scheduler RPC API.

Version history:

    1.0 - Initial version.
"""

from nova import rpc

TOPIC = 'scheduler'
VERSION = '1.0'


class SchedulerAPI:

    def __init__(self, timeout=None):
        self.client = rpc.get_client(TOPIC, VERSION, timeout=timeout)
