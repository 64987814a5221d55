"""Client side of the conductor RPC API.

The conductor is the only service with database credentials; every other
service reads and writes through these calls.

Version history:

    1.0 - Initial version: services, flavors, key pairs.
"""

from nova import rpc

TOPIC = 'conductor'
VERSION = '1.0'


class ConductorAPI:

    def __init__(self, timeout=None):
        self.client = rpc.get_client(TOPIC, VERSION, timeout=timeout)

    def _call(self, ctxt, method, **kwargs):
        return self.client.prepare().call(ctxt, method, **kwargs)

    def ping(self, ctxt, timeout=None):
        """Answered as soon as a conductor consumes its queue.

        A short timeout matters at start: a message sent before the
        conductor declared its queue is dropped by the broker.
        """
        return self.client.prepare(timeout=timeout).call(ctxt, 'ping')

    # Services

    def service_get_or_create(self, ctxt, host, binary, topic, version):
        return self._call(ctxt, 'service_get_or_create', host=host,
                          binary=binary, topic=topic, version=version)

    def service_heartbeat(self, ctxt, service_id):
        return self._call(ctxt, 'service_heartbeat', service_id=service_id)

    def service_get(self, ctxt, service_id):
        return self._call(ctxt, 'service_get', service_id=service_id)

    def service_get_by_host_and_binary(self, ctxt, host, binary):
        return self._call(ctxt, 'service_get_by_host_and_binary',
                          host=host, binary=binary)

    def service_get_all(self, ctxt, host=None, binary=None, disabled=None):
        return self._call(ctxt, 'service_get_all', host=host, binary=binary,
                          disabled=disabled)

    def service_update(self, ctxt, service_id, values):
        return self._call(ctxt, 'service_update', service_id=service_id,
                          values=values)

    def service_destroy(self, ctxt, service_id):
        return self._call(ctxt, 'service_destroy', service_id=service_id)

    # Flavors

    def flavor_get(self, ctxt, flavorid, project_id=None):
        return self._call(ctxt, 'flavor_get', flavorid=flavorid,
                          project_id=project_id)

    def flavor_get_all(self, ctxt, **filters):
        return self._call(ctxt, 'flavor_get_all', **filters)

    def flavor_create(self, ctxt, values, projects=()):
        return self._call(ctxt, 'flavor_create', values=values,
                          projects=list(projects))

    def flavor_update(self, ctxt, flavorid, values):
        return self._call(ctxt, 'flavor_update', flavorid=flavorid,
                          values=values)

    def flavor_destroy(self, ctxt, flavorid):
        return self._call(ctxt, 'flavor_destroy', flavorid=flavorid)

    # Key pairs

    def keypair_create(self, ctxt, values):
        return self._call(ctxt, 'keypair_create', values=values)

    def keypair_get(self, ctxt, user_id, name):
        return self._call(ctxt, 'keypair_get', user_id=user_id, name=name)

    def keypair_get_all(self, ctxt, user_id, limit=None, marker=None):
        return self._call(ctxt, 'keypair_get_all', user_id=user_id,
                          limit=limit, marker=marker)

    def keypair_count(self, ctxt, user_id):
        return self._call(ctxt, 'keypair_count', user_id=user_id)

    def keypair_destroy(self, ctxt, user_id, name):
        return self._call(ctxt, 'keypair_destroy', user_id=user_id,
                          name=name)
