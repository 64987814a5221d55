"""Client side of the compute RPC API.

Messages go to topic ``compute`` with ``server=<host>``: the one
nova-compute that owns the instance or the host.

Version history:

    1.0 - Initial version.
"""

from nova import rpc

TOPIC = 'compute'
VERSION = '1.0'


class ComputeAPI:

    def __init__(self, timeout=None):
        self.client = rpc.get_client(TOPIC, VERSION, timeout=timeout)

    def _prepare(self, host):
        return self.client.prepare(server=host)
