"""/os-availability-zone: the zones compute hosts are in.

A compute host is in the zone of its aggregates (their
'availability_zone' metadata), else in [DEFAULT] default_availability_zone;
other services are in the internal zone.  A zone is listed when a service
is in it: an aggregate's zone without hosts is not (as upstream).
"""

from nova.api.policies import availability_zones as policies
from nova.api import policy
from nova.api.views import availability_zones as views
from nova.api import wsgi
from nova.compute import aggregates
from nova import servicegroup


def _services(req):
    conf, ctxt = req.conf, req.context
    services = req.conductor.service_get_all(ctxt)
    zones = req.conductor.availability_zones_by_host(ctxt)
    for service in services:
        zone = aggregates.service_zone(
            service, zones, conf.default_availability_zone,
            conf.internal_service_availability_zone)
        yield zone, service, servicegroup.service_is_up(
            service, conf.service_down_time)


def list_zones(req):
    policy.authorize(req.context, policies.LIST)
    internal = req.conf.internal_service_availability_zone
    states = {}
    for zone, service, up in _services(req):
        if zone == internal:
            continue
        usable = up and not service['disabled']
        states[zone] = states.get(zone, False) or usable
    return wsgi.json_response(views.zones(states))


def list_zones_detail(req):
    policy.authorize(req.context, policies.DETAIL)
    states, hosts = {}, {}
    for zone, service, up in _services(req):
        states[zone] = states.get(zone, False) or (
            up and not service['disabled'])
        hosts.setdefault(zone, {}).setdefault(service['host'], {})[
            service['binary']] = views.host_entry(service, up)
    return wsgi.json_response(views.zones(states, hosts))
