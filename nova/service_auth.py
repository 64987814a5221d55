"""How nova authenticates when it calls another service's API (Glance).

``get_auth_plugin(context, group)`` gives the keystoneauth auth plugin of one
call, for a session's ``request(..., auth=plugin)``:

* the context has a token (a user's request): that token, as
  ``X-Auth-Token``; with ``[service_user] send_service_user_token`` also a
  token of the ``[service_user]`` user, as ``X-Service-Token``, so
  keystonemiddleware in front of the other service still accepts the call
  once the user's token has expired (a snapshot of a large disk uploads for
  longer than a token lives);
* the context has no token (a periodic task, a recovery at startup): the
  auth plugin of the called service's own group (``[glance] auth_type``,
  ``auth_url``, ``username``, ...) when one is configured;
* else None: no token at all, for a service that runs without Keystone
  (devstack's noauth2 mode runs Glance so).

The callers give the full URL of each call, so no plugin here needs a
service catalog.  The service user gets its token from Keystone on the
session of the ``[service_user]`` session options; a ``[glance]`` user on
the session of the call (the ``[glance]`` session options).

Plugins and sessions loaded from a configuration are loaded once per
configuration object and group, under a lock, and kept as long as that
configuration lives: the service user's token is fetched from Keystone once
and renewed by keystoneauth when it nears its expiry, not per request.
"""

import threading
import weakref

from keystoneauth1 import loading as ks_loading
from keystoneauth1 import plugin as ks_plugin
from keystoneauth1 import service_token
from oslo_log import log as logging

import nova.conf
from nova.conf import service_user

LOG = logging.getLogger(__name__)
CONF = nova.conf.CONF

_LOCK = threading.RLock()  # a load may load another (a session)
# {(id(conf), group, kind): loaded}; an entry goes with its conf: the ids
# of the confs gone wait in _GONE (a finalizer may run anywhere, even in
# the middle of _loaded) and leave before any lookup.
_LOADED = {}
_GONE = []
_WARNED = set()  # what was warned about


class UserTokenPlugin(ks_plugin.BaseAuthPlugin):
    """A token nova was given (the caller's), sent as it is.

    Nothing can renew it: ``invalidate`` says so, so a 401 is not retried
    with it.
    """

    def __init__(self, token):
        super().__init__()
        self.token = token

    def get_token(self, session, **kwargs):
        return self.token

    def get_endpoint(self, session, **kwargs):
        return None  # callers give full URLs


class _OnItsOwnSession(ks_plugin.BaseAuthPlugin):
    """A service user's plugin that reaches Keystone on its own session.

    ServiceTokenAuthWrapper asks it for a token on the session of the call
    (the other service's TLS settings and timeout); the ``[service_user]``
    session options are the ones meant for Keystone.
    """

    def __init__(self, auth, session):
        super().__init__()
        self.auth = auth
        self.session = session

    def get_token(self, session, **kwargs):
        return self.auth.get_token(self.session)

    def get_headers(self, session, **kwargs):
        return self.auth.get_headers(self.session)

    def invalidate(self):
        return self.auth.invalidate()

    def get_user_id(self, session, **kwargs):
        return self.auth.get_user_id(self.session)

    def get_project_id(self, session, **kwargs):
        return self.auth.get_project_id(self.session)


def _loaded(conf, group, kind, load):
    key = (id(conf), group, kind)
    with _LOCK:
        while _GONE:
            gone = _GONE.pop()
            for old in [k for k in list(_LOADED) if k[0] == gone]:
                del _LOADED[old]
        if key not in _LOADED:
            if not any(k[0] == key[0] for k in list(_LOADED)):
                weakref.finalize(conf, _GONE.append, key[0])
            _LOADED[key] = load()
        return _LOADED[key]


def reset():
    """Forget every loaded plugin and session (tests)."""
    with _LOCK:
        _LOADED.clear()
        _WARNED.clear()


def get_session(group, conf=None):
    """The keystoneauth session of ``[group]``'s session options."""
    conf = conf or CONF
    return _loaded(conf, group, 'session',
                   lambda: ks_loading.load_session_from_conf_options(
                       conf, group, app_name='nova'))


def get_conf_auth_plugin(group, conf=None):
    """The auth plugin of ``[group]``'s auth options; None without auth_type.

    Raises keystoneauth's NoMatchingPlugin or MissingRequiredOptions when the
    options name no plugin or miss one of its required options.
    """
    conf = conf or CONF
    return _loaded(conf, group, 'auth',
                   lambda: ks_loading.load_auth_from_conf_options(conf,
                                                                  group))


def _service_user_plugin(conf):
    group = service_user.SERVICE_USER_GROUP

    def load():
        auth = ks_loading.load_auth_from_conf_options(conf, group)
        if auth is None:
            return None
        return _OnItsOwnSession(auth, get_session(group, conf=conf))

    return _loaded(conf, group, 'service-auth', load)


def get_auth_plugin(context, group, conf=None):
    """The auth plugin of a call made for context to ``[group]``'s service.

    None means no authentication at all.
    """
    conf = conf or CONF
    token = getattr(context, 'auth_token', None)
    if not token:
        return get_conf_auth_plugin(group, conf=conf)
    user_auth = UserTokenPlugin(token)
    if not conf.service_user.send_service_user_token:
        return user_auth
    service_auth = _service_user_plugin(conf)
    if service_auth is None:
        if 'service_user' not in _WARNED:
            _WARNED.add('service_user')
            LOG.warning('[service_user] send_service_user_token is set but '
                        '[service_user] auth_type is not: calls to other '
                        'services carry the user token alone')
        return user_auth
    return service_token.ServiceTokenAuthWrapper(user_auth=user_auth,
                                                 service_auth=service_auth)
