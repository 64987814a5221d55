"""The os-getVNCConsole server action (2.1-2.5; remote-consoles from 2.6,
where the action is 404 as upstream's)."""

from nova.api.handlers import remote_consoles
from nova.api.schemas import remote_consoles as schemas
from nova.api import validation
from nova.api.views import remote_consoles as views
from nova.api import wsgi
from nova import exception


def get_vnc_console(req, server_id, body):
    if req.is_version(schemas.REMOTE_CONSOLES):
        raise exception.VersionNotFoundForAPIMethod(
            version=req.version)
    validation.validate(body, schemas.get_vnc_console)
    instance = remote_consoles.authorized_instance(req, server_id)
    console = remote_consoles.get_console(req, instance, 'vnc',
                                          body['type'])
    return wsgi.json_response(views.console(body['type'], console['url']))
