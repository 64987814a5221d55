"""/os-services: list, enable/disable, force down, delete (admin)."""

from oslo_utils import uuidutils

from nova.api.policies import services as policies
from nova.api import policy
from nova.api.schemas import services as schemas
from nova.api.views import services as views
from nova.api import wsgi
from nova import exception


def list_services(req):
    policy.authorize(req.context, policies.LIST)
    params = req.query(schemas.list_query)
    services = req.conductor.service_get_all(
        req.context, host=req.last_query_value(params, 'host'),
        binary=req.last_query_value(params, 'binary'))
    zones = _host_zones(req, services)
    return wsgi.json_response(
        {'services': [views.show(req, s, zones) for s in services]})


def _host_zones(req, services):
    """{host: zone} of the compute hosts among services that aggregates
    put in a zone (no call when there is none)."""
    hosts = {s['host'] for s in services if s['binary'] == 'nova-compute'}
    if not hosts:
        return {}
    return req.conductor.availability_zones_by_host(req.context, hosts)


def update_service(req, service_id):
    policy.authorize(req.context, policies.UPDATE)
    if req.is_version(views.UUID_IDS):
        return _update_by_uuid(req, service_id)
    return _legacy_action(req, service_id)


def _update_by_uuid(req, service_id):
    if not uuidutils.is_uuid_like(service_id):
        raise exception.Invalid(reason='Invalid uuid %s' % service_id)
    body = req.body_json(schemas.update_v2_53)
    if 'status' not in body and 'forced_down' not in body:
        raise exception.ValidationError(
            detail="At least one of 'status' or 'forced_down' must be "
                   "specified in the request body.")
    status = body.get('status')
    if 'disabled_reason' in body and status != 'disabled':
        raise exception.ValidationError(
            detail="Specifying 'disabled_reason' with status other than "
                   "'disabled' is invalid.")
    service = req.conductor.service_get(req.context, service_id)
    if service['binary'] != 'nova-compute':
        raise exception.ValidationError(
            detail='Updating a %s service is not supported. Only '
                   'nova-compute services can be updated.'
                   % service['binary'])
    values = {}
    if status == 'enabled':
        values.update(disabled=False, disabled_reason=None)
    elif status == 'disabled':
        values.update(disabled=True,
                      disabled_reason=body.get('disabled_reason'))
    if 'forced_down' in body:
        values['forced_down'] = body['forced_down']
    service = req.conductor.service_update(req.context, service['id'],
                                           values)
    return wsgi.json_response({'service': views.show(
        req, service, _host_zones(req, [service]))})


_LEGACY_ACTIONS = {
    # action: (schema, minimum version)
    'enable': (schemas.service_action, (2, 1)),
    'disable': (schemas.service_action, (2, 1)),
    'disable-log-reason': (schemas.disable_log_reason, (2, 1)),
    'force-down': (schemas.force_down, views.FORCED_DOWN),
}


def _legacy_action(req, action):
    if action not in _LEGACY_ACTIONS or not req.is_version(
            _LEGACY_ACTIONS[action][1]):
        raise exception.NotFound('Unknown action: %s' % action)
    body = req.body_json(_LEGACY_ACTIONS[action][0])
    host, binary = body['host'], body['binary']
    try:
        service = req.conductor.service_get_by_host_and_binary(
            req.context, host, binary)
    except exception.ServiceHostBinaryNotFound:
        raise exception.HostBinaryNotFound(host=host)
    result = {'host': host, 'binary': binary}
    if action == 'force-down':
        values = {'forced_down': body['forced_down']}
        result['forced_down'] = body['forced_down']
    elif action == 'enable':
        values = {'disabled': False, 'disabled_reason': None}
        result['status'] = 'enabled'
    else:
        values = {'disabled': True,
                  'disabled_reason': body.get('disabled_reason')}
        result['status'] = 'disabled'
        if action == 'disable-log-reason':
            result['disabled_reason'] = body.get('disabled_reason')
    req.conductor.service_update(req.context, service['id'], values)
    return wsgi.json_response({'service': result})


def delete_service(req, service_id):
    policy.authorize(req.context, policies.DELETE)
    if req.is_version(views.UUID_IDS):
        if not uuidutils.is_uuid_like(service_id):
            raise exception.Invalid(reason='Invalid uuid %s' % service_id)
    elif not str(service_id).isdigit():
        raise exception.Invalid(reason='Invalid service id %s: it must be '
                                       'an integer' % service_id)
    req.conductor.service_destroy(req.context, service_id)
    return wsgi.empty_response(204)
