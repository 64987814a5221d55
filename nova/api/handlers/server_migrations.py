"""/servers/{server_id}/migrations: a server's live migrations in
progress (2.23 list and show), force complete (2.22, POST .../action) and
abort (2.24, DELETE).  Cold migrations and resizes are in /os-migrations.
"""

from nova.api.handlers import servers
from nova.api.policies import server_migrations as policies
from nova.api import policy
from nova.api.views import server_migrations as views
from nova.api import wsgi
from nova import exception

LIST = (2, 23)
FORCE_COMPLETE = (2, 22)
ABORT = (2, 24)
# 2.65: a migration not yet running (queued, preparing) may be aborted.
ABORT_QUEUED = (2, 65)
MIGRATION_TYPE = 'live-migration'
IN_PROGRESS = ('queued', 'preparing', 'running', 'post-migrating')


def _server(req, server_id, since, rule):
    if not req.is_version(since):
        raise exception.VersionNotFoundForAPIMethod(version=req.version)
    instance = servers.get_instance(req, server_id)
    target = {'project_id': instance['project_id']}
    policy.authorize(req.context, rule, target)
    return instance, target


def _live_migrations(req, instance):
    return req.conductor.migrations_get_all(
        req.context, instance_uuid=instance['uuid'],
        migration_type=MIGRATION_TYPE)


def list_migrations(req, server_id):
    instance, target = _server(req, server_id, LIST, policies.INDEX)
    with_host = policy.authorize(req.context, policies.INDEX_HOST, target,
                                 fatal=False)
    return wsgi.json_response({'migrations': [
        views.show(req, m, with_host)
        for m in _live_migrations(req, instance)
        if m['status'] in IN_PROGRESS]})


def show_migration(req, server_id, migration_id):
    instance, _ = _server(req, server_id, LIST, policies.SHOW)
    try:
        migration = req.compute_api.live_migration(req.context, instance,
                                                   migration_id)
    except exception.MigrationNotFoundForInstance:
        raise exception.NotFound(
            'In-progress live migration %s is not found for server %s.'
            % (migration_id, server_id))
    if migration['status'] not in IN_PROGRESS:
        raise exception.NotFound(
            'Live migration %s for server %s is not in progress.'
            % (migration_id, server_id))
    return wsgi.json_response({'migration': views.show(req, migration)})


def migration_action(req, server_id, migration_id):
    """POST .../migrations/{id}/action {"force_complete": null}: the
    source pauses the guest (or switches to post-copy) so the copy
    ends."""
    instance, _ = _server(req, server_id, FORCE_COMPLETE,
                          policies.FORCE_COMPLETE)
    req.action(ACTIONS)
    req.compute_api.live_migration_force_complete(req.context, instance,
                                                  migration_id)
    return wsgi.empty_response(202)


def delete_migration(req, server_id, migration_id):
    """Abort the live migration: the guest stays on the source."""
    instance, _ = _server(req, server_id, ABORT, policies.DELETE)
    req.compute_api.live_migration_abort(
        req.context, instance, migration_id,
        abortable=('queued', 'preparing', 'running')
        if req.is_version(ABORT_QUEUED) else ('running',))
    return wsgi.empty_response(202)


# The actions of POST .../migrations/{id}/action.
ACTIONS = {'force_complete': migration_action}
