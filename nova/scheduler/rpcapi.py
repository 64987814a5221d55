"""Client side of the scheduler RPC API.

Version history:

    1.0 - Initial version.
    1.1 - select_destinations.
    1.2 - select_destinations host_states.
    1.3 - select_destinations claim.
"""

from nova import rpc

TOPIC = 'scheduler'
VERSION = '1.3'


class SchedulerAPI:

    def __init__(self, timeout=None):
        self.client = rpc.get_client(TOPIC, VERSION, timeout=timeout)

    def select_destinations(self, ctxt, request_spec, instance_uuids,
                            host_states=None, claim=True):
        """Claim a host per instance: [[chosen, alternate, ...], ...].

        Each host is {'host', 'nodename', 'node_id', 'node_uuid'}; the
        chosen one's resources are already claimed for the instance.
        host_states (what the conductor's host_states_get_all returns, with
        instances when scheduler_utils.needs_instances) spares the
        scheduler asking for them: one round trip fewer.  claim=False: the
        hosts best first, none claimed (the conductor claims them).
        Raises NoValidHost, saying why no host fits.
        """
        kwargs = {}
        if host_states is not None:
            kwargs['host_states'] = host_states
        if not claim:
            kwargs['claim'] = False
        return self.client.prepare().call(
            ctxt, 'select_destinations', request_spec=request_spec,
            instance_uuids=instance_uuids, **kwargs)
