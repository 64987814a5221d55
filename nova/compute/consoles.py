"""Remote consoles: where a server's console is, and a token for it.

The compute that runs the guest tells where its VNC server listens and
which proxy serves it; the conductor stores a token for that address (its
hash, until [consoleauth] token_ttl runs out); the client gets the proxy's
URL with the token in it.  The proxy (nova.console.websocketproxy) checks
the token with the conductor before it connects.
"""

from urllib import parse as urlparse

from oslo_log import log as logging

from nova.compute import transitions
from nova import exception

LOG = logging.getLogger(__name__)

# protocol -> the console types this cloud serves for it.
SERVED = {'vnc': ('novnc',)}


def access_url(access_url_base, console_type, token):
    """The URL a client opens: for noVNC the token goes in the 'path'
    query parameter (noVNC 1.1 and later take only that; older ones read
    it too), as upstream's ConsoleAuthToken.access_url."""
    if console_type != 'novnc':
        return '%s?token=%s' % (access_url_base, token)
    parts = urlparse.urlparse(access_url_base)
    query = urlparse.parse_qs(parts.query)
    query['path'] = '%s?token=%s' % (query.get('path', [''])[0], token)
    return parts._replace(
        query=urlparse.urlencode(query, doseq=True)).geturl()


def get_console(conductor, compute_rpc, ctxt, instance, protocol,
                console_type):
    """{'url'} of instance's console; 400 for a protocol or type not
    served here, 409 for a server without a running guest."""
    if protocol not in SERVED:
        raise exception.ConsoleTypeUnavailable(console_type=protocol)
    if console_type not in SERVED[protocol]:
        raise exception.ConsoleTypeInvalid(console_type=console_type)
    transitions.check('remoteConsole', instance, ctxt.is_admin,
                      'get_%s_console' % protocol)
    where = compute_rpc.get_vnc_console(ctxt, instance['host'],
                                        instance['uuid'])
    token = conductor.console_auth_token_create(
        ctxt, instance['uuid'], console_type, where['host'], where['port'],
        where['access_url_base'])
    LOG.info('Console %s given out for %s:%s', console_type, where['host'],
             where['port'], instance_uuid=instance['uuid'])
    return {'url': access_url(where['access_url_base'], console_type,
                              token['token'])}
