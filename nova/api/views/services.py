"""Service representations, per microversion."""

from nova.compute import aggregates
from nova import servicegroup

FORCED_DOWN = (2, 11)
UUID_IDS = (2, 53)


def show(req, service, host_zones):
    """host_zones: {host: zone} of the hosts aggregates put in a zone."""
    conf = req.conf
    updated = service['updated_at'] or service['last_seen_up']
    view = {
        'id': (service['uuid'] if req.is_version(UUID_IDS)
               else service['id']),
        'binary': service['binary'],
        'host': service['host'],
        'zone': aggregates.service_zone(
            service, host_zones, conf.default_availability_zone,
            conf.internal_service_availability_zone),
        'status': 'disabled' if service['disabled'] else 'enabled',
        'state': ('up' if servicegroup.service_is_up(
            service, conf.service_down_time) else 'down'),
        'updated_at': updated.isoformat() if updated else None,
        'disabled_reason': service['disabled_reason'],
    }
    if req.is_version(FORCED_DOWN):
        view['forced_down'] = service['forced_down']
    return view
