"""/os-migrations (admin): cold migrations and resizes, newest first."""

from nova.api.policies import migrations as policies
from nova.api import policy
from nova.api.views import migrations as views
from nova.api import wsgi
from nova import exception

IN_PROGRESS = ('queued', 'preparing', 'running')


def list_migrations(req):
    policy.authorize(req.context, policies.LIST)
    params = req.query()
    get = req.last_query_value
    migrations = req.conductor.migrations_get_all(
        req.context, instance_uuid=get(params, 'instance_uuid'),
        status=get(params, 'status'), host=get(params, 'host'),
        migration_type=get(params, 'migration_type'),
        limit=req.limit_param(params))
    return wsgi.json_response(
        {'migrations': [views.show(req, m) for m in migrations]})


def list_server_migrations(req, server_id):
    """In-progress live migrations of a server (2.23), as upstream lists;
    cold migrations and resizes are in /os-migrations."""
    if not req.is_version(views.MIGRATION_TYPE):
        raise exception.NotFound()
    ctxt = req.context
    instance = req.conductor.instance_get(
        ctxt, server_id, project_id=None if ctxt.is_admin
        else ctxt.project_id)
    policy.authorize(ctxt, policies.SERVER_MIGRATIONS,
                     {'project_id': instance['project_id']})
    migrations = [m for m in req.conductor.migrations_get_all(
        ctxt, instance_uuid=instance['uuid'],
        migration_type='live-migration')
        if m['status'] in IN_PROGRESS]
    return wsgi.json_response(
        {'migrations': [views.show(req, m) for m in migrations]})
