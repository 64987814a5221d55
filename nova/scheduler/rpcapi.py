"""Client side of the scheduler RPC API.

Version history:

    1.0 - Initial version.
    1.1 - select_destinations.
"""

from nova import rpc

TOPIC = 'scheduler'
VERSION = '1.1'


class SchedulerAPI:

    def __init__(self, timeout=None):
        self.client = rpc.get_client(TOPIC, VERSION, timeout=timeout)

    def select_destinations(self, ctxt, request_spec, instance_uuids):
        """Claim a host per instance: [[chosen, alternate, ...], ...].

        Each host is {'host', 'nodename', 'node_id', 'node_uuid'}; the
        chosen one's resources are already claimed for the instance.
        Raises NoValidHost, saying why no host fits.
        """
        return self.client.prepare().call(
            ctxt, 'select_destinations', request_spec=request_spec,
            instance_uuids=instance_uuids)
