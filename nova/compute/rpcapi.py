"""Client side of the compute RPC API.

Messages go to topic ``compute`` with ``server=<host>``: the one
nova-compute that owns the instance or the host.

Version history:

    1.0 - Initial version.
    1.1 - build_and_run_instance, terminate_instance.
"""

from nova import rpc

TOPIC = 'compute'
VERSION = '1.1'


class ComputeAPI:

    def __init__(self, timeout=None):
        self.client = rpc.get_client(TOPIC, VERSION, timeout=timeout)

    def _prepare(self, host):
        return self.client.prepare(server=host)

    def build_and_run_instance(self, ctxt, host, instance_uuid, request_spec,
                               node, alternates, attempt):
        self._prepare(host).cast(
            ctxt, 'build_and_run_instance', instance_uuid=instance_uuid,
            request_spec=request_spec, node=node, alternates=alternates,
            attempt=attempt)

    def terminate_instance(self, ctxt, host, instance_uuid):
        self._prepare(host).cast(ctxt, 'terminate_instance',
                                 instance_uuid=instance_uuid)
