"""A small client of the Networking API v2.0 (Neutron), as nova uses it.

Requests go through the keystoneauth session of the ``[neutron]`` session
options, to ``[neutron] endpoint_override`` or else the endpoint the
service catalog of ``[neutron]``'s own user names (``service_type``,
``valid_interfaces``, ``region_name``).  Each call is made

* for the caller (``admin=False``): with the auth plugin
  ``nova.service_auth`` chooses for its context: the user's token, with
  nova's service token when ``[service_user] send_service_user_token`` is
  set; a context without a token gets nova's own user;
* as nova (``admin=True``): with ``[neutron]``'s own user, for what only
  nova may do (a port's ``binding:host_id``) and for work no user asked
  for.  Without ``[neutron] auth_type``, no token at all (a Neutron with
  ``auth_strategy = noauth``).

The context's global request id goes along as ``X-OpenStack-Request-ID``.
Neutron's errors become nova's exceptions: a 404 of a named resource its
NotFound, 409 Conflict, 400 Invalid, 401/403 NotAuthenticated/Forbidden,
anything else (and no answer) NeutronError.
"""

import threading

from keystoneauth1 import exceptions as ks_exc
from oslo_log import log as logging

from nova.conf import neutron as neutron_conf
from nova import exception
from nova import service_auth

LOG = logging.getLogger(__name__)

GROUP = neutron_conf.NEUTRON_GROUP

# {resource path: the NotFound of one of them}
_NOT_FOUND = {
    'ports': lambda rid: exception.PortNotFound(port_id=rid),
    'networks': lambda rid: exception.NetworkNotFound(network_id=rid),
    'security-groups': lambda rid: exception.SecurityGroupNotFound(
        security_group_id=rid),
}

_ENDPOINTS = {}
_ENDPOINTS_LOCK = threading.Lock()


def _message(resp):
    """Neutron's error message: {"NeutronError": {"type", "message",
    "detail"}}, or the body as text."""
    try:
        body = resp.json()
    except ValueError:
        return ' '.join((resp.text or '').split())[:300]
    error = body.get('NeutronError') if isinstance(body, dict) else None
    if isinstance(error, dict):
        return error.get('message') or error.get('type') or str(error)
    if isinstance(error, str):
        return error
    return str(body)[:300]


class Client:

    def __init__(self, conf, session=None):
        self.conf = conf
        self.session = session or service_auth.get_session(GROUP, conf=conf)

    # -- plumbing --------------------------------------------------------

    def endpoint(self):
        """The API's root URL (without /v2.0)."""
        opts = self.conf.neutron
        if opts.endpoint_override:
            return opts.endpoint_override.rstrip('/')
        key = (id(self.conf), opts.service_type, opts.region_name,
               tuple(opts.valid_interfaces or ()))
        with _ENDPOINTS_LOCK:
            if key in _ENDPOINTS:
                return _ENDPOINTS[key]
        auth = service_auth.get_conf_auth_plugin(GROUP, conf=self.conf)
        if auth is None:
            raise exception.NeutronError(reason=(
                'no endpoint: set [neutron] endpoint_override, or '
                '[neutron] auth_type and its options so that the service '
                'catalog names one'))
        try:
            url = self.session.get_endpoint(
                auth=auth, service_type=opts.service_type,
                interface=list(opts.valid_interfaces or ['public']),
                region_name=opts.region_name)
        except ks_exc.ClientException as e:
            LOG.error('Looking the network endpoint up failed: %s', e)
            raise exception.NeutronError(reason='no endpoint: %s' % e)
        if not url:
            raise exception.NeutronError(reason=(
                'the service catalog has no %s endpoint (%s) in region %s'
                % (opts.service_type, ', '.join(opts.valid_interfaces or ()),
                   opts.region_name)))
        url = url.rstrip('/')
        if url.endswith('/v2.0'):
            url = url[:-len('/v2.0')]
        with _ENDPOINTS_LOCK:
            _ENDPOINTS[key] = url
        return url

    def _auth(self, context, admin):
        if admin:
            return service_auth.get_conf_auth_plugin(GROUP, conf=self.conf)
        return service_auth.get_auth_plugin(context, GROUP, conf=self.conf)

    def request(self, context, method, path, admin=False, body=None,
                params=None, resource_id=None):
        """The decoded answer ({} for none).  path is below /v2.0;
        resource_id names what a 404 did not find."""
        opts = self.conf.neutron
        url = '%s/v2.0%s' % (self.endpoint(), path)
        retries = opts.connect_retries or 0
        try:
            resp = self.session.request(
                url, method, raise_exc=False,
                auth=self._auth(context, admin),
                json=body, params=params,
                headers={'Accept': 'application/json'},
                global_request_id=getattr(context, 'global_id', None),
                connect_retries=retries,
                status_code_retries=(opts.status_code_retries or 0)
                if method == 'GET' else 0)
        except ks_exc.ConnectionError as e:
            raise exception.NeutronError(reason='%s %s: %s' % (method, url,
                                                               e))
        except ks_exc.ClientException as e:
            LOG.error('No authentication for a call to the Networking '
                      'API: %s', e)
            raise exception.NeutronError(
                reason='nova could not authenticate to the Networking API')
        if resp.status_code >= 400:
            self._raise_for(method, path, resp, resource_id)
        if resp.status_code == 204 or not resp.content:
            return {}
        return resp.json()

    def _raise_for(self, method, path, resp, resource_id):
        code, message = resp.status_code, _message(resp)
        LOG.debug('Networking API %s %s answered %d: %s', method, path, code,
                  message)
        collection = path.strip('/').split('/')[0].split('?')[0]
        if code == 404 and resource_id and collection in _NOT_FOUND:
            raise _NOT_FOUND[collection](resource_id)
        if code == 401:
            raise exception.NotAuthenticated()
        if code == 403:
            raise exception.Forbidden(message)
        if code == 404:
            raise exception.NotFound(message)
        if code == 409:
            raise exception.Conflict(reason=message)
        if code == 400:
            raise exception.Invalid(message)
        raise exception.NeutronError(reason='%s %s: HTTP %d: %s' % (
            method, path, code, message))

    # -- resources -------------------------------------------------------

    def _list(self, context, collection, key, admin=False, **filters):
        params = {k: v for k, v in filters.items() if v is not None}
        return self.request(context, 'GET', '/' + collection, admin=admin,
                            params=params).get(key, [])

    def list_networks(self, context, admin=False, **filters):
        return self._list(context, 'networks', 'networks', admin, **filters)

    def show_network(self, context, network_id, admin=False):
        return self.request(context, 'GET', '/networks/%s' % network_id,
                            admin=admin, resource_id=network_id)['network']

    def list_subnets(self, context, admin=False, **filters):
        return self._list(context, 'subnets', 'subnets', admin, **filters)

    def list_ports(self, context, admin=False, **filters):
        return self._list(context, 'ports', 'ports', admin, **filters)

    def show_port(self, context, port_id, admin=False):
        return self.request(context, 'GET', '/ports/%s' % port_id,
                            admin=admin, resource_id=port_id)['port']

    def create_port(self, context, port, admin=False):
        return self.request(context, 'POST', '/ports', admin=admin,
                            body={'port': port})['port']

    def update_port(self, context, port_id, values, admin=False):
        return self.request(context, 'PUT', '/ports/%s' % port_id,
                            admin=admin, body={'port': values},
                            resource_id=port_id)['port']

    def delete_port(self, context, port_id, admin=False):
        self.request(context, 'DELETE', '/ports/%s' % port_id, admin=admin,
                     resource_id=port_id)

    def list_security_groups(self, context, admin=False, **filters):
        return self._list(context, 'security-groups', 'security_groups',
                          admin, **filters)
