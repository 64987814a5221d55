"""The conductor client's host aggregate methods (conductor RPC 1.15), a
part of nova.conductor.rpcapi.ConductorAPI kept beside it.  Each change
checks upstream's zone rules in its transaction (nova.compute.aggregates).
"""


class AggregateAPI:

    def aggregate_create(self, ctxt, name, availability_zone=None):
        return self._call(ctxt, 'aggregate_create', name=name,
                          availability_zone=availability_zone)

    def aggregate_get(self, ctxt, aggregate_id):
        return self._call(ctxt, 'aggregate_get', aggregate_id=aggregate_id)

    def aggregate_get_all(self, ctxt):
        return self._call(ctxt, 'aggregate_get_all')

    def aggregate_update(self, ctxt, aggregate_id, values):
        """values: name and/or availability_zone."""
        return self._call(ctxt, 'aggregate_update',
                          aggregate_id=aggregate_id, values=values)

    def aggregate_metadata_set(self, ctxt, aggregate_id, metadata):
        """Merge metadata; a None value deletes its key."""
        return self._call(ctxt, 'aggregate_metadata_set',
                          aggregate_id=aggregate_id, metadata=metadata)

    def aggregate_delete(self, ctxt, aggregate_id):
        return self._call(ctxt, 'aggregate_delete',
                          aggregate_id=aggregate_id)

    def aggregate_host_add(self, ctxt, aggregate_id, host):
        return self._call(ctxt, 'aggregate_host_add',
                          aggregate_id=aggregate_id, host=host)

    def aggregate_host_remove(self, ctxt, aggregate_id, host):
        return self._call(ctxt, 'aggregate_host_remove',
                          aggregate_id=aggregate_id, host=host)

    def availability_zones_by_host(self, ctxt, hosts=None):
        """{host: zone} of the hosts (all when None) an aggregate puts in
        a zone; the others are in the default zone."""
        return self._call(ctxt, 'availability_zones_by_host',
                          hosts=None if hosts is None else list(hosts))
