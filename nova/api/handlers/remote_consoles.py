"""POST /servers/{id}/remote-consoles (2.6): a URL to the server's
console, with a token that opens it for [consoleauth] token_ttl seconds;
and the os-getVNCConsole server action it replaced (2.1-2.5, 404 from
2.6 as upstream's), dispatched by server_actions.

Only VNC consoles through noVNC (protocol vnc, type novnc) are served;
the other protocols and types upstream lists are refused with a 400 that
names them.
"""

from nova.api.handlers import servers
from nova.api.policies import remote_consoles as policies
from nova.api import policy
from nova.api.schemas import remote_consoles as schemas
from nova.api import validation
from nova.api.views import remote_consoles as views
from nova.api import wsgi
from nova import exception


def authorized_instance(req, server_id):
    instance = servers.get_instance(req, server_id)
    policy.authorize(req.context, policies.CREATE,
                     {'project_id': instance['project_id'],
                      'user_id': instance['user_id']})
    return instance


def get_console(req, instance, protocol, console_type):
    return req.compute_api.get_remote_console(req.context, instance,
                                              protocol, console_type)


def create(req, server_id):
    if not req.is_version(schemas.REMOTE_CONSOLES):
        raise exception.VersionNotFoundForAPIMethod(
            version=req.version)
    body = req.body_json(schemas.create(req.version))['remote_console']
    instance = authorized_instance(req, server_id)
    protocol, console_type = body['protocol'], body['type']
    console = get_console(req, instance, protocol, console_type)
    return wsgi.json_response(
        views.remote_console(protocol, console_type, console['url']))


def get_vnc_console(req, server_id, body):
    """The os-getVNCConsole action: {'console': {'type', 'url'}}."""
    if req.is_version(schemas.REMOTE_CONSOLES):
        raise exception.VersionNotFoundForAPIMethod(version=req.version)
    validation.validate(body, schemas.get_vnc_console)
    instance = authorized_instance(req, server_id)
    console = get_console(req, instance, 'vnc', body['type'])
    return wsgi.json_response(views.console(body['type'], console['url']))
