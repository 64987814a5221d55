"""/os-migrations: cold migrations and resizes, newest first (admins, and
project managers their own project's, without host info)."""

from nova.api.policies import migrations as policies
from nova.api import policy
from nova.api.views import migrations as views
from nova.api import wsgi

# Blanked (null) for those the :host rules do not allow, as upstream does.
HOST_FIELDS = ('source_compute', 'source_node', 'dest_compute', 'dest_node',
               'dest_host')


def _show(req, migration, with_host):
    view = views.show(req, migration)
    if not with_host:
        view.update(dict.fromkeys(HOST_FIELDS))
    return view


def list_migrations(req):
    ctxt = req.context
    policy.authorize(ctxt, policies.LIST)
    params = req.query()
    get = req.last_query_value
    # Without project_id, or with another project's, the list spans
    # projects (upstream's rule: no silent narrowing to one's own).
    project_id = get(params, 'project_id')
    if project_id != ctxt.project_id:
        policy.authorize(ctxt, policies.LIST_ALL_PROJECTS)
    with_host = policy.authorize(ctxt, policies.LIST_HOST, fatal=False)
    limit = req.limit_param(params)
    migrations = req.conductor.migrations_get_all(
        ctxt, instance_uuid=get(params, 'instance_uuid'),
        status=get(params, 'status'), host=get(params, 'host'),
        migration_type=get(params, 'migration_type'),
        limit=None if project_id else limit)
    if project_id:
        # TODO: a project_id filter in the database query.
        migrations = [m for m in migrations
                      if m['project_id'] == project_id][:limit]
    return wsgi.json_response(
        {'migrations': [_show(req, m, with_host) for m in migrations]})
