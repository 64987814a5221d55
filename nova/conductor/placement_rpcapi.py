"""Conductor client calls of the Placement-compatible read API (1.28).

A part of ConductorAPI (nova/conductor/rpcapi.py, whose CALLS classifies
them as READ) kept apart for its size: the compute nodes as resource
providers, read only (nova.db.resource_providers).
"""

READS = ('resource_providers_get', 'resource_provider_get',
         'resource_provider_allocations_get', 'consumer_allocations_get',
         'usages_get')


class Reads:

    def resource_providers_get(self, ctxt, filters=None):
        return self._call(ctxt, 'resource_providers_get', filters=filters)

    def resource_provider_get(self, ctxt, uuid):
        return self._call(ctxt, 'resource_provider_get', uuid=uuid)

    def resource_provider_allocations_get(self, ctxt, uuid):
        return self._call(ctxt, 'resource_provider_allocations_get',
                          uuid=uuid)

    def consumer_allocations_get(self, ctxt, consumer_uuid):
        return self._call(ctxt, 'consumer_allocations_get',
                          consumer_uuid=consumer_uuid)

    def usages_get(self, ctxt, project_id, user_id=None):
        return self._call(ctxt, 'usages_get', project_id=project_id,
                          user_id=user_id)
