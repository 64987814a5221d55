"""The rules of host aggregates and the availability zones they make.

Upstream's (nova/compute/api.py AggregateAPI), as plain functions of the
facts they need; nova.db.aggregates gathers those facts and applies the
change in one transaction, so no request slips between a check and its
write.

An aggregate's ``availability_zone`` metadata puts its hosts in that zone.
A host is in one zone at most: it may not join an aggregate whose zone
differs from the zone its other aggregates give it.  An instance's zone is
its host's when it was scheduled, and nothing here moves it: the zone of a
host with instances may not change (by adding or removing the host, or by
renaming its aggregate's zone).
"""

from nova import exception

AZ_KEY = 'availability_zone'
# AggregateMultiTenancyIsolation: metadata keys with this prefix name the
# projects whose servers may land on the aggregate's hosts.
TENANT_KEY_PREFIX = 'filter_tenant_id'
# AggregateInstanceExtraSpecsFilter: flavor extra specs in this scope (or
# in none) must match the aggregates' metadata.
EXTRA_SPECS_SCOPE = 'aggregate_instance_extra_specs'

# An instance's system metadata: the zone its create asked for (or a later
# unshelve): upstream's RequestSpec.availability_zone, which holds its
# moves and unshelves to that zone.  Its availability_zone column is its
# host's zone (None while it has no host).
REQUESTED_ZONE_KEY = 'requested_availability_zone'

_MOVE_REFUSED = (
    "The host cannot be %s the aggregate as the availability zone of the "
    "host would change from '%s' to '%s' but the host already has %d "
    "instance(s). Changing the AZ of an existing instance is not supported "
    "by this action. Move the instances away from this host then try "
    "again. If you need to move the instances between AZs then you can "
    "use shelve_offload and unshelve to achieve this.")


def zone_of(aggregate):
    return (aggregate.get('metadata') or {}).get(AZ_KEY)


def service_zone(service, host_zones, default_zone, internal_zone):
    """A service's zone as upstream shows it (os-services,
    os-availability-zone): a compute service's is its host's, from
    host_zones ({host: zone} of the hosts aggregates put in one), else
    default_zone; any other service is in internal_zone."""
    if service['binary'] == 'nova-compute':
        return host_zones.get(service['host']) or default_zone
    return internal_zone


def check_zone_change(aggregate, changes, other_zones, instances, error):
    """Whether changes (metadata, or the update's values) may set the
    aggregate's zone.

    other_zones: the zones other aggregates give the aggregate's hosts;
    instances: how many instances those hosts have.  Raises error
    (InvalidAggregateActionUpdate or ...UpdateMeta, 400) when the zone
    would be empty, a host would be in two zones, or hosts with instances
    would change zone.
    """
    if AZ_KEY not in changes:
        return
    zone = changes[AZ_KEY]
    if not zone:
        raise error(aggregate_id=aggregate['id'],
                    reason='Aggregate %s does not support empty named '
                           'availability zone' % aggregate['name'])
    conflicting = sorted({z for z in other_zones if z != zone})
    if conflicting:
        raise error(aggregate_id=aggregate['id'],
                    reason='One or more hosts already in availability '
                           'zone(s) %s' % conflicting)
    if instances and zone != zone_of(aggregate):
        raise error(aggregate_id=aggregate['id'],
                    reason='One or more hosts contain instances in this '
                           'zone')


def _host_zone(other_zones):
    # Two zones cannot happen: adding the host would have been refused.
    return sorted(other_zones)[0] if other_zones else None


def check_host_add(aggregate, host, other_zones, instances):
    """Whether host may join aggregate (409 when not).

    other_zones: the zones the host's other aggregates give it;
    instances: how many instances the host has.
    """
    zone = zone_of(aggregate)
    if not zone:
        # An aggregate without a zone changes no host's zone.
        return
    conflicting = sorted({z for z in other_zones if z != zone})
    if conflicting:
        raise exception.InvalidAggregateActionAdd(
            aggregate_id=aggregate['id'],
            reason='One or more hosts already in availability zone(s) %s'
                   % conflicting)
    current = _host_zone(other_zones)
    if instances and current != zone:
        raise exception.InvalidAggregateActionAdd(
            aggregate_id=aggregate['id'],
            reason=_MOVE_REFUSED % ('added to', current, zone, instances))


def check_host_remove(aggregate, host, other_zones, instances):
    """Whether host may leave aggregate (409 when not): not when that
    changes the zone of a host with instances."""
    zone = zone_of(aggregate)
    if not zone or not instances:
        return
    after = _host_zone(other_zones)
    if after != zone:
        raise exception.InvalidAggregateActionRemoveHost(
            aggregate_id=aggregate['id'],
            reason=_MOVE_REFUSED % ('removed from', zone, after, instances))


def check_delete(aggregate):
    if aggregate['hosts']:
        raise exception.InvalidAggregateActionDelete(
            aggregate_id=aggregate['id'],
            reason='Host aggregate is not empty')


def metadata_values(value):
    """An aggregate metadata value as the scheduler's filters read it:
    comma-separated values, each stripped (upstream's
    aggregate_metadata_get_by_host)."""
    return [part.strip() for part in value.split(',')]
