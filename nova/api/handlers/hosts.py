"""/os-hosts (admin; deprecated, gone from 2.43): the hosts of the
services, a host's resources, enabling and disabling its compute service.

Maintenance mode and the host power actions (startup, shutdown, reboot)
are what no compute driver here can do: 501, as upstream answers for a
driver without them.
"""

from nova.api.policies import hosts as policies
from nova.api import policy
from nova.api.schemas import hosts as schemas
from nova.api.views import hosts as views
from nova.api import wsgi
from nova.compute import aggregates
from nova import exception

REMOVED = (2, 43)
# Upstream leaves the API services out of the list.
_API_BINARIES = ('nova-osapi_compute', 'nova-metadata')


def _check_version(req):
    if req.is_version(REMOVED):
        raise exception.VersionNotFoundForAPIMethod(version=req.version)


def list_hosts(req):
    _check_version(req)
    policy.authorize(req.context, policies.LIST, {})
    params = req.query(schemas.list_query)
    zone = req.last_query_value(params, 'zone')
    services = [s for s in req.conductor.service_get_all(req.context,
                                                          disabled=False)
                if s['binary'] not in _API_BINARIES]
    computes = {s['host'] for s in services if s['binary'] == 'nova-compute'}
    host_zones = (req.conductor.availability_zones_by_host(
        req.context, computes) if computes else {})
    hosts = []
    for service in services:
        service_zone = aggregates.service_zone(
            service, host_zones, req.conf.default_availability_zone,
            req.conf.internal_service_availability_zone)
        if zone and service_zone != zone:
            continue
        hosts.append(views.host(service, service_zone))
    return wsgi.json_response({'hosts': hosts})


def _compute_service(req, host_name):
    try:
        return req.conductor.service_get_by_host_and_binary(
            req.context, host_name, 'nova-compute')
    except exception.ServiceHostBinaryNotFound:
        raise exception.HostNotFound(host=host_name)


def show_host(req, host_name):
    _check_version(req)
    policy.authorize(req.context, policies.SHOW, {})
    nodes = [n for n in req.conductor.compute_node_get_all(req.context)
             if n['host'] == host_name]
    if not nodes:
        raise exception.ComputeHostNotFound(host=host_name)
    instances = req.conductor.instance_get_all_by_host(req.context,
                                                       host_name)
    return wsgi.json_response(
        {'host': views.resources(host_name, nodes[0], instances)})


def update_host(req, host_name):
    _check_version(req)
    policy.authorize(req.context, policies.UPDATE, {})
    body = req.body_json(schemas.update)
    service = _compute_service(req, host_name)
    result = {'host': host_name}
    if 'maintenance_mode' in body:
        # Refused before anything changes (upstream sets the status
        # first, then fails).
        raise exception.NotSupportedByDriver()
    enabled = body['status'].lower() == 'enable'
    req.conductor.service_update(
        req.context, service['id'],
        {'disabled': not enabled, 'disabled_reason': None})
    result['status'] = 'enabled' if enabled else 'disabled'
    return wsgi.json_response(result)


def _power_action(rule):
    def handler(req, host_name):
        _check_version(req)
        policy.authorize(req.context, rule, {})
        _compute_service(req, host_name)
        raise exception.NotSupportedByDriver()
    return handler


startup_host = _power_action(policies.START)
shutdown_host = _power_action(policies.SHUTDOWN)
reboot_host = _power_action(policies.REBOOT)
