"""/os-migrations (admin): cold migrations and resizes, newest first."""

from nova.api.policies import migrations as policies
from nova.api import policy
from nova.api.views import migrations as views
from nova.api import wsgi


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
