"""Client side of the scheduler RPC API.

Version history:

    1.0 - Initial version.
    1.1 - select_destinations.
    1.2 - select_destinations host_states.
"""

from nova import rpc

TOPIC = 'scheduler'
VERSION = '1.2'


class SchedulerAPI:

    def __init__(self, timeout=None):
        self.client = rpc.get_client(TOPIC, VERSION, timeout=timeout)

    def select_destinations(self, ctxt, request_spec, instance_uuids,
                            host_states=None):
        """Claim a host per instance: [[chosen, alternate, ...], ...].

        Each host is {'host', 'nodename', 'node_id', 'node_uuid'}; the
        chosen one's resources are already claimed for the instance.
        host_states (what the conductor's host_states_get_all returns, with
        instances when scheduler_utils.needs_instances) spares the
        scheduler asking for them: one round trip fewer.
        Raises NoValidHost, saying why no host fits.
        """
        kwargs = {}
        if host_states is not None:
            kwargs['host_states'] = host_states
        return self.client.prepare().call(
            ctxt, 'select_destinations', request_spec=request_spec,
            instance_uuids=instance_uuids, **kwargs)
