"""/os-availability-zone: the zones compute hosts are in.

Every compute host is in [DEFAULT] default_availability_zone (host
aggregates do not exist yet); other services are in the internal zone.
"""

from nova.api.policies import availability_zones as policies
from nova.api import policy
from nova.api.views import availability_zones as views
from nova.api import wsgi
from nova import servicegroup


def _zone(conf, service):
    if service['binary'] == 'nova-compute':
        return conf.default_availability_zone
    return conf.internal_service_availability_zone


def _services(req):
    conf = req.conf
    for service in req.conductor.service_get_all(req.context):
        yield _zone(conf, service), service, servicegroup.service_is_up(
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
